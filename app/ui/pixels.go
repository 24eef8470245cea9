package ui

import (
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"golang.org/x/image/draw"
)

// scaledImages is one source image scaled to each pixel size it is drawn
// at, once per size. Fyne's OpenGL painter makes a texture for every new
// canvas.Image and scales the image in software whenever the texture's
// size is not the image's own, even to the image's own size when the box
// is larger (internal/painter.paintImage). For the 512-pixel logo at every
// welcome screen and the answer faces at every question that was 15% of
// the kiosk's CPU time in the tap benchmark (docs/BENCHMARKS.md). Given an
// image of exactly the texture's size, the painter takes it as it is.
// Safe for concurrent use.
type scaledImages struct {
	src   image.Image
	mu    sync.Mutex
	sizes map[image.Point]image.Image
}

// maxSizes bounds the sizes kept per image: a size changes only with the
// window's size and the theme's scale.
const maxSizes = 8

func newScaledImages(src image.Image) *scaledImages {
	return &scaledImages{src: src, sizes: map[image.Point]image.Image{}}
}

// at returns the source scaled down to px exactly as Fyne's painter scales
// an image for a texture of px (internal/painter.scaleImage, smooth:
// Catmull-Rom drawn over transparent NRGBA), so the picture on screen is
// the same pixels. A size not smaller than the source in both directions
// returns the source: the painter never scales up in software.
func (s *scaledImages) at(px image.Point) image.Image {
	b := s.src.Bounds()
	if px.X <= 0 || px.Y <= 0 || px.X >= b.Dx() || px.Y >= b.Dy() {
		return s.src
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if img, ok := s.sizes[px]; ok {
		return img
	}
	dst := image.NewNRGBA(image.Rectangle{Max: px})
	draw.CatmullRom.Scale(dst, dst.Bounds(), s.src, b, draw.Over, nil)
	if len(s.sizes) >= maxSizes {
		clear(s.sizes)
	}
	s.sizes[px] = dst
	return dst
}

// textureImage returns img as the OpenGL painter turns it into a texture
// (internal/painter/gl: imgToTexture): an *image.RGBA it uploads as it
// is, and any other image drawn over a transparent *image.RGBA first, on
// the UI goroutine at every new texture. Given the result, the painter
// uploads the same bytes without that pass. A palette image (a QR code) is
// converted by its palette, which gives those bytes too: drawn over
// transparent, a pixel is its colour premultiplied, as color.RGBAModel
// converts it.
func textureImage(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rectangle{Max: b.Size()})
	p, ok := img.(*image.Paletted)
	if !ok {
		draw.Draw(out, out.Rect, img, b.Min, draw.Over)
		return out
	}
	var lut [256][4]uint8
	for i, c := range p.Palette {
		rgba := color.RGBAModel.Convert(c).(color.RGBA)
		lut[i] = [4]uint8{rgba.R, rgba.G, rgba.B, rgba.A}
	}
	w := b.Dx()
	for y := range b.Dy() {
		row := p.Pix[p.PixOffset(b.Min.X, b.Min.Y+y):][:w]
		dst := out.Pix[y*out.Stride:][:4*w]
		for x, i := range row {
			c := &lut[i]
			d := dst[4*x : 4*x+4 : 4*x+4]
			d[0], d[1], d[2], d[3] = c[0], c[1], c[2], c[3]
		}
	}
	return out
}

// aspect is the source's width over its height.
func (s *scaledImages) aspect() float32 {
	b := s.src.Bounds()
	return float32(b.Dx()) / float32(b.Dy())
}

// texturePixels is the texture size Fyne's painter gives an object of
// size on a canvas of scale (internal/painter/gl: textureScale).
func texturePixels(size fyne.Size, scale float32) image.Point {
	px := func(v float32) int { return int(math.Round(float64(v * scale))) }
	return image.Pt(px(size.Width), px(size.Height))
}

// containRect is where canvas.ImageFillContain draws a picture of aspect
// (width over height) in a box of size: the largest rectangle of that
// aspect, centred.
func containRect(aspect float32, size fyne.Size) (fyne.Position, fyne.Size) {
	fit := size
	if size.Width <= 0 || size.Height <= 0 || aspect <= 0 {
		return fyne.NewPos(0, 0), fit
	}
	if size.Width/size.Height > aspect {
		fit.Width = size.Height * aspect
	} else {
		fit.Height = size.Width / aspect
	}
	return fyne.NewPos((size.Width-fit.Width)/2, (size.Height-fit.Height)/2), fit
}

// fitPixels lays img out in the box of size at pos, as ImageFillContain
// would draw it, with its picture from src at the pixels it is drawn at on
// a canvas of scale. The image takes the rectangle its picture fills, not
// the whole box: the painter's texture is the image's size, and only a
// texture of the picture's aspect can be the picture itself.
//
// Drawn smaller than src, img gets src scaled once to that size (at).
// Drawn at least as large, it gets src itself with ImageScaleFastest: the
// painter then skips its software pass (which at ImageScaleSmooth scales
// src to its own size again) and the GPU scales it up with the same linear
// filter as for ImageScaleSmooth. Without src, or for another fill mode,
// img only takes the box.
func fitPixels(img *canvas.Image, src *scaledImages, pos fyne.Position, size fyne.Size, scale float32) {
	if src == nil || img.FillMode != canvas.ImageFillContain {
		img.Move(pos)
		img.Resize(size)
		return
	}
	at, fit := containRect(src.aspect(), size)
	sized := src.at(texturePixels(fit, scale))
	mode := canvas.ImageScaleSmooth
	if sized == src.src {
		mode = canvas.ImageScaleFastest
	}
	changed := img.Image != sized || img.ScaleMode != mode
	img.Resource, img.Image, img.ScaleMode = nil, sized, mode
	img.Move(pos.Add(at))
	img.Resize(fit)
	if changed {
		img.Refresh() // a new picture at the same size is not redrawn by Resize
	}
}

// pixelLayout lays out one canvas.Image in its container's box with its
// picture at the pixels it is drawn at (fitPixels); without a source it
// lays the image over the whole box.
type pixelLayout struct {
	src   *scaledImages
	scale func() float32 // the canvas's scale
}

func (l *pixelLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (l *pixelLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	img := objs[0].(*canvas.Image)
	if l.src == nil {
		img.Move(fyne.NewPos(0, 0))
		img.Resize(size)
		return
	}
	fitPixels(img, l.src, fyne.NewPos(0, 0), size, l.scale())
}

// pixelImage returns img laid out at the pixels it is drawn at in the
// kiosk's window, from src (nil: img as it is).
func (k *Kiosk) pixelImage(img *canvas.Image, src *scaledImages) fyne.CanvasObject {
	return container.New(&pixelLayout{src: src, scale: k.pixelScale}, img)
}

// pixelScale is the scale of the kiosk window's canvas: pixels per Fyne
// unit. On a display whose frame buffer has more pixels than the window
// (macOS Retina; not X11 or Windows) the painter's textures are larger by
// that factor, and a picture scaled to this scale is drawn a little softer.
func (k *Kiosk) pixelScale() float32 { return k.win.Canvas().Scale() }
