package survey

import (
	"maps"
	"slices"
	"time"
)

// Misuse reasons stored in Response.MisuseReason. Several are joined with ",".
const (
	// MisuseQuickStart: the response was started sooner than the configured
	// interval after the previous response on this device finished.
	MisuseQuickStart = "quick_start"
	// MisuseIdenticalBurst: the response completes a burst of identical
	// answer sets to the same survey (see MisuseRules).
	MisuseIdenticalBurst = "identical_burst"
)

// MisuseRules configures the misuse checks. Flagged responses are still
// saved; the flag lets reports leave them out.
type MisuseRules struct {
	// MinGap flags a response started less than MinGap after the previous
	// one finished. Zero disables the check.
	MinGap time.Duration
	// BurstCount and BurstWindow flag a response when, counting it, at
	// least BurstCount responses to the same survey version with exactly the
	// same answers finished within BurstWindow (ending at its finish).
	// BurstCount < 2 disables the check.
	BurstCount  int
	BurstWindow time.Duration
}

// DefaultBurst is the burst rule the kiosk uses: 3 identical answer sets
// within 60 seconds. One citizen needs well over 20 s per survey, so three
// identical ones in a minute are someone mashing the same buttons.
const (
	DefaultBurstCount  = 3
	DefaultBurstWindow = 60 * time.Second
)

// Misuse returns the misuse reasons for r, given the responses saved on this
// device before it (any order; only those of the last BurstWindow matter for
// the burst and only the newest for the gap). It returns nil when r looks
// genuine. It does not modify r.
func Misuse(r *Response, earlier []*Response, rules MisuseRules) []string {
	var reasons []string
	if rules.MinGap > 0 {
		var prev *Response
		for _, e := range earlier {
			if prev == nil || e.FinishedAt.After(prev.FinishedAt) {
				prev = e
			}
		}
		if prev != nil && r.StartedAt.Sub(prev.FinishedAt) < rules.MinGap && !r.StartedAt.Before(prev.StartedAt) {
			reasons = append(reasons, MisuseQuickStart)
		}
	}
	if rules.BurstCount >= 2 && len(r.Answers) > 0 {
		n := 1
		for _, e := range earlier {
			age := r.FinishedAt.Sub(e.FinishedAt)
			if age >= 0 && age <= rules.BurstWindow && e.SurveyID == r.SurveyID &&
				e.SurveyVersion == r.SurveyVersion && sameAnswers(e.Answers, r.Answers) {
				n++
			}
		}
		if n >= rules.BurstCount {
			reasons = append(reasons, MisuseIdenticalBurst)
		}
	}
	return reasons
}

// FlagMisuse sets r.Misuse and r.MisuseReason from Misuse.
func FlagMisuse(r *Response, earlier []*Response, rules MisuseRules) {
	reasons := Misuse(r, earlier, rules)
	r.Misuse = len(reasons) > 0
	r.MisuseReason = ""
	for i, s := range reasons {
		if i > 0 {
			r.MisuseReason += ","
		}
		r.MisuseReason += s
	}
}

// RecentResponses keeps the responses that can still matter to Misuse for
// a response finishing at or after now: those finished within window before
// now, plus the newest one (for the gap check). It returns a new slice.
func RecentResponses(rs []*Response, now time.Time, window time.Duration) []*Response {
	var newest *Response
	for _, r := range rs {
		if newest == nil || r.FinishedAt.After(newest.FinishedAt) {
			newest = r
		}
	}
	var out []*Response
	for _, r := range rs {
		if r == newest || now.Sub(r.FinishedAt) <= window {
			out = append(out, r)
		}
	}
	return out
}

func sameAnswers(a, b Answers) bool {
	return maps.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}
