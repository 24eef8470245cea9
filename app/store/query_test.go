package store_test

import (
	"context"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestResponsesFilter(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	// r0..r5 start 0..5 minutes after base.
	var rs []*survey.Response
	for i := range 6 {
		rs = append(rs, newResponse(t, i))
	}
	rs[1].SurveyVersion = 2
	rs[2].SurveyID = "sipas"
	rs[3].ServicePoint = "Điểm tiếp nhận xã Sóc Sơn"
	rs[4].Status = survey.StatusAbandoned
	rs[5].EventTag = "KCN Thăng Long – ca sáng"
	// Save out of order: listing is by StartedAt, not by save order.
	mustSave(t, s, rs[3], rs[0], rs[5], rs[1], rs[4], rs[2])

	min := func(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) }
	tests := []struct {
		name string
		f    store.Filter
		want []int
	}{
		{"all", store.Filter{}, []int{0, 1, 2, 3, 4, 5}},
		{"from inclusive", store.Filter{From: min(2)}, []int{2, 3, 4, 5}},
		{"to exclusive", store.Filter{To: min(2)}, []int{0, 1}},
		{"range", store.Filter{From: min(1), To: min(4)}, []int{1, 2, 3}},
		{"range in local zone", store.Filter{From: min(1).In(survey.Location()), To: min(4).In(survey.Location())}, []int{1, 2, 3}},
		{"from one ns late", store.Filter{From: min(1).Add(time.Nanosecond)}, []int{2, 3, 4, 5}},
		{"empty range", store.Filter{From: min(3), To: min(3)}, nil},
		{"survey", store.Filter{SurveyID: "sipas"}, []int{2}},
		{"survey version", store.Filter{SurveyID: "mot-cua-nhanh", SurveyVersion: 2}, []int{1}},
		{"service point", store.Filter{ServicePoint: "Điểm tiếp nhận xã Sóc Sơn"}, []int{3}},
		{"status abandoned", store.Filter{Status: survey.StatusAbandoned}, []int{4}},
		{"status complete", store.Filter{Status: survey.StatusComplete}, []int{0, 1, 2, 3, 5}},
		{"event", store.Filter{EventTag: "KCN Thăng Long – ca sáng"}, []int{5}},
		{"combined", store.Filter{From: min(1), SurveyID: "mot-cua-nhanh", Status: survey.StatusComplete}, []int{1, 3, 5}},
		{"nothing", store.Filter{ServicePoint: "không có"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for r, err := range s.Responses(ctx, tt.f) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, r.ID)
			}
			var want []string
			for _, i := range tt.want {
				want = append(want, rs[i].ID)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d responses %v, want %d %v", len(got), got, len(want), want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("response %d = %s, want %s", i, got[i], want[i])
				}
			}
		})
	}
}

func TestResponsesOrderTiesByID(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a, b := newResponse(t, 0), newResponse(t, 0)
	mustSave(t, s, b, a)
	var got []string
	for r, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.ID)
	}
	lo, hi := a.ID, b.ID
	if hi < lo {
		lo, hi = hi, lo
	}
	if len(got) != 2 || got[0] != lo || got[1] != hi {
		t.Errorf("order %v, want [%s %s]", got, lo, hi)
	}
}

func TestResponsesBreakEarlyAndWriteWhileStreaming(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i := range 10 {
		mustSave(t, s, newResponse(t, i))
	}
	n := 0
	for _, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		// Saving while a stream is open neither blocks nor shows up in it.
		mustSave(t, s, newResponse(t, 100+n))
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("iterated %d", n)
	}
	n = 0
	for _, err := range s.Responses(ctx, store.Filter{To: base.Add(50 * time.Minute)}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 10 {
		t.Errorf("got %d responses, want 10", n)
	}
}

func TestResponsesCancelledContext(t *testing.T) {
	s, _ := openTest(t)
	mustSave(t, s, newResponse(t, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var gotErr error
	for _, err := range s.Responses(ctx, store.Filter{}) {
		gotErr = err
	}
	if gotErr == nil {
		t.Error("no error from a cancelled context")
	}
}

func TestCounts(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if c, err := s.Counts(ctx, time.Time{}); err != nil || c != (store.Counts{}) {
		t.Fatalf("empty Counts = %+v, %v", c, err)
	}
	var rs []*survey.Response
	for i := range 5 {
		rs = append(rs, newResponse(t, i))
	}
	rs[0].Status = survey.StatusAbandoned
	rs[3].Status = survey.StatusAbandoned
	rs[4].Misuse, rs[4].MisuseReason = true, "quá nhanh"
	mustSave(t, s, rs...)
	got, err := s.Counts(ctx, base.Add(2*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.Counts{Since: 3, Total: 5, Abandoned: 2, Flagged: 1}); got != want {
		t.Errorf("Counts = %+v, want %+v", got, want)
	}
}

// TestResponsesCancelledWhileStreaming cancels the context after two rows:
// the stream ends with one error, last, that says so, both ways of
// reading.
func TestResponsesCancelledWhileStreaming(t *testing.T) {
	s, _ := openTest(t)
	for i := range 5 {
		mustSave(t, s, newResponse(t, i))
	}
	for name, rows := range map[string]func(context.Context, store.Filter) iter.Seq2[*survey.Response, error]{
		"Responses": s.Responses, "BorrowResponses": s.BorrowResponses,
	} {
		ctx, cancel := context.WithCancel(context.Background())
		n, errs := 0, 0
		var last error
		for r, err := range rows(ctx, store.Filter{}) {
			if err != nil {
				errs++
				last = err
				continue
			}
			if errs > 0 {
				t.Errorf("%s: a response after the error", name)
			}
			if r == nil {
				t.Fatalf("%s: nil response without an error", name)
			}
			if n++; n == 2 {
				cancel()
			}
		}
		cancel()
		if n != 2 || errs != 1 || !errors.Is(last, context.Canceled) {
			t.Errorf("%s: %d responses, %d errors, last %v; want 2, 1, context.Canceled", name, n, errs, last)
		}
	}
}

// TestResponsesStopsGiveConnectionsBack breaks out of more streams than
// the read pool has connections: each break must give its connection back.
func TestResponsesStopsGiveConnectionsBack(t *testing.T) {
	s, _ := openTest(t)
	for i := range 3 {
		mustSave(t, s, newResponse(t, i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := range 20 {
		rows := s.Responses
		if i%2 == 1 {
			rows = s.BorrowResponses
		}
		for _, err := range rows(ctx, store.Filter{SurveyVersion: 1, SurveyID: "mot-cua-nhanh"}) {
			if err != nil {
				t.Fatalf("stream %d: %v", i, err)
			}
			break
		}
	}
}
