package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// figureSurveys are the surveys of the figures test: SIPAS elements with
// rating3 and rating5 questions, a rating outside any element, and a
// second version that drops a question.
var figureSurveys = []string{
	`{"id":"sipas","version":1,"title":{"vi":"SIPAS"},"questions":[
		{"code":"a1","type":"rating5","index":"sipas:tiep-can","text":{"vi":"A1"}},
		{"code":"a2","type":"rating3","index":"sipas:tiep-can","text":{"vi":"A2"}},
		{"code":"c1","type":"rating5","index":"sipas:cong-chuc","text":{"vi":"C1"}},
		{"code":"x","type":"rating3","text":{"vi":"X"},"optional":true},
		{"code":"note","type":"text","text":{"vi":"Góp ý"},"optional":true}]}`,
	`{"id":"sipas","version":2,"title":{"vi":"SIPAS"},"questions":[
		{"code":"a1","type":"rating5","index":"sipas:tiep-can","text":{"vi":"A1 mới"}},
		{"code":"c1","type":"rating5","index":"sipas:cong-chuc","text":{"vi":"C1"}}]}`,
	`{"id":"nhanh","version":1,"title":{"vi":"Nhanh"},"questions":[
		{"code":"q1","type":"rating3","text":{"vi":"Hài lòng?"}}]}`,
}

// testFiguresMatchCompute is the property test of Store.Figures: on
// random responses (random answers, statuses, misuse flags, days over
// three months, service points, devices, event tags), report.FromCells
// over Figures equals report.Compute over Responses for every filter and
// option tried (fixed ones, and random periods, whole or cut inside a
// month, with random service point and device filters), suppression
// included (many groups are small), DeviceCounts
// equals the responses counted by service point and device, and
// deliveries that are duplicates or conflicts change neither.
func testFiguresMatchCompute(t *testing.T, s hub.Store) {
	ctx := context.Background()
	var defs []*survey.Survey
	for _, raw := range figureSurveys {
		d, err := survey.Parse([]byte(raw))
		if err != nil {
			t.Fatalf("test survey: %v", err)
		}
		defs = append(defs, d)
	}
	rng := rand.New(rand.NewPCG(14, 2026))
	loc := survey.Location()
	points := []string{"Phường Hoàn Kiếm", "Xã Sóc Sơn", "Phường Ba Đình", "Điểm lưu động"}
	tags := []string{"", "", "", "KCN Thăng Long – ca sáng"}
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl", "??"}
	var items []hub.Incoming
	const n = 900
	for i := range n {
		d := defs[rng.IntN(len(defs))]
		start := time.Date(2026, 10, 1, 0, 0, 0, 0, loc).Add(time.Duration(rng.IntN(92*24*60)) * time.Minute)
		r := &survey.Response{
			ID: uuidN(100000 + i), SurveyID: d.ID, SurveyVersion: d.Version, Answers: survey.Answers{},
			StartedAt: start.UTC(), FinishedAt: start.UTC().Add(time.Minute), ServicePoint: points[rng.IntN(len(points))],
			DeviceID: fmt.Sprintf("dev-%d", rng.IntN(3)), Lang: "vi", Status: survey.StatusComplete, EventTag: tags[rng.IntN(len(tags))],
		}
		if rng.IntN(6) == 0 {
			r.Status = survey.StatusAbandoned
		}
		if rng.IntN(10) == 0 {
			r.Misuse = true
		}
		for _, q := range d.Questions {
			if q.Type.IsRating() && rng.IntN(5) != 0 {
				r.Answers[q.Code] = []string{codes[rng.IntN(len(codes))]}
			}
		}
		in, err := hub.NewIncoming(d, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, in)
	}
	for b := 0; b < len(items); b += 250 {
		ingest(t, s, items[b:min(b+250, len(items))]...)
	}
	// Replays and conflicts: stored once, counted once.
	ingest(t, s, items[:300]...)
	changed := *items[7].Response
	changed.Answers = survey.Answers{}
	conflict, err := hub.NewIncoming(defs[0], &changed, []byte("sig"))
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, s, conflict)

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, loc) }
	filters := map[string]hub.Filter{
		"all":                  {},
		"one service point":    {ServicePoint: "Xã Sóc Sơn"},
		"one device":           {DeviceID: "dev-1"},
		"abandoned":            {Status: survey.StatusAbandoned},
		"event":                {EventTag: "KCN Thăng Long – ca sáng"},
		"survey":               {SurveyID: "sipas"},
		"survey version":       {SurveyID: "sipas", SurveyVersion: 2},
		"november":             {From: day(11, 1), To: day(12, 1)},
		"one day":              {From: day(11, 20), To: day(11, 21)},
		"from only":            {From: day(12, 15)},
		"point and a week":     {ServicePoint: "Phường Hoàn Kiếm", From: day(10, 5), To: day(10, 12)},
		"nothing":              {SurveyID: "none"},
		"device and version":   {DeviceID: "dev-2", SurveyID: "sipas", SurveyVersion: 1},
		"days, a month, days":  {From: day(10, 20), To: day(12, 10)},
		"two whole months":     {From: day(10, 1), To: day(12, 1)},
		"to only":              {To: day(11, 15)},
		"to a month's start":   {To: day(11, 1)},
		"from a month's start": {From: day(11, 1)},
		"month and status":     {From: day(11, 1), To: day(12, 1), Status: survey.StatusComplete},
		"month and version":    {From: day(12, 1), To: day(12, 17), SurveyID: "sipas", SurveyVersion: 1},
		"month and device":     {From: day(11, 1), To: day(12, 1), DeviceID: "dev-0"},
		"month and event":      {From: day(10, 3), To: day(12, 1), EventTag: "KCN Thăng Long – ca sáng"},
	}
	// Random filters: periods that start and end inside a month or at a
	// month's start (or are open), with a service point, a device, both or
	// neither, sometimes a status, survey or event tag: the whole months of
	// a period come from the month sums, its other days from the fine rows,
	// one point or device from the day sums.
	starts := []time.Time{{}, day(10, 1), day(11, 1), day(12, 1)}
	for i := range 40 {
		var f hub.Filter
		switch rng.IntN(3) {
		case 0:
			f.From = starts[rng.IntN(len(starts))]
		case 1:
			f.From = day(10, 1).AddDate(0, 0, rng.IntN(92))
		}
		switch rng.IntN(3) {
		case 0:
			f.To = starts[rng.IntN(len(starts))]
		case 1:
			f.To = day(10, 1).AddDate(0, 0, rng.IntN(93))
		}
		if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
			f.To = f.From.AddDate(0, 0, 1+rng.IntN(60))
		}
		if rng.IntN(2) == 0 {
			f.ServicePoint = points[rng.IntN(len(points))]
		}
		if rng.IntN(2) == 0 {
			f.DeviceID = fmt.Sprintf("dev-%d", rng.IntN(3))
		}
		switch rng.IntN(8) {
		case 0:
			f.Status = survey.StatusAbandoned
		case 1:
			f.SurveyID, f.SurveyVersion = "sipas", 1+rng.IntN(2)
		case 2:
			f.EventTag = tags[len(tags)-1]
		}
		filters[fmt.Sprintf("random %d", i)] = f
	}
	opts := []report.Options{{}, {IncludeAbandoned: true}, {IncludeFlagged: true, IncludeAbandoned: true}}
	for name, f := range filters {
		if got, want := deviceCounts(t, s, f), countResponses(t, s, f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: DeviceCounts from the rollup differ from the responses counted:\n got %+v\nwant %+v", name, got, want)
		}
		for _, opt := range opts {
			want, err := report.Compute(ctx, defs, s.Responses(ctx, f), opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := report.FromCells(ctx, defs, s.Figures(ctx, f), opt)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %+v (filter %+v): figures from the rollup differ from report.Compute:\n got %+v\nwant %+v", name, opt, f, got, want)
			}
			// The cells the report counts in its totals alone may come
			// without their other counters (hub.Report asks so).
			fc := f
			fc.CountedFor = &opt
			if got, err = report.FromCells(ctx, defs, s.Figures(ctx, fc), opt); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %+v (filter %+v, CountedFor set): figures from the rollup differ from report.Compute:\n got %+v\nwant %+v", name, opt, f, got, want)
			}
			if got, err = hub.Report(ctx, s, defs, f, opt); err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s %+v: hub.Report differs from report.Compute (%v)", name, opt, err)
			}
			if name == "all" && want.Totals.Responses != n {
				t.Errorf("all: %d responses counted, want %d", want.Totals.Responses, n)
			}
		}
	}
	// hub.Report picks the rollup for day-aligned filters, raw rows for others.
	odd := hub.Filter{From: day(11, 1).Add(time.Hour)}
	if _, err := s.DeviceCounts(ctx, odd); !errors.Is(err, hub.ErrNotDayAligned) {
		t.Errorf("DeviceCounts with a filter not at a day's start: %v, want ErrNotDayAligned", err)
	}
	for _, err := range s.Figures(ctx, odd) {
		if err == nil {
			t.Error("Figures with a filter not at a day's start answered without an error")
		}
		break
	}
	got, err := hub.Report(ctx, s, defs, odd, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.Compute(ctx, defs, s.Responses(ctx, odd), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("hub.Report with a filter not at a day's start differs from report.Compute")
	}
}

// deviceCounts is s.DeviceCounts(f), failing the test on an error.
func deviceCounts(t *testing.T, s hub.Store, f hub.Filter) []hub.DeviceCount {
	t.Helper()
	got, err := s.DeviceCounts(context.Background(), f)
	if err != nil {
		t.Fatalf("DeviceCounts(%+v): %v", f, err)
	}
	return got
}

// countResponses counts Responses(f) per service point and device, in
// the order DeviceCounts promises.
func countResponses(t *testing.T, s hub.Store, f hub.Filter) []hub.DeviceCount {
	t.Helper()
	n := map[[2]string]int{}
	for r, err := range s.Responses(context.Background(), f) {
		if err != nil {
			t.Fatal(err)
		}
		n[[2]string{r.ServicePoint, r.DeviceID}]++
	}
	var out []hub.DeviceCount
	for k, c := range n {
		out = append(out, hub.DeviceCount{ServicePoint: k[0], DeviceID: k[1], Responses: c})
	}
	slices.SortFunc(out, func(a, b hub.DeviceCount) int {
		return cmp.Or(strings.Compare(a.ServicePoint, b.ServicePoint), strings.Compare(a.DeviceID, b.DeviceID))
	})
	return out
}
