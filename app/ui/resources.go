package ui

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // icon.png
	"io/fs"

	"fyne.io/fyne/v2"

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
	// refresh (three times before the first frame).
	appImage image.Image
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
	if s.appImage, err = decodeIcon(s.app); err != nil {
		return nil, err
	}
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
