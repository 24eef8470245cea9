package hub

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
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

// ParseDay reads a day as the agency types it, "2026-11-25" or
// "25/11/2026" (the Vietnamese order), and returns it as "2026-11-25".
func ParseDay(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("%q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
}

// MaxFileCountLines bounds a CSV import.
const MaxFileCountLines = 100000

// ParseFileCountsCSV reads the agency's CSV of returned files: one line per
// day and service point with the columns date, service point, files
// returned (comma or semicolon separated; an optional header line; a UTF-8
// byte order mark is ignored). It returns every count, checked, or an error
// listing every bad line by number, so that nothing is half-imported. A day
// and service point given twice is an error: which count is right is the
// agency's call.
func ParseFileCountsCSV(r io.Reader) ([]FileCount, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read CSV: %w", err)
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if !utf8.ValidString(text) {
		return nil, errors.New("the file is not UTF-8 text (save it as \"CSV UTF-8\")")
	}
	first, _, _ := strings.Cut(text, "\n")
	cr := csv.NewReader(strings.NewReader(text))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	var out []FileCount
	var errs []error
	seen := map[[2]string]int{}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err) // a csv.ParseError names its line
			break
		}
		line, _ := cr.FieldPos(0)
		if n > MaxFileCountLines {
			errs = append(errs, fmt.Errorf("more than %d lines: split the file", MaxFileCountLines))
			break
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			errs = append(errs, fmt.Errorf("line %d: %d columns, want 3 (date, service point, files returned)", line, len(rec)))
			continue
		}
		day, dayErr := ParseDay(rec[0])
		files, filesErr := strconv.Atoi(strings.TrimSpace(rec[2]))
		if n == 1 && dayErr != nil && filesErr != nil {
			continue // the header
		}
		if dayErr != nil {
			errs = append(errs, fmt.Errorf("line %d: date %w", line, dayErr))
			continue
		}
		if filesErr != nil {
			errs = append(errs, fmt.Errorf("line %d: files returned %q is not a whole number", line, strings.TrimSpace(rec[2])))
			continue
		}
		c, err := CheckFileCount(FileCount{Day: day, ServicePoint: rec[1], Files: files})
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		k := [2]string{c.Day, c.ServicePoint}
		if prev, dup := seen[k]; dup {
			errs = append(errs, fmt.Errorf("line %d: %s %q is already on line %d", line, c.Day, c.ServicePoint, prev))
			continue
		}
		seen[k] = line
		out = append(out, c)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%d bad line(s), nothing imported:\n%w", len(errs), errors.Join(errs...))
	}
	if len(out) == 0 {
		return nil, errors.New("the file holds no counts")
	}
	return out, nil
}

// FileCountReader reads the stored file counts summed by service point
// (see Store.FileTotals).
type FileCountReader interface {
	FileTotals(ctx context.Context, fromDay, toDay string) ([]FileCount, error)
}

// FilesReturned sums the files returned per service point over the days of
// a Filter's range [from, to) (local midnights in Asia/Ho_Chi_Minh, as
// Filter has them; zero is open), for point only when it is not "": what
// report.Coverage takes beside the same filter's responses.
func FilesReturned(ctx context.Context, st FileCountReader, from, to time.Time, point string) (map[string]int, error) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(survey.Location()).Format("2006-01-02")
	}
	counts, err := st.FileTotals(ctx, day(from), day(to))
	if err != nil {
		return nil, err
	}
	files := map[string]int{}
	for _, c := range counts {
		if point == "" || c.ServicePoint == point {
			files[c.ServicePoint] += c.Files
		}
	}
	return files, nil
}
