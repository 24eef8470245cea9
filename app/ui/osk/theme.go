package osk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// keyTextScale enlarges key labels over the app's body text.
const keyTextScale = 1.25

// keyTheme is the app's current theme with larger text and icons, for the
// key labels. It asks the app for its theme at every call, so a theme set
// after the keyboard was made still applies.
type keyTheme struct{}

func (keyTheme) base() fyne.Theme {
	if a := fyne.CurrentApp(); a != nil && a.Settings().Theme() != nil {
		return a.Settings().Theme()
	}
	return theme.DefaultTheme()
}

func (t keyTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base().Color(n, v)
}

func (t keyTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base().Font(s) }

func (t keyTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }

func (t keyTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base().Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameInlineIcon:
		return s * keyTextScale
	case theme.SizeNameInnerPadding:
		return s / 2
	}
	return s
}
