package store_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// cloneResponse copies r down to its answers' slices, so that nothing of
// the copy is shared with a lent response.
func cloneResponse(r *survey.Response) *survey.Response {
	c := *r
	c.Answers = maps.Clone(r.Answers)
	for q, codes := range c.Answers {
		if codes != nil {
			c.Answers[q] = slices.Clone(codes)
		}
	}
	return &c
}

// TestBorrowResponsesGivesWhatResponsesGives reads a store of awkward
// responses both ways: the lent responses, copied as they come, equal the
// given ones, row for row, whichever of the answers decoder's paths a row
// takes; and each is one response value, lent again for the next row.
func TestBorrowResponsesGivesWhatResponsesGives(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var rs []*survey.Response
	for i, a := range []survey.Answers{
		{"q1": {survey.CodeSatisfied}, "q2": {"a", "b", "c"}, "comment": {"Cán bộ rất nhiệt tình, chu đáo."}},
		{},                      // nothing answered
		{"q1": {}, "q2": {"a"}}, // an empty choice
		{"comment": {"Dòng 1 \"ngoặc kép\"\nDòng 2\r\n=1+1"}}, // escapes: encoding/json decodes it
		{"q2": {"b"}, "q3": {"x", "y"}},
		{"q1": {survey.CodeNotSatisfied}, "comment": {"<b>&amp;</b> \\ /"}},
		{"q1": {survey.CodeVerySatisfied}},
	} {
		r := newResponse(t, i)
		r.Answers = a
		switch i {
		case 2:
			r.Status, r.Misuse, r.MisuseReason = survey.StatusAbandoned, true, "quick-repeat"
		case 4:
			r.EventTag, r.Assisted, r.ServicePoint = "KCN Thăng Long – ca sáng", true, "Xã Sóc Sơn"
		case 5:
			r.Slip = slipCode(t, "borrow")
		}
		rs = append(rs, r)
	}
	mustSave(t, s, rs...)

	var given []*survey.Response
	for r, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		given = append(given, r)
	}
	var lent []*survey.Response
	var first *survey.Response
	for r, err := range s.BorrowResponses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
		} else if r != first {
			t.Errorf("row %d lent a new response value", len(lent))
		}
		lent = append(lent, cloneResponse(r))
	}
	if len(given) != len(rs) || len(lent) != len(rs) {
		t.Fatalf("Responses gave %d, BorrowResponses lent %d, want %d", len(given), len(lent), len(rs))
	}
	for i := range given {
		if !reflect.DeepEqual(lent[i], given[i]) {
			t.Errorf("row %d:\n lent %+v\ngiven %+v", i, lent[i], given[i])
		}
	}
	// The given responses are the caller's: reading again lends nothing of them.
	want := cloneResponse(given[0])
	for range s.BorrowResponses(ctx, store.Filter{}) {
	}
	if !reflect.DeepEqual(given[0], want) {
		t.Errorf("a given response changed: %+v", given[0])
	}
}

// TestBorrowResponsesFilterAndStop checks that a filter applies and that
// breaking out of the loop ends the read.
func TestBorrowResponsesFilterAndStop(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i := range 6 {
		r := newResponse(t, i)
		if i%2 == 1 {
			r.Status = survey.StatusAbandoned
		}
		mustSave(t, s, r)
	}
	n := 0
	for r, err := range s.BorrowResponses(ctx, store.Filter{Status: survey.StatusAbandoned}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != survey.StatusAbandoned {
			t.Errorf("lent a %s response", r.Status)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("read %d, want 2 before the break", n)
	}
	// The connection went back to the pool: the store still answers.
	if _, err := s.Counts(ctx, base); err != nil {
		t.Fatal(err)
	}
}
