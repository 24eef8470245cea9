package shot

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns docs/screenshots in the source tree, creating it.
func Dir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	out := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "docs", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// Save writes img as PNG to dir/name and logs it.
func Save(t testing.TB, dir, name string, img image.Image) {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%v)", path, img.Bounds().Size())
}
