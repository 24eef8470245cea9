package shot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os/exec"
	"testing"
	"time"
)

// Grab dumps the X root window with xwd and decodes it.
func Grab() (image.Image, error) {
	out, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil {
		return nil, fmt.Errorf("xwd (apt-get install x11-apps): %w", err)
	}
	return DecodeXWD(out)
}

// DecodeXWD decodes the TrueColor XWD dump that xwd writes for Xvfb's
// default visual (X11 XWDFileHeader: 25 big-endian 32-bit fields, the
// window name, a colour map, then the pixels): 32 bits per pixel, or 24
// packed, which xwd writes now and then while an OpenGL window is mapped.
func DecodeXWD(d []byte) (image.Image, error) {
	if len(d) < 100 {
		return nil, errors.New("xwd: short header")
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(d[i*4:])
	}
	hdrSize, width, height, byteOrder := h[0], int(h[4]), int(h[5]), h[7]
	bpp, bpl, ncolors := h[11], int(h[12]), h[19]
	masks := [3]uint32{h[14], h[15], h[16]}
	if bpp != 32 && bpp != 24 {
		return nil, fmt.Errorf("xwd: %d bits per pixel not supported", bpp)
	}
	step := int(bpp / 8)
	off := int(hdrSize) + int(ncolors)*12
	if bpl < width*step || len(d) < off+bpl*height {
		return nil, errors.New("xwd: short pixel data")
	}
	var shifts [3]uint
	for i, m := range masks {
		for m != 0 && m&1 == 0 {
			m >>= 1
			shifts[i]++
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		row := d[off+y*bpl:]
		for x := range width {
			var p uint32
			for i, b := range row[x*step : x*step+step] {
				if byteOrder == 0 { // least significant byte first
					p |= uint32(b) << (8 * i)
				} else {
					p = p<<8 | uint32(b)
				}
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8((p & masks[0]) >> shifts[0]),
				G: uint8((p & masks[1]) >> shifts[1]),
				B: uint8((p & masks[2]) >> shifts[2]),
				A: 0xff,
			})
		}
	}
	return img, nil
}

// Blank reports whether img is one colour (sampled on a 7-pixel grid).
func Blank(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}

// Same reports whether a and b are alike (sampled on a 2-pixel grid).
// Differ counts the pixels, of every other one in each direction, that
// differ between a and b (all of them when their bounds differ).
func Differ(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	r, n := a.Bounds(), 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

func Same(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// WaitPainted grabs the X screen until it is not blank, differs from prev
// (the previous screenshot; nil for none) and `alike` grabs in a row after
// the first are the same as the one before: a finished frame (1 is enough
// for most screens; a long table takes a few frames to lay out). After
// timeout it returns the last stable grab, or nil.
func WaitPainted(t testing.TB, prev image.Image, timeout time.Duration, alike int) image.Image {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last, stable image.Image
	runs := 0
	for time.Now().Before(deadline) {
		img, err := Grab()
		if err != nil {
			t.Fatal(err)
		}
		if !Blank(img) {
			if last != nil && Same(img, last) {
				runs++
			} else {
				runs = 0
			}
			if runs >= alike {
				stable = img
				if prev == nil || !Same(img, prev) {
					return img
				}
			}
			last = img
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("WaitPainted: gave up; last grab blank=%v, stable=%v", last == nil || Blank(last), stable != nil)
	return stable
}
