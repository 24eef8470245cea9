package ui

import "fyne.io/fyne/v2"

// WindowFrame is what a window's title bar and borders take from the
// screen's work area, in Fyne units (generous: themes differ).
var WindowFrame = fyne.NewSize(16, 48)

// FitWindow resizes w, a window not full screen, to want, or less on a
// screen whose work area (the screen less task bars, as the window system
// reports it) is smaller: a window is never larger than the screen it opens
// on. screen, if not zero, is that work area; zero asks the window system
// (nothing is known on Fyne's test driver: want is used).
func FitWindow(w fyne.Window, want, screen fyne.Size) fyne.Size {
	if screen.IsZero() {
		if px, ok := workArea(w); ok {
			sc := w.Canvas().Scale()
			if sc <= 0 {
				sc = 1
			}
			screen = fyne.NewSize(float32(px.Width)/sc, float32(px.Height)/sc)
		}
	}
	size := want
	if !screen.IsZero() {
		size = size.Min(screen.Subtract(WindowFrame))
	}
	w.Resize(size)
	return size
}
