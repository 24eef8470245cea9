package shots_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/telex"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
)

// TestScreenshots types a comment through the keyboard's keys in a kiosk
// sized window and captures docs/screenshots/keyboard-vi.png (Telex, with
// "Tôi rất hài lòng" typed), keyboard-vni.png and keyboard-numbers.png.
func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	_, file, _, _ := runtime.Caller(0)
	out := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "docs", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}

	var (
		w  fyne.Window
		e  *widget.Entry
		kb *osk.Keyboard
	)
	fyne.DoAndWait(func() {
		shotApp.Settings().SetTheme(ui.Theme())
		w = shotApp.NewWindow("Hài Lòng")
		title := widget.NewLabel("Ông/bà có góp ý gì thêm không?")
		title.SizeName = theme.SizeNameHeadingText
		title.TextStyle.Bold = true
		hint := widget.NewLabel("Xin đừng ghi họ tên, số điện thoại hay số giấy tờ.")
		e = widget.NewMultiLineEntry()
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
		e.SetPlaceHolder("Nhập góp ý của ông/bà tại đây")
		kb = osk.ForEntry(e)
		w.SetContent(container.NewPadded(container.NewBorder(
			container.NewVBox(title, hint), kb, nil, nil, e)))
		// Full screen on a 1280×800 X screen: a kiosk's touch screen.
		w.SetFullScreen(true)
		w.Show()
	})
	defer fyne.DoAndWait(func() { w.Close() })

	var prev image.Image
	shot := func(name string) {
		t.Helper()
		img := waitPainted(t, prev, 10*time.Second)
		if img == nil {
			t.Fatalf("%s: nothing painted", name)
		}
		prev = img
		path := filepath.Join(out, name+".png")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%v)", path, img.Bounds().Size())
	}
	tapKeys := func(keys string) {
		fyne.DoAndWait(func() {
			for _, r := range keys {
				switch {
				case r == ' ':
					kb.Space.OnTapped()
				case unicode.IsDigit(r):
					kb.Marks[r].OnTapped()
				default:
					if unicode.IsUpper(r) {
						kb.Shift.OnTapped()
					}
					kb.Letters[unicode.ToLower(r)].OnTapped()
				}
			}
		})
	}

	tapKeys("Tooi raats hafi lofng")
	fyne.DoAndWait(func() {
		if e.Text != "Tôi rất hài lòng" {
			t.Errorf("entry %q after typing", e.Text)
		}
	})
	shot("keyboard-vi")

	fyne.DoAndWait(func() {
		kb.SetMode(telex.VNI)
		e.SetText("")
	})
	tapKeys("Ca1n bo65 nhie65t ti2nh")
	fyne.DoAndWait(func() {
		if e.Text != "Cán bộ nhiệt tình" {
			t.Errorf("entry %q after typing in VNI", e.Text)
		}
	})
	shot("keyboard-vni")

	fyne.DoAndWait(func() { kb.Layer.OnTapped() })
	shot("keyboard-numbers")
}

// waitPainted grabs the X screen until it differs from prev (nil for
// none), is not blank, and two grabs in a row are alike: a finished frame.
//
// Why not Canvas().Capture(): under Xvfb with Mesa's software GL, Fyne
// v2.7.1's capture reads all zeros (app/ui/shots found the same), so the
// picture comes from the X server through xwd (Debian package x11-apps).
func waitPainted(t *testing.T, prev image.Image, timeout time.Duration) image.Image {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last image.Image
	for time.Now().Before(deadline) {
		img, err := grabScreen()
		if err != nil {
			t.Fatal(err)
		}
		if !blank(img) && (prev == nil || !same(img, prev)) {
			if last != nil && same(img, last) {
				return img
			}
			last = img
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil
}

// grabScreen dumps the X root window with xwd and decodes it.
func grabScreen() (image.Image, error) {
	out, err := exec.Command("xwd", "-root", "-silent").Output()
	if err != nil {
		return nil, fmt.Errorf("xwd (apt-get install x11-apps): %w", err)
	}
	return decodeXWD(out)
}

// decodeXWD decodes the 32-bit TrueColor XWD dump xwd writes for Xvfb's
// default visual (X11 XWDFileHeader: 25 big-endian 32-bit fields, the
// window name, a colour map, then the pixels).
func decodeXWD(d []byte) (image.Image, error) {
	if len(d) < 100 {
		return nil, errors.New("xwd: short header")
	}
	h := make([]uint32, 25)
	for i := range h {
		h[i] = binary.BigEndian.Uint32(d[i*4:])
	}
	hdrSize, width, height, byteOrder := h[0], int(h[4]), int(h[5]), h[7]
	bpp, bpl, ncolors := h[11], int(h[12]), h[19]
	masks := [3]uint32{h[14], h[15], h[16]}
	if bpp != 32 {
		return nil, fmt.Errorf("xwd: %d bits per pixel not supported", bpp)
	}
	off := int(hdrSize) + int(ncolors)*12
	if len(d) < off+bpl*height {
		return nil, errors.New("xwd: short pixel data")
	}
	var shifts [3]uint
	for i, m := range masks {
		for m != 0 && m&1 == 0 {
			m >>= 1
			shifts[i]++
		}
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := range height {
		row := d[off+y*bpl:]
		for x := range width {
			p := binary.LittleEndian.Uint32(row[x*4:])
			if byteOrder != 0 {
				p = binary.BigEndian.Uint32(row[x*4:])
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8((p & masks[0]) >> shifts[0]),
				G: uint8((p & masks[1]) >> shifts[1]),
				B: uint8((p & masks[2]) >> shifts[2]),
				A: 0xff,
			})
		}
	}
	return img, nil
}

func blank(img image.Image) bool {
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if img.At(x, y) != first {
				return false
			}
		}
	}
	return true
}

func same(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
