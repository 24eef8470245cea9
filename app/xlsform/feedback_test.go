package xlsform_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
)

// feedbackForm is a question, a feedback screen (a note row with
// hailong_type feedback) and a comment.
func feedbackForm() map[string][][]string {
	return map[string][][]string{
		"survey": {
			{"type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "hint::Tiếng Việt (vi)", "hailong_qr", "hailong_type", "required"},
			{"select_one rating5", "thai_do", "Thái độ của cán bộ?", "Staff attitude?", "", "", "", "yes"},
			{"note", "phan_anh", "Ông/Bà có muốn gửi phản ánh, kiến nghị không?", "Would you like to send feedback?", "", "", "feedback", ""},
			{"text", "gop_y", "Góp ý thêm", "Other comments", "", "", "", ""},
		},
		"choices": {
			{"list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"},
			{"rating5", "rhl", "Rất hài lòng", "Very satisfied"}, {"rating5", "hl", "Hài lòng", "Satisfied"},
			{"rating5", "bt", "Bình thường", "Neutral"}, {"rating5", "khl", "Không hài lòng", "Dissatisfied"},
			{"rating5", "rkhl", "Rất không hài lòng", "Very dissatisfied"},
		},
		"settings": {
			{"form_title::Tiếng Việt (vi)", "form_id", "version"},
			{"Đánh giá và phản ánh", "danh-gia-phan-anh", "1"},
		},
	}
}

// TestImportFeedbackScreen: a note row with hailong_type feedback is a
// feedback screen, and one exported comes back the same.
func TestImportFeedbackScreen(t *testing.T) {
	s, _, err := xlsform.Import(bytes.NewReader(workbook(t, feedbackForm(), "survey", "choices", "settings")))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	want := survey.Question{Code: "phan_anh", Type: survey.Feedback,
		Text: survey.Text{"vi": "Ông/Bà có muốn gửi phản ánh, kiến nghị không?", "en": "Would you like to send feedback?"}}
	if len(s.Questions) != 3 || !reflect.DeepEqual(s.Questions[1], want) {
		t.Fatalf("questions %+v\nwant the second %+v", s.Questions, want)
	}
	if again := roundTrip(t, s); !reflect.DeepEqual(again, s) {
		t.Errorf("round trip differs:\n %+v\nwant\n %+v", again, s)
	}
}

func TestImportFeedbackScreenRefusals(t *testing.T) {
	set := func(col int, v string) func(map[string][][]string) {
		return func(m map[string][][]string) { m["survey"][2][col] = v }
	}
	for _, tt := range []struct {
		name   string
		change func(map[string][][]string)
		vi     string
	}{
		{"hint", set(4, "Bấm nút bên dưới"), "Cột “hint” không dùng được cho màn hình phản ánh"},
		{"qr", set(5, "https://hanoi.gov.vn"), "Cột “hailong_qr” không dùng được cho màn hình phản ánh"},
		{"required", set(7, "yes"), "không thể bắt buộc"},
		{"another hailong_type", set(6, "rating5"), "feedback cho dòng note"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := feedbackForm()
			tt.change(m)
			_, _, err := xlsform.Import(bytes.NewReader(workbook(t, m, "survey", "choices", "settings")))
			var ps xlsform.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Import = %v, want problems", err)
			}
			for _, p := range ps {
				if vi, en := p.Text("vi"), p.Text("en"); p.Sheet == "survey" && p.Row == 3 && strings.Contains(vi, tt.vi) && en != vi && !strings.Contains(vi+en, "xlsform.") {
					return
				}
			}
			t.Errorf("no problem at survey row 3 saying %q: %v", tt.vi, ps)
		})
	}
}
