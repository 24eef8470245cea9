package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme wraps Fyne's default theme for a touch screen read at arm's
// length: large text and targets, and the light variant with darker colours
// for high contrast whatever the machine's dark-mode setting.
type kioskTheme struct{ base fyne.Theme }

// Theme returns the kiosk theme.
func Theme() fyne.Theme { return &kioskTheme{base: theme.DefaultTheme()} }

func (t *kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return color.White
	case theme.ColorNameForeground:
		return color.NRGBA{R: 0x11, G: 0x11, B: 0x11, A: 0xff}
	case theme.ColorNamePrimary, theme.ColorNameFocus:
		return color.NRGBA{R: 0x0b, G: 0x4f, B: 0xa3, A: 0xff}
	case theme.ColorNameButton:
		return color.NRGBA{R: 0xe3, G: 0xe8, B: 0xef, A: 0xff}
	case theme.ColorNameHover:
		return color.NRGBA{R: 0x0b, G: 0x4f, B: 0xa3, A: 0x22}
	case theme.ColorNamePressed:
		return color.NRGBA{R: 0x0b, G: 0x4f, B: 0xa3, A: 0x44}
	case theme.ColorNameInputBackground:
		return color.NRGBA{R: 0xf4, G: 0xf6, B: 0xf9, A: 0xff}
	case theme.ColorNameInputBorder:
		return color.NRGBA{R: 0x55, G: 0x5f, B: 0x6d, A: 0xff}
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return color.NRGBA{R: 0x5a, G: 0x5a, B: 0x5a, A: 0xff}
	case theme.ColorNameError:
		return color.NRGBA{R: 0xb0, G: 0x1c, B: 0x1c, A: 0xff}
	case theme.ColorNameSuccess:
		return color.NRGBA{R: 0x1e, G: 0x7a, B: 0x35, A: 0xff}
	}
	return t.base.Color(n, theme.VariantLight)
}

func (t *kioskTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base.Font(s) }
func (t *kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameHeadingText:
		return 40
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameCaptionText:
		return 20
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNameInlineIcon:
		return 36
	case theme.SizeNameInputBorder, theme.SizeNameInputRadius:
		return 3
	case theme.SizeNameSelectionRadius:
		return 8
	}
	return t.base.Size(n)
}
