package survey_test

import (
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestCheckUpgrade(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(next *survey.Survey)
		path   string
		rule   string
		en     string
	}{
		{"new version, reworded and extended", func(n *survey.Survey) {
			n.Version = 2
			n.Questions[0].Text["vi"] = "Nhìn chung, Ông/Bà có hài lòng không?"
			n.Questions = append(n.Questions, survey.Question{Code: "them", Type: survey.YesNo, Text: survey.Text{"vi": "Lần đầu đến?"}})
		}, "", "", ""},
		{"question removed", func(n *survey.Survey) { n.Version = 2; n.Questions = n.Questions[:1] }, "", "", ""},
		{"same version", func(n *survey.Survey) {},
			"version", "version_not_newer", "Version 1 is not newer than the existing version 1: set version to 2."},
		{"older version", func(n *survey.Survey) { n.Version = 0 }, "version", "version_not_newer", ""},
		{"other survey", func(n *survey.Survey) { n.ID = "khac"; n.Version = 2 },
			"id", "id_changed", `The survey id changed from "mot-cua" to "khac": a new version keeps the id; a different survey needs its own file.`},
		{"type changed under the same code", func(n *survey.Survey) {
			n.Version = 2
			n.Questions[0].Type = survey.Rating5
		}, "questions[0].type", "type_changed",
			`Question "chung" was rating3 in version 1 and is now rating5: give a question a new code when its type changes, so old data keeps its meaning.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prev, next := valid(), valid()
			tc.mutate(next)
			ps := problemsOf(t, survey.CheckUpgrade(prev, next))
			if tc.rule == "" {
				if len(ps) != 0 {
					t.Fatalf("unexpected problems: %v", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].Path != tc.path || ps[0].Rule != tc.rule {
				t.Fatalf("got %v, want one %s at %s", ps, tc.rule, tc.path)
			}
			if tc.en != "" && ps[0].Text("en") != tc.en {
				t.Errorf("English message\n got %s\nwant %s", ps[0].Text("en"), tc.en)
			}
			if ps[0].Text("vi") == "" {
				t.Error("no Vietnamese message")
			}
		})
	}
}
