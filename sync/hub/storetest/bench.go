package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// BenchSurvey is the survey of the scale benchmarks: five SIPAS questions,
// one per element, as a city's kiosk asks them.
const BenchSurvey = `{"id":"sipas","version":1,"title":{"vi":"SIPAS"},"questions":[
	{"code":"tc","type":"rating5","index":"sipas:tiep-can","text":{"vi":"Tiếp cận"}},
	{"code":"tt","type":"rating5","index":"sipas:thu-tuc","text":{"vi":"Thủ tục"}},
	{"code":"cc","type":"rating5","index":"sipas:cong-chuc","text":{"vi":"Công chức"}},
	{"code":"kq","type":"rating5","index":"sipas:ket-qua","text":{"vi":"Kết quả"}},
	{"code":"pa","type":"rating5","index":"sipas:phan-anh","text":{"vi":"Phản ánh"}},
	{"code":"gy","type":"text","optional":true,"text":{"vi":"Góp ý"}}]}`

// BenchPoints is the number of service points of the benchmark data:
// Hanoi's ~156 reception points, one kiosk each.
const BenchPoints = 156

// BenchDays is the calendar span of the benchmark data: one year, whatever
// the number of responses, so that sizes differ in rows, not in days.
const BenchDays = 365

// BenchData names the version of Fill's data in the scale benchmarks'
// cache names (docs/BENCHMARKS.md, "Hub at scale"), so that a database
// cached by an older Fill is never measured as this one: 2 since the
// responses carry rating slips.
const BenchData = "v2"

// Fill stores n benchmark responses in s (published BenchSurvey, random
// answers, BenchPoints service points, spread over BenchDays days from
// 2026-01-01), through Ingest in batches of 500, and returns the survey.
// Their rating slips are those of a desk that hands them out: half of the
// responses with a slip printed for their point (runs of 400 per point,
// printed on the day the previous run ran out), and one in twenty each
// with a slip used before, a code never printed, or another point's slip,
// so that the rollup holds every slip row a desk's would (no phone page
// answers: the bulk copies shift device numbers, which "hub-web" has not).
func Fill(tb testing.TB, s hub.Store, n int) *survey.Survey {
	tb.Helper()
	ctx := context.Background()
	if err := s.PublishSurvey(ctx, hub.PublishedSurvey{ID: "sipas", Version: 1, Definition: []byte(BenchSurvey), PublishedAt: time.Now()}); err != nil {
		tb.Fatal(err)
	}
	def, err := survey.Parse([]byte(BenchSurvey))
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(n), 14))
	codes := []string{"rhl", "hl", "hl", "hl", "bt", "khl", "rkhl"}
	day0 := time.Date(2026, 1, 1, 8, 0, 0, 0, survey.Location())
	batch := make([]hub.Incoming, 0, 500)
	fresh := make([][]string, BenchPoints) // unused slips per point
	used := make([]string, BenchPoints)    // the last slip used per point
	freshSlip := func(p int, at time.Time) string {
		if len(fresh[p]) == 0 {
			y, m, d := at.Date()
			slips, err := hub.NewSlipBatch(fmt.Sprintf("Điểm tiếp nhận số %03d", p), 400, time.Date(y, m, d, 7, 0, 0, 0, at.Location()), nil)
			if err != nil {
				tb.Fatal(err)
			}
			if err := s.IssueSlips(ctx, slips); err != nil {
				tb.Fatal(err)
			}
			for _, sl := range slips {
				fresh[p] = append(fresh[p], sl.Code.Compact())
			}
		}
		code := fresh[p][0]
		fresh[p] = fresh[p][1:]
		return code
	}
	for i := range n {
		p := rng.IntN(BenchPoints)
		start := day0.AddDate(0, 0, i*BenchDays/n).Add(time.Duration(rng.IntN(9*3600)) * time.Second)
		r := &survey.Response{
			ID: fmt.Sprintf("019abcde-f012-7345-%04x-%012x", i>>48&0xffff|0x8000, i), SurveyID: "sipas", SurveyVersion: 1,
			Answers: survey.Answers{}, StartedAt: start.UTC(), FinishedAt: start.UTC().Add(50 * time.Second),
			ServicePoint: fmt.Sprintf("Điểm tiếp nhận số %03d", p), DeviceID: fmt.Sprintf("dev-%03d", p), Lang: "vi",
			Status: survey.StatusComplete,
		}
		if rng.IntN(12) == 0 {
			r.Status = survey.StatusAbandoned
		}
		for _, q := range []string{"tc", "tt", "cc", "kq", "pa"} {
			r.Answers[q] = []string{codes[rng.IntN(len(codes))]}
		}
		if rng.IntN(5) == 0 {
			r.Answers["gy"] = []string{"Cán bộ hướng dẫn tận tình, nhưng phải chờ khá lâu"}
		}
		in, err := hub.NewIncoming(def, r, make([]byte, 64))
		if err != nil {
			tb.Fatal(err)
		}
		switch k := rng.IntN(20); {
		case k < 10: // a slip of its point, first used
			in.Slip = freshSlip(p, start)
			used[p] = in.Slip
		case k == 10 && used[p] != "": // reused
			in.Slip = used[p]
		case k == 11: // never printed
			in.Slip = "ZZZZZZZZZZ"
		case k == 12: // printed for the next point
			in.Slip = freshSlip((p+1)%BenchPoints, start)
		}
		if batch = append(batch, in); len(batch) == cap(batch) || i == n-1 {
			if _, err := s.Ingest(ctx, batch, time.Now()); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return def
}

// BenchDashboard measures hub.Report as the dashboard calls it, on a
// store Fill filled: unfiltered, and for one service point.
func BenchDashboard(b *testing.B, s hub.Store, def *survey.Survey) {
	ctx := context.Background()
	defs := []*survey.Survey{def}
	for _, tc := range []struct {
		name string
		f    hub.Filter
	}{
		{"all", hub.Filter{}},
		{"point", hub.Filter{ServicePoint: "Điểm tiếp nhận số 042"}},
		{"month", hub.Filter{From: time.Date(2026, 6, 1, 0, 0, 0, 0, survey.Location()), To: time.Date(2026, 7, 1, 0, 0, 0, 0, survey.Location())}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				rep, err := hub.Report(ctx, s, defs, tc.f, report.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Overall.Index.Suppressed {
					b.Fatal("suppressed overall index")
				}
			}
		})
	}
}

// BenchTemplate is how many responses Fill stores through Ingest for a
// scale benchmark larger than it; the backends' bulk paths then copy those
// rows in SQL up to the size asked, which must be a multiple of it (Ingest
// at a few thousand responses a second would take an hour for 10 M rows
// on the benchmark machine). Copy j (1 ≤ j < n / BenchTemplate) of a row:
// its id with the first 8 characters replaced by j in hex (%08x), its
// service point and device number p (Fill's "Điểm tiếp nhận số %03d",
// "dev-%03d") moved to (p + j) mod BenchPoints, in the columns and in the
// stored content, everything else (start time, answers, status) as it is.
// Every copy keeps the template's spread over the year, and a day's
// service point gets responses from several template points, so the
// rollup holds the keys a real store of that size would. The rollup is
// then rebuilt in SQL from the template's fine rows shifted the same way,
// its sums from the fine rows: exactly what Ingest would have kept. The
// copies get no acceptance chain entries (nothing the dashboard reads
// depends on them).
const BenchTemplate = 200_000
