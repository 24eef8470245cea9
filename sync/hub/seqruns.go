package hub

import (
	"cmp"
	"slices"
	"strings"
)

// Received runs: every store keeps, per device, the maximal runs of
// sequence numbers that a stored or purged response of the device carries
// (table TableSeqRuns: device_id, first, last; runs of one device never
// overlap nor touch), updated in the transaction that accepts the
// responses. Gaps reads them with the marks instead of every response, so
// its cost grows with the runs (one more per gap), not with the responses.
// Purge leaves them: a purged number stays received.

// TableSeqRuns is the table of received runs.
const TableSeqRuns = "seq_runs"

// DeviceRun is a run of one device's numbers.
type DeviceRun struct {
	DeviceID string
	SeqRange
}

// BatchRuns is the maximal runs of the numbers (Seq > 0) of the accepted
// items, by device id then first number: what a batch adds to the
// received runs before they are merged with the stored ones (MergeRuns).
func BatchRuns(accepted []Incoming) []DeviceRun {
	type num struct {
		dev string
		seq int64
	}
	var nums []num
	for _, it := range accepted {
		if it.Seq > 0 {
			nums = append(nums, num{it.Response.DeviceID, it.Seq})
		}
	}
	slices.SortFunc(nums, func(a, b num) int { return cmp.Or(strings.Compare(a.dev, b.dev), cmp.Compare(a.seq, b.seq)) })
	var out []DeviceRun
	for _, n := range nums {
		if k := len(out) - 1; k >= 0 && out[k].DeviceID == n.dev && n.seq <= out[k].Last+1 {
			out[k].Last = max(out[k].Last, n.seq)
			continue
		}
		out = append(out, DeviceRun{n.dev, SeqRange{n.seq, n.seq}})
	}
	return out
}

// MergeRuns is r joined with the stored runs that overlap or touch it
// (those with First <= r.Last+1 and Last >= r.First-1, which the store
// deletes and replaces by the result).
func MergeRuns(r SeqRange, touching []SeqRange) SeqRange {
	for _, t := range touching {
		r.First, r.Last = min(r.First, t.First), max(r.Last, t.Last)
	}
	return r
}

// GapsFromRuns fills g.Received and g.Missing from the device's received
// runs, sorted by First: the numbers from g.From to g.Mark that they hold,
// and the runs of those they do not.
func GapsFromRuns(g *DeviceGaps, runs []SeqRange) {
	g.Received, g.Missing = 0, nil
	next := g.From // the first number not yet accounted for
	for _, r := range runs {
		first, last := max(r.First, g.From), min(r.Last, g.Mark)
		if first > last {
			continue
		}
		if first > next {
			g.Missing = append(g.Missing, SeqRange{next, first - 1})
		}
		g.Received += last - first + 1
		next = last + 1
	}
	if next <= g.Mark {
		g.Missing = append(g.Missing, SeqRange{next, g.Mark})
	}
}

// MarksRunsSQL reads each device's mark (device_id, from_seq, seq,
// signed_at) and RunsSQL the received runs within it (device_id, first,
// last), both ordered by device id, as both stores read them for Gaps.
const (
	MarksRunsSQL = `SELECT device_id, from_seq, seq, signed_at FROM device_marks ORDER BY device_id`
	RunsSQL      = `SELECT r.device_id, r.first, r.last FROM seq_runs r JOIN device_marks m ON m.device_id = r.device_id
		WHERE r.last >= m.from_seq AND r.first <= m.seq ORDER BY r.device_id, r.first`
)
