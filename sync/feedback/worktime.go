package feedback

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Calendar says which hours are working hours, for the deadline clocks of
// a case: a state office works Monday to Friday, 08:00–12:00 and
// 13:00–17:00 local time, except on public holidays. Vietnam's holidays
// with a fixed solar date are known (FixedHolidays); Tết and the Hùng
// Kings' day follow the lunar calendar and the government's yearly
// decision, so the hub's operator lists them (ParseHolidays).
type Calendar struct {
	// Loc is the offices' time zone; nil means Asia/Ho_Chi_Minh (UTC+7,
	// no daylight saving).
	Loc *time.Location
	// Periods are the working periods of a working day, as offsets from
	// midnight, in order and not overlapping; nil means DefaultPeriods.
	Periods []Period
	// Holidays are the days off besides weekends, as "2006-01-02" in Loc.
	Holidays map[string]bool
}

// Period is a span of working time within a day: [From, To).
type Period struct{ From, To time.Duration }

// DefaultPeriods are 08:00–12:00 and 13:00–17:00: eight hours.
var DefaultPeriods = []Period{{8 * time.Hour, 12 * time.Hour}, {13 * time.Hour, 17 * time.Hour}}

// vietnam is UTC+7 without daylight saving.
var vietnam = time.FixedZone("ICT", 7*3600)

func (c *Calendar) loc() *time.Location {
	if c.Loc != nil {
		return c.Loc
	}
	return vietnam
}

func (c *Calendar) periods() []Period {
	if len(c.Periods) > 0 {
		return c.Periods
	}
	return DefaultPeriods
}

// DayLength is the working time of one working day.
func (c *Calendar) DayLength() time.Duration {
	var d time.Duration
	for _, p := range c.periods() {
		d += p.To - p.From
	}
	return d
}

// WorkingDay reports whether the day of t (in the calendar's zone) is a
// working day.
func (c *Calendar) WorkingDay(t time.Time) bool {
	t = t.In(c.loc())
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.Holidays[t.Format(time.DateOnly)]
}

// midnight is the start of t's day in the calendar's zone.
func (c *Calendar) midnight(t time.Time) time.Time {
	t = t.In(c.loc())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc())
}

// maxDays bounds the walks below: a calendar with no working day in ten
// years is a configuration error, not a reason to loop for ever.
const maxDays = 3660

// Add returns the moment at which d of working time has passed since
// start: a case received at 16:00 on a Friday with 8 working hours to go
// is due at 16:00 on Monday. d ≤ 0 gives start.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	day := c.midnight(start)
	for range maxDays {
		if c.WorkingDay(day) {
			for _, p := range c.periods() {
				from, to := day.Add(p.From), day.Add(p.To)
				if !start.Before(to) {
					continue
				}
				if start.After(from) {
					from = start
				}
				if left := to.Sub(from); d <= left {
					return from.Add(d)
				} else {
					d -= left
				}
			}
		}
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.loc())
	}
	return start.Add(maxDays * 24 * time.Hour)
}

// AddDays returns the moment n working days of working time after start
// (n × DayLength).
func (c *Calendar) AddDays(start time.Time, n int) time.Time {
	return c.Add(start, time.Duration(n)*c.DayLength())
}

// Worked returns the working time between a and b (0 when b is not after a).
func (c *Calendar) Worked(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var sum time.Duration
	day := c.midnight(a)
	for range maxDays {
		if !day.Before(b) {
			break
		}
		if c.WorkingDay(day) {
			for _, p := range c.periods() {
				from, to := day.Add(p.From), day.Add(p.To)
				if from.Before(a) {
					from = a
				}
				if to.After(b) {
					to = b
				}
				if to.After(from) {
					sum += to.Sub(from)
				}
			}
		}
		day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.loc())
	}
	return sum
}

// FixedHolidays returns Vietnam's public holidays with a fixed solar date
// in year (Labour Code 2019, art. 112): New Year's Day, Reunification Day
// (30/4), Labour Day (1/5) and National Day (2/9 and, as decided each year,
// one day next to it, here 1/9). Tết and the Hùng Kings' day are not here.
func FixedHolidays(year int) []string {
	return []string{
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-04-30", year), fmt.Sprintf("%04d-05-01", year),
		fmt.Sprintf("%04d-09-01", year), fmt.Sprintf("%04d-09-02", year),
	}
}

// ParseHolidays reads a list of days off: dates "2006-01-02" and ranges
// "2026-02-14..2026-02-22", separated by commas, spaces or new lines.
func ParseHolidays(s string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r' }) {
		from, to, isRange := strings.Cut(f, "..")
		a, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return nil, fmt.Errorf("holiday %q: want a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD", f)
		}
		b := a
		if isRange {
			if b, err = time.Parse(time.DateOnly, to); err != nil || b.Before(a) || b.Sub(a) > 366*24*time.Hour {
				return nil, fmt.Errorf("holiday range %q: want YYYY-MM-DD..YYYY-MM-DD, in order, at most a year", f)
			}
		}
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			out[d.Format(time.DateOnly)] = true
		}
	}
	return out, nil
}

// HolidayList returns the days of a holiday set in order.
func HolidayList(h map[string]bool) []string {
	out := make([]string, 0, len(h))
	for d := range h {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}
