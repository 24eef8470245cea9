package export

import (
	"bytes"
	"context"
	"iter"
	"reflect"
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// lentSeq yields rs as a source that lends one response value for every
// row (as store.BorrowResponses does): one *survey.Response, one answers
// map and one array of codes, filled anew for each row and scribbled over
// once the writer asks for the next, so that a writer keeping any of them
// writes something else.
func lentSeq(rs []*survey.Response) iter.Seq2[*survey.Response, error] {
	return func(yield func(*survey.Response, error) bool) {
		var lent survey.Response
		answers := survey.Answers{}
		var codes []string
		for _, r := range rs {
			lent = *r
			clear(answers)
			n := 0
			for _, cs := range r.Answers {
				n += len(cs)
			}
			codes = slices.Grow(codes[:0], n) // no new array while the map is filled
			for q, cs := range r.Answers {
				if cs == nil {
					answers[q] = nil
					continue
				}
				from := len(codes)
				codes = append(codes, cs...)
				answers[q] = codes[from:len(codes):len(codes)]
			}
			lent.Answers = answers
			if !yield(&lent, nil) {
				return
			}
			for i := range codes {
				codes[i] = "XXX"
			}
			for q := range answers {
				answers[q] = []string{"XXX"}
			}
			answers["xxx"] = []string{"XXX"}
			lent = survey.Response{ID: "XXX", SurveyID: "XXX", ServicePoint: "XXX", DeviceID: "XXX", Answers: answers}
		}
	}
}

// TestWritersReadLentResponses checks the writers' promise that they are
// done with a response before they ask for the next: each format's bytes
// are the same whether every row is a response of its own or one lent
// value scribbled over after each row.
func TestWritersReadLentResponses(t *testing.T) {
	ctx := context.Background()
	for _, format := range Formats {
		for _, labels := range []bool{false, true} {
			rs := fixtureResponses()
			var own, lent bytes.Buffer
			if _, err := Write(ctx, &own, format, seqOf(rs), fixtureOptions(labels)); err != nil {
				t.Fatal(err)
			}
			if _, err := Write(ctx, &lent, format, lentSeq(rs), fixtureOptions(labels)); err != nil {
				t.Fatal(err)
			}
			if format == XLSX {
				// Two XLSX files of the same rows differ in their zip
				// entries' order; compare every sheet's cells.
				a, b := openXLSX(t, own.Bytes()), openXLSX(t, lent.Bytes())
				if !reflect.DeepEqual(a.GetSheetList(), b.GetSheetList()) {
					t.Fatalf("labels %v: sheets %q with lent responses, want %q", labels, b.GetSheetList(), a.GetSheetList())
				}
				for _, sheet := range a.GetSheetList() {
					if want, got := rows(t, a, sheet), rows(t, b, sheet); !reflect.DeepEqual(got, want) {
						t.Errorf("labels %v: sheet %s with lent responses:\n got %q\nwant %q", labels, sheet, got, want)
					}
				}
				continue
			}
			if !bytes.Equal(own.Bytes(), lent.Bytes()) {
				t.Errorf("%s (labels %v): lent responses give other bytes", format, labels)
			}
		}
	}
}
