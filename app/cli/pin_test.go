package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
)

func TestPINReset(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	v := pin.New(st, pin.WithCost(4))
	if err := v.Setup(ctx, "246810"); err != nil {
		t.Fatal(err)
	}
	for range 5 { // lock the panel with wrong PINs, as a forgetful admin would
		v.Verify(ctx, "000000")
	}
	if err := v.Verify(ctx, "246810"); !errors.Is(err, pin.ErrLocked) {
		t.Fatalf("after 5 wrong PINs: %v, want locked", err)
	}
	st.Close()

	var out, errOut bytes.Buffer
	if code := PIN(ctx, []string{"reset", "--db", path}, &out, &errOut); code != 0 {
		t.Fatalf("pin reset exit %d: %s", code, errOut.String())
	}
	want := "Đã xoá mã PIN quản trị của " + path + ": lần mở bảng quản trị tới sẽ yêu cầu đặt mã PIN mới.\n" +
		"The admin PIN of " + path + " is removed: the admin panel asks for a new PIN the next time it opens.\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v = pin.New(st, pin.WithCost(4))
	if set, err := v.IsSet(ctx); err != nil || set {
		t.Errorf("after reset IsSet = %v, %v; want no PIN", set, err)
	}
	if s, err := v.Status(ctx); err != nil || s.LockedFor != 0 {
		t.Errorf("after reset status %+v, %v; want unlocked", s, err)
	}
	if err := v.Setup(ctx, "135790"); err != nil {
		t.Fatalf("set a new PIN after reset: %v", err)
	}
}

func TestPINResetRefuses(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "typo.db")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", nil, 2, "hailong pin reset [--db FILE]"},
		{"unknown subcommand", []string{"show"}, 2, "hailong pin reset [--db FILE]"},
		{"extra argument", []string{"reset", "--db", missing, "now"}, 2, `Unexpected argument "now"`},
		{"bad flag", []string{"reset", "--force"}, 2, "There is no flag --force"},
		{"missing database", []string{"reset", "--db", missing}, 1, "No kiosk database at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := PIN(ctx, tt.args, &out, &errOut); code != tt.code {
				t.Errorf("exit %d, want %d (%s)", code, tt.code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tt.want)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a mistyped --db created %s", missing)
	}
}

func TestPINSet(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "kiosk.db")
	for _, tt := range []struct {
		name, in string
		code     int
		wantErr  string
	}{
		{"too short", "12\n12\n", 1, "4 đến 8 chữ số"},
		{"not digits", "12ab\n12ab\n", 1, "4 đến 8 chữ số"},
		{"mismatch", "2580\n2581\n", 1, "không khớp"},
		{"no second line", "2580\n", 1, "No PIN on standard input"},
		{"set", "2580\n2580\n", 0, ""},
		{"already set", "1234\n1234\n", 1, "đã có mã PIN"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := pinSet(ctx, []string{"--db", path}, strings.NewReader(tt.in), &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Fatalf("exit %d, stderr %q", code, errOut.String())
			}
			if code == 0 {
				want := "Đã đặt mã PIN quản trị cho " + path + ".\nThe admin PIN of " + path + " is set.\n"
				if out.String() != want {
					t.Errorf("stdout %q, want %q", out.String(), want)
				}
			}
		})
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := pin.New(st).Verify(ctx, "2580"); err != nil {
		t.Fatalf("the PIN set from the command line: %v", err)
	}
}
