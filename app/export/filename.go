package export

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// maxSlug caps the service-point part of a file name, so that the whole
// name stays far below the 255-byte limit of FAT32, exFAT, NTFS and ext4.
const maxSlug = 60

// FileName is the default name of an export file:
// "hailong-<service-point>-<from>-<to>.<ext>", e.g.
// "hailong-phuong-ba-dinh-2026-11-01-2026-11-30.xlsx". The service point is
// folded to ASCII ("Phường Ba Đình" → "phuong-ba-dinh", đ → d), lower case,
// with every other character turned into "-", so the name is safe on
// Windows, on FAT32 USB sticks and in e-mail. from and to are the first and
// the last day included, taken in Asia/Ho_Chi_Minh; a zero time or an empty
// service point leaves its part out.
func FileName(servicePoint string, from, to time.Time, ext string) string {
	parts := []string{"hailong"}
	if s := Slug(servicePoint); s != "" {
		parts = append(parts, s)
	}
	loc := survey.Location()
	for _, t := range []time.Time{from, to} {
		if !t.IsZero() {
			parts = append(parts, t.In(loc).Format("2006-01-02"))
		}
	}
	name := strings.Join(parts, "-")
	if e := Slug(ext); e != "" {
		name += "." + e
	}
	return windowsSafe(name)
}

// Slug folds s to lower-case ASCII letters, digits and single dashes:
// diacritics are stripped after NFD decomposition and đ/Đ become d.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		}
		r = unicode.ToLower(r)
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= maxSlug {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}

// windowsReserved are device names Windows refuses as a file's base name,
// with any extension.
var windowsReserved = map[string]bool{
	"con": true, "prn": true, "aux": true, "nul": true,
	"com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true, "com8": true, "com9": true,
	"lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true, "lpt8": true, "lpt9": true,
}

// windowsSafe prefixes a reserved device name with "_". Slugs hold no
// character Windows forbids (<>:"/\|?* and controls) and never end in a dot
// or a space.
func windowsSafe(name string) string {
	base, _, _ := strings.Cut(name, ".")
	if windowsReserved[strings.ToLower(base)] {
		return "_" + name
	}
	return name
}

// FreePath returns dir/name, or dir/name-2.ext, name-3.ext... when a file of
// that name already exists, so that an export never overwrites an earlier
// one on the stick.
func FreePath(dir, name string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i <= 999; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s-%d%s", stem, i, ext))
		}
		_, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", classify("check", p, err)
		}
	}
	return "", fmt.Errorf("export: %s: too many files named %s", dir, name)
}
