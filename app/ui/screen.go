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
		screen = screenSize(w)
	}
	size := want
	if !screen.IsZero() {
		size = size.Min(screen.Subtract(WindowFrame))
	}
	w.Resize(size)
	return size
}

// screenSize is the size of the screen w opens on, in Fyne units, as far
// as the window system tells (the work area: close enough to choose the
// theme's scale); zero when unknown.
func screenSize(w fyne.Window) fyne.Size {
	px, ok := workArea(w)
	if !ok {
		return fyne.Size{}
	}
	sc := w.Canvas().Scale()
	if sc <= 0 {
		sc = 1
	}
	return fyne.NewSize(px.Width/sc, px.Height/sc)
}

// canvasSize is the size of w's canvas, or for a full-screen window the
// size of the screen, which its canvas takes once the window system has
// made the window full screen (until then the canvas may still have the
// size of its content).
func canvasSize(w fyne.Window) fyne.Size {
	if w.FullScreen() {
		if px, ok := monitorSize(w); ok {
			sc := w.Canvas().Scale()
			if sc <= 0 {
				sc = 1
			}
			return fyne.NewSize(px.Width/sc, px.Height/sc)
		}
	}
	return w.Canvas().Size()
}
