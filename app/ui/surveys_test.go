package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

type defs struct {
	raws [][]byte
	err  error
}

func (d defs) SurveyDefs(context.Context) ([][]byte, error) { return d.raws, d.err }

func TestSurveys(t *testing.T) {
	builtin := []*survey.Survey{
		{ID: "a", Version: 2, Title: survey.Text{"vi": "A2"}},
		{ID: "b", Version: 1, Title: survey.Text{"vi": "B1"}},
	}
	def := func(id string, v int) []byte {
		return []byte(`{"id":"` + id + `","version":` + string(rune('0'+v)) +
			`,"title":{"vi":"` + strings.ToUpper(id) + string(rune('0'+v)) + `"},"questions":[{"code":"q","type":"rating3","text":{"vi":"Hài lòng?"}}]}`)
	}
	tests := []struct {
		name   string
		stored SurveyDefs
		id     string
		want   string // title, "" for an error
	}{
		{"built-in only", nil, "a", "A2"},
		{"stored newer wins", defs{raws: [][]byte{def("a", 3)}}, "a", "A3"},
		{"stored older loses", defs{raws: [][]byte{def("a", 1)}}, "a", "A2"},
		{"stored only", defs{raws: [][]byte{def("c", 1)}}, "c", "C1"},
		{"bad stored definition skipped", defs{raws: [][]byte{[]byte("{"), def("a", 1)}}, "a", "A2"},
		{"store error, built-in still served", defs{err: errors.New("disk I/O error")}, "b", "B1"},
		{"unknown", defs{}, "zzz", ""},
		{"unknown with store error", defs{err: errors.New("disk I/O error")}, "zzz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Surveys(builtin, tt.stored)(context.Background(), tt.id)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %+v, want an error", s)
				}
				return
			}
			if err != nil || s.Title.In("vi") != tt.want {
				t.Fatalf("got %v, %v; want %s", s, err, tt.want)
			}
		})
	}
}
