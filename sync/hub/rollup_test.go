package hub

import (
	"reflect"
	"testing"
)

func TestPeriodSources(t *testing.T) {
	const m = TableMonthPoints
	for _, tc := range []struct {
		name, from, to string
		want           []source
	}{
		{"one whole month", "2026-11-01", "2026-12-01", []source{{m, dayRange{"2026-11-01", "2026-12-01"}}}},
		{"days, months, days", "2026-10-20", "2026-12-10", []source{{m, dayRange{"2026-11-01", "2026-12-01"}},
			{TableFine, dayRange{"2026-10-20", "2026-11-01"}}, {TableFine, dayRange{"2026-12-01", "2026-12-10"}}}},
		{"inside one month", "2026-11-03", "2026-11-20", []source{{TableFine, dayRange{"2026-11-03", "2026-11-20"}}}},
		{"across one month's end", "2026-11-20", "2026-12-05", []source{{TableFine, dayRange{"2026-11-20", "2026-12-05"}}}},
		{"open start", "", "2026-11-15", []source{{m, dayRange{"", "2026-11-01"}}, {TableFine, dayRange{"2026-11-01", "2026-11-15"}}}},
		{"open end", "2026-12-15", "", []source{{m, dayRange{"2027-01-01", ""}}, {TableFine, dayRange{"2026-12-15", "2027-01-01"}}}},
		{"open end at a month", "2026-12-01", "", []source{{m, dayRange{"2026-12-01", ""}}}},
		{"one day", "2026-11-30", "2026-12-01", []source{{TableFine, dayRange{"2026-11-30", "2026-12-01"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := periodSources(tc.from, tc.to, m); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("periodSources(%q, %q) = %v, want %v", tc.from, tc.to, got, tc.want)
			}
		})
	}
}
