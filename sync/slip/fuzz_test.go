package slip_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/slip"
)

// FuzzParseCode: ParseCode never panics, every error is a *slip.Error, and
// whatever it accepts prints and parses back to the same code in both forms.
func FuzzParseCode(f *testing.F) {
	c, _ := slip.New(strings.NewReader("abcdef"))
	for _, s := range []string{c.String(), c.Compact(), strings.ToLower(c.String()), "", "-", "OIL0123456", "ĐĐĐĐĐĐĐĐĐĐ", "0000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := slip.ParseCode(s)
		if err != nil {
			var e *slip.Error
			if !errors.As(err, &e) || e.Reason == "" {
				t.Fatalf("error %v is not a *slip.Error with a reason", err)
			}
			if !got.IsZero() {
				t.Fatalf("code %v returned with an error", got)
			}
			return
		}
		if got.IsZero() {
			t.Fatal("zero code without an error")
		}
		for _, form := range []string{got.String(), got.Compact()} {
			again, err := slip.ParseCode(form)
			if err != nil || again != got {
				t.Fatalf("%q parsed to %v, its form %q to %v, %v", s, got, form, again, err)
			}
		}
		for _, b := range got {
			if !strings.ContainsRune(slip.Alphabet, rune(b)) {
				t.Fatalf("code %q holds %q", got.Compact(), b)
			}
		}
	})
}

// FuzzParseScan: ParseScan never panics, every error is a *slip.Error, a
// signature is nil or 64 bytes, and what it accepts round-trips through
// ScanURL.
func FuzzParseScan(f *testing.F) {
	c, _ := slip.New(strings.NewReader("abcdef"))
	for _, s := range []string{
		slip.ScanURL("https://hub.example.vn", c, make([]byte, 64)),
		slip.ScanURL("http://10.0.0.2:8443/base/", c, nil),
		c.String(), "https://h/s/", "https://h/s/#", "http://[::1]/s/x", "://", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, sig, err := slip.ParseScan(s)
		if err != nil {
			var e *slip.Error
			if !errors.As(err, &e) || e.Reason == "" {
				t.Fatalf("error %v is not a *slip.Error with a reason", err)
			}
			return
		}
		if got.IsZero() {
			t.Fatal("zero code without an error")
		}
		if sig != nil && len(sig) != 64 {
			t.Fatalf("signature of %d bytes", len(sig))
		}
		again, sig2, err := slip.ParseScan(slip.ScanURL("https://hub.example.vn/b", got, sig))
		if err != nil || again != got || string(sig2) != string(sig) {
			t.Fatalf("round trip of %q: %v %x %v", s, again, sig2, err)
		}
	})
}
