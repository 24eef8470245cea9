package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// openTest opens a fresh store in a file under t.TempDir and closes it at
// the end of the test.
func openTest(t testing.TB, opts ...store.Option) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	s, err := store.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

// base is the start time of test responses.
var base = time.Date(2026, 3, 2, 1, 30, 0, 123456789, time.UTC)

// newResponse returns a complete response started i minutes after base.
func newResponse(t testing.TB, i int) *survey.Response {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	start := base.Add(time.Duration(i) * time.Minute)
	return &survey.Response{
		ID:            id.String(),
		SurveyID:      "mot-cua-nhanh",
		SurveyVersion: 1,
		Answers:       survey.Answers{"q1": {survey.CodeSatisfied}, "q2": {"a", "b"}, "comment": {fmt.Sprintf("Cán bộ rất nhiệt tình %d", i)}},
		StartedAt:     start,
		FinishedAt:    start.Add(42*time.Second + 7*time.Millisecond),
		ServicePoint:  "Bộ phận Một cửa phường Hoàn Kiếm",
		DeviceID:      "kiosk-01",
		Lang:          "vi",
		Status:        survey.StatusComplete,
	}
}

func mustSave(t testing.TB, s *store.Store, rs ...*survey.Response) {
	t.Helper()
	for _, r := range rs {
		if err := s.SaveResponse(context.Background(), r); err != nil {
			t.Fatalf("SaveResponse %s: %v", r.ID, err)
		}
	}
}
