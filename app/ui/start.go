package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Prepared is start-up work begun by Prepare for New to finish.
type Prepared struct {
	app   fyne.App
	fonts sync.WaitGroup
}

// warmText is measured in each text style to make Fyne parse its font
// faces. Every rune is in the theme's own font, so measuring it never adds
// a fallback face to Fyne's shared cache entry (which would be a write).
const warmText = "Hài Lòng"

// warmStyles are the text styles of the welcome screen: labels, and the
// bold of titles and button captions.
var warmStyles = [...]fyne.TextStyle{{}, {Bold: true}}

// Prepare starts the kiosk on app before New: it sets the kiosk theme and,
// each on its own goroutine, has Fyne parse the font faces the welcome
// screen is drawn with (about 0.1 s of CPU per style, the bold face one a
// hello-world window never needs), so that this overlaps with opening the
// store and Fyne's window. Call it on the main goroutine right after
// creating app, and pass the result in Deps.Prepared.
//
// The warm-up only reads shared state (the theme) and fills Fyne's font
// caches, whose maps are safe for concurrent use; the entries themselves
// are not, so until New has waited for the warm-up nothing else may lay
// out or draw text, nor change the theme.
func Prepare(app fyne.App) *Prepared {
	app.Settings().SetTheme(Theme()) // before the goroutines start: they read it
	p := &Prepared{app: app}
	size := Theme().Size(theme.SizeNameText)
	for _, style := range warmStyles {
		p.fonts.Add(1)
		go func() {
			defer p.fonts.Done()
			fyne.MeasureText(warmText, size, style)
		}()
	}
	return p
}

// Wait blocks until the font warm-up is done. New waits itself; call it
// before laying out text on app without New (a start-up error window).
func (p *Prepared) Wait() { p.fonts.Wait() }
