package export

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// tmpfs mounts a small tmpfs on a fresh folder, as a stand-in for a USB
// stick, or skips the test when the process may not mount (not root).
func tmpfs(t *testing.T, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): run as root to test a full or read-only disk", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func many(n int) func(func(*survey.Response, error) bool) {
	return func(yield func(*survey.Response, error) bool) {
		for i := 0; i < n; i++ {
			if !yield(fixtureResponses()[i%5], nil) {
				return
			}
		}
	}
}

func TestToFileDiskFull(t *testing.T) {
	dir := tmpfs(t, "size=128k")
	for _, f := range Formats {
		path := filepath.Join(dir, "x."+string(f))
		_, err := ToFile(context.Background(), path, f, many(20000), fixtureOptions(true))
		if !errors.Is(err, ErrDiskFull) || !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("%s: err = %v, want ErrDiskFull", f, err)
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("%s: left behind %v", f, got)
		}
	}
	// after a failure the disk has its space back: a small export fits.
	if _, err := ToFile(context.Background(), filepath.Join(dir, "ok.csv"), CSV, many(5), fixtureOptions(false)); err != nil {
		t.Errorf("small export after a full disk: %v", err)
	}
}

func TestToFileReadOnly(t *testing.T) {
	dir := tmpfs(t, "size=128k")
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("remount read-only: %v", err)
	}
	_, err := ToFile(context.Background(), filepath.Join(dir, "x.csv"), CSV, many(5), Options{})
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("err = %v, want ErrReadOnly", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "x.csv")); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("file exists after a failed export")
	}
}
