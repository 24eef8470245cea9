package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Prepared is start-up work begun by Prepare for New to finish.
type Prepared struct {
	app  fyne.App
	win  fyne.Window
	opts Options // the window was sized and shown for these
	work sync.WaitGroup
	// Read after work: the icons, the kiosk's translations and the
	// built-in slides, and the first error loading them.
	icons  *iconSet
	tr     *i18n.Translator
	slides *survey.Slides
	err    error
}

// warmText is measured in each text style to make Fyne parse its font
// faces. Every rune is in the theme's own font, so measuring it never adds
// a fallback face to Fyne's shared cache entry (which would be a write).
const warmText = "Hài Lòng"

// Prepare starts the kiosk on app before New: it sets the kiosk theme,
// and on one other goroutine has Fyne parse the font faces the welcome
// screen is drawn with (the bold face among them, which a hello-world
// window never needs), loads the icons, the kiosk's translations and the
// built-in slides; then it makes the kiosk
// window, sized for opts (full screen, or fitted to the screen), and shows
// it. Call it on the main goroutine right after creating app, and pass the
// result in Deps.Prepared with the same Options; meanwhile open the store.
// New waits for the goroutine before it lays out the welcome screen.
//
// The window is shown at once, before it has content, because showing it
// is what makes the window system create it and its OpenGL context, the
// largest part of the start on the main goroutine; that now overlaps the
// font warm-up and the store. It shows the theme's background, the
// welcome screen's own, until Kiosk.Show paints the welcome screen. Sized
// before it is shown, the window has its final size when New lays the
// welcome screen out, so the first frame is laid out once, at its scale.
//
// One goroutine, not one per style: on a two-core machine the main
// goroutine and the window system's server need the other core.
//
// The warm-up only reads shared state (the theme) and fills Fyne's font
// caches, whose maps are safe for concurrent use; the entries themselves
// are not, so until New has waited for the warm-up nothing else may lay
// out or draw text, nor change the theme. Showing the empty window draws
// the background and no text.
func Prepare(app fyne.App, opts Options) *Prepared {
	th := newKioskTheme()
	app.Settings().SetTheme(th) // before the goroutine starts: it reads it
	p := &Prepared{app: app, opts: opts}
	size := Theme().Size(theme.SizeNameText)
	logo := make(chan image.Point, 1)
	p.work.Add(1)
	go func() {
		defer p.work.Done()
		// The welcome screen's styles: labels, and the bold of titles
		// and button captions.
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText(warmText, size, style)
		}
		p.icons, p.err = loadIcons()
		// The logo scaled to the pixels the first frame draws it at
		// (scaledImages keeps it), rather than in the welcome's layout.
		if px, ok := <-logo; ok && p.err == nil {
			p.icons.appImage.at(px)
		}
		if p.err == nil {
			p.tr, p.err = newTranslator()
		}
		if p.err == nil {
			p.slides, p.err = survey.BuiltinSlides()
		}
	}()
	p.win = app.NewWindow(windowTitle)
	sizeWindow(p.win, opts)
	// The canvas's scale is known once the window is made; until then it
	// is 1, as on the kiosks' screens (else the logo is scaled again).
	if s, ok := firstScale(p.win, th); ok {
		logo <- logoPixels(s, p.win.Canvas().Scale())
	}
	close(logo)
	p.win.Show()
	return p
}

// Wait blocks until the work on other goroutines is done. New waits
// itself; call it before laying out text on app without New (a start-up
// error window).
func (p *Prepared) Wait() { p.work.Wait() }

// Window is the kiosk window Prepare made and showed (a start-up error
// window takes its place when New is not called).
func (p *Prepared) Window() fyne.Window { return p.win }
