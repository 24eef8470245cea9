package survey_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// valid returns a small survey that passes Validate; each row of
// TestValidate breaks it in one way.
func valid() *survey.Survey {
	return &survey.Survey{
		ID:        "mot-cua",
		Version:   1,
		Title:     survey.Text{"vi": "Đánh giá", "en": "Rating"},
		Purpose:   survey.Text{"vi": "Phiếu ẩn danh.", "en": "Anonymous."},
		Abandoned: "keep",
		Questions: []survey.Question{
			{Code: "chung", Type: survey.Rating3, Text: survey.Text{"vi": "Ông/Bà có hài lòng không?"}, Index: "sipas:cong-chuc"},
			{Code: "ly_do", Type: survey.Multi, Text: survey.Text{"vi": "Vì sao?"},
				Options: []survey.Option{
					{Code: "cho-lau", Label: survey.Text{"vi": "Chờ lâu"}},
					{Code: "khac", Label: survey.Text{"vi": "Khác"}},
				},
				ShowIf: &survey.Condition{Question: "chung", AnyOf: []string{"khl"}}},
			{Code: "gop_y", Type: survey.Comment, Text: survey.Text{"vi": "Góp ý?"}, Optional: true},
		},
	}
}

func problemsOf(t *testing.T, err error) survey.Problems {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps survey.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v (%T) is not survey.Problems", err, err)
	}
	return ps
}

func TestValidateAcceptsValid(t *testing.T) {
	if err := survey.Validate(valid()); err != nil {
		t.Fatalf("Validate(valid()) = %v", err)
	}
	s := valid()
	s.Abandoned = ""
	s.Purpose = nil
	if err := survey.Validate(s); err != nil {
		t.Fatalf("Validate without optional fields = %v", err)
	}
}

// TestValidate has one row per rule: it breaks the valid survey in one way
// and expects exactly that one problem, at that place, in those words.
func TestValidate(t *testing.T) {
	long := strings.Repeat("à", survey.MaxTitleLen+1)
	tests := []struct {
		name   string
		mutate func(s *survey.Survey)
		path   string
		rule   string
		en     string
	}{
		{"id missing", func(s *survey.Survey) { s.ID = "" },
			"id", "id_missing", `The survey id is missing, e.g. "mot-cua-nhanh".`},
		{"id uppercase", func(s *survey.Survey) { s.ID = "Mot-Cua" },
			"id", "id_format", `Survey id "Mot-Cua" is invalid: use lowercase letters a-z without accents, digits and single hyphens between words, at most 64 characters, e.g. "mot-cua-nhanh".`},
		{"id with accents", func(s *survey.Survey) { s.ID = "một-cửa" }, "id", "id_format", ""},
		{"id double hyphen", func(s *survey.Survey) { s.ID = "mot--cua" }, "id", "id_format", ""},
		{"id too long", func(s *survey.Survey) { s.ID = strings.Repeat("a", 65) }, "id", "id_format", ""},
		{"version zero", func(s *survey.Survey) { s.Version = 0 },
			"version", "version", "The version must be a whole number of at least 1, raised by 1 with every change; it is 0."},
		{"version negative", func(s *survey.Survey) { s.Version = -3 }, "version", "version", ""},
		{"title missing", func(s *survey.Survey) { s.Title = nil },
			"title.vi", "text_missing_vi", "The Vietnamese text (vi) is missing."},
		{"title only English", func(s *survey.Survey) { s.Title = survey.Text{"en": "Rating"} },
			"title.vi", "text_missing_vi", ""},
		{"title blank", func(s *survey.Survey) { s.Title["vi"] = "   " }, "title.vi", "text_missing_vi", ""},
		{"title too long", func(s *survey.Survey) { s.Title["vi"] = long },
			"title.vi", "text_too_long", "The text is 121 characters long; at most 120 are allowed: make it shorter."},
		{"title two lines", func(s *survey.Survey) { s.Title["en"] = "Two\nlines" },
			"title.en", "text_control", "The text must be on one line, without line breaks, tabs or stray characters."},
		{"unknown language", func(s *survey.Survey) { s.Title["vn"] = "Đánh giá" },
			"title.vn", "text_language", `Language "vn" is not supported: use "vi" for Vietnamese and "en" for English.`},
		{"purpose without vi", func(s *survey.Survey) { s.Purpose = survey.Text{"en": "Anonymous."} },
			"purpose.vi", "text_missing_vi", "There is an English text but the Vietnamese text (vi) is missing."},
		{"text in NFD", func(s *survey.Survey) { s.Title["vi"] = "Hai\u0300i lo\u0300ng" },
			"title.vi", "text_not_nfc", "The text is not in Unicode NFC form; load the file with Parse, which normalises it."},
		{"invitation too long", func(s *survey.Survey) { s.Invitation = survey.Text{"vi": strings.Repeat("à", survey.MaxInviteLen+1)} },
			"invitation.vi", "text_too_long", "The text is 201 characters long; at most 200 are allowed: make it shorter."},
		{"invitation without vi", func(s *survey.Survey) { s.Invitation = survey.Text{"en": "Please rate us."} },
			"invitation.vi", "text_missing_vi", ""},
		{"labels on a rating", func(s *survey.Survey) {
			s.Questions[0].Labels = &survey.YesNoLabels{Yes: survey.Text{"vi": "Rồi"}, No: survey.Text{"vi": "Chưa"}}
		}, "questions[0].labels", "labels_not_allowed", "Only a yes/no (yesno) question can have its own answer words (labels); this question is rating3."},
		{"labels without no", func(s *survey.Survey) {
			s.Questions = append(s.Questions, survey.Question{Code: "da_dung", Type: survey.YesNo, Text: survey.Text{"vi": "Đã từng dùng chưa?"},
				Labels: &survey.YesNoLabels{Yes: survey.Text{"vi": "Rồi"}}})
		}, "questions[3].labels", "labels_missing", `labels must give the words of both answers, "yes" and "no", e.g. {"yes": {"vi": "Rồi"}, "no": {"vi": "Chưa"}}.`},
		{"labels two lines", func(s *survey.Survey) {
			s.Questions = append(s.Questions, survey.Question{Code: "da_dung", Type: survey.YesNo, Text: survey.Text{"vi": "Đã từng dùng chưa?"},
				Labels: &survey.YesNoLabels{Yes: survey.Text{"vi": "Rồi"}, No: survey.Text{"vi": "Chưa\nbao giờ"}}})
		}, "questions[3].labels.no.vi", "text_control", ""},
		{"abandoned policy", func(s *survey.Survey) { s.Abandoned = "save" },
			"abandoned", "abandoned", `Abandoned policy "save" is invalid: use "keep" (save as abandoned) or "discard" (drop).`},
		{"slip policy", func(s *survey.Survey) { s.Slip = "always" },
			"slip", "slip", `Slip policy "always" is invalid: use "required" (a slip is needed), "optional" (asked, may be skipped) or "none" (no slips).`},
		{"no questions", func(s *survey.Survey) { s.Questions = nil },
			"questions", "no_questions", "The survey has no questions."},
		{"too many questions", func(s *survey.Survey) {
			for i := len(s.Questions); i <= survey.MaxQuestions; i++ {
				s.Questions = append(s.Questions, survey.Question{Code: "q" + strings.Repeat("x", i), Type: survey.YesNo, Text: survey.Text{"vi": "Có không?"}})
			}
		}, "questions", "too_many_questions", "The survey has 31 questions; at most 30 are allowed: citizens should answer a few short questions."},
		{"question code missing", func(s *survey.Survey) { s.Questions[2].Code = "" },
			"questions[2].code", "code_missing", `The question has no code, e.g. "thai_do".`},
		{"question code with hyphen", func(s *survey.Survey) { s.Questions[2].Code = "gop-y" },
			"questions[2].code", "code_format", `Question code "gop-y" is invalid: use lowercase letters a-z without accents, digits and underscores, starting with a letter, at most 32 characters, e.g. "thai_do".`},
		{"question code with comma", func(s *survey.Survey) { s.Questions[2].Code = "gop,y" }, "questions[2].code", "code_format", ""},
		{"question code starts with digit", func(s *survey.Survey) { s.Questions[2].Code = "1gop" }, "questions[2].code", "code_format", ""},
		{"question code reserved", func(s *survey.Survey) { s.Questions[2].Code = "status" },
			"questions[2].code", "code_reserved", `Question code "status" is the name of a fixed export column; choose another code.`},
		{"question code duplicate", func(s *survey.Survey) { s.Questions[2].Code = "chung" },
			"questions[2]", "duplicate_code", `duplicate code "chung"`},
		{"question text missing", func(s *survey.Survey) { s.Questions[0].Text = survey.Text{} },
			"questions[0].text.vi", "text_missing_vi", "The Vietnamese text (vi) is missing."},
		{"question text tab", func(s *survey.Survey) { s.Questions[0].Text["vi"] = "Có\thài lòng?" },
			"questions[0].text.vi", "text_control", "The text contains a control character (a tab or a stray character); remove it."},
		{"type missing", func(s *survey.Survey) { s.Questions[2].Type = "" },
			"questions[2].type", "type_missing", "The question has no type: use one of rating3, rating5, single, multi, yesno, text, info, feedback."},
		{"type unknown", func(s *survey.Survey) { s.Questions[0].Type = "stars"; s.Questions[0].Index = "" },
			"questions[0].type", "type_unknown", `Unknown question type "stars": use one of rating3, rating5, single, multi, yesno, text, info, feedback.`},
		{"rating lists options", func(s *survey.Survey) {
			s.Questions[0].Options = []survey.Option{{Code: "hl", Label: survey.Text{"vi": "Hài lòng"}}}
		}, "questions[0].options", "options_not_allowed", "A rating3 question uses the fixed answer scale and must not list options: remove options."},
		{"yesno lists options", func(s *survey.Survey) {
			s.Questions[0] = survey.Question{Code: "chung", Type: survey.YesNo, Text: survey.Text{"vi": "Có?"},
				Options: []survey.Option{{Code: "yes", Label: survey.Text{"vi": "Có"}}, {Code: "no", Label: survey.Text{"vi": "Không"}}}}
			s.Questions[1].ShowIf.AnyOf = []string{"no"}
		}, "questions[0].options", "options_not_allowed", "A yesno question uses the fixed answer scale and must not list options: remove options."},
		{"comment lists options", func(s *survey.Survey) { s.Questions[2].Options = valid().Questions[1].Options },
			"questions[2].options", "options_not_allowed", "A comment (text) question is answered in free text and has no options: remove options."},
		{"comment required", func(s *survey.Survey) { s.Questions[2].Optional = false },
			"questions[2].optional", "comment_required", `A comment (text) question must have "optional": true: citizens are never forced to type.`},
		{"single with one option", func(s *survey.Survey) {
			s.Questions[1].Type = survey.Single
			s.Questions[1].Options = s.Questions[1].Options[:1]
		},
			"questions[1].options", "too_few_options", "A choice (single) question needs at least 2 options; it has 1."},
		{"multi without options", func(s *survey.Survey) { s.Questions[1].Options = nil },
			"questions[1].options", "too_few_options", "A choice (multi) question needs at least 2 options; it has 0."},
		{"too many options", func(s *survey.Survey) {
			for i := 2; i <= survey.MaxOptions; i++ {
				s.Questions[1].Options = append(s.Questions[1].Options, survey.Option{Code: "o" + strings.Repeat("x", i), Label: survey.Text{"vi": "Ý"}})
			}
		}, "questions[1].options", "too_many_options", "The question has 13 options; at most 12 are allowed."},
		{"option code missing", func(s *survey.Survey) { s.Questions[1].Options[1].Code = "" },
			"questions[1].options[1].code", "code_missing", `The option has no code, e.g. "cho-lau".`},
		{"option code with space", func(s *survey.Survey) { s.Questions[1].Options[1].Code = "cho lau" },
			"questions[1].options[1].code", "code_format", `Option code "cho lau" is invalid: use lowercase letters a-z without accents, digits, underscores or hyphens, at most 32 characters, e.g. "cho-lau".`},
		{"option code duplicate", func(s *survey.Survey) { s.Questions[1].Options[1].Code = "cho-lau" },
			"questions[1].options[1]", "duplicate_code", `duplicate code "cho-lau"`},
		{"option label missing", func(s *survey.Survey) { s.Questions[1].Options[0].Label = survey.Text{"en": "Long wait"} },
			"questions[1].options[0].label.vi", "text_missing_vi", "The Vietnamese text (vi) is missing."},
		{"index unknown element", func(s *survey.Survey) { s.Questions[0].Index = "sipas:thai-do" },
			"questions[0].index", "index_format", `Index tag "sipas:thai-do" is invalid: use sipas:tiep-can, sipas:thu-tuc, sipas:cong-chuc, sipas:ket-qua, sipas:phan-anh or papi:1 to papi:8.`},
		{"index papi 9", func(s *survey.Survey) { s.Questions[0].Index = "papi:9" }, "questions[0].index", "index_format", ""},
		{"index papi 0", func(s *survey.Survey) { s.Questions[0].Index = "papi:0" }, "questions[0].index", "index_format", ""},
		{"index unknown family", func(s *survey.Survey) { s.Questions[0].Index = "pci:1" }, "questions[0].index", "index_format", ""},
		{"index on a choice", func(s *survey.Survey) { s.Questions[1].Index = "papi:5" },
			"questions[1].index", "index_type", "Only satisfaction ratings (rating3 or rating5) can carry an index tag; this question is multi."},
		{"show_if without question", func(s *survey.Survey) { s.Questions[1].ShowIf.Question = "" },
			"questions[1].show_if.question", "show_if_missing", "The show_if condition does not name the earlier question (question)."},
		{"show_if on itself", func(s *survey.Survey) { s.Questions[1].ShowIf.Question = "ly_do" },
			"questions[1].show_if.question", "show_if_self", "The show_if condition cannot depend on the question itself; use an earlier question."},
		{"show_if on a later question", func(s *survey.Survey) {
			s.Questions[0].ShowIf = &survey.Condition{Question: "ly_do", AnyOf: []string{"khac"}}
		}, "questions[0].show_if.question", "show_if_order", `The show_if condition refers to question "ly_do", but no earlier question has that code.`},
		{"show_if on an unknown question", func(s *survey.Survey) { s.Questions[1].ShowIf.Question = "thai_do" },
			"questions[1].show_if.question", "show_if_order", `The show_if condition refers to question "thai_do", but no earlier question has that code.`},
		{"show_if on a comment", func(s *survey.Survey) {
			s.Questions = append(s.Questions, survey.Question{Code: "them", Type: survey.YesNo, Text: survey.Text{"vi": "Thêm?"},
				ShowIf: &survey.Condition{Question: "gop_y", AnyOf: []string{"abc"}}})
		}, "questions[3].show_if.question", "show_if_comment", `The show_if condition cannot depend on comment question "gop_y": its answer is free text.`},
		{"show_if without codes", func(s *survey.Survey) { s.Questions[1].ShowIf.AnyOf = nil },
			"questions[1].show_if.any_of", "show_if_empty", `The show_if condition needs at least one answer code in any_of, e.g. ["khl"].`},
		{"show_if code not on the scale", func(s *survey.Survey) { s.Questions[1].ShowIf.AnyOf = []string{"khl", "rkhl"} },
			"questions[1].show_if.any_of[1]", "show_if_code", `Question "chung" has no answer code "rkhl"; the codes are: rhl, hl, khl.`},
		{"show_if code repeated", func(s *survey.Survey) { s.Questions[1].ShowIf.AnyOf = []string{"khl", "khl"} },
			"questions[1].show_if.any_of[1]", "duplicate_code", `duplicate code "khl"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := valid()
			tc.mutate(s)
			ps := problemsOf(t, survey.Validate(s))
			if len(ps) != 1 {
				t.Fatalf("got %d problems, want 1:\n%v", len(ps), ps)
			}
			p := ps[0]
			if p.Path != tc.path || p.Rule != tc.rule {
				t.Errorf("got %s [%s], want %s [%s]", p.Path, p.Rule, tc.path, tc.rule)
			}
			if tc.en != "" && p.Text("en") != tc.en {
				t.Errorf("English message\n got %s\nwant %s", p.Text("en"), tc.en)
			}
			if p.Text("vi") == "" || p.Text("vi") == p.Text("en") {
				t.Errorf("no Vietnamese message: %q", p.Text("vi"))
			}
			if p.Line != 0 {
				t.Errorf("Validate set line %d on a survey built in code", p.Line)
			}
		})
	}
}

// TestValidateAllAtOnce checks that every problem is reported, in order,
// not only the first, with the message format the issue asks for.
func TestValidateAllAtOnce(t *testing.T) {
	s := valid()
	s.Version = 0
	s.Questions[1].Options[1].Code = "cho-lau"
	s.Questions[2].Text = nil
	err := survey.Validate(s)
	got := err.Error()
	want := strings.Join([]string{
		"version: The version must be a whole number of at least 1, raised by 1 with every change; it is 0.",
		`questions[1].options[1]: duplicate code "cho-lau"`,
		"questions[2].text.vi: The Vietnamese text (vi) is missing.",
	}, "\n")
	if got != want {
		t.Errorf("Validate error\n got %s\nwant %s", got, want)
	}
	ps := problemsOf(t, err)
	if d := ps[1].Describe("vi"); d != "questions[1].options[1]: Mã “cho-lau” bị trùng với lựa chọn questions[1].options[0]." {
		t.Errorf("Vietnamese description = %q", d)
	}
	if survey.Validate(nil) == nil {
		t.Error("Validate(nil) = nil")
	}
}

func TestIndexTag(t *testing.T) {
	tests := []struct {
		tag, family, key string
		ok               bool
	}{
		{"sipas:tiep-can", "sipas", "tiep-can", true},
		{"sipas:phan-anh", "sipas", "phan-anh", true},
		{"papi:1", "papi", "1", true},
		{"papi:8", "papi", "8", true},
		{"papi:10", "", "", false},
		{"papi:", "", "", false},
		{"sipas:", "", "", false},
		{"SIPAS:tiep-can", "", "", false},
		{"", "", "", false},
		{"tiep-can", "", "", false},
	}
	for _, tc := range tests {
		family, key, ok := survey.IndexTag(tc.tag)
		if ok != tc.ok || (ok && (family != tc.family || key != tc.key)) {
			t.Errorf("IndexTag(%q) = %q, %q, %v; want %q, %q, %v", tc.tag, family, key, ok, tc.family, tc.key, tc.ok)
		}
	}
}

// TestYesNoLabels: a yes/no question answers with its own words when its
// survey file declares them, under the fixed codes, and a file without
// them still reads Có / Không.
func TestYesNoLabels(t *testing.T) {
	s, err := survey.Parse([]byte(`{"id": "dvc", "version": 1, "title": {"vi": "Dịch vụ công"},
	  "invitation": {"vi": "Mời Ông/Bà cho biết."},
	  "questions": [
	    {"code": "da_dung", "type": "yesno", "text": {"vi": "Ông/Bà đã từng dùng chưa?"},
	     "labels": {"yes": {"vi": "Rồi", "en": "Yes, I have"}, "no": {"vi": " Chưa ", "en": "Not yet"}}},
	    {"code": "can", "type": "yesno", "text": {"vi": "Ông/Bà có cần giúp không?"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Invitation.In("vi"); got != "Mời Ông/Bà cho biết." {
		t.Errorf("invitation %q", got)
	}
	opts := s.Questions[0].OptionsOf()
	if len(opts) != 2 || opts[0].Code != survey.CodeYes || opts[0].Label.In("vi") != "Rồi" ||
		opts[1].Code != survey.CodeNo || opts[1].Label.In("vi") != "Chưa" || opts[1].Label.In("en") != "Not yet" {
		t.Errorf("own labels: %+v", opts)
	}
	std := s.Questions[1].OptionsOf()
	if std[0].Label.In("vi") != "Có" || std[1].Label.In("vi") != "Không" {
		t.Errorf("standard labels: %+v", std)
	}
	// The standard scale is not changed by a question with its own words.
	if again := s.Questions[1].OptionsOf(); again[0].Label.In("vi") != "Có" {
		t.Errorf("standard labels changed: %+v", again)
	}
}
