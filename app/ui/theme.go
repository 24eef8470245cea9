package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme wraps Fyne's default theme for a touch screen read at arm's
// length: large text and targets, and the light variant with darker colours
// for high contrast whatever the machine's dark-mode setting. Its sizes are
// those of a 1280×800 screen times its scale, which the kiosk sets from the
// canvas it lays its screens out in (see scaleFor), so that text follows
// the screen and not the content.
type kioskTheme struct {
	base  fyne.Theme
	scale float32 // set on the UI goroutine only
}

// Theme returns the kiosk theme at the scale of a 1280×800 screen.
func Theme() fyne.Theme { return newKioskTheme() }

func newKioskTheme() *kioskTheme { return &kioskTheme{base: theme.DefaultTheme(), scale: 1} }

// Sizes of the kiosk's own, asked for like Fyne's (theme.Size or a
// label's SizeName), so that they follow the theme's scale too.
const (
	// SizeNameScale is the theme's scale itself, 1 on a 1280×800 screen.
	SizeNameScale fyne.ThemeSizeName = "hailong-scale"
	// SizeNameTarget is the height of a touch target (Next, Back, the
	// language button): never under MinTarget.
	SizeNameTarget fyne.ThemeSizeName = "hailong-target"
	// SizeNameStartText is the start button's caption.
	SizeNameStartText fyne.ThemeSizeName = "hailong-start-text"
)

// MinTarget is the smallest height of anything a citizen taps, in Fyne
// units (device-independent pixels): a fingertip hits it without aiming.
const MinTarget = 64

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

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 { return t.sizeAt(n, t.scale) }

// sizeAt is Size at scale s.
func (t *kioskTheme) sizeAt(n fyne.ThemeSizeName, s float32) float32 {
	switch n {
	case SizeNameScale:
		return s
	case SizeNameTarget:
		return max(MinTarget, 80*s)
	case SizeNameStartText:
		return 48 * s
	case theme.SizeNameText:
		return 26 * s
	case theme.SizeNameHeadingText:
		return 40 * s
	case theme.SizeNameSubHeadingText:
		return 32 * s
	case theme.SizeNameCaptionText:
		return 20 * s
	case theme.SizeNamePadding:
		return max(4, 8*s)
	case theme.SizeNameInnerPadding:
		return max(8, 16*s)
	case theme.SizeNameInlineIcon:
		return 36 * s
	case theme.SizeNameInputBorder, theme.SizeNameInputRadius:
		return 3
	case theme.SizeNameSelectionRadius:
		return 8
	}
	return t.base.Size(n)
}

// setScale changes the theme's scale and reports whether it changed.
func (t *kioskTheme) setScale(s float32) bool {
	if s == t.scale {
		return false
	}
	t.scale = s
	return true
}

// scaleFor is the theme's scale for a canvas of the given size: the
// kiosk's screens are drawn for 1280×800 and shrink or grow with the
// shorter side of the screen, in steps of 1/20 so that a window dragged a
// few points wider is not laid out again.
func scaleFor(size fyne.Size) float32 {
	s := min(size.Width/1280, size.Height/800)
	s = float32(int(s*20)) / 20
	return min(max(s, 0.6), 1.6)
}
