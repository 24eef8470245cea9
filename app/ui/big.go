package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sizedTheme overrides the text and inner padding sizes of a parent theme,
// for buttons that must be larger than body text.
type sizedTheme struct {
	fyne.Theme
	text, pad float32
}

func (t sizedTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return t.text
	case theme.SizeNameInnerPadding:
		return t.pad
	case theme.SizeNameInlineIcon:
		return t.text * 1.2
	}
	return t.Theme.Size(n)
}

// bigButton returns b wrapped so that its text is textSize points with pad
// points of padding: a target an elderly citizen hits without aiming.
func bigButton(b *widget.Button, textSize, pad float32) fyne.CanvasObject {
	return container.NewThemeOverride(b, sizedTheme{Theme: Theme(), text: textSize, pad: pad})
}
