package hub

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FileCount is how many files (hồ sơ) one service point returned to
// citizens on one day, as the agency records it from its procedure system.
// It is a count only: the hub never stores a file code (docs/reports.md).
type FileCount struct {
	// Day is the local day in Asia/Ho_Chi_Minh, "2006-01-02".
	Day string
	// ServicePoint is the service point's name as the kiosks carry it
	// (NFC, trimmed).
	ServicePoint string
	// Files is the number of files returned that day, 0 ≤ Files ≤ MaxFiles.
	Files int
}

// MaxFiles bounds one day's count at one service point: more is a typing
// error, not a busy day.
const MaxFiles = 100000

// MaxServicePoint is the longest service point name, in characters.
const MaxServicePoint = 200

// ErrInvalidFileCount means a file count was refused before anything was
// stored.
var ErrInvalidFileCount = errors.New("invalid file count")

// CheckFileCount returns c normalised (service point NFC and trimmed) or an
// error wrapping ErrInvalidFileCount saying what is wrong. Every way in
// (dashboard form, CSV import) and every store call it.
func CheckFileCount(c FileCount) (FileCount, error) {
	c.Day = strings.TrimSpace(c.Day)
	if _, err := time.Parse("2006-01-02", c.Day); err != nil {
		return c, fmt.Errorf("%w: day %q is not a date YYYY-MM-DD", ErrInvalidFileCount, c.Day)
	}
	c.ServicePoint = norm.NFC.String(strings.TrimSpace(c.ServicePoint))
	switch {
	case c.ServicePoint == "":
		return c, fmt.Errorf("%w: the service point is empty", ErrInvalidFileCount)
	case utf8.RuneCountInString(c.ServicePoint) > MaxServicePoint:
		return c, fmt.Errorf("%w: the service point is longer than %d characters", ErrInvalidFileCount, MaxServicePoint)
	case strings.IndexFunc(c.ServicePoint, unicode.IsControl) >= 0:
		return c, fmt.Errorf("%w: the service point contains control characters", ErrInvalidFileCount)
	case c.Files < 0 || c.Files > MaxFiles:
		return c, fmt.Errorf("%w: %d files is not between 0 and %d", ErrInvalidFileCount, c.Files, MaxFiles)
	}
	return c, nil
}
