package export

import (
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// timeZones are the zones appendTime is checked in: the export's own
// (whose history holds +08:00 and a local mean time of +07:06:40), zones
// west of UTC, a half-hour and a quarter-hour offset, one with summer
// time, and offsets with seconds on both sides.
func timeZones(t testing.TB) []*time.Location {
	t.Helper()
	locs := []*time.Location{survey.Location(), time.UTC, time.FixedZone("", -7*3600-30*60-15),
		time.FixedZone("", 7*3600+6*60+40), time.FixedZone("", -59), time.FixedZone("", 59)}
	for _, name := range []string{"America/St_Johns", "Asia/Kathmandu", "Europe/Berlin", "Pacific/Kiritimati"} {
		if loc, err := time.LoadLocation(name); err == nil {
			locs = append(locs, loc)
		}
	}
	return locs
}

func TestAppendTime(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 11, 24, 16, 59, 30, 0, time.UTC),
		time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), // new year in Hà Nội
		time.Date(2024, 2, 28, 23, 0, 0, 999999999, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), // year 10000 in +07:00
		time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1959, 12, 31, 16, 0, 0, 0, time.UTC),
		time.Date(-1, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),
		time.Unix(0, 0),
	}
	for _, loc := range timeZones(t) {
		for _, tm := range times {
			want := tm.In(loc).Format(TimeLayout)
			if got := string(appendTime([]byte("x"), tm, loc)); got != "x"+want {
				t.Errorf("%v in %v: got %q, want %q", tm, loc, got, "x"+want)
			}
		}
	}
}

// FuzzAppendTime checks appendTime against time.Format over any instant.
func FuzzAppendTime(f *testing.F) {
	f.Add(int64(1795000000), int64(0))
	f.Add(int64(-62135596800), int64(0))
	f.Add(int64(253402300799), int64(999999999))
	f.Add(int64(-2208988800), int64(1))
	locs := timeZones(f)
	f.Fuzz(func(t *testing.T, sec, nsec int64) {
		tm := time.Unix(sec, nsec)
		for _, loc := range locs {
			want := tm.In(loc).Format(TimeLayout)
			if got := string(appendTime(nil, tm, loc)); got != want {
				t.Fatalf("%d.%09d in %v: got %q, want %q", sec, nsec, loc, got, want)
			}
		}
	})
}
