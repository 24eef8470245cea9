package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

func newFeedback(t *testing.T, cat feedback.Category, text string) *store.Feedback {
	t.Helper()
	code, err := feedback.NewCode(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &store.Feedback{
		ID: uuid.Must(uuid.NewV7()).String(), Code: code, Category: cat, Text: text, Source: "welcome",
		Lang: "vi", ServicePoint: "Phường Hoàn Kiếm", CreatedAt: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC),
	}
}

func TestSaveFeedback(t *testing.T) {
	s, path := openTest(t)
	ctx := context.Background()
	a := newFeedback(t, feedback.CategoryProcedure, "Phải nộp hồ sơ hai lần")
	if err := s.SaveFeedback(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFeedback(ctx, a); err != nil {
		t.Fatalf("saving the same case again: %v", err)
	}
	other := *a
	other.Text = "Khác"
	if err := s.SaveFeedback(ctx, &other); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("another case under the same id: %v, want ErrConflict", err)
	}
	sameCode := newFeedback(t, feedback.CategoryOther, "Khác")
	sameCode.Code = a.Code
	if err := s.SaveFeedback(ctx, sameCode); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("another case with the same code: %v, want ErrConflict", err)
	}

	pub, _, _ := feedback.NewInspectionKey(nil)
	secret := "Cán bộ đòi 300.000 đồng lệ phí ngoài"
	m := newFeedback(t, feedback.CategoryMisconduct, secret)
	for _, bad := range []*store.Feedback{
		m, // in clear: refused, never written
		{ID: "x", Code: a.Code, Category: feedback.CategoryOther, Text: "x", Source: "welcome", Lang: "vi", CreatedAt: a.CreatedAt},
		{ID: uuid.NewString(), Code: a.Code, Category: "x", Text: "x", Source: "welcome", Lang: "vi", CreatedAt: a.CreatedAt},
		{ID: uuid.NewString(), Code: a.Code, Category: feedback.CategoryOther, Text: "  ", Source: "welcome", Lang: "vi", CreatedAt: a.CreatedAt},
	} {
		if err := s.SaveFeedback(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("SaveFeedback(%+v): %v, want ErrInvalid", bad, err)
		}
	}
	sealed, err := feedback.Seal(pub[:], secret)
	if err != nil {
		t.Fatal(err)
	}
	m.Text, m.Sealed = "", sealed
	if err := s.SaveFeedback(ctx, m); err != nil {
		t.Fatal(err)
	}
	pending, err := s.PendingFeedback(ctx, 10)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending %d, %v", len(pending), err)
	}
	if p := pending[0]; p.ID != a.ID && pending[1].ID != a.ID || p.Code.IsZero() {
		t.Fatalf("pending %+v", pending)
	}
	for _, p := range pending {
		if p.ID == m.ID && (p.Text != "" || !bytes.Equal(p.Sealed, sealed) || p.Category != feedback.CategoryMisconduct) {
			t.Fatalf("sealed case read back %+v", p)
		}
	}
	// The kiosk's file holds no word of the sealed text.
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(path + "-wal"); err == nil {
		raw = append(raw, wal...)
	}
	if bytes.Contains(raw, []byte("300.000")) || bytes.Contains(raw, []byte("lệ phí")) {
		t.Fatal("the misconduct text is in the kiosk's database file")
	}
	if !bytes.Contains(raw, []byte("hai lần")) {
		t.Fatal("the open case's text is not in the file: the check above proves nothing")
	}
}

func TestFeedbackSyncStates(t *testing.T) {
	s, path := openTest(t)
	ctx := context.Background()
	a := newFeedback(t, feedback.CategoryProcedure, "một")
	b := newFeedback(t, feedback.CategoryOther, "hai")
	b.CreatedAt = a.CreatedAt.Add(time.Second)
	for _, f := range []*store.Feedback{a, b} {
		if err := s.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkFeedbackSynced(ctx, []string{a.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFeedbackRejected(ctx, a.ID, "invalid"); err != nil {
		t.Fatal(err)
	}
	p, sy, rj, err := s.FeedbackCounts(ctx)
	if err != nil || p != 1 || sy != 1 || rj != 0 {
		t.Fatalf("counts %d %d %d, %v; a synced case stays synced", p, sy, rj, err)
	}
	if err := s.MarkFeedbackRejected(ctx, b.ID, "invalid"); err != nil {
		t.Fatal(err)
	}
	if pending, err := s.PendingFeedback(ctx, 10); err != nil || len(pending) != 0 {
		t.Fatalf("pending after sync and rejection: %d, %v", len(pending), err)
	}
	// The schema refuses a misconduct row in clear even behind the store's back.
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO feedback (id, code, category, text, source, lang, service_point, device_id, created_at)
		VALUES ('x', 'ABCDEFGH', 'nhung_nhieu', 'in clear', 'welcome', 'vi', '', '', '')`); err == nil {
		t.Fatal("the schema took a misconduct case in clear")
	}
}
