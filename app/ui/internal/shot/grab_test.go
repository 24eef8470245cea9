package shot

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// xwd builds a dump of a 2×1 picture: red then blue, 32 bits per pixel,
// masks of Xvfb's default visual, pixels in the given byte order (0 =
// least significant byte first).
func xwd(order uint32, bpp uint32) []byte {
	const hdr = 100 + 4 // the header and a 4-byte window name
	h := make([]uint32, 25)
	h[0], h[4], h[5], h[7], h[11], h[12], h[19] = hdr, 2, 1, order, bpp, 8, 1
	h[14], h[15], h[16] = 0xff0000, 0x00ff00, 0x0000ff
	d := make([]byte, hdr+12+8)
	for i, v := range h {
		binary.BigEndian.PutUint32(d[i*4:], v)
	}
	px := d[hdr+12:]
	put := binary.LittleEndian.PutUint32
	if order != 0 {
		put = binary.BigEndian.PutUint32
	}
	put(px, 0xff0000)
	put(px[4:], 0x0000ff)
	return d
}

func TestDecodeXWD(t *testing.T) {
	red, blue := color.NRGBA{R: 0xff, A: 0xff}, color.NRGBA{B: 0xff, A: 0xff}
	for _, order := range []uint32{0, 1} {
		img, err := DecodeXWD(xwd(order, 32))
		if err != nil {
			t.Fatalf("order %d: %v", order, err)
		}
		if img.Bounds() != image.Rect(0, 0, 2, 1) || img.At(0, 0) != red || img.At(1, 0) != blue {
			t.Errorf("order %d: %v %v %v", order, img.Bounds(), img.At(0, 0), img.At(1, 0))
		}
	}
	for name, d := range map[string][]byte{
		"short header": make([]byte, 50),
		"24 bpp":       xwd(0, 24),
		"short pixels": xwd(0, 32)[:110],
	} {
		if _, err := DecodeXWD(d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestBlankSame(t *testing.T) {
	a := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	b := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	if !Blank(a) || !Same(a, b) {
		t.Fatal("two empty pictures: not blank or not the same")
	}
	b.SetNRGBA(14, 14, color.NRGBA{G: 0xff, A: 0xff})
	if Blank(b) || Same(a, b) {
		t.Error("a green pixel on the sample grid went unseen")
	}
	if Same(a, image.NewNRGBA(image.Rect(0, 0, 10, 20))) {
		t.Error("pictures of different sizes are the same")
	}
}
