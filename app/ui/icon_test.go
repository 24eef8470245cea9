package ui

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// iconPath is the app icon FyneApp.toml points at.
const iconPath = "../../assets/icons/icon.png"

// clearTheme paints the test canvas background transparent, so the
// rendered icon keeps its transparent corners.
type clearTheme struct{ fyne.Theme }

func (t clearTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameBackground {
		return color.Transparent
	}
	return t.Theme.Color(n, v)
}

// renderIcon draws assets/icons/icon.svg at 512×512 with Fyne's software
// painter.
func renderIcon(t *testing.T) image.Image {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(clearTheme{theme.DefaultTheme()})
	icons, err := loadIcons()
	if err != nil {
		t.Fatal(err)
	}
	img := canvas.NewImageFromResource(icons.logo)
	img.FillMode = canvas.ImageFillStretch
	w := test.NewWindow(img)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSquareSize(512))
	return w.Canvas().Capture()
}

// TestAppIcon checks that assets/icons/icon.png is the 512×512 rendering
// of icon.svg. HAILONG_GEN_ICON=1 (re)writes it:
//
//	HAILONG_GEN_ICON=1 go test -run TestAppIcon ./app/ui
func TestAppIcon(t *testing.T) {
	want := renderIcon(t)
	if os.Getenv("HAILONG_GEN_ICON") == "1" {
		f, err := os.Create(filepath.FromSlash(iconPath))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, want); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(filepath.FromSlash(iconPath))
	if err != nil {
		t.Fatalf("%v (make it with HAILONG_GEN_ICON=1)", err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds().Dx() != 512 || got.Bounds().Dy() != 512 {
		t.Fatalf("icon.png is %v, want 512x512", got.Bounds())
	}
	if _, _, _, a := got.At(2, 2).RGBA(); a != 0 {
		t.Fatal("icon.png corners are not transparent")
	}
	// The face: yellow in the middle of the cheek, dark eyes.
	if c := color.NRGBAModel.Convert(got.At(256, 120)).(color.NRGBA); c.R < 0xe0 || c.G < 0xa0 || c.B > 0x60 || c.A != 0xff {
		t.Fatalf("icon.png face colour %v, want opaque yellow", c)
	}
	if c := color.NRGBAModel.Convert(got.At(192, 206)).(color.NRGBA); c.R > 0x40 || c.A != 0xff {
		t.Fatalf("icon.png eye colour %v, want opaque dark", c)
	}
	// Same picture as the SVG (allowing for rasteriser rounding).
	var diff, n uint64
	for y := 0; y < 512; y += 4 {
		for x := 0; x < 512; x += 4 {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			diff += absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2) + absDiff(a1, a2)
			n += 4
		}
	}
	if mean := diff / n; mean > 0x200 {
		t.Fatalf("icon.png differs from icon.svg (mean difference %d): regenerate it with HAILONG_GEN_ICON=1", mean)
	}
}

func absDiff(a, b uint32) uint64 {
	if a > b {
		return uint64(a - b)
	}
	return uint64(b - a)
}
