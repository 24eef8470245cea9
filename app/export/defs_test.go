package export

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// memDefs is a DefSource over raw JSON by id and version.
type memDefs map[string]map[int][]byte

func (m memDefs) SurveyDefs(context.Context) ([][]byte, error) {
	var out [][]byte
	for _, vs := range m {
		best := 0
		for v := range vs {
			best = max(best, v)
		}
		out = append(out, vs[best])
	}
	return out, nil
}

func (m memDefs) SurveyDef(_ context.Context, id string, v int) ([]byte, error) {
	if raw, ok := m[id][v]; ok {
		return raw, nil
	}
	return nil, errors.New("not found")
}

func rawSurvey(t *testing.T, s *survey.Survey) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDefinitions(t *testing.T) {
	v1, v2, v3 := fixtureSurvey(), fixtureSurvey(), fixtureSurvey()
	v1.Version, v3.Version = 1, 3
	v3.Questions = v3.Questions[:2]
	other := fixtureSurvey()
	other.ID, other.Version = "khac", 1
	src := memDefs{
		"mot-cua": {1: rawSurvey(t, v1), 3: rawSurvey(t, v3)}, // version 2 is built in only
		"khac":    {1: rawSurvey(t, other)},
	}
	defs, err := Definitions(context.Background(), []*survey.Survey{v2}, src, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range defs {
		got = append(got, fmt.Sprintf("%s@%d", d.ID, d.Version))
	}
	if fmt.Sprint(got) != "[mot-cua@3 mot-cua@2 mot-cua@1 khac@1]" {
		t.Errorf("definitions = %v", got)
	}
	defs, err = Definitions(context.Background(), []*survey.Survey{v2}, src, "khac")
	if err != nil || len(defs) != 1 || defs[0].ID != "khac" {
		t.Errorf("only khac: %v %v", defs, err)
	}
	src["bad"] = map[int][]byte{1: []byte(`{"id":"bad"}`)}
	if _, err := Definitions(context.Background(), nil, src, ""); err == nil {
		t.Error("an invalid stored definition was accepted")
	}
}
