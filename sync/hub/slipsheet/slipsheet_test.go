package slipsheet_test

import (
	"bytes"
	"crypto/ed25519"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/slipsheet"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

var printed = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

func key() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32)) }

// writeSheet writes n slips' sheet to a file and returns the slips and path.
func writeSheet(t *testing.T, n int, point string) ([]hub.Slip, string) {
	t.Helper()
	slips, err := hub.NewSlipBatch(point, n, printed, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := slipsheet.Write(&buf, slips, slipsheet.Options{BaseURL: "https://hub.phuong-ba-dinh.vn", Key: key()}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(buf.Len(), 16)])
	}
	path := filepath.Join(t.TempDir(), "slips.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return slips, path
}

// need skips the test when tool is missing, or fails it under `make
// test` (HAILONG_REQUIRE_POPPLER set), which installs it.
func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("HAILONG_REQUIRE_POPPLER") != "" {
			t.Fatalf("%s not installed (apt-get install poppler-utils)", tool)
		}
		t.Skipf("%s not installed (poppler-utils); `make test` installs it", tool)
	}
}

// TestSheetText: poppler reads the file, finds every code once, the
// Vietnamese texts with their diacritics, and the right page count.
func TestSheetText(t *testing.T) {
	need(t, "pdftotext")
	slips, path := writeSheet(t, slipsheet.PerPage+3, "Phường Hoàn Kiếm")
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	text := string(out)
	for _, sl := range slips {
		if n := strings.Count(text, sl.Code.String()); n != 1 {
			t.Errorf("code %s appears %d times", sl.Code, n)
		}
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Phiếu đánh giá", "Quét mã hoặc nhập mã tại kiosk", "Phường Hoàn Kiếm", "trang 1/2", "trang 2/2", "25/11/2026"} {
		if !strings.Contains(flat, want) {
			t.Errorf("sheet text lacks %q", want)
		}
	}
	if got := strings.Count(text, "\f"); got != 2 {
		t.Errorf("%d pages, want 2", got)
	}
}

// TestSheetQRScans renders the first page as a printer would and decodes
// the first and last slip's QR code: each is the slip's hub URL with a
// signature that verifies with the slip key.
func TestSheetQRScans(t *testing.T) {
	need(t, "pdftoppm")
	slips, path := writeSheet(t, 4, "Xã Sóc Sơn")
	const dpi = 200
	prefix := filepath.Join(t.TempDir(), "page")
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	px := func(mm float64) int { return int(mm * dpi / 25.4) }
	cellW, cellH := (210.0-20)/slipsheet.Columns, (297.0-20)/slipsheet.Rows
	for _, i := range []int{0, 3} {
		x, y := 10+float64(i%slipsheet.Columns)*cellW, 10+float64(i/slipsheet.Columns)*cellH
		crop := img.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(image.Rect(px(x), px(y), px(x+cellH), px(y+cellH)))
		bmp, err := gozxing.NewBinaryBitmapFromImage(crop)
		if err != nil {
			t.Fatal(err)
		}
		res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("slip %d: decode QR: %v", i, err)
		}
		code, sig, err := slip.ParseScan(res.GetText())
		if err != nil {
			t.Fatalf("slip %d: QR %q: %v", i, res.GetText(), err)
		}
		if code != slips[i].Code || !strings.HasPrefix(res.GetText(), "https://hub.phuong-ba-dinh.vn/s/") {
			t.Errorf("slip %d: QR %q, want code %s", i, res.GetText(), slips[i].Code)
		}
		if !slip.Verify(key().Public().(ed25519.PublicKey), code, sig) {
			t.Errorf("slip %d: signature in the QR does not verify", i)
		}
	}
}

func TestWriteRefuses(t *testing.T) {
	slips, err := hub.NewSlipBatch("P", 1, printed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		slips []hub.Slip
		opt   slipsheet.Options
	}{
		{"no slips", nil, slipsheet.Options{BaseURL: "https://h", Key: key()}},
		{"no key", slips, slipsheet.Options{BaseURL: "https://h"}},
		{"no url", slips, slipsheet.Options{Key: key()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := slipsheet.Write(&buf, tt.slips, tt.opt); err == nil || buf.Len() != 0 {
				t.Fatalf("Write: %v, %d bytes", err, buf.Len())
			}
		})
	}
}

// TestLongServicePoint: a name too long for a slip is cut with an ellipsis
// there, and the sheet is still written.
func TestLongServicePoint(t *testing.T) {
	need(t, "pdftotext")
	long := strings.Repeat("Trung tâm Phục vụ hành chính công ", 5)
	_, path := writeSheet(t, 1, long)
	out, err := exec.Command("pdftotext", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "…") {
		t.Errorf("long service point not shortened: %s", out)
	}
}
