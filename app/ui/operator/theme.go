package operator

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"github.com/hailong-kiosk/hailong/app/ui"
)

// compactTheme keeps the kiosk's high-contrast colours with the text and
// padding sizes of an ordinary laptop application: the operator reads the
// panel from arm's length on a 1366×768 screen, and every pixel the panel
// takes is one the citizen's screens lose.
type compactTheme struct{ fyne.Theme }

func newCompactTheme() fyne.Theme { return compactTheme{Theme: ui.Theme()} }

func (t compactTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 16
	case theme.SizeNameHeadingText:
		return 24
	case theme.SizeNameSubHeadingText:
		return 19
	case theme.SizeNameCaptionText:
		return 14
	case theme.SizeNamePadding:
		return 4
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInlineIcon:
		return 20
	case theme.SizeNameInputBorder:
		return 2
	}
	return t.Theme.Size(n)
}

// widthLayout lays its objects out at a fixed width and reports their
// minimum height at that width, so word-wrapped labels inside wrap there
// instead of shrinking to a word a line (a wrapped label's minimum height
// depends on the width it was last given).
type widthLayout struct{ width float32 }

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(l.width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		setWidth(o, l.width)
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// setWidth gives o the width its wrapped text must fit, keeping its
// height: resizing to another height here would fight Layout's and redraw
// the window every frame.
func setWidth(o fyne.CanvasObject, width float32) {
	if sz := o.Size(); sz.Width != width {
		o.Resize(fyne.NewSize(width, sz.Height))
	}
}

func fixedWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(widthLayout{width: width}, o)
}

// columnsLayout lays a table row out: the first object takes the width
// left by the others, which have fixed widths. The first column's width is
// known from the row's width at build time (first), so wrapped text in it
// reports the right height.
type columnsLayout struct {
	first  float32
	widths []float32
	gap    float32
}

func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := l.first
		if i > 0 && i-1 < len(l.widths) {
			w = l.widths[i-1]
		}
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w + l.gap
	}
}

func (l columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := float32(0), float32(0)
	for i, o := range objs {
		cw := l.first
		if i > 0 && i-1 < len(l.widths) {
			cw = l.widths[i-1]
		}
		setWidth(o, cw)
		h = max(h, o.MinSize().Height)
		if i > 0 {
			w += l.gap
		}
		w += cw
	}
	return fyne.NewSize(w, h)
}
