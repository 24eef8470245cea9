package osk

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Smallest key, in Fyne units: a target a fingertip hits without aiming.
const (
	minKeyWidth  = 64
	minKeyHeight = 64
)

// rowLayout lays out one row of keys across the full width: the width is
// split into span units, each key takes its own number of units, and a row
// of fewer units is centred (as the middle row of a QWERTY keyboard).
type rowLayout struct {
	units []float32 // width of each key, in units
	span  float32   // units across the widest row
}

func (r *rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	unit := size.Width / r.span
	total := float32(0)
	for i := range objs {
		total += r.width(i)
	}
	x := (size.Width - total*unit) / 2
	for i, o := range objs {
		w := r.width(i) * unit
		o.Move(fyne.NewPos(x+gap/2, 0))
		o.Resize(fyne.NewSize(w-gap, size.Height))
		x += w
	}
}

func (r *rowLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(r.span*(minKeyWidth+theme.Padding()), minKeyHeight)
}

func (r *rowLayout) width(i int) float32 {
	if i < len(r.units) {
		return r.units[i]
	}
	return 1
}
