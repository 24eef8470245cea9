package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/help"
)

var helpT0 = time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)

func newHelp(n int) *store.HelpRequest {
	return &store.HelpRequest{
		ID: uuid.Must(uuid.NewV7()).String(), Source: help.SurveySource("dich-vu-cong", 2), Lang: "vi",
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", CreatedAt: helpT0.Add(time.Duration(n) * time.Minute),
	}
}

func pendingIDs(t *testing.T, s *store.Store) map[string]help.Outcome {
	t.Helper()
	rows, err := s.PendingHelp(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]help.Outcome{}
	for _, r := range rows {
		out[r.ID] = r.Outcome
	}
	return out
}

func TestHelpLifecycle(t *testing.T) {
	s, path := openTest(t)
	ctx := context.Background()
	a, b := newHelp(1), newHelp(2)
	for _, r := range []*store.HelpRequest{a, b, a} {
		if err := s.RaiseHelp(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	other := *a
	other.Source = help.SourceWelcome
	if err := s.RaiseHelp(ctx, &other); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("another request under a's id: %v", err)
	}
	open, err := s.OpenHelp(ctx)
	if err != nil || len(open) != 2 || open[0].ID != a.ID || !open[0].CreatedAt.Equal(a.CreatedAt) || open[1].Source != b.Source {
		t.Fatalf("open %+v, %v", open, err)
	}
	// a goes to the hub open, then is resolved: its resolution is pending.
	if err := s.MarkHelpSynced(ctx, []store.HelpSent{{ID: a.ID}}); err != nil {
		t.Fatal(err)
	}
	if p := pendingIDs(t, s); len(p) != 1 || p[b.ID] != help.Open {
		t.Fatalf("pending after a's open state: %v", p)
	}
	at := helpT0.Add(12 * time.Minute)
	if err := s.ResolveHelp(ctx, a.ID, help.NotPossible, help.ReasonNoAccount, "", at); err != nil {
		t.Fatal(err)
	}
	if err := s.ResolveHelp(ctx, a.ID, help.Helped, "", "", at); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("resolving twice: %v", err)
	}
	// b is resolved before any sync: one pending state, resolved.
	if err := s.ResolveHelp(ctx, b.ID, help.Helped, "", "nộp khai sinh trực tuyến", at); err != nil {
		t.Fatal(err)
	}
	p := pendingIDs(t, s)
	if len(p) != 2 || p[a.ID] != help.NotPossible || p[b.ID] != help.Helped {
		t.Fatalf("pending after resolutions: %v", p)
	}
	// A late mark of b's open state (sent before it was resolved) keeps
	// its resolution pending.
	if err := s.MarkHelpSynced(ctx, []store.HelpSent{{ID: b.ID}, {ID: a.ID, Resolved: true}}); err != nil {
		t.Fatal(err)
	}
	if p := pendingIDs(t, s); len(p) != 1 || p[b.ID] != help.Helped {
		t.Fatalf("pending after marks: %v", p)
	}
	if err := s.MarkHelpSynced(ctx, []store.HelpSent{{ID: b.ID, Resolved: true}}); err != nil {
		t.Fatal(err)
	}
	if p := pendingIDs(t, s); len(p) != 0 {
		t.Fatalf("pending at the end: %v", p)
	}
	if open, err := s.OpenHelp(ctx); err != nil || len(open) != 0 {
		t.Fatalf("open at the end: %+v, %v", open, err)
	}
	// The outcome survives a reopen of the file.
	s.Close()
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.ResolveHelp(ctx, b.ID, help.Helped, "", "", at); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("after reopen: %v", err)
	}
}

func TestResolveHelpRefusals(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	a := newHelp(1)
	if err := s.RaiseHelp(ctx, a); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		id     string
		o      help.Outcome
		reason help.Reason
		note   string
		at     time.Time
		want   error
	}{
		{"unknown id", uuid.NewString(), help.Helped, "", "", helpT0.Add(time.Hour), store.ErrNotFound},
		{"no outcome", a.ID, help.Open, "", "", helpT0.Add(time.Hour), store.ErrInvalid},
		{"no reason", a.ID, help.NotPossible, "", "", helpT0.Add(time.Hour), store.ErrInvalid},
		{"note too long", a.ID, help.Helped, "", strings.Repeat("x", help.MaxNote+1), helpT0.Add(time.Hour), store.ErrInvalid},
		{"before raised", a.ID, help.Helped, "", "", helpT0, store.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.ResolveHelp(ctx, tt.id, tt.o, tt.reason, tt.note, tt.at); !errors.Is(err, tt.want) {
				t.Fatalf("ResolveHelp = %v, want %v", err, tt.want)
			}
		})
	}
	if open, _ := s.OpenHelp(ctx); len(open) != 1 {
		t.Fatalf("a refused resolution changed the request: %+v", open)
	}
	// A rejected request leaves the pending ones.
	if err := s.MarkHelpRejected(ctx, a.ID, "invalid"); err != nil {
		t.Fatal(err)
	}
	if p := pendingIDs(t, s); len(p) != 0 {
		t.Fatalf("pending after rejection: %v", p)
	}
	if err := s.RaiseHelp(ctx, &store.HelpRequest{ID: "x", Source: "welcome", Lang: "vi", CreatedAt: helpT0}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("bad id: %v", err)
	}
}
