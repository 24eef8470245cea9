package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Why no container.NewThemeOverride for larger button text: Fyne caches
// parsed fonts per override scope, so every overridden button parsed the
// fonts again before the first frame. Buttons keep the
// kiosk theme's text size and get their height here; the start button
// draws its large caption itself.

// bigButton returns b with at least the given height, and never under
// MinTarget: a target an elderly citizen hits without aiming.
func bigButton(b *widget.Button, height float32) fyne.CanvasObject {
	return container.NewStack(minHeight(max(MinTarget, height)), b)
}

// scale is the kiosk theme's scale: screens multiply the sizes they set
// themselves (icons, faces, QR codes) by it. A screen is built again when
// the scale changes (rescale).
func scale() float32 {
	if s := theme.Size(SizeNameScale); s > 0 {
		return s
	}
	return 1 // another theme than the kiosk's
}

// captionButton returns b (which has no text of its own) with caption
// drawn over it at size points in the colour for text on the primary
// colour, at least height high.
func captionButton(b *widget.Button, caption string, size, height float32) (fyne.CanvasObject, *canvas.Text) {
	t := canvas.NewText(caption, theme.Color(theme.ColorNameForegroundOnPrimary))
	t.TextSize = size
	t.TextStyle.Bold = true
	t.Alignment = fyne.TextAlignCenter
	return container.NewStack(minHeight(max(MinTarget, height)), b, container.NewCenter(t)), t
}

func minHeight(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return r
}
