package export

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzFileName checks that any service point name (typed by an admin, in
// any normal form) gives a name that is safe on Windows and FAT32.
func FuzzFileName(f *testing.F) {
	for _, s := range []string{"Phường Ba Đình", "ĐỐNG ĐA – Điểm 2", "CON", "a<b>c:\"d\"/e\\f|g?h*i", "  ...  ", "Ph\u01b0\u01a1\u0300ng", "\x00\xff"} {
		f.Add(s, "csv")
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, point, ext string) {
		name := FileName(point, from, from, ext)
		if !strings.HasPrefix(name, "hailong") && !strings.HasPrefix(name, "_hailong") {
			t.Fatalf("%q: name %q", point, name)
		}
		if len(name) > 120 || !utf8.ValidString(name) {
			t.Fatalf("%q: name %q too long or not UTF-8", point, name)
		}
		for _, r := range name {
			if r > 127 || r < 32 || strings.ContainsRune(`<>:"/\|?* `, r) {
				t.Fatalf("%q: name %q holds %q", point, name, r)
			}
		}
		if strings.HasSuffix(name, ".") || strings.Contains(name, "--") {
			t.Fatalf("%q: name %q", point, name)
		}
	})
}
