package export

import (
	"bytes"
	"encoding/csv"
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

// FuzzWriteRecord checks the CSV record writer against encoding/csv: the
// same bytes as csv.Writer without UseCRLF (which keeps every byte of a
// field), except that the record ends in CRLF.
func FuzzWriteRecord(f *testing.F) {
	for _, s := range []string{"a\x00b", "Dòng 1\nDòng 2\x00x", "\"q\",\r\n", " lead\x00\\.", "\x00", "\u00a0nbsp\x00\t", "\xff\xfe\x00=1+1", "\v\x00\f\x00\u2028x\x00\u0085\x00\\\x00\\.x\x00\x1c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rec := strings.Split(s, "\x00")
		got := appendRecord([]byte("x"), rec)
		if !bytes.HasPrefix(got, []byte("x")) {
			t.Fatalf("record %q: appended %q to x", rec, got)
		}
		got = got[1:]
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		if err := cw.Write(rec); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		w := bytes.TrimSuffix(want.Bytes(), []byte("\n"))
		w = append(w, "\r\n"...)
		if !bytes.Equal(got, w) {
			t.Fatalf("record %q:\n got %q\nwant %q", rec, got, w)
		}
	})
}
