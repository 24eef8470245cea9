//go:build !windows

package export

import (
	"errors"
	"fmt"
	"io/fs"
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
