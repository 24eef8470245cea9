package ui

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/hailong-kiosk/hailong/app/settings"
)

// renderedQR crops p's image from a capture of the window, round-trips it
// through PNG, checks that the drawn code is square and decodes it.
func renderedQR(t *testing.T, w fyne.Window, p *qrPanel) string {
	t.Helper()
	shot := w.Canvas().Capture()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p.Image)
	size := p.Image.Size()
	rect := image.Rect(int(pos.X), int(pos.Y), int(pos.X+size.Width), int(pos.Y+size.Height))
	if rect.Empty() || !rect.In(shot.Bounds()) {
		t.Fatalf("QR for %s drawn at %v, outside the %v window", p.URL, rect, shot.Bounds())
	}
	crop := image.NewNRGBA(image.Rect(0, 0, rect.Dx(), rect.Dy()))
	draw.Draw(crop, crop.Bounds(), shot, rect.Min, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, crop); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// The dark modules' bounding box: a stretched code would not be square.
	dark := image.Rectangle{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x4000 {
				dark = dark.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if dark.Dx() < 60 || abs(dark.Dx()-dark.Dy()) > 1 {
		t.Fatalf("QR for %s is drawn %dx%d: not square or too small", p.URL, dark.Dx(), dark.Dy())
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR for %s: %v", p.URL, err)
	}
	return res.GetText()
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestWelcomeQRCodesScan(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.cfg.Links = append(settings.DefaultLinks(), settings.Link{
		URL: "https://sovhtt.hanoi.gov.vn", Title: map[string]string{"vi": "Sở Văn hoá và Thể thao"},
	})
	for _, n := range []int{1, 3, 4} {
		r.cfg.Links = r.cfg.Links[:n]
		r.k.Home()
		w := r.k.Welcome
		if len(w.QRs) != n {
			t.Fatalf("%d QR codes for %d links", len(w.QRs), n)
		}
		for i, p := range w.QRs {
			if got := renderedQR(t, r.k.Window(), p); got != r.cfg.Links[i].URL {
				t.Fatalf("QR %d reads %q, want %q", i, got, r.cfg.Links[i].URL)
			}
		}
	}
}

func TestThankYouQRScans(t *testing.T) {
	r := newRig(t, "papi-nhanh", Options{})
	r.start()
	for r.k.Question != nil {
		r.choice(r.k.Question.Choices[0].Code)
		test.Tap(r.k.Question.Next)
	}
	if got := renderedQR(t, r.k.Window(), r.k.Thanks.QR); got != "https://dichvucong.hanoi.gov.vn" {
		t.Fatalf("thank-you QR reads %q", got)
	}
}
