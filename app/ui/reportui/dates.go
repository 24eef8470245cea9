package reportui

import (
	"errors"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// dayLayout is how days are typed and shown to Vietnamese staff.
const dayLayout = "02/01/2006"

// preset names a quick choice of days.
type preset string

const (
	presetToday     preset = "today"
	preset7Days     preset = "7days"
	preset30Days    preset = "30days"
	presetMonth     preset = "month"
	presetLastMonth preset = "last_month"
	presetAll       preset = "all"
)

// days is an inclusive range of calendar days in Asia/Ho_Chi_Minh; a zero
// end is unbounded.
type days struct {
	from, to time.Time
}

// presetDays returns the days of p as seen at now.
func presetDays(p preset, now time.Time) days {
	loc := survey.Location()
	y, m, d := now.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	first := time.Date(y, m, 1, 0, 0, 0, 0, loc)
	switch p {
	case presetToday:
		return days{today, today}
	case preset7Days:
		return days{today.AddDate(0, 0, -6), today}
	case preset30Days:
		return days{today.AddDate(0, 0, -29), today}
	case presetMonth:
		return days{first, today}
	case presetLastMonth:
		return days{first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)}
	}
	return days{}
}

// errBadDay is returned for text that is not a day.
var errBadDay = errors.New("not a day")

// parseDay reads "25/11/2026" (also "25-11-2026", "25.11.2026", single
// digits, or ISO "2026-11-25"); empty text is the zero time (unbounded).
func parseDay(text string) (time.Time, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return time.Time{}, nil
	}
	loc := survey.Location()
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	s = strings.NewReplacer("-", "/", ".", "/").Replace(s)
	if t, err := time.ParseInLocation("2/1/2006", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, errBadDay
}

// formatDay shows a day, or "" for the zero time.
func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(survey.Location()).Format(dayLayout)
}

// filter turns inclusive days into the store's half-open UTC range.
func (d days) filter() store.Filter {
	var f store.Filter
	if !d.from.IsZero() {
		f.From = d.from.UTC()
	}
	if !d.to.IsZero() {
		f.To = d.to.AddDate(0, 0, 1).UTC()
	}
	return f
}
