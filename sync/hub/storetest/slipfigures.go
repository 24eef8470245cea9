package storetest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// testSlipElsewhere: a slip's first use by a response from another
// service point than it was printed for (neither the response's nor its
// device's) is stored as SlipElsewhere and uses the slip; a later use at
// its own point is then reused; a device enrolled for the slip's point
// makes a first use whatever its responses call the point.
func testSlipElsewhere(t *testing.T, s hub.Store) {
	ctx := context.Background()
	batch := slipBatch(t, "Xã Sóc Sơn", 3)
	if err := s.IssueSlips(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// A kiosk enrolled for Xã Sóc Sơn whose own setting names its point
	// otherwise: its device's point matches, so its use is a first.
	if err := s.CreateDevice(ctx, &hub.Device{ID: "dev-soc-son", Name: "Quầy 1", ServicePoint: "Xã Sóc Sơn", CreatedAt: t0, CodeExpiresAt: t0.Add(time.Hour)},
		[]byte("code hash of dev-soc-son ......")); err != nil {
		t.Fatal(err)
	}
	spelled := Response(uuidN(4), t0.Add(3*time.Minute))
	spelled.ServicePoint, spelled.DeviceID = "UBND xã Sóc Sơn", "dev-soc-son"
	other := Incoming(t, spelled)
	other.Slip = batch[2].Code.Compact()
	away := Incoming(t, Response(uuidN(1), t0)) // from Phường Hoàn Kiếm
	away.Slip = batch[0].Code.Compact()
	homeR := Response(uuidN(2), t0.Add(time.Minute))
	homeR.ServicePoint = "Xã Sóc Sơn"
	home := Incoming(t, homeR)
	home.Slip = batch[0].Code.Compact()
	ownR := Response(uuidN(3), t0.Add(2*time.Minute))
	ownR.ServicePoint = "Xã Sóc Sơn"
	own := Incoming(t, ownR)
	own.Slip = batch[1].Code.Compact()
	if got := ingest(t, s, away, home, own, other); !allAccepted(got) {
		t.Fatalf("outcomes %v", got)
	}
	for i, want := range []hub.SlipStatus{hub.SlipElsewhere, hub.SlipReused, hub.SlipFirst, hub.SlipFirst} {
		if _, st, err := s.ResponseSlip(ctx, uuidN(i+1)); err != nil || st != want {
			t.Errorf("ResponseSlip %d = %q, %v; want %q", i+1, st, err, want)
		}
	}
	if sl, err := s.Slip(ctx, batch[0].Code); err != nil || sl.UsedBy != uuidN(1) {
		t.Errorf("slip used elsewhere: %+v, %v; want used by the first response", sl, err)
	}
	if !hub.SlipElsewhere.Flagged() {
		t.Error("SlipElsewhere is not flagged")
	}
}

// testSlipPrints: IssueSlips keeps the printed counts per day (in
// Asia/Ho_Chi_Minh) and service point; SlipPrints reads a range of days.
func testSlipPrints(t *testing.T, s hub.Store) {
	ctx := context.Background()
	loc := survey.Location()
	issue := func(point string, n int, at time.Time) {
		t.Helper()
		slips, err := hub.NewSlipBatch(point, n, at, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.IssueSlips(ctx, slips); err != nil {
			t.Fatal(err)
		}
	}
	issue("Phường Hoàn Kiếm", 3, time.Date(2026, 11, 24, 23, 30, 0, 0, loc)) // 16:30 UTC: the 24th in Hà Nội
	issue("Phường Hoàn Kiếm", 4, time.Date(2026, 11, 25, 0, 30, 0, 0, loc))  // 17:30 UTC on the 24th: the 25th
	issue("Phường Hoàn Kiếm", 2, time.Date(2026, 11, 25, 9, 0, 0, 0, loc))
	issue("Xã Sóc Sơn", 5, time.Date(2026, 11, 25, 10, 0, 0, 0, loc))
	if err := s.IssueSlips(ctx, slipBatch(t, "Xã Sóc Sơn", 1)[:1]); err != nil {
		t.Fatal(err)
	}
	got, err := s.SlipPrints(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []hub.SlipPrint{{Day: "2026-11-24", ServicePoint: "Phường Hoàn Kiếm", Printed: 3},
		{Day: "2026-11-25", ServicePoint: "Phường Hoàn Kiếm", Printed: 6}, {Day: "2026-11-25", ServicePoint: "Xã Sóc Sơn", Printed: 6}}
	if !slices.Equal(got, want) {
		t.Errorf("SlipPrints = %v, want %v", got, want)
	}
	if got, err := s.SlipPrints(ctx, "2026-11-25", "2026-11-26"); err != nil || !slices.Equal(got, want[1:]) {
		t.Errorf("SlipPrints of the 25th = %v, %v; want %v", got, err, want[1:])
	}
	if got, err := s.SlipPrints(ctx, "", "2026-11-25"); err != nil || !slices.Equal(got, want[:1]) {
		t.Errorf("SlipPrints before the 25th = %v, %v; want %v", got, err, want[:1])
	}
	// A refused run (a code already stored) counts nothing.
	dup := slipBatch(t, "Xã Sóc Sơn", 2)
	if err := s.IssueSlips(ctx, dup[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.IssueSlips(ctx, dup); err == nil {
		t.Fatal("a run with a stored code was stored")
	}
	if got, err := s.SlipPrints(ctx, "2026-11-25", "2026-11-26"); err != nil || len(got) != 2 || got[1].Printed != 7 {
		t.Errorf("after a refused run: %v, want Xã Sóc Sơn 7", got)
	}
}

// testSlipFiguresMatchRows is the property test of the slip figures: on
// random responses (points, days over two months, statuses, misuse, at a
// kiosk or on the phone page, without a slip or with a fresh, reused,
// unknown or other point's slip), hub.SlipFigures over the store's sums
// equals a plain count over the stored rows (Responses, ResponseSlip,
// FileCounts and the slips printed), flagged ratings split by reason, for
// every filter tried; and a purge of every response changes none of them.
func testSlipFiguresMatchRows(t *testing.T, s hub.Store) {
	ctx := context.Background()
	def, err := survey.Parse([]byte(figureSurveys[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PublishSurvey(ctx, hub.PublishedSurvey{ID: def.ID, Version: def.Version, Definition: []byte(figureSurveys[0]), PublishedAt: t0}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 2026))
	loc := survey.Location()
	points := []string{"Phường Hoàn Kiếm", "Xã Sóc Sơn", "Phường Ba Đình"}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, loc)
	fresh := map[string][]string{}
	printedDay := map[[2]string]int{}
	var printed []string // every code, for reuse
	for _, p := range points {
		for b := range 3 {
			at := start.Add(time.Duration(b*20+rng.IntN(10)) * 24 * time.Hour)
			slips, err := hub.NewSlipBatch(p, 20+rng.IntN(30), at, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.IssueSlips(ctx, slips); err != nil {
				t.Fatal(err)
			}
			for _, sl := range slips {
				fresh[p] = append(fresh[p], sl.Code.Compact())
				printed = append(printed, sl.Code.Compact())
			}
			printedDay[[2]string{at.Format(hub.DayFormat), p}] += len(slips)
		}
	}
	var files []hub.FileCount
	for d := 0; d < 61; d += 1 + rng.IntN(3) {
		files = append(files, hub.FileCount{Day: start.AddDate(0, 0, d).Format(hub.DayFormat), ServicePoint: points[rng.IntN(len(points))], Files: rng.IntN(40)})
	}
	if err := s.PutFileCounts(ctx, files, t0); err != nil {
		t.Fatal(err)
	}
	codes := []string{"rhl", "hl", "bt", "khl"}
	var items []hub.Incoming
	for i := range 600 {
		at := start.Add(time.Duration(rng.IntN(61*24*60)) * time.Minute)
		r := &survey.Response{ID: uuidN(200000 + i), SurveyID: def.ID, SurveyVersion: def.Version, Answers: survey.Answers{},
			StartedAt: at.UTC(), FinishedAt: at.UTC().Add(time.Minute), ServicePoint: points[rng.IntN(len(points))],
			DeviceID: fmt.Sprintf("dev-%d", rng.IntN(2)), Lang: "vi", Status: survey.StatusComplete}
		if rng.IntN(8) == 0 {
			r.Status = survey.StatusAbandoned
		}
		if rng.IntN(12) == 0 {
			r.Misuse = true
		}
		for _, q := range def.Questions {
			if q.Type.IsRating() && rng.IntN(6) != 0 {
				r.Answers[q.Code] = []string{codes[rng.IntN(len(codes))]}
			}
		}
		code := ""
		switch k := rng.IntN(10); {
		case k < 4: // no slip
		case k < 8: // a fresh slip of its point, at a kiosk or on the phone
			if f := fresh[r.ServicePoint]; len(f) > 0 {
				code, fresh[r.ServicePoint] = f[0], f[1:]
			}
			if rng.IntN(3) == 0 {
				r.DeviceID = hub.WebDeviceID
			}
		case k == 8: // any printed slip: used already, or another point's
			code = printed[rng.IntN(len(printed))]
		default:
			code = "ZZZZZZZZZZ"
		}
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		in.Slip = code
		items = append(items, in)
	}
	for b := 0; b < len(items); b += 200 {
		ingest(t, s, items[b:min(b+200, len(items))]...)
	}
	ingest(t, s, items[:100]...) // replays count once

	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, loc) }
	filters := map[string]hub.Filter{
		"all":             {},
		"october":         {From: day(10, 1), To: day(11, 1)},
		"days and months": {From: day(10, 12), To: day(11, 20)},
		"one point":       {ServicePoint: "Xã Sóc Sơn"},
		"point and days":  {ServicePoint: "Phường Ba Đình", From: day(10, 3), To: day(10, 30)},
		"one device":      {DeviceID: hub.WebDeviceID},
		"from only":       {From: day(11, 7)},
	}
	sawChannel, sawFlag := map[string]bool{}, map[hub.SlipStatus]bool{}
	before := map[string]map[string]report.SlipCounts{}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			got, err := hub.SlipFigures(ctx, s, f)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]report.SlipCounts{}
			for r, err := range s.Responses(ctx, f) {
				if err != nil {
					t.Fatal(err)
				}
				c := report.CellOf(def, r)
				if r.Status != survey.StatusComplete || r.Misuse || c.Rated == 0 {
					continue
				}
				_, st, err := s.ResponseSlip(ctx, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				one := report.Counter{N: 1, Sat: c.Satisfied}
				p := want[r.ServicePoint]
				switch ch := hub.SlipChannel(st, r.DeviceID); ch {
				case hub.ChannelDesk:
					p.Desk.N, p.Desk.Sat = p.Desk.N+1, p.Desk.Sat+one.Sat
				case hub.ChannelHome:
					p.Home.N, p.Home.Sat = p.Home.N+1, p.Home.Sat+one.Sat
				case hub.ChannelFlagged:
					p.Flagged.N, p.Flagged.Sat = p.Flagged.N+1, p.Flagged.Sat+one.Sat
					switch st {
					case hub.SlipUnknown:
						p.Unknown++
					case hub.SlipReused:
						p.Reused++
					case hub.SlipElsewhere:
						p.Elsewhere++
					}
					sawFlag[st] = true
				default:
					p.NoSlip.N, p.NoSlip.Sat = p.NoSlip.N+1, p.NoSlip.Sat+one.Sat
				}
				sawChannel[hub.SlipChannel(st, r.DeviceID)] = true
				want[r.ServicePoint] = p
			}
			from, to, _ := hub.FilterDays(f)
			inDays := func(d string) bool { return (from == "" || d >= from) && (to == "" || d < to) }
			for _, fc := range files {
				if inDays(fc.Day) && (f.ServicePoint == "" || fc.ServicePoint == f.ServicePoint) {
					p := want[fc.ServicePoint]
					p.FilesKnown, p.Files = true, p.Files+fc.Files
					want[fc.ServicePoint] = p
				}
			}
			for k, n := range printedDay {
				if inDays(k[0]) && (f.ServicePoint == "" || k[1] == f.ServicePoint) {
					p := want[k[1]]
					p.Printed += n
					want[k[1]] = p
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("SlipFigures(%+v)\n got %v\nwant %v", f, got, want)
			}
			before[name] = got
		})
	}
	for _, ch := range []string{"", hub.ChannelDesk, hub.ChannelHome, hub.ChannelFlagged} {
		if !sawChannel[ch] {
			t.Errorf("no rating in channel %q: the test data misses a case", ch)
		}
	}
	for _, st := range []hub.SlipStatus{hub.SlipUnknown, hub.SlipReused, hub.SlipElsewhere} {
		if !sawFlag[st] {
			t.Errorf("no rating flagged %q: the test data misses a case", st)
		}
	}
	// A purge of every response leaves the figures as they were: they are
	// the store's sums, kept apart from the responses.
	at := start.AddDate(0, 3, 0)
	if res, err := s.Purge(ctx, hub.PurgeRequest{ResponsesBefore: at, Entry: hub.NewAuditEntry(at, "cli:root", hub.AuditPurge, "local", nil)}); err != nil || res.Responses != int64(len(items)) {
		t.Fatalf("purge: %+v, %v; want %d responses purged", res, err, len(items))
	}
	for name, f := range filters {
		if got, err := hub.SlipFigures(ctx, s, f); err != nil || !maps.Equal(got, before[name]) {
			t.Errorf("SlipFigures(%+v) after the purge = %v, %v\nwant %v", f, got, err, before[name])
		}
	}
}

// SlipBackfill is what a store held before a test took its slip sums
// away (as a database from before they existed): the slip figures and
// the status of each response with a slip. Check compares a store
// migrated again with it.
type SlipBackfill struct {
	Figures  map[string]report.SlipCounts
	Statuses map[string]hub.SlipStatus
}

// FillForSlipBackfill stores in s, through Ingest, a ward's slips and
// responses of every channel (desk, home, without a slip, reused, used at
// another point) and returns what s reports of them.
func FillForSlipBackfill(t *testing.T, s hub.Store) SlipBackfill {
	t.Helper()
	ctx := context.Background()
	def, err := survey.Parse([]byte(figureSurveys[2]))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PublishSurvey(ctx, hub.PublishedSurvey{ID: def.ID, Version: def.Version, Definition: []byte(figureSurveys[2]), PublishedAt: t0}); err != nil {
		t.Fatal(err)
	}
	a, b := slipBatch(t, "Phường Hoàn Kiếm", 3), slipBatch(t, "Xã Sóc Sơn", 1)
	if err := s.IssueSlips(ctx, append(a, b...)); err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for i, c := range []struct {
		point, device, answer string
		slip                  *hub.Slip
	}{
		{"Phường Hoàn Kiếm", "dev-a", "hl", &a[0]},
		{"Phường Hoàn Kiếm", hub.WebDeviceID, "khl", &a[1]},
		{"Xã Sóc Sơn", "dev-b", "rhl", &a[2]}, // another point's slip
		{"Phường Hoàn Kiếm", "dev-a", "hl", nil},
		{"Phường Hoàn Kiếm", "dev-a", "khl", &a[0]}, // used already
		{"Xã Sóc Sơn", "dev-b", "hl", &b[0]},
	} {
		start := t0.Add(time.Duration(i) * time.Minute)
		r := &survey.Response{ID: uuidN(300 + i), SurveyID: def.ID, SurveyVersion: def.Version, Answers: survey.Answers{"q1": {c.answer}},
			StartedAt: start, FinishedAt: start.Add(time.Minute), ServicePoint: c.point, DeviceID: c.device, Lang: "vi", Status: survey.StatusComplete}
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		if c.slip != nil {
			in.Slip = c.slip.Code.Compact()
		}
		items = append(items, in)
	}
	ingest(t, s, items...)
	out := SlipBackfill{Statuses: map[string]hub.SlipStatus{}}
	if out.Figures, err = hub.SlipFigures(ctx, s, hub.Filter{}); err != nil {
		t.Fatal(err)
	}
	for _, in := range items {
		if _, st, err := s.ResponseSlip(ctx, in.Response.ID); err != nil {
			t.Fatal(err)
		} else {
			out.Statuses[in.Response.ID] = st
		}
	}
	want := map[string]report.SlipCounts{
		"Phường Hoàn Kiếm": {Printed: 3, Desk: report.Counter{N: 1, Sat: 1}, Home: report.Counter{N: 1}, NoSlip: report.Counter{N: 1, Sat: 1}, Flagged: report.Counter{N: 1}, Reused: 1},
		"Xã Sóc Sơn":       {Printed: 1, Desk: report.Counter{N: 1, Sat: 1}, Flagged: report.Counter{N: 1, Sat: 1}, Elsewhere: 1},
	}
	if !maps.Equal(out.Figures, want) {
		t.Fatalf("slip figures %v, want %v", out.Figures, want)
	}
	return out
}

// Check fails t unless s reports what b holds.
func (b SlipBackfill) Check(t *testing.T, s hub.Store) {
	t.Helper()
	ctx := context.Background()
	got, err := hub.SlipFigures(ctx, s, hub.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, b.Figures) {
		t.Errorf("slip figures after the migration %v, want %v", got, b.Figures)
	}
	for id, want := range b.Statuses {
		if _, st, err := s.ResponseSlip(ctx, id); err != nil || st != want {
			t.Errorf("slip status of %s after the migration %q, %v; want %q", id, st, err, want)
		}
	}
}
