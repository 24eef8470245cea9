package shot

import (
	"encoding/binary"
	"image"
	"image/color"
	"testing"
)

// xwd builds a dump of a 2×1 picture: red then blue, bpp (32 or 24) bits
// per pixel, masks of Xvfb's default visual, pixels in the given byte
// order (0 = least significant byte first).
func xwd(order uint32, bpp uint32) []byte {
	const hdr = 100 + 4 // the header and a 4-byte window name
	step := int(bpp / 8)
	h := make([]uint32, 25)
	h[0], h[4], h[5], h[7], h[11], h[12], h[19] = hdr, 2, 1, order, bpp, uint32(2*step), 1
	h[14], h[15], h[16] = 0xff0000, 0x00ff00, 0x0000ff
	d := make([]byte, hdr+12+2*step)
	for i, v := range h {
		binary.BigEndian.PutUint32(d[i*4:], v)
	}
	px := d[hdr+12:]
	for i, p := range []uint32{0xff0000, 0x0000ff} {
		var b [4]byte
		if order == 0 {
			binary.LittleEndian.PutUint32(b[:], p)
			copy(px[i*step:], b[:step])
		} else {
			binary.BigEndian.PutUint32(b[:], p)
			copy(px[i*step:], b[4-step:])
		}
	}
	return d
}

func TestDecodeXWD(t *testing.T) {
	red, blue := color.NRGBA{R: 0xff, A: 0xff}, color.NRGBA{B: 0xff, A: 0xff}
	for _, bpp := range []uint32{32, 24} {
		for _, order := range []uint32{0, 1} {
			img, err := DecodeXWD(xwd(order, bpp))
			if err != nil {
				t.Fatalf("%d bpp, order %d: %v", bpp, order, err)
			}
			if img.Bounds() != image.Rect(0, 0, 2, 1) || img.At(0, 0) != red || img.At(1, 0) != blue {
				t.Errorf("%d bpp, order %d: %v %v %v", bpp, order, img.Bounds(), img.At(0, 0), img.At(1, 0))
			}
		}
	}
	for name, d := range map[string][]byte{
		"short header": make([]byte, 50),
		"16 bpp":       xwd(0, 16),
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
