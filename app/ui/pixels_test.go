package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/test"
	qrcode "github.com/skip2/go-qrcode"
	xdraw "golang.org/x/image/draw"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// paintBox paints obj alone in a box of size through Fyne's software
// painter, which prepares an image's pixels with the same function as the
// OpenGL painter (internal/painter.PaintImage) before drawing them.
func paintBox(t *testing.T, obj fyne.CanvasObject, size fyne.Size) *image.NRGBA {
	t.Helper()
	c := software.NewCanvas()
	c.SetPadded(false)
	c.SetContent(container.NewWithoutLayout(obj))
	c.Resize(size)
	shot := c.Capture()
	out := image.NewNRGBA(shot.Bounds())
	draw.Draw(out, out.Rect, shot, shot.Bounds().Min, draw.Src)
	return out
}

// paintImage paints img with ImageFillContain at pos and size in a box of
// box.
func paintImage(t *testing.T, img image.Image, mode canvas.ImageScale, pos fyne.Position, size, box fyne.Size) *image.NRGBA {
	t.Helper()
	ci := canvas.NewImageFromImage(img)
	ci.FillMode = canvas.ImageFillContain
	ci.ScaleMode = mode
	ci.Move(pos)
	ci.Resize(size)
	return paintBox(t, ci, box)
}

func testIcons(t *testing.T) *iconSet {
	t.Helper()
	test.NewTempApp(t)
	icons, err := loadIcons()
	if err != nil {
		t.Fatal(err)
	}
	return icons
}

// TestScaledImagesPaintSame: drawn smaller than its source, a picture
// scaled once by scaledImages paints the same pixels as the source left
// to Fyne's painter to scale: the logo and an answer face, at the sizes
// the kiosk draws them and at a size that rounds.
func TestScaledImagesPaintSame(t *testing.T) {
	icons := testIcons(t)
	face := icons.faceImage(survey.CodeVerySatisfied)
	if face == nil {
		t.Fatal("no face drawn for the most satisfied answer")
	}
	for _, c := range []struct {
		name string
		src  *scaledImages
		side float32
	}{
		{"logo 91", icons.appImage, 91},
		{"logo 96", icons.appImage, 96},
		{"logo 76.6", icons.appImage, 76.6}, // 77 pixels, as the painter rounds
		{"face 105", face, 105},
		{"face 199", face, 199},
	} {
		t.Run(c.name, func(t *testing.T) {
			size := fyne.NewSquareSize(c.side)
			px := texturePixels(size, 1)
			scaled := c.src.at(px)
			if got := scaled.Bounds().Size(); got != px {
				t.Fatalf("scaled to %v, want %v", got, px)
			}
			if again := c.src.at(px); again != scaled {
				t.Fatal("scaled again, not kept")
			}
			origin := fyne.NewPos(0, 0)
			got := paintImage(t, scaled, canvas.ImageScaleSmooth, origin, size, size)
			want := paintImage(t, c.src.src, canvas.ImageScaleSmooth, origin, size, size)
			if n, _ := differentPixels(got, want); n > 0 {
				t.Errorf("%d pixels differ from the painter's own scaling", n)
			}
		})
	}
}

// TestScaledImagesSource: at returns the source itself wherever the
// painter would not make a smaller picture of it.
func TestScaledImagesSource(t *testing.T) {
	icons := testIcons(t)
	src := icons.appImage
	for _, px := range []image.Point{
		{0, 0}, {-3, 40}, {512, 512}, {600, 520}, {512, 300}, {300, 512},
	} {
		if got := src.at(px); got != src.src {
			t.Errorf("at(%v) = a %v copy, want the source", px, got.Bounds().Size())
		}
	}
	for i := range maxSizes + 3 { // the copies kept stay bounded
		src.at(image.Pt(40+i, 40+i))
	}
	if n := len(src.sizes); n > maxSizes {
		t.Errorf("%d sizes kept, want at most %d", n, maxSizes)
	}
}

func TestContainRect(t *testing.T) {
	for _, c := range []struct {
		aspect   float32
		box      fyne.Size
		pos      fyne.Position
		fit      fyne.Size
		describe string
	}{
		{1, fyne.NewSize(91, 145), fyne.NewPos(0, 27), fyne.NewSquareSize(91), "tall box"},
		{1, fyne.NewSize(391, 307), fyne.NewPos(42, 0), fyne.NewSquareSize(307), "wide box"},
		{2, fyne.NewSize(100, 100), fyne.NewPos(0, 25), fyne.NewSize(100, 50), "wide picture"},
		{1, fyne.NewSquareSize(50), fyne.NewPos(0, 0), fyne.NewSquareSize(50), "same aspect"},
		{1, fyne.NewSize(0, 40), fyne.NewPos(0, 0), fyne.NewSize(0, 40), "no width"},
	} {
		pos, fit := containRect(c.aspect, c.box)
		if pos != c.pos || fit != c.fit {
			t.Errorf("%s: containRect(%v, %v) = %v %v, want %v %v", c.describe, c.aspect, c.box, pos, fit, c.pos, c.fit)
		}
	}
}

// TestFitPixels: in a box of another aspect the image takes the centred
// rectangle its picture fills, scaled to its pixels when smaller than the
// source, the source itself at ImageScaleFastest when not; the picture
// follows the box as it changes, and the whole box paints as the painter
// paints the source in it, within resampling differences.
func TestFitPixels(t *testing.T) {
	icons := testIcons(t)
	face := icons.faceImage(survey.CodeVerySatisfied)
	img := canvas.NewImageFromImage(face.src)
	img.FillMode = canvas.ImageFillContain
	box := container.New(&pixelLayout{src: face, scale: func() float32 { return 1 }}, img)

	box.Resize(fyne.NewSize(160, 120)) // the picture is 120 pixels: a copy
	if img.Position() != fyne.NewPos(20, 0) || img.Size() != fyne.NewSquareSize(120) {
		t.Errorf("laid out at %v %v, want (20, 0) 120×120", img.Position(), img.Size())
	}
	if got := img.Image.Bounds().Size(); got != image.Pt(120, 120) || img.ScaleMode != canvas.ImageScaleSmooth {
		t.Errorf("picture %v at scale mode %v, want 120×120 smooth", got, img.ScaleMode)
	}
	// The same box's pixels with the source left to the painter: the
	// painter scales it to the box's size, then fits that into the box.
	got := paintBox(t, box, box.Size())
	want := paintImage(t, face.src, canvas.ImageScaleSmooth, fyne.NewPos(0, 0), box.Size(), box.Size())
	if n, worst := differentPixels(got, want); worst > 12 { // 7 of 255 with Fyne v2.7.1
		t.Errorf("%d pixels differ from the painter's, by up to %d of 255", n, worst)
	}

	box.Resize(fyne.NewSize(391, 307)) // larger than the 200-pixel source
	if img.Image != face.src || img.ScaleMode != canvas.ImageScaleFastest {
		t.Errorf("picture %v at scale mode %v, want the source at fastest", img.Image.Bounds().Size(), img.ScaleMode)
	}
	if img.Position() != fyne.NewPos(42, 0) || img.Size() != fyne.NewSquareSize(307) {
		t.Errorf("laid out at %v %v, want (42, 0) 307×307", img.Position(), img.Size())
	}

	box.Resize(fyne.NewSize(80, 100)) // smaller again
	if got := img.Image.Bounds().Size(); got != image.Pt(80, 80) || img.ScaleMode != canvas.ImageScaleSmooth {
		t.Errorf("picture %v at scale mode %v, want 80×80 smooth", got, img.ScaleMode)
	}
}

// TestFitPixelsScale: the picture has the pixels of the canvas's scale,
// and an image of another fill mode only takes its box.
func TestFitPixelsScale(t *testing.T) {
	icons := testIcons(t)
	img := canvas.NewImageFromImage(icons.appImage.src)
	img.FillMode = canvas.ImageFillContain
	fitPixels(img, icons.appImage, fyne.NewPos(5, 5), fyne.NewSize(96, 150), 1.5)
	if got := img.Image.Bounds().Size(); got != image.Pt(144, 144) {
		t.Errorf("picture %v at scale 1.5 of 96 units, want 144×144", got)
	}
	if img.Position() != fyne.NewPos(5, 32) {
		t.Errorf("at %v, want (5, 32)", img.Position())
	}

	stretch := canvas.NewImageFromImage(icons.appImage.src)
	stretch.FillMode = canvas.ImageFillStretch
	fitPixels(stretch, icons.appImage, fyne.NewPos(1, 2), fyne.NewSize(96, 150), 1)
	if stretch.Image != icons.appImage.src || stretch.Size() != fyne.NewSize(96, 150) || stretch.Position() != fyne.NewPos(1, 2) {
		t.Errorf("stretched image changed: %v at %v %v", stretch.Image.Bounds().Size(), stretch.Position(), stretch.Size())
	}
}

// differentPixels counts the pixels in which a and b differ and returns
// the largest difference of one channel.
func differentPixels(a, b *image.NRGBA) (n int, worst int) {
	if a.Rect != b.Rect {
		return a.Rect.Dx() * a.Rect.Dy(), 255
	}
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			p, q := a.NRGBAAt(x, y), b.NRGBAAt(x, y)
			if p == q {
				continue
			}
			n++
			for _, d := range []int{int(p.R) - int(q.R), int(p.G) - int(q.G), int(p.B) - int(q.B), int(p.A) - int(q.A)} {
				worst = max(worst, d, -d)
			}
		}
	}
	return n, worst
}

// checkAtPixels fails unless the painter will take img as it is, with
// the aspect of its source src: a picture of exactly the pixels img is
// drawn at, or one no larger that the GPU scales up (ImageScaleFastest).
func checkAtPixels(t *testing.T, what string, img *canvas.Image, src *scaledImages, scale float32) {
	t.Helper()
	px, got, b := texturePixels(img.Size(), scale), img.Image.Bounds().Size(), src.src.Bounds().Size()
	if d := got.X*b.Y - got.Y*b.X; max(d, -d) > max(b.X, b.Y) { // a pixel's rounding
		t.Errorf("%s: a %v picture of a %v source: drawn out of shape", what, got, b)
	}
	switch {
	case px.X == 0 || px.Y == 0:
		t.Errorf("%s: not laid out", what)
	case got == px:
	case img.ScaleMode == canvas.ImageScaleFastest && got.X <= px.X && got.Y <= px.Y:
	default:
		t.Errorf("%s: a %v picture drawn at %v pixels, scale mode %v: the painter scales it again", what, got, px, img.ScaleMode)
	}
}

// TestScreensDrawPicturesAtTheirPixels: the logo on the welcome screen,
// the faces of a question and the thank-you face come at the pixels they
// are drawn at, so the painter scales none of them in software.
func TestScreensDrawPicturesAtTheirPixels(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	scale := r.k.pixelScale()
	checkAtPixels(t, "logo", r.k.Welcome.Logo.img, r.k.icons.appImage, scale)
	q := r.start()
	if len(q.Choices) == 0 {
		t.Fatal("the first question has no faces")
	}
	for _, c := range q.Choices {
		checkAtPixels(t, "face "+c.Code, c.Icon, r.k.icons.faceImage(c.Code), scale)
	}
	r.k.Window().Resize(fyne.NewSize(800, 600)) // the faces follow a smaller window
	for _, c := range q.Choices {
		checkAtPixels(t, "face "+c.Code+" at 800×600", c.Icon, r.k.icons.faceImage(c.Code), scale)
	}
	r.k.Window().Resize(fyne.NewSize(1280, 800))
	for r.k.Question != nil {
		q := r.k.Question
		if len(q.Choices) > 0 {
			r.choice(q.Choices[len(q.Choices)-1].Code)
		}
		test.Tap(q.Next)
	}
	if r.k.Thanks == nil {
		t.Fatal("no thank-you screen")
	}
	src := r.k.icons.faceImage(survey.CodeVerySatisfied)
	var face *canvas.Image
	for _, o := range test.LaidOutObjects(r.k.Thanks.root) {
		if img, ok := o.(*canvas.Image); ok && img.Image != nil && (img.Image == src.src || img.Image == src.at(img.Image.Bounds().Size())) {
			face = img
		}
	}
	if face == nil {
		t.Fatal("no thank-you face from the drawn faces")
	}
	checkAtPixels(t, "thank-you face", face, src, scale)
}

// TestTextureImage: textureImage gives the bytes the OpenGL painter
// uploads for an image (imgToTexture draws any image but *image.RGBA over
// a transparent *image.RGBA): for a QR code's palette image, the logo as
// scaled, and a palette with a translucent colour.
func TestTextureImage(t *testing.T) {
	q, err := qrcode.New("https://dichvucong.hanoi.gov.vn/", qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	translucent := image.NewPaletted(image.Rect(3, 5, 40, 30), color.Palette{
		color.NRGBA{R: 200, G: 10, B: 90, A: 130}, color.White, color.Transparent,
	})
	for i := range translucent.Pix {
		translucent.Pix[i] = uint8(i % 3)
	}
	scaled := image.NewNRGBA(image.Rect(0, 0, 77, 77))
	logo := testIcons(t).appImage.src
	xdraw.CatmullRom.Scale(scaled, scaled.Bounds(), logo, logo.Bounds(), xdraw.Over, nil)
	for name, img := range map[string]image.Image{
		"qr":          q.Image(-8),
		"translucent": translucent,
		"logo 77":     scaled,
	} {
		t.Run(name, func(t *testing.T) {
			b := img.Bounds()
			want := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
			draw.Draw(want, want.Rect, img, b.Min, draw.Over)
			got := textureImage(img)
			if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
				t.Errorf("texture of %v differs from the painter's", b)
			}
		})
	}
}
