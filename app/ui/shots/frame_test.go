package shots_test

import (
	"errors"
	"image"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// frameSignal adds a fresh 1×1 transparent raster to w's overlays and
// returns a channel closed when the painter generates it: during the
// first frame drawn after the call, which also draws whatever content was
// set before it. Fyne has no frame-drawn callback; a raster's generator
// runs at paint time. An overlay, unlike wrapping the content, leaves the
// content as the program set it. Call it on the UI goroutine; the returned
// function takes the raster off again.
func frameSignal(w fyne.Window) (<-chan struct{}, func()) {
	done := make(chan struct{})
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { close(done) })
		return image.NewNRGBA(image.Rect(0, 0, w, h))
	})
	r.SetMinSize(fyne.NewSquareSize(1))
	r.Resize(fyne.NewSquareSize(1))
	o := container.NewWithoutLayout(r)
	w.Canvas().Overlays().Add(o)
	return done, func() { w.Canvas().Overlays().Remove(o) }
}

// waitDrawn returns the X screen as it is once w has drawn a frame after
// every change made to it so far, and the screen has settled (waitStable):
// a screen shown on the way, drawn and stable for a moment, is not taken
// for the one the test asked for.
func waitDrawn(w fyne.Window, prev image.Image, timeout time.Duration) (image.Image, error) {
	var drawn <-chan struct{}
	var remove func()
	fyne.DoAndWait(func() { drawn, remove = frameSignal(w) })
	defer fyne.DoAndWait(func() { remove() })
	select {
	case <-drawn:
	case <-time.After(timeout):
		return nil, errors.New("the window drew no frame in time")
	}
	return waitStable(prev, timeout)
}

// colours counts distinct colours in img (sampled), stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// blinkPixels is more sampled pixels (shot.Differ) than a blinking text
// cursor changes, and fewer than any change of screen or answer does.
const blinkPixels = 50

// waitStable grabs the screen until it differs from prev (the previous
// screen, nil for none), shows more than two colours, and two grabs in a
// row are alike. Unlike shot.WaitPainted it grabs without pausing and fails
// rather than settle for an unchanged frame.
func waitStable(prev image.Image, timeout time.Duration) (image.Image, error) {
	deadline := time.Now().Add(timeout)
	var last image.Image
	for time.Now().Before(deadline) {
		img, err := shot.Grab()
		if err != nil {
			return nil, err
		}
		// Changed from prev by more than a text cursor's blink: the
		// old screen with its cursor on or off is not the new screen.
		if last != nil && colours(img, 3) >= 3 && shot.Same(img, last) && (prev == nil || shot.Differ(img, prev) > blinkPixels) {
			return img, nil
		}
		last = img
	}
	return nil, errors.New("the screen did not change and settle in time")
}

// goHome calls k.Home and returns once a new welcome screen is on show.
// Home may first save the abandoned survey and then read the welcome
// screen's data, each step queued on the UI goroutine after the one
// before, so no fixed number of round trips is enough.
func goHome(t *testing.T, k *ui.Kiosk) {
	t.Helper()
	var old *ui.Welcome
	fyne.DoAndWait(func() { old = k.Welcome; k.Home() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		var now *ui.Welcome
		fyne.DoAndWait(func() { now = k.Welcome })
		if now != nil && now != old {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no new welcome screen after Home")
		}
		time.Sleep(time.Millisecond)
	}
}
