package shots_test

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
)

// waitPainted waits until the window shows a drawn frame that differs from
// prev and no longer changes: three captures in a row alike. The OpenGL
// driver gives no frame-drawn signal, so it polls; it gives up after
// timeout and returns the last capture.
func waitPainted(w fyne.Window, prev image.Image, timeout time.Duration) image.Image {
	deadline := time.Now().Add(timeout)
	var last image.Image
	same := 0
	for time.Now().Before(deadline) {
		var img image.Image
		fyne.DoAndWait(func() { img = w.Canvas().Capture() })
		if img != nil && colours(img, 3) >= 3 && (prev == nil || !equal(img, prev)) {
			if last != nil && equal(img, last) {
				same++
				if same >= 2 {
					return img
				}
			} else {
				same = 0
			}
			last = img
		}
		time.Sleep(40 * time.Millisecond)
	}
	return last
}

// colours counts distinct colours in img, stopping at limit.
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

func equal(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
