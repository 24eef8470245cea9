//go:build !windows

package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestKindOf(t *testing.T) {
	pe := func(errno syscall.Errno) error {
		return fmt.Errorf("write: %w", &fs.PathError{Op: "write", Path: "/media/usb/x.csv", Err: errno})
	}
	tests := []struct {
		err  error
		want error
	}{
		{pe(syscall.ENOSPC), ErrDiskFull},
		{pe(syscall.EDQUOT), ErrDiskFull},
		{pe(syscall.EROFS), ErrReadOnly},
		{pe(syscall.EIO), ErrDeviceGone},
		{pe(syscall.ENODEV), ErrDeviceGone},
		{pe(syscall.ENXIO), ErrDeviceGone},
		{pe(syscall.ENOENT), ErrNoFolder},
		{pe(syscall.EACCES), ErrPermission},
		{pe(syscall.EPERM), ErrPermission},
		{errors.New("other"), nil},
	}
	for _, tt := range tests {
		fe := classify("write", "/media/usb/x.csv", tt.err)
		if fe.Kind != tt.want {
			t.Errorf("%v: kind %v, want %v", tt.err, fe.Kind, tt.want)
		}
		if tt.want != nil && (!errors.Is(fe, tt.want) || !strings.Contains(fe.Error(), tt.want.Error())) {
			t.Errorf("%v: %q does not carry %v", tt.err, fe, tt.want)
		}
		if !errors.Is(fe, tt.err) {
			t.Errorf("%v: cause lost", tt.err)
		}
	}
}

// TestToFileMode: an export is created 0644 under the usual umask, so that
// other accounts can read it, and the umask still applies.
func TestToFileMode(t *testing.T) {
	for _, tt := range []struct{ umask, want fs.FileMode }{{0o022, 0o644}, {0o077, 0o600}, {0o002, 0o644}} {
		old := syscall.Umask(int(tt.umask))
		for _, f := range Formats {
			path := filepath.Join(t.TempDir(), "x."+string(f))
			if _, err := ToFile(context.Background(), path, f, seqOf(fixtureResponses()), fixtureOptions(false)); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.want {
				t.Errorf("umask %03o, %s: mode %03o, want %03o", tt.umask, f, got, tt.want)
			}
		}
		syscall.Umask(old)
	}
}
