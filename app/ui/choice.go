package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// choiceButton is one large answer target: an optional icon (a face for
// rating scales) above or beside its word, with a thick frame when chosen.
// The underlying Button takes the taps; the icon and word sit on top of it
// and are not tappable, so a tap anywhere on the target counts.
type choiceButton struct {
	Code   string
	Button *widget.Button
	Icon   *canvas.Image
	Label  *widget.Label
	// iconBox lays Icon out; given a source, at the pixels it is drawn at.
	iconBox *pixelLayout
	frame   *canvas.Rectangle
	root    fyne.CanvasObject
}

// newChoiceButton makes a target; vertical puts the icon above the word
// (rating faces in a row), otherwise beside it (lists of options).
func newChoiceButton(code, text string, icon fyne.Resource, iconSide float32, vertical bool, tapped func()) *choiceButton {
	c := &choiceButton{Code: code}
	c.Button = widget.NewButton("", tapped)
	c.Label = widget.NewLabel(text)
	c.Label.TextStyle.Bold = true
	c.Label.Wrapping = fyne.TextWrapWord
	c.Label.SizeName = theme.SizeNameSubHeadingText
	c.frame = canvas.NewRectangle(color.Transparent)
	c.frame.StrokeWidth = 6
	c.frame.CornerRadius = 8
	var content, iconBox fyne.CanvasObject
	if icon != nil {
		c.Icon = canvas.NewImageFromResource(icon)
		c.Icon.FillMode = canvas.ImageFillContain
		c.Icon.SetMinSize(fyne.NewSquareSize(iconSide))
		c.iconBox = &pixelLayout{}
		iconBox = container.New(c.iconBox, c.Icon)
	}
	switch {
	case c.Icon != nil && vertical:
		c.Label.Alignment = fyne.TextAlignCenter
		// The face takes the height its word leaves; words of one line
		// or two sit at the same height, so faces line up in a row.
		content = container.New(faceLayout{}, iconBox, c.Label)
	case c.Icon != nil:
		content = container.NewBorder(nil, nil, iconBox, nil, container.NewVBox(layout.NewSpacer(), c.Label, layout.NewSpacer()))
	default:
		content = container.NewVBox(layout.NewSpacer(), c.Label, layout.NewSpacer())
	}
	c.root = container.NewStack(c.Button, c.frame, container.NewPadded(content))
	return c
}

// SetSelected shows or hides the chosen frame.
func (c *choiceButton) SetSelected(on bool) {
	if on {
		c.frame.FillColor = color.NRGBA{R: 0x0b, G: 0x4f, B: 0xa3, A: 0x30}
		c.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
	} else {
		c.frame.FillColor = color.Transparent
		c.frame.StrokeColor = color.Transparent
	}
	c.frame.Refresh()
}

// Selected reports whether the frame is shown.
func (c *choiceButton) Selected() bool { return c.frame.StrokeColor != color.Transparent }

// faceLayout puts a face above its word: the word at the bottom, two
// lines high whatever it needs, the face as large as the rest allows.
type faceLayout struct{}

func (faceLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	icon, word := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(max(icon.Width, word.Width), icon.Height+word.Height)
}

func (faceLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	word := objs[1]
	lines := theme.Size(theme.SizeNameSubHeadingText)*2.6 + 2*theme.InnerPadding()
	h := min(max(word.MinSize().Height, lines), size.Height/2)
	word.Move(fyne.NewPos(0, size.Height-h))
	word.Resize(fyne.NewSize(size.Width, h))
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height-h))
}
