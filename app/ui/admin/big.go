package admin

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// bigTheme resizes text and, where set, padding inside a theme override:
// larger for the keypad used with a finger, a little smaller and tighter
// for the panel's tabs read by staff. Colours, fonts and icons come from the
// app's current theme (the kiosk theme).
type bigTheme struct {
	text float32
	// pad and inner, when not 0, replace the theme's padding sizes.
	pad, inner float32
}

func (b bigTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (b bigTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return b.base().Color(n, v)
}

func (b bigTheme) Font(s fyne.TextStyle) fyne.Resource { return b.base().Font(s) }

func (b bigTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return b.base().Icon(n) }

func (b bigTheme) Size(n fyne.ThemeSizeName) float32 {
	switch {
	case n == theme.SizeNameText:
		return b.text
	case n == theme.SizeNameInlineIcon:
		return max(b.text, 28)
	case n == theme.SizeNamePadding && b.pad > 0:
		return b.pad
	case n == theme.SizeNameInnerPadding && b.inner > 0:
		return b.inner
	}
	return b.base().Size(n)
}

// big shows obj with text of the given size.
func big(obj fyne.CanvasObject, text float32) fyne.CanvasObject {
	return container.NewThemeOverride(obj, bigTheme{text: text})
}

// minSized makes obj at least w×h, for touch targets.
func minSized(obj fyne.CanvasObject, w, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(w, h))
	return container.NewStack(r, obj)
}

// compact shows obj with the panel's text size and tighter padding.
func compact(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(obj, bigTheme{text: panelText, pad: 6, inner: 10})
}

// scrollTo scrolls s so that obj, somewhere in its content, is near the top.
func scrollTo(s *container.Scroll, obj fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(obj).Y - d.AbsolutePositionForObject(s.Content).Y
	s.Offset.Y = max(0, min(y-60, s.Content.MinSize().Height-s.Size().Height))
	s.Refresh()
}
