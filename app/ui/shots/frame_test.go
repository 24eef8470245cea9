package shots_test

import (
	"errors"
	"image"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// paintSignal adds to w's canvas an overlay with a 1×1 transparent raster
// that the OpenGL painter generates while it draws a frame: the returned
// channel closes during the first frame that draws the window. Fyne has no
// frame-drawn callback; a raster's generator runs at paint time, which is
// what we want to time. An overlay, unlike wrapping the content, leaves
// the content as the program set it: setting it again on a window already
// shown would lay it all out again, work the program itself does not do.
func paintSignal(w fyne.Window) <-chan struct{} {
	done := make(chan struct{})
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { close(done) })
		return image.NewNRGBA(image.Rect(0, 0, w, h))
	})
	r.SetMinSize(fyne.NewSquareSize(1))
	r.Resize(fyne.NewSquareSize(1))
	w.Canvas().Overlays().Add(container.NewWithoutLayout(r))
	return done
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
