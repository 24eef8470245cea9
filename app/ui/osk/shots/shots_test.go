package shots_test

import (
	"image"
	"image/png"
	"os"
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
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
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
		img := shot.WaitPainted(t, prev, 10*time.Second, 1)
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
					kb.Space.Tapped(&fyne.PointEvent{})
				case unicode.IsDigit(r):
					kb.Marks[r].Tapped(&fyne.PointEvent{})
				default:
					if unicode.IsUpper(r) {
						kb.Shift.Tapped(&fyne.PointEvent{})
					}
					kb.Letters[unicode.ToLower(r)].Tapped(&fyne.PointEvent{})
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

	fyne.DoAndWait(func() { kb.Layer.Tapped(&fyne.PointEvent{}) })
	shot("keyboard-numbers")
}
