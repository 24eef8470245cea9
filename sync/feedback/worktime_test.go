package feedback

import (
	"testing"
	"time"
)

// at is a local time in Hanoi.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, vietnam)
	if err != nil {
		panic(err)
	}
	return t
}

func testCalendar(t *testing.T) *Calendar {
	t.Helper()
	h, err := ParseHolidays("2026-09-01, 2026-09-02 2026-02-14..2026-02-22")
	if err != nil {
		t.Fatal(err)
	}
	return &Calendar{Holidays: h}
}

func TestCalendarAdd(t *testing.T) {
	c := testCalendar(t)
	for _, tc := range []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"within the morning", "2026-12-01 09:00", 2 * time.Hour, "2026-12-01 11:00"},
		{"across lunch", "2026-12-01 11:00", 2 * time.Hour, "2026-12-01 14:00"},
		{"ends exactly at noon", "2026-12-01 08:00", 4 * time.Hour, "2026-12-01 12:00"},
		{"received at lunch", "2026-12-01 12:30", time.Hour, "2026-12-01 14:00"},
		{"received before opening", "2026-12-01 06:00", time.Hour, "2026-12-01 09:00"},
		{"received at night", "2026-12-01 20:00", time.Hour, "2026-12-02 09:00"},
		{"8 hours from Friday afternoon", "2026-12-04 16:00", 8 * time.Hour, "2026-12-07 16:00"},
		{"received on Saturday", "2026-12-05 10:00", 8 * time.Hour, "2026-12-07 17:00"},
		{"over National Day", "2026-08-31 16:00", 2 * time.Hour, "2026-09-03 09:00"},
		{"over Tết", "2026-02-13 15:00", 8 * time.Hour, "2026-02-23 15:00"},
		{"zero", "2026-12-05 10:00", 0, "2026-12-05 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Add(at(tc.start), tc.d); !got.Equal(at(tc.want)) {
				t.Fatalf("Add(%s, %v) = %s, want %s", tc.start, tc.d, got.In(vietnam).Format("2006-01-02 15:04 Mon"), tc.want)
			}
			// Worked undoes Add when the start is in working time.
			if c.WorkingDay(at(tc.start)) && tc.d > 0 {
				s := at(tc.start)
				if got := c.Worked(s, c.Add(s, tc.d)); got != tc.d && isWorking(c, s) {
					t.Fatalf("Worked after Add = %v, want %v", got, tc.d)
				}
			}
		})
	}
}

func isWorking(c *Calendar, t time.Time) bool {
	if !c.WorkingDay(t) {
		return false
	}
	off := t.Sub(c.midnight(t))
	for _, p := range c.periods() {
		if off >= p.From && off < p.To {
			return true
		}
	}
	return false
}

func TestCalendarAddDays(t *testing.T) {
	c := testCalendar(t)
	for _, tc := range []struct {
		start string
		n     int
		want  string
	}{
		{"2026-12-01 09:00", 1, "2026-12-02 09:00"},
		{"2026-12-01 09:00", 5, "2026-12-08 09:00"},
		{"2026-12-04 17:30", 1, "2026-12-07 17:00"},
		{"2026-08-28 10:00", 3, "2026-09-04 10:00"},
	} {
		if got := c.AddDays(at(tc.start), tc.n); !got.Equal(at(tc.want)) {
			t.Errorf("AddDays(%s, %d) = %s, want %s", tc.start, tc.n, got.In(vietnam).Format("2006-01-02 15:04"), tc.want)
		}
	}
}

func TestCalendarWorked(t *testing.T) {
	c := testCalendar(t)
	for _, tc := range []struct {
		a, b string
		want time.Duration
	}{
		{"2026-12-01 09:00", "2026-12-01 10:30", 90 * time.Minute},
		{"2026-12-01 11:00", "2026-12-01 14:00", 2 * time.Hour},
		{"2026-12-04 16:00", "2026-12-07 09:00", 2 * time.Hour},
		{"2026-12-05 08:00", "2026-12-06 17:00", 0},
		{"2026-12-01 10:00", "2026-12-01 09:00", 0},
		{"2026-08-31 08:00", "2026-09-03 08:00", 8 * time.Hour},
		{"2026-12-01 00:00", "2026-12-08 00:00", 40 * time.Hour},
	} {
		if got := c.Worked(at(tc.a), at(tc.b)); got != tc.want {
			t.Errorf("Worked(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		fail bool
	}{
		{"", 0, false},
		{"2026-01-01", 1, false},
		{"2026-01-01,2026-01-01", 1, false},
		{"2026-02-14..2026-02-22\n2026-04-27", 10, false},
		{"2026-13-01", 0, true},
		{"2026-02-22..2026-02-14", 0, true},
		{"1/1/2026", 0, true},
		{"2026-01-01..2028-01-01", 0, true},
	} {
		h, err := ParseHolidays(tc.in)
		if (err != nil) != tc.fail || len(h) != tc.n {
			t.Errorf("ParseHolidays(%q) = %d days, %v; want %d, fail %v", tc.in, len(h), err, tc.n, tc.fail)
		}
	}
	if got := FixedHolidays(2027); len(got) != 5 || got[0] != "2027-01-01" {
		t.Errorf("FixedHolidays(2027) = %v", got)
	}
}
