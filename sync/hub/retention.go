package hub

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Retention (docs/retention.md): the hub deletes raw data older than a
// period per kind. What stays and why:
//   - the figures rollup: published aggregates never change when raw rows go;
//   - acceptance chain entries (digest, receipt, time, hash): `verify` still
//     recomputes the chain, and a purged response's entry reads Purged;
//   - a purged response's id and its device's sequence number (table
//     purged): a kiosk that delivers it again gets Duplicate (or Conflict),
//     never a second acceptance, and Gaps does not report it as missing;
//   - a help request whose staff note is purged keeps its row (outcome,
//     reason, times): only the note goes, and what the device signed is
//     kept as its SHA-256, so the help figures stay right and a
//     redelivery is still a duplicate;
//   - a feedback case whose text is purged keeps its row (code, category,
//     state, clocks, the office's reply and public flag): only the
//     citizen's text and sealed box go, and what the device signed is kept
//     as its SHA-256, so the figures, the public page and the deadline
//     clocks stay right and a redelivery is still a duplicate;
//   - the audit entries' checkpoint (AuditCheckpoint): the seq and hash of
//     the last entry removed, anchored by the purge's own audit entry, so
//     `audit verify` starts from it.

// AuditPurge is the audit action a purge records; its details are
// PurgeDetails.
const AuditPurge = "purge"

// ErrPurgeClaimed means a scheduled purge found its day already claimed
// (PurgeRequest.ClaimDay): another hub process ran it; nothing changed.
var ErrPurgeClaimed = errors.New("this day's scheduled purge already ran")

// Period is a retention period in calendar units (time.AddDate), so that
// "24 months" is 24 months whatever the days in between. The zero Period
// keeps forever.
type Period struct{ Years, Months, Days int }

// ParsePeriod reads "0" (keep forever), or a whole number followed by d
// (days), m (months) or y (years): "90d", "24m", "5y".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if s == "0" || s == "" {
		return Period{}, nil
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return Period{}, fmt.Errorf("retention period %q: want a positive whole number and d, m or y (90d, 24m, 5y), or 0 to keep forever", s)
	}
	switch s[len(s)-1] {
	case 'd':
		return Period{Days: n}, nil
	case 'm':
		return Period{Months: n}, nil
	case 'y':
		return Period{Years: n}, nil
	}
	return Period{}, fmt.Errorf("retention period %q: the unit must be d, m or y (90d, 24m, 5y)", s)
}

// Forever reports whether p keeps forever.
func (p Period) Forever() bool { return p == Period{} }

func (p Period) String() string {
	switch {
	case p.Forever():
		return "0"
	case p.Years != 0 && p.Months == 0 && p.Days == 0:
		return fmt.Sprintf("%dy", p.Years)
	case p.Months != 0 && p.Years == 0 && p.Days == 0:
		return fmt.Sprintf("%dm", p.Months)
	case p.Days != 0 && p.Years == 0 && p.Months == 0:
		return fmt.Sprintf("%dd", p.Days)
	}
	return fmt.Sprintf("%dy%dm%dd", p.Years, p.Months, p.Days)
}

// Cut is the day start (Asia/Ho_Chi_Minh, report.DayOf) before which data
// older than p at now is purged, or zero when p keeps forever. Cutting on
// day starts keeps the rollup's days whole.
func (p Period) Cut(now time.Time) time.Time {
	if p.Forever() {
		return time.Time{}
	}
	return report.DayOf(report.DayOf(now).AddDate(-p.Years, -p.Months, -p.Days))
}

// Retention is how long the hub keeps each kind of raw data. Free-text
// comments are part of a response's content and go with it.
type Retention struct {
	Responses Period // by StartedAt
	Conflicts Period // by ReceivedAt
	Feedback  Period // feedback cases' texts by ReceivedAt, and staff's notes on help requests by ResolvedAt
	Audit     Period // by At; at least as long as every other kind
}

// Check refuses an audit period shorter than another kind's finite one:
// the audit log must outlive the purges it records. (A kind kept forever
// is never purged, so it asks nothing of the audit period.)
func (r Retention) Check() error {
	if r.Audit.Forever() {
		return nil
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, k := range []struct {
		name string
		p    Period
	}{{"responses", r.Responses}, {"conflicts", r.Conflicts}, {"feedback", r.Feedback}} {
		if !k.p.Forever() && r.Audit.Cut(now).After(k.p.Cut(now)) {
			return fmt.Errorf("the audit log must be kept at least as long as %s (audit %s, %s %s)", k.name, r.Audit, k.name, k.p)
		}
	}
	return nil
}

// Enabled reports whether any kind is ever purged.
func (r Retention) Enabled() bool {
	return !r.Responses.Forever() || !r.Conflicts.Forever() || !r.Feedback.Forever() || !r.Audit.Forever()
}

// Request is the purge of r at now, recorded as entry (actor and address
// set by the caller).
func (r Retention) Request(now time.Time, entry AuditEntry) PurgeRequest {
	return PurgeRequest{
		ResponsesBefore: r.Responses.Cut(now),
		ConflictsBefore: r.Conflicts.Cut(now),
		FeedbackBefore:  r.Feedback.Cut(now),
		HelpNotesBefore: r.Feedback.Cut(now),
		AuditBefore:     r.Audit.Cut(now),
		Entry:           entry,
	}
}

// PurgeRequest says what Store.Purge removes. A zero time purges nothing of
// its kind.
type PurgeRequest struct {
	// ResponsesBefore: responses whose StartedAt is before it.
	ResponsesBefore time.Time
	// ConflictsBefore: conflicts received before it.
	ConflictsBefore time.Time
	// FeedbackBefore: feedback cases received before it lose their text
	// and sealed box (FeedbackCase.TextPurgedAt); the rows stay.
	FeedbackBefore time.Time
	// HelpNotesBefore: help requests resolved before it with a staff
	// note lose the note (HelpRequest.NotePurgedAt); the rows stay.
	HelpNotesBefore time.Time
	// AuditBefore: audit entries whose At is before it (the purge's own
	// entry comes after them and records the checkpoint).
	AuditBefore time.Time
	// ClaimDay, when set ("2026-11-25"), makes the purge the scheduled run
	// of that day: of every hub process sharing the database only the
	// first to claim the day purges; the others get ErrPurgeClaimed.
	ClaimDay string
	// Entry is the audit entry the purge appends (NewAuditEntry with
	// AuditPurge); the store sets its Details (PurgeDetails).
	Entry AuditEntry
}

// PurgeResult is what a purge removed, and its audit entry as stored.
type PurgeResult struct {
	// Feedback counts the cases whose text went (not those purged
	// before), HelpNotes the help requests whose note went.
	Responses, Conflicts, Feedback, HelpNotes, Audit int64
	// Checkpoint is the audit log's checkpoint after the purge (nil while
	// no audit entry was ever purged).
	Checkpoint *AuditCheckpoint
	Entry      AuditEntry
}

// AuditCheckpoint is the last audit entry a purge removed: its Seq and
// Hash. The log then starts at Seq+1, linked to Hash. The purge entry that
// moved the checkpoint records it (details "audit_checkpoint"), so the
// checkpoint is itself covered by the chain after it.
type AuditCheckpoint struct {
	Seq  int64
	Hash [32]byte
}

func (c *AuditCheckpoint) String() string { return fmt.Sprintf("%d:%x", c.Seq, c.Hash) }

// PurgeDetails is the audit details of a purge: what it removed, before
// which times, and the audit checkpoint when it moved it. Stores call it
// in the purge's transaction.
func PurgeDetails(req PurgeRequest, res PurgeResult, moved bool) url.Values {
	v := url.Values{}
	put := func(kind string, before time.Time, n int64) {
		if !before.IsZero() {
			v.Set(kind+"_before", before.UTC().Format(protocol.TimeFormat))
			v.Set(kind, strconv.FormatInt(n, 10))
		}
	}
	put("responses", req.ResponsesBefore, res.Responses)
	put("conflicts", req.ConflictsBefore, res.Conflicts)
	put("feedback", req.FeedbackBefore, res.Feedback)
	put("help_notes", req.HelpNotesBefore, res.HelpNotes)
	put("audit", req.AuditBefore, res.Audit)
	if moved && res.Checkpoint != nil {
		v.Set("audit_checkpoint", res.Checkpoint.String())
	}
	if req.ClaimDay != "" {
		v.Set("scheduled", req.ClaimDay)
	}
	return v
}

// checkpointOf reads the checkpoint a purge entry records, if any.
func checkpointOf(e *AuditEntry) (string, bool) {
	if e.Action != AuditPurge {
		return "", false
	}
	v, err := url.ParseQuery(e.Details)
	if err != nil || !v.Has("audit_checkpoint") {
		return "", false
	}
	return v.Get("audit_checkpoint"), true
}
