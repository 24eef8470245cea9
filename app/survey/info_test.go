package survey_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// pngBytes encodes a w×h picture as PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withInfo is valid() with an info screen first and one between its
// questions.
func withInfo(t *testing.T) *survey.Survey {
	t.Helper()
	s := valid()
	intro := survey.Question{Code: "gioi_thieu", Type: survey.Info,
		Title: survey.Text{"vi": "Dự thảo quy định", "en": "Draft rule"},
		Text:  survey.Text{"vi": "Tóm tắt dự thảo.\nĐoạn thứ hai.", "en": "Summary."},
		Image: survey.ImageDataURI(pngBytes(t, 64, 48)),
		QR:    &survey.QRCode{URL: "https://duthaoonline.quochoi.vn/du-thao/1", Caption: survey.Text{"vi": "Quét để đọc toàn văn", "en": "Scan to read it all"}}}
	mid := survey.Question{Code: "cam_on", Type: survey.Info, Text: survey.Text{"vi": "Cảm ơn, còn hai câu."}}
	s.Questions = append([]survey.Question{intro, s.Questions[0], mid}, s.Questions[1:]...)
	return s
}

func TestValidateInfo(t *testing.T) {
	if err := survey.Validate(withInfo(t)); err != nil {
		t.Fatalf("Validate(withInfo) = %v", err)
	}
	if n := withInfo(t).QuestionCount(); n != 3 {
		t.Errorf("QuestionCount = %d, want 3 (5 screens, 2 of them info)", n)
	}
	jpg := func() string {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 40)), nil); err != nil {
			t.Fatal(err)
		}
		return survey.ImageDataURI(buf.Bytes())
	}()
	huge := "data:image/png;base64," + base64.StdEncoding.EncodeToString(make([]byte, survey.MaxImageBytes+1))
	tests := []struct {
		name   string
		mutate func(s *survey.Survey)
		path   string
		rule   string
		en     string
	}{
		{"jpeg accepted", func(s *survey.Survey) { s.Questions[0].Image = jpg }, "", "", ""},
		{"no image nor qr", func(s *survey.Survey) { s.Questions[0].Image, s.Questions[0].QR, s.Questions[0].Title = "", nil, nil }, "", "", ""},
		{"text missing", func(s *survey.Survey) { s.Questions[0].Text = nil },
			"questions[0].text.vi", "text_missing_vi", "The Vietnamese text (vi) is missing."},
		{"text long but within the info limit", func(s *survey.Survey) {
			s.Questions[0].Text["vi"] = strings.Repeat("à", survey.MaxInfoTextLen)
		}, "", "", ""},
		{"text too long", func(s *survey.Survey) { s.Questions[0].Text["vi"] = strings.Repeat("à", survey.MaxInfoTextLen+1) },
			"questions[0].text.vi", "text_too_long", "The text is 601 characters long; at most 600 are allowed: make it shorter."},
		{"title two lines", func(s *survey.Survey) { s.Questions[0].Title["vi"] = "Dự thảo\nquy định" },
			"questions[0].title.vi", "text_control", ""},
		{"title only English", func(s *survey.Survey) { s.Questions[0].Title = survey.Text{"en": "Draft"} },
			"questions[0].title.vi", "text_missing_vi", ""},
		{"image not a data uri", func(s *survey.Survey) { s.Questions[0].Image = "anh.png" },
			"questions[0].image", "image_format", `The image must be a data URI starting "data:image/png;base64," or "data:image/jpeg;base64," followed by the picture in base64 (see docs/survey-format.md).`},
		{"image gif", func(s *survey.Survey) { s.Questions[0].Image = "data:image/gif;base64,R0lGODlh" },
			"questions[0].image", "image_format", ""},
		{"image bad base64", func(s *survey.Survey) { s.Questions[0].Image = "data:image/png;base64,iVBOR w0K" },
			"questions[0].image", "image_base64", ""},
		{"image too large", func(s *survey.Survey) { s.Questions[0].Image = huge },
			"questions[0].image", "image_too_large", ""},
		{"jpeg labelled png", func(s *survey.Survey) {
			s.Questions[0].Image = "data:image/png;base64," + strings.SplitN(jpg, ",", 2)[1]
		},
			"questions[0].image", "image_unreadable", `The image cannot be read: its data is not a PNG picture as its "data:image/png" prefix says.`},
		{"png cut short", func(s *survey.Survey) {
			raw := pngBytes(t, 64, 64)
			s.Questions[0].Image = survey.ImageDataURI(raw[:len(raw)-20])
		}, "questions[0].image", "image_unreadable", "The image cannot be read: the PNG data is damaged or cut short."},
		{"image too small", func(s *survey.Survey) { s.Questions[0].Image = survey.ImageDataURI(pngBytes(t, 16, 64)) },
			"questions[0].image", "image_size", "The image is 16×64 pixels; each side must be between 32 and 2048."},
		{"qr without url", func(s *survey.Survey) { s.Questions[0].QR.URL = "" },
			"questions[0].qr.url", "qr_url_missing", ""},
		{"qr not a web link", func(s *survey.Survey) { s.Questions[0].QR.URL = "duthaoonline.quochoi.vn" },
			"questions[0].qr.url", "qr_url", `Link "duthaoonline.quochoi.vn" is invalid: give a full web address starting with https:// (or http://), without spaces.`},
		{"qr javascript", func(s *survey.Survey) { s.Questions[0].QR.URL = "javascript:alert(1)" },
			"questions[0].qr.url", "qr_url", ""},
		{"qr url too long", func(s *survey.Survey) {
			s.Questions[0].QR.URL = "https://a.vn/" + strings.Repeat("x", survey.MaxQRURLLen)
		},
			"questions[0].qr.url", "qr_url_too_long", ""},
		{"qr without caption", func(s *survey.Survey) { s.Questions[0].QR.Caption = nil },
			"questions[0].qr.caption.vi", "text_missing_vi", ""},
		{"info with options", func(s *survey.Survey) {
			s.Questions[0].Options = []survey.Option{{Code: "a", Label: survey.Text{"vi": "A"}}}
		},
			"questions[0].options", "info_field", `An info screen asks nothing, so it has no "options": remove this field.`},
		{"info optional", func(s *survey.Survey) { s.Questions[0].Optional = true },
			"questions[0].optional", "info_field", ""},
		{"info with index", func(s *survey.Survey) { s.Questions[0].Index = "papi:2" },
			"questions[0].index", "info_field", ""},
		{"info with labels", func(s *survey.Survey) {
			s.Questions[0].Labels = &survey.YesNoLabels{Yes: survey.Text{"vi": "Rồi"}, No: survey.Text{"vi": "Chưa"}}
		}, "questions[0].labels", "info_field", ""},
		{"title on a question", func(s *survey.Survey) { s.Questions[1].Title = survey.Text{"vi": "Tiêu đề"} },
			"questions[1].title", "info_only", `Only an info screen has "title"; this question is rating3: remove this field.`},
		{"qr on a question", func(s *survey.Survey) { s.Questions[1].QR = s.Questions[0].QR },
			"questions[1].qr", "info_only", ""},
		{"image on a question", func(s *survey.Survey) { s.Questions[1].Image = s.Questions[0].Image },
			"questions[1].image", "info_only", ""},
		{"show_if on an info screen", func(s *survey.Survey) {
			s.Questions[3].ShowIf = &survey.Condition{Question: "cam_on", AnyOf: []string{"x"}}
		}, "questions[3].show_if.question", "show_if_info", `The show_if condition cannot depend on screen "cam_on": an info or feedback screen takes no answer.`},
		{"info shown if", func(s *survey.Survey) {
			s.Questions[2].ShowIf = &survey.Condition{Question: "chung", AnyOf: []string{"khl"}}
		}, "", "", ""},
		{"only info screens", func(s *survey.Survey) { s.Questions = s.Questions[:1] },
			"questions", "only_info", "The survey has only info screens and no question for citizens to answer."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := withInfo(t)
			tc.mutate(s)
			ps := problemsOf(t, survey.Validate(s))
			if tc.rule == "" {
				if len(ps) != 0 {
					t.Fatalf("got problems, want none:\n%v", ps)
				}
				return
			}
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
		})
	}
}

// TestParseInfo reads an info screen from JSON, with its problems on their lines.
func TestParseInfo(t *testing.T) {
	img := survey.ImageDataURI(pngBytes(t, 40, 40))
	src := `{"id": "du-thao", "version": 1, "title": {"vi": "Dự thảo"},
 "questions": [
  {"code": "tom_tat", "type": "info", "title": {"vi": " Dự thảo "}, "text": {"vi": "Tóm tắt"},
   "image": "` + img + `",
   "qr": {"url": "https://example.vn/du-thao", "caption": {"vi": "Toàn văn"}}},
  {"code": "dong_y", "type": "yesno", "text": {"vi": "Đồng ý?"}}
 ]}`
	s, err := survey.Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	q := s.Questions[0]
	if q.Title["vi"] != "Dự thảo" || q.Image != img || q.QR == nil || q.QR.Caption["vi"] != "Toàn văn" || q.IsQuestion() {
		t.Errorf("info screen read as %+v", q)
	}
	bad := strings.Replace(src, `"url": "https://example.vn/du-thao"`, `"url": "example"`, 1)
	bad = strings.Replace(bad, `"qr": {`, `"qr": {"size": 3, `, 1)
	_, err = survey.Parse([]byte(bad))
	ps := problemsOf(t, err)
	if len(ps) != 2 || ps[0].Rule != "unknown_field" || ps[0].Line != 5 || ps[1].Rule != "qr_url" || ps[1].Line != 5 {
		t.Errorf("problems = %+v", ps)
	}
}

// TestSessionInfo walks a survey with info screens: they take no answer,
// are passed with Next, never counted in the progress, and a response
// never holds them.
func TestSessionInfo(t *testing.T) {
	s := withInfo(t)
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	ss, err := survey.NewSession(s, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	prog := func() string {
		n, total, _ := ss.Progress()
		return strings.Repeat("+", n) + "/" + strings.Repeat("+", total)
	}
	if ss.Current().Code != "gioi_thieu" || !ss.CanNext() || ss.CanBack() {
		t.Fatalf("first screen %s, CanNext %v", ss.Current().Code, ss.CanNext())
	}
	if got := prog(); got != "/++" { // 0 of 2 main questions (ly_do is a follow-up)
		t.Errorf("progress on the first info screen = %s", got)
	}
	if err := ss.Answer("x"); err == nil {
		t.Error("Answer on an info screen succeeded")
	}
	mustNext := func() {
		t.Helper()
		if done, err := ss.Next(); err != nil || done {
			t.Fatalf("Next on %s = %v, %v", ss.Current().Code, done, err)
		}
	}
	mustNext()
	if ss.Current().Code != "chung" || prog() != "+/++" {
		t.Fatalf("after the info screen: %s %s", ss.Current().Code, prog())
	}
	if err := ss.Answer(survey.CodeSatisfied); err != nil {
		t.Fatal(err)
	}
	mustNext()
	if ss.Current().Code != "cam_on" || prog() != "+/++" {
		t.Fatalf("mid info screen: %s %s", ss.Current().Code, prog())
	}
	mustNext()
	if ss.Current().Code != "gop_y" || prog() != "++/++" {
		t.Fatalf("comment: %s %s", ss.Current().Code, prog())
	}
	r, err := ss.Finish()
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if len(r.Answers) != 1 || r.Answers["chung"] == nil {
		t.Errorf("answers = %v", r.Answers)
	}
	r.Answers["cam_on"] = []string{"seen"}
	var p survey.Problem
	if err := survey.CheckAnswers(s, r); !errors.As(err, &p) || p.Rule != "answer_info" {
		t.Errorf("CheckAnswers with an info answer = %v", err)
	}
}
