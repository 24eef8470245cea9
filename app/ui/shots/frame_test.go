package shots_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// Why not Canvas().Capture(): under Xvfb with Mesa's software GL, Fyne
// v2.7.1's capture reads the GL front buffer and gets all zeros, although
// the X server shows the window. So screenshots come from the X server
// itself: xwd dumps the root window (the kiosk is full screen on a screen of
// the kiosk's size) and grabRoot decodes the XWD format.

// grabRoot returns the X root window as an image, through xwd (Debian
// package x11-apps).
func grabRoot() (image.Image, error) {
	f, err := os.CreateTemp("", "hailong-*.xwd")
	if err != nil {
		return nil, err
	}
	f.Close()
	defer os.Remove(f.Name())
	if out, err := exec.Command("xwd", "-root", "-silent", "-out", f.Name()).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("xwd (apt-get install x11-apps): %v: %s", err, out)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, err
	}
	return decodeXWD(data)
}

// decodeXWD decodes a 24/32-bit TrueColor XWD dump (what xwd writes for
// Xvfb's default visual).
func decodeXWD(d []byte) (image.Image, error) {
	if len(d) < 100 {
		return nil, errors.New("xwd: short header")
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(d[i*4:])
	}
	hdr, w, ht, order, bpp, bpl, ncolors := h[0], int(h[4]), int(h[5]), h[7], h[11], int(h[12]), h[19]
	rm, gm, bm := h[14], h[15], h[16]
	if bpp != 32 {
		return nil, fmt.Errorf("xwd: %d bits per pixel not supported", bpp)
	}
	off := int(hdr) + int(ncolors)*12
	if len(d) < off+bpl*ht {
		return nil, errors.New("xwd: short pixel data")
	}
	shift := func(m uint32) uint {
		s := uint(0)
		for m != 0 && m&1 == 0 {
			m >>= 1
			s++
		}
		return s
	}
	rs, gs, bs := shift(rm), shift(gm), shift(bm)
	img := image.NewNRGBA(image.Rect(0, 0, w, ht))
	for y := 0; y < ht; y++ {
		row := d[off+y*bpl:]
		for x := 0; x < w; x++ {
			var p uint32
			if order == 0 {
				p = binary.LittleEndian.Uint32(row[x*4:])
			} else {
				p = binary.BigEndian.Uint32(row[x*4:])
			}
			img.SetNRGBA(x, y, color.NRGBA{R: uint8((p & rm) >> rs), G: uint8((p & gm) >> gs), B: uint8((p & bm) >> bs), A: 0xff})
		}
	}
	return img, nil
}

// paintSignal wraps content with a 1×1 raster that the OpenGL painter
// generates while it draws a frame: the returned channel closes during the
// first frame that draws the window. Fyne has no frame-drawn callback; a
// raster's generator runs at paint time, which is what we want to time.
func paintSignal(content fyne.CanvasObject) (fyne.CanvasObject, <-chan struct{}) {
	done := make(chan struct{})
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { close(done) })
		return image.NewNRGBA(image.Rect(0, 0, w, h))
	})
	r.SetMinSize(fyne.NewSquareSize(1))
	r.Resize(fyne.NewSquareSize(1))
	return container.NewStack(content, container.NewWithoutLayout(r)), done
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

// equal compares two images on a sample grid.
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

// waitStable grabs the screen until it differs from prev (the previous
// screen, nil for none), shows more than two colours, and two grabs in a
// row are alike.
func waitStable(prev image.Image, timeout time.Duration) (image.Image, error) {
	deadline := time.Now().Add(timeout)
	var last image.Image
	for time.Now().Before(deadline) {
		img, err := grabRoot()
		if err != nil {
			return nil, err
		}
		if last != nil && colours(img, 3) >= 3 && equal(img, last) && (prev == nil || !equal(img, prev)) {
			return img, nil
		}
		last = img
	}
	return nil, errors.New("the screen did not change and settle in time")
}
