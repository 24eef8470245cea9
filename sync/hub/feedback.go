package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/curve25519"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Feedback cases (issue #11): a kiosk sends them signed on
// protocol.PathFeedback; the hub keeps each once (by id), and the
// dashboard's inbox moves it through its states. A misconduct case's text
// stays sealed in the store; the hub opens it with its inspection key only
// for an inspector (RoleInspector), and every other role sees that such a
// case exists and nothing more.

// ErrInvalidFeedback is wrapped by an inbox action a case cannot take.
var ErrInvalidFeedback = errors.New("invalid feedback action")

// FeedbackState is where a case stands.
type FeedbackState string

// The states of a case, in their usual order.
const (
	FeedbackNew        FeedbackState = "new"         // mới
	FeedbackInProgress FeedbackState = "in_progress" // đang xử lý
	FeedbackAnswered   FeedbackState = "answered"    // đã trả lời
	FeedbackClosed     FeedbackState = "closed"      // đóng
)

// FeedbackStates lists the states in order.
var FeedbackStates = []FeedbackState{FeedbackNew, FeedbackInProgress, FeedbackAnswered, FeedbackClosed}

// Valid reports whether s is one of FeedbackStates.
func (s FeedbackState) Valid() bool { return slices.Contains(FeedbackStates, s) }

// FeedbackCase is a case as the hub keeps it.
type FeedbackCase struct {
	ID, Code, Category string
	// Text is the citizen's text; "" for a sealed case, whose text is
	// Sealed until OpenFeedback opens it for an inspector.
	Text                                 string
	Sealed                               []byte
	Source, Lang, ServicePoint, DeviceID string
	CreatedAt, ReceivedAt                time.Time
	// Content and Signature are what the device signed
	// (protocol.FeedbackCanonical); a redelivery compares Content.
	Content, Signature []byte

	State    FeedbackState
	Assignee string
	Reply    string
	// Public marks the reply as shown on the case's public page.
	Public bool
	// AckAt is when the case first left FeedbackNew; AnsweredAt when it
	// first reached FeedbackAnswered (kept if it is reopened); zero until
	// then.
	AckAt, AnsweredAt time.Time
	UpdatedAt         time.Time
	// TextPurgedAt is when a purge (Retention.Feedback) removed the
	// citizen's text and sealed box; zero while they are kept. Content is
	// then the SHA-256 of what the device signed.
	TextPurgedAt time.Time
}

// ErrFeedbackPurged is wrapped by OpenFeedback for a case whose text a
// purge removed.
var ErrFeedbackPurged = errors.New("the text of this feedback case was purged")

// Purged reports whether a purge removed the case's text.
func (c *FeedbackCase) Purged() bool { return !c.TextPurgedAt.IsZero() }

// PurgedContent is what a store keeps of a purged case's Content: its
// SHA-256, which a redelivery's Content is compared with.
func PurgedContent(content []byte) []byte {
	d := sha256.Sum256(content)
	return d[:]
}

// IsSealed reports whether the case is a misconduct report.
func (c *FeedbackCase) IsSealed() bool { return feedback.Category(c.Category).Sealed() }

// FeedbackUpdate is one inbox action on a case; nil fields stay as they
// are. The store sets AckAt and AnsweredAt from State and At.
type FeedbackUpdate struct {
	State    *FeedbackState
	Assignee *string
	Reply    *string
	Public   *bool
	At       time.Time
}

// FeedbackFilter chooses cases. Sealed chooses the misconduct cases (true)
// or the others (false); nil both.
type FeedbackFilter struct {
	Sealed       *bool
	ServicePoint string
	State        FeedbackState
}

// Terms lists f's conditions over the feedback cases; a zero field adds
// none.
func (f FeedbackFilter) Terms() []FilterTerm {
	var t []FilterTerm
	if f.Sealed != nil {
		op := "<>"
		if *f.Sealed {
			op = "="
		}
		t = append(t, FilterTerm{"category", op, string(feedback.CategoryMisconduct)})
	}
	if f.ServicePoint != "" {
		t = append(t, FilterTerm{"service_point", "=", f.ServicePoint})
	}
	if f.State != "" {
		t = append(t, FilterTerm{"state", "=", string(f.State)})
	}
	return t
}

// FeedbackStore is the part of Store that keeps feedback cases.
type FeedbackStore interface {
	// InspectionKey returns the hub's X25519 inspection private key; the
	// first call that gives a 32-byte candidate stores it, later calls
	// return the stored one. Without a candidate and none stored: an
	// error wrapping ErrNotFound.
	InspectionKey(ctx context.Context, candidate []byte, now time.Time) ([]byte, error)
	// IngestFeedback stores the cases, in one transaction, and returns
	// one outcome per case: Accepted when stored now, Duplicate when the
	// same id is held with the same Content, Conflict when the id, or the
	// code, is held with other content (the first stays). A second copy
	// of an id in the same call is its duplicate.
	IngestFeedback(ctx context.Context, cases []FeedbackCase, receivedAt time.Time) ([]protocol.Outcome, error)
	// FeedbackCases returns the cases f chooses, newest received first.
	FeedbackCases(ctx context.Context, f FeedbackFilter) ([]FeedbackCase, error)
	// FeedbackCase returns the case with this id or, failing that, this
	// compact code; ErrNotFound when none.
	FeedbackCase(ctx context.Context, idOrCode string) (*FeedbackCase, error)
	// UpdateFeedback applies u to the case with this id in one
	// transaction and returns it as stored; ErrNotFound when none.
	UpdateFeedback(ctx context.Context, id string, u FeedbackUpdate) (*FeedbackCase, error)
}

// ApplyFeedbackUpdate is the one rule of an update, which stores call
// inside their transaction: fields replaced, AckAt set the first time the
// case leaves FeedbackNew (or is assigned or answered), AnsweredAt the
// first time it reaches FeedbackAnswered with a reply.
func ApplyFeedbackUpdate(c *FeedbackCase, u FeedbackUpdate) error {
	at := u.At.UTC().Truncate(time.Millisecond)
	if u.State != nil {
		if !u.State.Valid() {
			return fmt.Errorf("feedback %s: unknown state %q: %w", c.ID, *u.State, ErrInvalidFeedback)
		}
		c.State = *u.State
	}
	if u.Assignee != nil {
		c.Assignee = *u.Assignee
	}
	if u.Reply != nil {
		c.Reply = *u.Reply
	}
	if u.Public != nil {
		c.Public = *u.Public
	}
	if c.State == FeedbackAnswered && c.Reply == "" {
		return fmt.Errorf("feedback %s: an answered case needs a reply: %w", c.ID, ErrInvalidFeedback)
	}
	if c.AckAt.IsZero() && (c.State != FeedbackNew || c.Assignee != "") {
		c.AckAt = at
	}
	if c.AnsweredAt.IsZero() && c.State == FeedbackAnswered {
		c.AnsweredAt = at
	}
	c.UpdatedAt = at
	return nil
}

// InspectionKey returns the hub's inspection key pair: the one stored, or,
// the first time, a new one stored now. Cached for the Hub's life.
func (h *Hub) InspectionKey(ctx context.Context) (public, private []byte, err error) {
	h.mu.Lock()
	priv := h.inspectionKey
	h.mu.Unlock()
	if priv == nil {
		_, candidate, err := feedback.NewInspectionKey(rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		if priv, err = h.store.InspectionKey(ctx, candidate[:], h.now().UTC()); err != nil {
			return nil, nil, fmt.Errorf("inspection key: %w", err)
		}
		if len(priv) != feedback.KeySize {
			return nil, nil, fmt.Errorf("inspection key: stored key has %d bytes, want %d", len(priv), feedback.KeySize)
		}
		h.mu.Lock()
		h.inspectionKey = priv
		h.mu.Unlock()
	}
	pub, err := curve25519.X25519(priv, curve25519.Basepoint)
	if err != nil {
		return nil, nil, fmt.Errorf("inspection key: %w", err)
	}
	return pub, priv, nil
}

// OpenFeedback returns c's text: in clear, or, for a sealed case, opened
// with the inspection key. Call it only for an inspector.
func (h *Hub) OpenFeedback(ctx context.Context, c *FeedbackCase) (string, error) {
	if c.Purged() {
		return "", fmt.Errorf("feedback %s: %w on %s", c.Code, ErrFeedbackPurged, c.TextPurgedAt.UTC().Format(time.DateOnly))
	}
	if !c.IsSealed() {
		return c.Text, nil
	}
	pub, priv, err := h.InspectionKey(ctx)
	if err != nil {
		return "", err
	}
	return feedback.Open(pub, priv, c.Sealed)
}

// IngestFeedback checks each case of a batch from device d (its device
// id, signature and rules) and stores the good ones in one transaction.
// Results are in batch order, with response outcomes and reasons.
func (h *Hub) IngestFeedback(ctx context.Context, d *Device, b *protocol.FeedbackBatch) (*protocol.BatchResult, error) {
	return ingestSide(ctx, h, d, b.Items, sideKind[protocol.FeedbackItem, FeedbackCase]{
		name: "feedback", noun: "case",
		ids:    func(it protocol.FeedbackItem) (string, string) { return it.Case.ID, it.Case.DeviceID },
		verify: protocol.VerifyFeedback,
		check:  func(it protocol.FeedbackItem) error { return protocol.CheckFeedback(&it.Case) },
		row: func(it protocol.FeedbackItem) FeedbackCase {
			c := &it.Case
			return FeedbackCase{
				ID: c.ID, Code: c.Code, Category: c.Category, Text: c.Text, Sealed: c.Sealed,
				Source: c.Source, Lang: c.Lang, ServicePoint: c.ServicePoint, DeviceID: c.DeviceID,
				CreatedAt: c.CreatedAt, Content: protocol.FeedbackCanonical(c), Signature: it.Signature, State: FeedbackNew,
			}
		},
		store:    h.store.IngestFeedback,
		conflict: "the hub holds this case id or code with other content",
	})
}

// FeedbackDeadlines are the clocks of a case under a calendar.
type FeedbackDeadlines struct {
	// AckBy is AckHours of working time after receipt, AnswerBy
	// AnswerDays working days after.
	AckBy, AnswerBy time.Time
	// AckLate and AnswerLate are true when the deadline passed before the
	// case was acknowledged or answered (now, if not yet).
	AckLate, AnswerLate bool
}

// FeedbackRules are the deadline rules: acknowledge within AckHours of
// working time, answer within AnswerDays working days, on Calendar.
type FeedbackRules struct {
	Calendar   *feedback.Calendar
	AckHours   int
	AnswerDays int
}

// DefaultFeedbackRules: 8 working hours to acknowledge, 10 working days to
// answer (Law 42/2013 on receiving citizens' petitions gives ten working
// days to decide whether to handle one), Vietnam's fixed-date holidays.
func DefaultFeedbackRules() FeedbackRules {
	h := map[string]bool{}
	for y := 2025; y <= 2030; y++ {
		for _, d := range feedback.FixedHolidays(y) {
			h[d] = true
		}
	}
	return FeedbackRules{Calendar: &feedback.Calendar{Holidays: h}, AckHours: 8, AnswerDays: 10}
}

// Deadlines returns c's clocks as of now.
func (r FeedbackRules) Deadlines(c *FeedbackCase, now time.Time) FeedbackDeadlines {
	d := FeedbackDeadlines{
		AckBy:    r.Calendar.Add(c.ReceivedAt, time.Duration(r.AckHours)*time.Hour),
		AnswerBy: r.Calendar.AddDays(c.ReceivedAt, r.AnswerDays),
	}
	late := func(done, by time.Time) bool {
		if done.IsZero() {
			return now.After(by)
		}
		return done.After(by)
	}
	d.AckLate = late(c.AckAt, d.AckBy)
	d.AnswerLate = c.State != FeedbackClosed && late(c.AnsweredAt, d.AnswerBy) || c.State == FeedbackClosed && !c.AnsweredAt.IsZero() && c.AnsweredAt.After(d.AnswerBy)
	return d
}

// FeedbackFigure is one service point's feedback figures.
type FeedbackFigure struct {
	ServicePoint string
	// Received counts the cases; Answered those answered, OnTime those
	// answered within the deadline.
	Received, Answered, OnTime int
	// MedianAnswer is the median working time from receipt to answer of
	// the answered cases; 0 when none.
	MedianAnswer time.Duration
}

// FeedbackLister lists feedback cases (a Store or a Hub is one).
type FeedbackLister interface {
	FeedbackCases(ctx context.Context, f FeedbackFilter) ([]FeedbackCase, error)
}

// FeedbackFiguresIn returns the figures, per service point and over all
// of them, of the cases received in [from, to) (a zero bound is open) at
// point ("" every point). Misconduct reports count like any case: a count
// says nothing of what a report says.
func (r FeedbackRules) FeedbackFiguresIn(ctx context.Context, src FeedbackLister, from, to time.Time, point string, now time.Time) (points []FeedbackFigure, total FeedbackFigure, err error) {
	cases, err := src.FeedbackCases(ctx, FeedbackFilter{ServicePoint: point})
	if err != nil {
		return nil, FeedbackFigure{}, err
	}
	cases = slices.DeleteFunc(cases, func(c FeedbackCase) bool {
		return !from.IsZero() && c.ReceivedAt.Before(from) || !to.IsZero() && !c.ReceivedAt.Before(to)
	})
	points = r.FeedbackFigures(cases, now)
	for i := range cases {
		cases[i].ServicePoint = ""
	}
	if all := r.FeedbackFigures(cases, now); len(all) == 1 {
		total = all[0]
	}
	return points, total, nil
}

// FeedbackExport is FeedbackFiguresIn over the filter's period and point,
// as the XLSX export's feedback table; nil when no case was received then,
// as the table is left out.
func (r FeedbackRules) FeedbackExport(ctx context.Context, src FeedbackLister, f Filter, now time.Time) (*export.FeedbackTable, error) {
	points, total, err := r.FeedbackFiguresIn(ctx, src, f.From, f.To, f.ServicePoint, now)
	if err != nil || total.Received == 0 {
		return nil, err
	}
	row := func(x FeedbackFigure) export.FeedbackRow {
		return export.FeedbackRow{ServicePoint: x.ServicePoint, Received: x.Received, Answered: x.Answered, OnTime: x.OnTime, MedianAnswer: x.MedianAnswer}
	}
	tab := &export.FeedbackTable{Total: row(total)}
	for _, p := range points {
		tab.Points = append(tab.Points, row(p))
	}
	return tab, nil
}

// FeedbackFigures returns the figures of cases per service point, in
// order of service point.
func (r FeedbackRules) FeedbackFigures(cases []FeedbackCase, now time.Time) []FeedbackFigure {
	by := map[string]*FeedbackFigure{}
	times := map[string][]time.Duration{}
	for i := range cases {
		c := &cases[i]
		f := by[c.ServicePoint]
		if f == nil {
			f = &FeedbackFigure{ServicePoint: c.ServicePoint}
			by[c.ServicePoint] = f
		}
		f.Received++
		if c.AnsweredAt.IsZero() {
			continue
		}
		f.Answered++
		if !r.Deadlines(c, now).AnswerLate {
			f.OnTime++
		}
		times[c.ServicePoint] = append(times[c.ServicePoint], r.Calendar.Worked(c.ReceivedAt, c.AnsweredAt))
	}
	out := make([]FeedbackFigure, 0, len(by))
	for sp, f := range by {
		if ts := times[sp]; len(ts) > 0 {
			slices.Sort(ts)
			if n := len(ts); n%2 == 1 {
				f.MedianAnswer = ts[n/2]
			} else {
				f.MedianAnswer = (ts[n/2-1] + ts[n/2]) / 2
			}
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b FeedbackFigure) int {
		switch {
		case a.ServicePoint < b.ServicePoint:
			return -1
		case a.ServicePoint > b.ServicePoint:
			return 1
		}
		return 0
	})
	return out
}

// FeedbackCases returns the stored cases f chooses (Store.FeedbackCases).
func (h *Hub) FeedbackCases(ctx context.Context, f FeedbackFilter) ([]FeedbackCase, error) {
	return h.store.FeedbackCases(ctx, f)
}

// FeedbackCase returns a case by id or code (Store.FeedbackCase).
func (h *Hub) FeedbackCase(ctx context.Context, idOrCode string) (*FeedbackCase, error) {
	return h.store.FeedbackCase(ctx, idOrCode)
}

// UpdateFeedback applies an inbox action (Store.UpdateFeedback).
func (h *Hub) UpdateFeedback(ctx context.Context, id string, u FeedbackUpdate) (*FeedbackCase, error) {
	return h.store.UpdateFeedback(ctx, id, u)
}
