//go:build !windows

package report

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// benchResponses makes n complete responses over 60 days and 3 service points.
func benchResponses(n int) []*survey.Response {
	codes := []string{"rhl", "hl", "bt", "khl", "rkhl"}
	points := []string{"Phường Ba Đình", "Phường Hoàn Kiếm", "Xã Sóc Sơn"}
	rs := make([]*survey.Response, n)
	step := 60 * 24 * time.Hour / time.Duration(n)
	for i := range rs {
		rs[i] = &survey.Response{
			SurveyID: "sipas", SurveyVersion: 1, Status: survey.StatusComplete,
			StartedAt:    base.Add(time.Duration(i) * step),
			ServicePoint: points[i%len(points)],
			Answers: survey.Answers{
				"q1": {codes[i%5]}, "q2": {codes[(i/5)%5]}, "q3": {codes[(i/25)%5]},
				"q4": {[]string{"rhl", "hl", "khl"}[i%3]}, "yn": {"yes"},
			},
		}
	}
	return rs
}

// BenchmarkIndex1M aggregates 1 000 000 in-memory responses (4 rating
// questions each) into the full report. Target: < 300 ms per op.
func BenchmarkIndex1M(b *testing.B) {
	rs := benchResponses(1_000_000)
	defs := []*survey.Survey{testSurvey(1)}
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	for b.Loop() {
		rep, err := Compute(context.Background(), defs, seq(rs), Options{})
		if err != nil || rep.Totals.Counted != len(rs) {
			b.Fatal(err, rep.Totals)
		}
	}
	b.StopTimer()
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	// CPU time of the process (GC included) per op: steadier than the wall
	// clock on a shared machine.
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
}
