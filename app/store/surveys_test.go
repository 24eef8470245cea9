package store_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

// builtinDef returns a built-in survey file with its version replaced.
func builtinDef(t *testing.T, name string, version string) []byte {
	t.Helper()
	raw, err := fs.ReadFile(assets.Surveys, "surveys/"+name+".json")
	if err != nil {
		t.Fatal(err)
	}
	out := bytes.Replace(raw, []byte(`"version": 1,`), []byte(`"version": `+version+`,`), 1)
	if version != "1" && bytes.Equal(out, raw) {
		t.Fatalf("%s: no version line to replace", name)
	}
	return out
}

func TestSurveyDefs(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if defs, err := s.SurveyDefs(ctx); err != nil || len(defs) != 0 {
		t.Fatalf("empty SurveyDefs = %q, %v", defs, err)
	}
	a1 := builtinDef(t, "mot-cua-nhanh", "1")
	a2 := builtinDef(t, "mot-cua-nhanh", "2")
	b3 := builtinDef(t, "sipas", "3")
	for _, raw := range [][]byte{a2, b3, a1} {
		if err := s.SaveSurvey(ctx, raw); err != nil {
			t.Fatalf("SaveSurvey: %v", err)
		}
	}
	if err := s.SaveSurvey(ctx, a1); err != nil {
		t.Errorf("identical re-save: %v", err)
	}
	changed := bytes.Replace(a1, []byte("Đánh giá nhanh"), []byte("Đánh giá"), 1)
	if err := s.SaveSurvey(ctx, changed); !errors.Is(err, store.ErrConflict) {
		t.Errorf("changed version: %v, want ErrConflict", err)
	}
	for _, bad := range [][]byte{[]byte(`nope`), []byte(`{"id":"x","version":1}`), builtinDef(t, "sipas", "0")} {
		err := s.SaveSurvey(ctx, bad)
		var problems survey.Problems
		if !errors.Is(err, store.ErrInvalid) || !errors.As(err, &problems) {
			t.Errorf("SaveSurvey(%.30s) = %v, want ErrInvalid with survey.Problems", bad, err)
		}
	}
	defs, err := s.SurveyDefs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 2 || !bytes.Equal(defs[0], a2) || !bytes.Equal(defs[1], b3) {
		t.Errorf("SurveyDefs returned %d definitions, want the latest of each: mot-cua-nhanh 2, sipas 3", len(defs))
	}
	if raw, err := s.SurveyDef(ctx, "mot-cua-nhanh", 1); err != nil || !bytes.Equal(raw, a1) {
		t.Errorf("SurveyDef(mot-cua-nhanh, 1) = %.40s, %v", raw, err)
	}
	if _, err := s.SurveyDef(ctx, "mot-cua-nhanh", 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SurveyDef(mot-cua-nhanh, 9) = %v, want ErrNotFound", err)
	}
}
