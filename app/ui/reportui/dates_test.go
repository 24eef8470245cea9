package reportui

import (
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestParseDay(t *testing.T) {
	loc := survey.Location()
	nov25 := time.Date(2026, 11, 25, 0, 0, 0, 0, loc)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"25/11/2026", nov25, true},
		{" 25-11-2026 ", nov25, true},
		{"25.11.2026", nov25, true},
		{"2026-11-25", nov25, true},
		{"5/1/2026", time.Date(2026, 1, 5, 0, 0, 0, 0, loc), true},
		{"", time.Time{}, true},
		{"31/02/2026", time.Time{}, false},
		{"11/25/2026", time.Time{}, false},
		{"hôm nay", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseDay(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDay(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPresetsAndFilter(t *testing.T) {
	// 00:30 on 1 Dec in Hà Nội is still 30 Nov in UTC.
	now := time.Date(2026, 11, 30, 17, 30, 0, 0, time.UTC)
	tests := []struct {
		p        preset
		from, to string
	}{
		{presetToday, "01/12/2026", "01/12/2026"},
		{preset7Days, "25/11/2026", "01/12/2026"},
		{preset30Days, "02/11/2026", "01/12/2026"},
		{presetMonth, "01/12/2026", "01/12/2026"},
		{presetLastMonth, "01/11/2026", "30/11/2026"},
		{presetAll, "", ""},
	}
	for _, tt := range tests {
		d := presetDays(tt.p, now)
		if formatDay(d.from) != tt.from || formatDay(d.to) != tt.to {
			t.Errorf("%s = %s–%s, want %s–%s", tt.p, formatDay(d.from), formatDay(d.to), tt.from, tt.to)
		}
	}
	f := presetDays(presetToday, now).filter()
	if got := f.From.Format(time.RFC3339); got != "2026-11-30T17:00:00Z" {
		t.Errorf("From = %s", got)
	}
	if got := f.To.Format(time.RFC3339); got != "2026-12-01T17:00:00Z" {
		t.Errorf("To = %s", got)
	}
	if f := presetDays(presetAll, now).filter(); !f.From.IsZero() || !f.To.IsZero() {
		t.Errorf("all = %+v", f)
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 1234567: "1.234.567", -1500: "-1.500"} {
		if got := number(n, "vi"); got != want {
			t.Errorf("number(%d) = %q, want %q", n, got, want)
		}
	}
	if got := number(1234567, "en"); got != "1,234,567" {
		t.Errorf("en = %q", got)
	}
}
