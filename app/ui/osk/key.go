package osk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyTextScale enlarges key captions over the theme's body text.
const keyTextScale = 1.25

// Key is one key: a button without a caption of its own, which gives the
// key its background, its pressed, disabled and importance looks and takes
// the taps, under a caption (a text or an icon) keyTextScale times the
// theme's text.
//
// The caption is drawn here rather than by a button under a theme override
// with larger text: Fyne clears its text measurements for the whole app
// each time an override is applied (each refresh of the override, and each
// new renderer once an idle one expired), so every screen after a comment
// screen measured and shaped all its text again.
type Key struct {
	widget.BaseWidget

	button  *widget.Button
	text    *canvas.Text
	icon    *canvas.Image
	iconRes fyne.Resource
}

// newKey returns a key captioned text that calls tapped.
func newKey(text string, tapped func()) *Key {
	k := &Key{button: widget.NewButton("", tapped), text: canvas.NewText(text, nil)}
	k.text.TextStyle.Bold = true // as a button's own caption
	k.text.Alignment = fyne.TextAlignCenter
	k.ExtendBaseWidget(k)
	return k
}

// newIconKey returns a key showing icon (a themed resource, coloured as
// the caption would be) that calls tapped.
func newIconKey(icon fyne.Resource, tapped func()) *Key {
	k := newKey("", tapped)
	k.iconRes = icon
	k.icon = canvas.NewImageFromResource(icon)
	k.icon.FillMode = canvas.ImageFillContain
	return k
}

// Text returns the caption.
func (k *Key) Text() string { return k.text.Text }

// SetText changes the caption.
func (k *Key) SetText(s string) {
	if k.text.Text != s {
		k.text.Text = s
		k.Refresh()
	}
}

// Importance returns how the key stands out (widget.Button's).
func (k *Key) Importance() widget.Importance { return k.button.Importance }

// SetImportance changes how the key stands out.
func (k *Key) SetImportance(i widget.Importance) {
	if k.button.Importance != i {
		k.button.Importance = i
		k.Refresh()
	}
}

// Disable stops the key from typing and greys it.
func (k *Key) Disable() { k.button.Disable(); k.Refresh() }

// Enable makes the key type again.
func (k *Key) Enable() { k.button.Enable(); k.Refresh() }

// Disabled reports whether the key is disabled.
func (k *Key) Disabled() bool { return k.button.Disabled() }

// Tapped presses the key as a touch on it does.
func (k *Key) Tapped(e *fyne.PointEvent) { k.button.Tapped(e) }

// CreateRenderer implements fyne.Widget.
func (k *Key) CreateRenderer() fyne.WidgetRenderer {
	objs := []fyne.CanvasObject{k.button, k.text}
	if k.icon != nil {
		objs = append(objs, k.icon)
	}
	r := &keyRenderer{key: k, objs: objs}
	r.Refresh()
	return r
}

type keyRenderer struct {
	key  *Key
	objs []fyne.CanvasObject
}

// pad is the space between the caption and the key's edge on each side:
// half the theme's inner padding, so that captions such as "dấu cách"
// fit a key of a 1024-pixel screen.
func (r *keyRenderer) pad() float32 { return r.key.Theme().Size(theme.SizeNameInnerPadding) / 2 }

func (r *keyRenderer) iconSize() float32 {
	return r.key.Theme().Size(theme.SizeNameInlineIcon) * keyTextScale
}

func (r *keyRenderer) Layout(size fyne.Size) {
	k := r.key
	k.button.Resize(size)
	k.button.Move(fyne.Position{})
	p := r.pad()
	inner := fyne.NewSize(max(0, size.Width-2*p), max(0, size.Height-2*p))
	th := k.text.MinSize()
	if k.icon == nil {
		k.text.Resize(fyne.NewSize(inner.Width, th.Height))
		k.text.Move(fyne.NewPos(p, (size.Height-th.Height)/2))
		return
	}
	// An icon, and the caption (if any) on its right, centred together.
	s := min(r.iconSize(), inner.Width, inner.Height)
	w := s
	if k.text.Text != "" {
		w += p + th.Width
	}
	x := max(p, (size.Width-w)/2)
	k.icon.Resize(fyne.NewSquareSize(s))
	k.icon.Move(fyne.NewPos(x, (size.Height-s)/2))
	k.text.Resize(fyne.NewSize(max(0, size.Width-p-(x+s+p)), th.Height))
	k.text.Move(fyne.NewPos(x+s+p, (size.Height-th.Height)/2))
}

func (r *keyRenderer) MinSize() fyne.Size {
	k := r.key
	p := r.pad()
	var c fyne.Size
	if k.text.Text != "" {
		c = k.text.MinSize()
	}
	if k.icon != nil {
		s := r.iconSize()
		if c.Width > 0 {
			c.Width += p
		}
		c = fyne.NewSize(c.Width+s, max(c.Height, s))
	}
	return c.AddWidthHeight(2*p, 2*p).Max(k.button.MinSize())
}

// Refresh takes the theme's text size and the colour a button of the
// key's importance gives its caption.
func (r *keyRenderer) Refresh() {
	k := r.key
	th := k.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := captionColor(k.button.Importance, k.button.Disabled())
	k.text.TextSize = th.Size(theme.SizeNameText) * keyTextScale
	k.text.Color = th.Color(fg, v)
	if k.icon != nil {
		res := k.iconRes
		if k.button.Disabled() {
			res = theme.NewDisabledResource(res)
		} else if t, ok := res.(fyne.ThemedResource); ok && t.ThemeColorName() != fg {
			res = theme.NewColoredResource(res, fg)
		}
		k.icon.Resource = res
		k.icon.Refresh()
	}
	k.button.Refresh()
	k.text.Refresh()
	r.Layout(k.Size())
}

func (r *keyRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *keyRenderer) Destroy() {}

// captionColor is the colour a widget.Button gives its caption at that
// importance.
func captionColor(i widget.Importance, disabled bool) fyne.ThemeColorName {
	switch {
	case disabled:
		return theme.ColorNameDisabled
	case i == widget.DangerImportance:
		return theme.ColorNameForegroundOnError
	case i == widget.HighImportance:
		return theme.ColorNameForegroundOnPrimary
	case i == widget.SuccessImportance:
		return theme.ColorNameForegroundOnSuccess
	case i == widget.WarningImportance:
		return theme.ColorNameForegroundOnWarning
	}
	return theme.ColorNameForeground
}
