package hub

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Staff help requests (issue #11): a kiosk sends each request signed on
// protocol.PathHelp in its current state, open or resolved. The hub keeps
// one row per request id: the open state first (if it came), replaced
// once by the resolved state. The dashboard shows the open ones live and
// the figures per service point.

// HelpRequest is a request as the hub keeps it.
type HelpRequest struct {
	ID, Source, Lang, ServicePoint, DeviceID string
	CreatedAt                                time.Time
	Outcome                                  help.Outcome
	Reason                                   help.Reason
	Note                                     string
	ResolvedAt                               time.Time
	// ReceivedAt is when the hub first held the request; UpdatedAt when
	// it last stored a state of it (the resolution, if it came later).
	ReceivedAt, UpdatedAt time.Time
	// Content and Signature are what the device signed for the state
	// held (protocol.HelpCanonical); once the note is purged, Content is
	// PurgedContent of it.
	Content, Signature []byte
	// NotePurgedAt is when a purge removed the staff's note (retention),
	// zero while it is kept.
	NotePurgedAt time.Time
}

// Open reports whether no outcome is held for r.
func (r *HelpRequest) Open() bool { return r.Outcome == help.Open }

// sameRequest reports whether a and b are states of one request: the same
// fields but for the resolution.
func sameRequest(a, b *HelpRequest) bool {
	return a.ID == b.ID && a.Source == b.Source && a.Lang == b.Lang && a.ServicePoint == b.ServicePoint &&
		a.DeviceID == b.DeviceID && a.CreatedAt.Equal(b.CreatedAt)
}

// HelpIngestAction is what a store does with a delivered state given the
// row it holds (nil when none): the one rule both backends follow.
type HelpIngestAction int

// The actions of HelpIngest.
const (
	HelpInsert  HelpIngestAction = iota // no row: insert (Accepted)
	HelpResolve                         // the row is open and this resolves it: update (Accepted)
	HelpSame                            // the row holds this state, or is resolved and this is the open one (Duplicate)
	HelpClash                           // anything else (Conflict): the row stays
)

// HelpIngest decides what to do with state in given the row held.
func HelpIngest(held, in *HelpRequest) HelpIngestAction {
	switch {
	case held == nil:
		return HelpInsert
	case !sameRequest(held, in):
		return HelpClash
	case held.Open() && in.Open():
		return HelpSame
	case held.Open():
		return HelpResolve
	case in.Open():
		return HelpSame // a late redelivery of the state sent before
	case !held.NotePurgedAt.IsZero():
		// The note is gone: what the device signed is kept as its hash.
		if bytes.Equal(held.Content, PurgedContent(in.Content)) {
			return HelpSame
		}
	case held.Outcome == in.Outcome && held.Reason == in.Reason && held.Note == in.Note && held.ResolvedAt.Equal(in.ResolvedAt):
		return HelpSame
	}
	return HelpClash
}

// Outcome is the protocol outcome of the action.
func (a HelpIngestAction) Outcome() protocol.Outcome {
	switch a {
	case HelpInsert, HelpResolve:
		return protocol.Accepted
	case HelpSame:
		return protocol.Duplicate
	}
	return protocol.Conflict
}

// HelpFilter chooses requests: Open chooses the open ones (true) or the
// resolved ones (false), nil both; ServicePoint one point, "" all.
type HelpFilter struct {
	Open         *bool
	ServicePoint string
}

// Terms lists f's conditions over the help requests; a zero field adds
// none. An open request is one with no outcome yet.
func (f HelpFilter) Terms() []FilterTerm {
	var t []FilterTerm
	if f.Open != nil {
		op := "<>"
		if *f.Open {
			op = "="
		}
		t = append(t, FilterTerm{"outcome", op, string(help.Open)})
	}
	if f.ServicePoint != "" {
		t = append(t, FilterTerm{"service_point", "=", f.ServicePoint})
	}
	return t
}

// HelpStore is the part of Store that keeps staff help requests.
type HelpStore interface {
	// IngestHelp stores the delivered states in one transaction, by
	// HelpIngest's rule, and returns one outcome per state: Accepted when
	// stored now (a new request, or an open one resolved), Duplicate
	// when nothing needed storing, Conflict when the id is held with
	// other content (the held row stays). A second state of an id in the
	// same call is judged against the first. Implementations must be
	// idempotent: delivering the same states again stores nothing.
	IngestHelp(ctx context.Context, reqs []HelpRequest, receivedAt time.Time) ([]protocol.Outcome, error)
	// HelpRequests returns the requests f chooses, oldest raised first.
	HelpRequests(ctx context.Context, f HelpFilter) ([]HelpRequest, error)
}

// IngestHelp checks each request of a batch from device d (its device id,
// signature and rules) and stores the good ones in one transaction.
// Results are in batch order, with response outcomes and reasons.
func (h *Hub) IngestHelp(ctx context.Context, d *Device, b *protocol.HelpBatch) (*protocol.BatchResult, error) {
	return ingestSide(ctx, h, d, b.Items, sideKind[protocol.HelpItem, HelpRequest]{
		name: "help", noun: "request",
		ids:    func(it protocol.HelpItem) (string, string) { return it.Request.ID, it.Request.DeviceID },
		verify: protocol.VerifyHelp,
		check:  func(it protocol.HelpItem) error { return protocol.CheckHelp(&it.Request) },
		row: func(it protocol.HelpItem) HelpRequest {
			r := &it.Request
			return HelpRequest{
				ID: r.ID, Source: r.Source, Lang: r.Lang, ServicePoint: r.ServicePoint, DeviceID: r.DeviceID, CreatedAt: r.CreatedAt,
				Outcome: help.Outcome(r.Outcome), Reason: help.Reason(r.Reason), Note: r.Note, ResolvedAt: r.ResolvedAt,
				Content: protocol.HelpCanonical(r), Signature: it.Signature,
			}
		},
		store:    h.store.IngestHelp,
		conflict: "the hub holds this request id with other content",
	})
}

// HelpRequests returns the stored requests f chooses (Store.HelpRequests).
func (h *Hub) HelpRequests(ctx context.Context, f HelpFilter) ([]HelpRequest, error) {
	return h.store.HelpRequests(ctx, f)
}

// HelpFigure is one service point's help figures.
type HelpFigure struct {
	ServicePoint string
	// Requests counts the requests; Open those with no outcome yet,
	// Helped those helped to file online, NotPossible the others.
	Requests, Open, Helped, NotPossible int
	// ByReason counts the not-possible requests by reason.
	ByReason map[help.Reason]int
	// MedianOutcome is the median time from raising to outcome of the
	// resolved requests (kiosk clock both ends); 0 when none.
	MedianOutcome time.Duration
}

// ReasonCount is n not-possible requests for Reason.
type ReasonCount struct {
	Reason help.Reason
	N      int
}

// Reasons lists f's reasons with their counts, in help.Reasons order,
// leaving out those never given.
func (f HelpFigure) Reasons() []ReasonCount {
	var out []ReasonCount
	for _, r := range help.Reasons {
		if n := f.ByReason[r]; n > 0 {
			out = append(out, ReasonCount{r, n})
		}
	}
	return out
}

// HelpFigures returns the figures of reqs per service point, in order of
// service point.
func HelpFigures(reqs []HelpRequest) []HelpFigure {
	by := map[string]*HelpFigure{}
	times := map[string][]time.Duration{}
	for i := range reqs {
		r := &reqs[i]
		f := by[r.ServicePoint]
		if f == nil {
			f = &HelpFigure{ServicePoint: r.ServicePoint, ByReason: map[help.Reason]int{}}
			by[r.ServicePoint] = f
		}
		f.Requests++
		switch r.Outcome {
		case help.Open:
			f.Open++
			continue
		case help.Helped:
			f.Helped++
		case help.NotPossible:
			f.NotPossible++
			f.ByReason[r.Reason]++
		}
		times[r.ServicePoint] = append(times[r.ServicePoint], max(r.ResolvedAt.Sub(r.CreatedAt), 0))
	}
	out := make([]HelpFigure, 0, len(by))
	for sp, f := range by {
		f.MedianOutcome = help.Median(times[sp])
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b HelpFigure) int { return strings.Compare(a.ServicePoint, b.ServicePoint) })
	return out
}

// HelpExport returns the help figures of the requests raised within f's
// period (From inclusive, To exclusive, zero open) at f's service point
// ("" all), as export rows for the XLSX Summary.
func (h *Hub) HelpExport(ctx context.Context, f Filter) ([]export.HelpRow, error) {
	return HelpExport(ctx, h.store, f)
}

// HelpReader reads help requests (a HelpStore, a Hub).
type HelpReader interface {
	HelpRequests(ctx context.Context, f HelpFilter) ([]HelpRequest, error)
}

// HelpExport is Hub.HelpExport over any HelpReader.
func HelpExport(ctx context.Context, s HelpReader, f Filter) ([]export.HelpRow, error) {
	reqs, err := s.HelpRequests(ctx, HelpFilter{ServicePoint: f.ServicePoint})
	if err != nil {
		return nil, fmt.Errorf("help figures: %w", err)
	}
	reqs = slices.DeleteFunc(reqs, func(r HelpRequest) bool {
		return !f.From.IsZero() && r.CreatedAt.Before(f.From) || !f.To.IsZero() && !r.CreatedAt.Before(f.To)
	})
	rows := []export.HelpRow{}
	for _, fig := range HelpFigures(reqs) {
		by := map[string]int{}
		for r, n := range fig.ByReason {
			by[string(r)] = n
		}
		rows = append(rows, export.HelpRow{ServicePoint: fig.ServicePoint, Requests: fig.Requests, Open: fig.Open, Helped: fig.Helped,
			NotPossible: fig.NotPossible, ByReason: by, MedianOutcome: fig.MedianOutcome})
	}
	return rows, nil
}
