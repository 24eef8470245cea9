package hub

import (
	"reflect"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestBatchRuns(t *testing.T) {
	in := func(dev string, seq int64) Incoming {
		return Incoming{Response: &survey.Response{DeviceID: dev}, Seq: seq}
	}
	got := BatchRuns([]Incoming{in("b", 4), in("a", 3), in("a", 1), in("a", 2), in("a", 2), in("a", 7), in("b", 0), in("b", 5), in("c", 0)})
	want := []DeviceRun{{"a", SeqRange{1, 3}}, {"a", SeqRange{7, 7}}, {"b", SeqRange{4, 5}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("BatchRuns = %v, want %v", got, want)
	}
	if got := MergeRuns(SeqRange{5, 6}, []SeqRange{{1, 4}, {7, 9}}); got != (SeqRange{1, 9}) {
		t.Errorf("MergeRuns = %v, want 1-9", got)
	}
	if got := MergeRuns(SeqRange{5, 6}, nil); got != (SeqRange{5, 6}) {
		t.Errorf("MergeRuns alone = %v, want 5-6", got)
	}
}

func TestGapsFromRuns(t *testing.T) {
	for _, tc := range []struct {
		name       string
		from, mark int64
		runs       []SeqRange
		received   int64
		missing    []SeqRange
	}{
		{"none received", 1, 3, nil, 0, []SeqRange{{1, 3}}},
		{"all received", 1, 3, []SeqRange{{1, 3}}, 3, nil},
		{"holes", 1, 10, []SeqRange{{1, 2}, {5, 5}, {8, 8}}, 4, []SeqRange{{3, 4}, {6, 7}, {9, 10}}},
		{"runs beyond both ends", 5, 8, []SeqRange{{1, 6}, {8, 12}}, 3, []SeqRange{{7, 7}}},
		{"run before from only", 5, 8, []SeqRange{{1, 4}}, 0, []SeqRange{{5, 8}}},
		{"run after mark only", 1, 2, []SeqRange{{3, 9}}, 0, []SeqRange{{1, 2}}},
		{"starts missing", 1, 5, []SeqRange{{3, 5}}, 3, []SeqRange{{1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := DeviceGaps{From: tc.from, Mark: tc.mark, Received: 99, Missing: []SeqRange{{42, 42}}}
			GapsFromRuns(&g, tc.runs)
			if g.Received != tc.received || !reflect.DeepEqual(g.Missing, tc.missing) {
				t.Errorf("got %d received, missing %v; want %d, %v", g.Received, g.Missing, tc.received, tc.missing)
			}
		})
	}
}
