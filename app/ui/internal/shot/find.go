package shot

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Find returns the first visible object in the tree under o for which
// match is true, walking containers and widget renderers. Call it on the
// UI goroutine.
func Find(o fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if o == nil || !o.Visible() {
		return nil
	}
	if match(o) {
		return o
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		if f := Find(k, match); f != nil {
			return f
		}
	}
	return nil
}
