package ui

import (
	"bytes"
	"image"
	"testing"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

// TestFacesSamePicture: the answer icons drawn into RGBA (renderFaces)
// are the picture oksvg draws into NRGBA, the generic destination, up to
// rounding: every pixel within 2/255 once premultiplied.
func TestFacesSamePicture(t *testing.T) {
	s, err := loadIcons()
	if err != nil {
		t.Fatal(err)
	}
	faces := s.renderFaces()
	if len(faces) != len(s.answer) {
		t.Fatalf("%d faces drawn for %d icons", len(faces), len(s.answer))
	}
	for code, res := range s.answer {
		want, err := drawNRGBA(res.Content())
		if err != nil {
			t.Fatal(err)
		}
		got := faces[code].src
		if _, ok := got.(*image.RGBA); !ok {
			t.Errorf("%s: drawn into %T, want *image.RGBA", code, got)
		}
		if got.Bounds() != want.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", code, got.Bounds(), want.Bounds())
		}
		opaque, off := 0, 0
		for y := range facePixels {
			for x := range facePixels {
				gr, gg, gb, ga := got.At(x, y).RGBA()
				wr, wg, wb, wa := want.At(x, y).RGBA()
				if wa == 0xffff {
					opaque++
				}
				for _, d := range [][2]uint32{{gr, wr}, {gg, wg}, {gb, wb}, {ga, wa}} {
					if max(d[0], d[1])-min(d[0], d[1]) > 2*0x101 {
						off++
						break
					}
				}
			}
		}
		if opaque == 0 {
			t.Errorf("%s: reference picture is empty", code)
		}
		if off > 0 {
			t.Errorf("%s: %d pixels differ by more than 2/255", code, off)
		}
	}
}

// drawNRGBA draws an SVG icon into a facePixels NRGBA image: the generic
// destination, the reference for renderFaces.
func drawNRGBA(svg []byte) (*image.NRGBA, error) {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg))
	if err != nil {
		return nil, err
	}
	icon.SetTarget(0, 0, facePixels, facePixels)
	img := image.NewNRGBA(image.Rect(0, 0, facePixels, facePixels))
	icon.Draw(rasterx.NewDasher(facePixels, facePixels, rasterx.NewScannerGV(facePixels, facePixels, img, img.Bounds())), 1)
	return img, nil
}

// BenchmarkRenderFaces draws every answer icon at facePixels: "rgba" as
// the kiosk does (renderFaces), "nrgba" the reference (drawNRGBA).
func BenchmarkRenderFaces(b *testing.B) {
	s, err := loadIcons()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rgba", func(b *testing.B) {
		for b.Loop() {
			s.renderFaces()
		}
	})
	b.Run("nrgba", func(b *testing.B) {
		for b.Loop() {
			for _, res := range s.answer {
				if _, err := drawNRGBA(res.Content()); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
