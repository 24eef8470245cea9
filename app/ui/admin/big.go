package admin

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// bigTheme enlarges text and padding inside a theme override, for the keypad
// and the PIN display that are used with a finger on a touch screen. Colours,
// fonts and icons come from the app's current theme.
type bigTheme struct {
	text float32
}

func (b bigTheme) base() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (b bigTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return b.base().Color(n, v)
}

func (b bigTheme) Font(s fyne.TextStyle) fyne.Resource { return b.base().Font(s) }

func (b bigTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return b.base().Icon(n) }

func (b bigTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText, theme.SizeNameInlineIcon:
		return b.text
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
