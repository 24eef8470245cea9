// Command svgpng renders an SVG icon to a square PNG, for packaging when
// only the icon's SVG source is at hand (fyne package needs a PNG). It uses
// the SVG renderer Fyne itself draws icons with.
//
//	go run ./scripts/svgpng -size 512 assets/icons/icon.svg icon.png
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	size := flag.Int("size", 512, "width and height of the PNG in pixels")
	flag.Parse()
	if flag.NArg() != 2 || *size <= 0 {
		fmt.Fprintln(os.Stderr, "usage: svgpng [-size N] IN.svg OUT.png")
		os.Exit(2)
	}
	if err := render(flag.Arg(0), flag.Arg(1), *size); err != nil {
		fmt.Fprintln(os.Stderr, "svgpng:", err)
		os.Exit(1)
	}
}

// render draws the SVG file in at size×size pixels into the PNG file out.
func render(in, out string, size int) error {
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("open svg: %w", err)
	}
	defer f.Close()
	icon, err := oksvg.ReadIconStream(f)
	if err != nil {
		return fmt.Errorf("parse svg %s: %w", in, err)
	}
	icon.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)

	o, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("create png: %w", err)
	}
	if err := png.Encode(o, img); err != nil {
		o.Close()
		return fmt.Errorf("write png %s: %w", out, err)
	}
	if err := o.Close(); err != nil {
		return fmt.Errorf("write png %s: %w", out, err)
	}
	return nil
}
