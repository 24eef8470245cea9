package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // icon.png
	"io/fs"
	"sync"

	"fyne.io/fyne/v2"
	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

// iconSet holds the SVG icons drawn beside answers, as Fyne static
// resources (Fyne renders SVG itself, so faces stay sharp at any size).
type iconSet struct {
	answer map[string]fyne.Resource // by answer code: rating faces, yes, no
	logo   fyne.Resource
	app    fyne.Resource // icon.png, the window icon
	// appImage is icon.png decoded, for the welcome screen's logo: a
	// canvas.Image made from the resource decodes the PNG again at every
	// refresh (three times before the first frame); scaled to the sizes
	// it is drawn at.
	appImage *scaledImages
	// faces are the answer icons drawn once into images (renderFaces).
	faces func() map[string]*scaledImages
}

// facePixels is the side, in pixels, the answer icons are drawn at once:
// a third more than their largest size on screen (150 points), so that
// they stay sharp when the GL painter scales them down.
const facePixels = 200

// faceImage returns the answer icon of code drawn into an image, or nil.
// A canvas.Image of an SVG resource draws the SVG again at every resize
// and refresh: it was half the CPU time of every question screen.
func (s *iconSet) faceImage(code string) *scaledImages { return s.faces()[code] }

// renderFaces draws every answer icon into an image of facePixels. The
// images are *image.RGBA, the one destination golang.org/x/image/vector
// fills directly (into any other it reads and writes each pixel through
// the image interface), and what the OpenGL painter uploads as it is.
func (s *iconSet) renderFaces() map[string]*scaledImages {
	out := map[string]*scaledImages{}
	for code, res := range s.answer {
		icon, err := oksvg.ReadIconStream(bytes.NewReader(res.Content()))
		if err != nil {
			continue // the resource is then drawn by Fyne itself
		}
		icon.SetTarget(0, 0, facePixels, facePixels)
		img := image.NewRGBA(image.Rect(0, 0, facePixels, facePixels))
		icon.Draw(rasterx.NewDasher(facePixels, facePixels, rasterx.NewScannerGV(facePixels, facePixels, img, img.Bounds())), 1)
		out[code] = newScaledImages(img)
	}
	return out
}

func loadIcons() (*iconSet, error) {
	load := func(name string) (fyne.Resource, error) {
		data, err := fs.ReadFile(assets.Icons, "icons/"+name)
		if err != nil {
			return nil, fmt.Errorf("load icon: %w", err)
		}
		return fyne.NewStaticResource(name, data), nil
	}
	s := &iconSet{answer: map[string]fyne.Resource{}}
	files := map[string]string{
		survey.CodeVerySatisfied: "face-rhl.svg", survey.CodeSatisfied: "face-hl.svg",
		survey.CodeNeutral: "face-bt.svg", survey.CodeNotSatisfied: "face-khl.svg",
		survey.CodeVeryDissatisfied: "face-rkhl.svg",
		survey.CodeYes:              "answer-yes.svg", survey.CodeNo: "answer-no.svg",
	}
	for code, name := range files {
		r, err := load(name)
		if err != nil {
			return nil, err
		}
		s.answer[code] = r
	}
	var err error
	if s.logo, err = load("icon.svg"); err != nil {
		return nil, err
	}
	if s.app, err = load("icon.png"); err != nil {
		return nil, err
	}
	app, err := decodeIcon(s.app)
	if err != nil {
		return nil, err
	}
	s.appImage = newScaledImages(app)
	s.faces = sync.OnceValue(s.renderFaces)
	return s, nil
}

// decodeIcon decodes a PNG icon resource.
func decodeIcon(res fyne.Resource) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(res.Content()))
	if err != nil {
		return nil, fmt.Errorf("decode icon %s: %w", res.Name(), err)
	}
	return img, nil
}
