package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
)

func TestSurveyDefs(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if defs, err := s.SurveyDefs(ctx); err != nil || len(defs) != 0 {
		t.Fatalf("empty SurveyDefs = %q, %v", defs, err)
	}
	a1 := []byte(`{"id":"a","version":1,"title":{"vi":"Khảo sát A"}}`)
	a2 := []byte(`{"id":"a","version":2,"title":{"vi":"Khảo sát A, bản 2"}}`)
	b3 := []byte(`{"id":"b","version":3,"title":{"vi":"Khảo sát B"}}`)
	for _, raw := range [][]byte{a2, b3, a1} {
		if err := s.SaveSurvey(ctx, raw); err != nil {
			t.Fatalf("SaveSurvey %s: %v", raw, err)
		}
	}
	if err := s.SaveSurvey(ctx, a1); err != nil {
		t.Errorf("identical re-save: %v", err)
	}
	if err := s.SaveSurvey(ctx, []byte(`{"id":"a","version":1,"title":{"vi":"khác"}}`)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("changed version: %v, want ErrConflict", err)
	}
	for _, bad := range []string{`nope`, `{"version":1}`, `{"id":"x","version":0}`, `{"id":"x","version":"1"}`} {
		if err := s.SaveSurvey(ctx, []byte(bad)); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("SaveSurvey(%s) = %v, want ErrInvalid", bad, err)
		}
	}
	defs, err := s.SurveyDefs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 2 || string(defs[0]) != string(a2) || string(defs[1]) != string(b3) {
		t.Errorf("SurveyDefs = %q, want latest of each: a2, b3", defs)
	}
	if raw, err := s.SurveyDef(ctx, "a", 1); err != nil || string(raw) != string(a1) {
		t.Errorf("SurveyDef(a, 1) = %s, %v", raw, err)
	}
	if _, err := s.SurveyDef(ctx, "a", 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SurveyDef(a, 9) = %v, want ErrNotFound", err)
	}
}
