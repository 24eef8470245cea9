package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

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
		o.Resize(fyne.NewSize(l.width, o.MinSize().Height))
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func fixedWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(fixedWidthLayout{width: width}, o)
}
