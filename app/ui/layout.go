package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
)

// Every kiosk screen is laid out for the canvas it is given, never sized by
// its content: its root (fitScreen) asks for no more than MinScreen, so the
// window never grows past the screen it is on and a full-screen canvas is
// never larger than the screen (when it is, Fyne draws the canvas from the
// bottom, so its top is cut off while taps land as if it were not). Inside,
// text and targets follow the kiosk theme's scale, set from the canvas's
// size (scaleFor); rows of faces and keys share the width, lists of options
// page instead of scrolling, and touch targets never shrink under
// MinTarget. TestScreensFit lays every screen out at every supported size.

// MinScreen is the smallest area every kiosk screen fits in, targets 64
// high (TestSmallestScreenFits): less than the kiosk's screens get beside
// the operator panel in a window on a 1024×600 screen (about 720×540).
var MinScreen = fyne.NewSize(680, 536)

// screenLayout is the layout of a screen's root: it fills the area and
// asks the kiosk to lay the screen out again at another scale when the area
// calls for one.
type screenLayout struct{ k *Kiosk }

func (l screenLayout) MinSize([]fyne.CanvasObject) fyne.Size { return MinScreen }

func (l screenLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	k := l.k
	if size.Width <= 0 || size.Height <= 0 || k.refitting {
		return
	}
	k.area = size
	if k.theme != nil && scaleFor(size) != k.theme.scale && !k.rescaling {
		k.rescaling = true
		fyne.Do(k.rescale)
	}
}

// fitScreen wraps a screen's content as its root.
func (k *Kiosk) fitScreen(content fyne.CanvasObject) fyne.CanvasObject {
	return container.New(screenLayout{k: k}, content)
}

// fitScale sets the theme's scale for the area the next screen will get
// (the last one a screen got, else firstScale), before the screen is
// built, so that it is built at the right scale the first time.
func (k *Kiosk) fitScale() {
	if k.theme == nil {
		return
	}
	if area := k.area; area.Width > 0 && area.Height > 0 {
		k.theme.setScale(scaleFor(area))
	} else if s, ok := firstScale(k.win, k.theme); ok {
		k.theme.setScale(s)
	}
}

// firstScale is the scale of the first screen shown in w: that of w's
// canvas (the screen's size when full screen, before the window system
// has resized the canvas) less the canvas's padding, which follows the
// scale. It reports false while the canvas has no size.
func firstScale(w fyne.Window, t *kioskTheme) (float32, bool) {
	c := canvasSize(w)
	if c.Width <= 0 || c.Height <= 0 {
		return 0, false
	}
	s := scaleFor(c)
	for range 4 {
		area := c
		if w.Padded() {
			area = c.Subtract(fyne.NewSquareSize(2 * t.sizeAt(theme.SizeNamePadding, s)))
		}
		next := scaleFor(area)
		if next == s {
			break
		}
		s = next
	}
	return s, true
}

// rescale builds the screen on show again at the scale of its area.
func (k *Kiosk) rescale() {
	k.rescaling = false
	if k.theme == nil || !k.theme.setScale(scaleFor(k.area)) {
		return
	}
	switch {
	case k.Question != nil && k.session != nil: // not while its response is saved
		k.showQuestion()
	case k.Thanks != nil:
		k.showThanks(k.Thanks.response)
	case k.SaveError != nil:
		k.showSaveError(nil)
	case k.Welcome != nil:
		w := newWelcome(k, k.Welcome.problem)
		k.setScreen(w.root)
		k.Welcome = w
	}
	// What is around the stage (the canvas's padding, a frame's) follows
	// the theme too: the one time the window's content is set again.
	// Setting it lays the content out at its minimum size first, which
	// must not choose the scale: the area is the one it ends with.
	if k.paused || k.win.Content() != k.shown {
		return
	}
	k.refitting = true
	k.win.SetContent(k.shown)
	k.refitting = false
	if area := k.screen.Size(); area.Width > 0 && area.Height > 0 && scaleFor(area) != k.theme.scale {
		k.area = area
		k.rescaling = true
		fyne.Do(k.rescale)
	}
}

// fixedWidthLayout gives its objects a fixed width and their own minimum
// height, so word-wrapped labels inside wrap at that width instead of
// shrinking to one word a line.
type fixedWidthLayout struct{ width float32 }

func (l fixedWidthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

func (l fixedWidthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if o.Size().Width != l.width {
			o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func fixedWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(fixedWidthLayout{width: width}, o)
}

// pagedLayout lays out answer targets in a grid of as many columns as
// their width allows (up to maxCols, each at least minColWidth at the
// theme's scale) and as many rows as fit the height with each row at least
// MinTarget high and as high as its tallest label needs; the targets that
// do not fit go on later pages. OnPages is told the number of pages after
// each layout, so the screen can show its page buttons.
type pagedLayout struct {
	maxCols     int
	minColWidth float32
	page        int
	pages       int
	onPages     func(pages int)
}

func (l *pagedLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, MinTarget)
}

// grid is how many columns and rows of targets fit a page of the given size.
func (l *pagedLayout) grid(objs []fyne.CanvasObject, size fyne.Size) (cols, rows int) {
	gap := theme.Padding()
	s := theme.Size(SizeNameScale)
	cols = 1
	for c := min(l.maxCols, len(objs)); c > 1; c-- {
		if (size.Width-gap*float32(c-1))/float32(c) >= l.minColWidth*s {
			cols = c
			break
		}
	}
	// Rows fit when each is as high as its tallest target needs at the
	// column width.
	colW := (size.Width - gap*float32(cols-1)) / float32(cols)
	need := func(o fyne.CanvasObject) float32 {
		if o.Size().Width != colW {
			o.Resize(fyne.NewSize(colW, max(o.Size().Height, MinTarget)))
		}
		return max(o.MinSize().Height, MinTarget)
	}
	used := float32(0)
	rows = 0
	for i := 0; i < len(objs); i += cols {
		h := float32(0)
		for j := i; j < min(i+cols, len(objs)); j++ {
			h = max(h, need(objs[j]))
		}
		if rows > 0 {
			h += gap
		}
		if used+h > size.Height {
			break
		}
		used += h
		rows++
	}
	return cols, max(rows, 1)
}

func (l *pagedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) == 0 {
		return
	}
	cols, rows := l.grid(objs, size)
	per := cols * rows
	pages := int(math.Ceil(float64(len(objs)) / float64(per)))
	l.page = min(l.page, pages-1)
	first := l.page * per
	shown := objs[first:min(first+per, len(objs))]
	// Rows share the height; with all targets on one page a short list
	// keeps targets no taller than twice the minimum.
	gap := theme.Padding()
	rowH := (size.Height - gap*float32(rows-1)) / float32(rows)
	if pages == 1 {
		rowH = min(rowH, max(2*MinTarget, maxNeed(shown)))
	}
	colW := (size.Width - gap*float32(cols-1)) / float32(cols)
	for i, o := range objs {
		if i < first || i >= first+per {
			o.Hide()
			continue
		}
		o.Show()
		n := i - first
		r, c := n/cols, n%cols
		o.Move(fyne.NewPos(float32(c)*(colW+gap), float32(r)*(rowH+gap)))
		o.Resize(fyne.NewSize(colW, rowH))
	}
	if pages != l.pages {
		l.pages = pages
		if l.onPages != nil {
			l.onPages(pages)
		}
	}
}

func maxNeed(objs []fyne.CanvasObject) float32 {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return h
}

// columnLayout stacks its objects top to bottom across the full width,
// each at the height it needs at that width: it gives each object the
// width before asking its minimum height, which is what a word-wrapped
// label's height depends on (Fyne's VBox and Border ask first, so a label
// that wraps to two lines at the screen's width can be given the height of
// one and overlap what follows). The object at fill (if ≥ 0) takes the
// height left over (spacers then get none), else, or while it is hidden,
// spacers share it. Its minimum size is small: the screen gives the size.
type columnLayout struct{ fill int }

func (l columnLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

func (l columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if l.fill >= 0 && (l.fill >= len(objs) || !objs[l.fill].Visible()) {
		l.fill = -1 // the filler is hidden: the spacers share the height
	}
	gap := theme.Padding()
	heights := make([]float32, len(objs))
	used, shown, spacers := float32(0), 0, 0
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		shown++
		if _, ok := o.(layout.SpacerObject); ok || i == l.fill {
			spacers++
			continue
		}
		if o.Size().Width != size.Width {
			o.Resize(fyne.NewSize(size.Width, o.Size().Height))
		}
		heights[i] = o.MinSize().Height
		used += heights[i]
	}
	used += gap * float32(max(shown-1, 0))
	left := max(0, size.Height-used)
	y := float32(0)
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		h := heights[i]
		switch _, spacer := o.(layout.SpacerObject); {
		case i == l.fill:
			h = left
		case spacer && l.fill < 0:
			h = left / float32(spacers)
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + gap
	}
}

// column stacks objs (see columnLayout); fill is the index of the object
// that takes the height left over, or -1 for spacers to share it.
func column(fill int, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(columnLayout{fill: fill}, objs...)
}
