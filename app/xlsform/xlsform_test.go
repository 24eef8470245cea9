package xlsform_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
)

// workbook writes sheets (name → rows) as an .xlsx, as a spreadsheet
// program would.
func workbook(t *testing.T, sheets map[string][][]string, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			vals := make([]any, len(row))
			for i, v := range row {
				vals[i] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pizzaForm is the shape of the XLSForm documentation's first example
// (select_one yes_no, select_multiple with a relevant on it, a text),
// written for a one-stop desk in Vietnamese and English, with a rating
// scale named by its choice list.
func pizzaForm() map[string][][]string {
	return map[string][][]string{
		"survey": {
			{"type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "required", "relevant", "hailong_index"},
			{"select_one rating5", "thai_do", "Thái độ của cán bộ?", "Staff attitude?", "yes", "", "sipas:cong-chuc"},
			{"select_one lan", "lan_dau", "Lần đầu ông/bà đến đây?", "First visit?", "yes", "", ""},
			{"select_multiple ly_do", "ly_do", "Vì sao chưa hài lòng?", "Why not satisfied?", "", "${thai_do} = 'khl' or ${thai_do} = 'rkhl'", ""},
			{"text", "gop_y", "Góp ý thêm", "Comments", "", "selected(${ly_do}, 'khac')", ""},
		},
		"choices": {
			{"list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"},
			{"rating5", "rhl", "Rất hài lòng", "Very satisfied"},
			{"rating5", "hl", "Hài lòng", "Satisfied"},
			{"rating5", "bt", "Bình thường", "Neutral"},
			{"rating5", "khl", "Không hài lòng", "Not satisfied"},
			{"rating5", "rkhl", "Rất không hài lòng", "Very dissatisfied"},
			{"lan", "co", "Đúng", "Yes"},
			{"lan", "khong", "Không phải", "No"},
			{"ly_do", "cho_lau", "Phải chờ lâu", "Long wait"},
			{"ly_do", "khac", "Lý do khác", "Other"},
		},
		"settings": {
			{"form_title::Tiếng Việt (vi)", "form_title::English (en)", "form_id", "version", "hailong_purpose::Tiếng Việt (vi)"},
			{"Đánh giá một cửa", "One-stop desk rating", "danh-gia-mot-cua", "3", "Ý kiến ẩn danh giúp cải thiện dịch vụ."},
		},
	}
}

func importBytes(t *testing.T, b []byte) *survey.Survey {
	t.Helper()
	s, _, err := xlsform.Import(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return s
}

func roundTrip(t *testing.T, s *survey.Survey) *survey.Survey {
	t.Helper()
	var b bytes.Buffer
	if err := xlsform.Export(s, &b); err != nil {
		t.Fatalf("Export: %v", err)
	}
	media := fstest.MapFS{}
	for name, data := range xlsform.Media(s) {
		media[name] = &fstest.MapFile{Data: data}
	}
	got, _, err := xlsform.ImportMedia(bytes.NewReader(b.Bytes()), media)
	if err != nil {
		t.Fatalf("ImportMedia of the export: %v", err)
	}
	return got
}

func TestImportPizzaShape(t *testing.T) {
	s := importBytes(t, workbook(t, pizzaForm(), "survey", "choices", "settings"))
	if s.ID != "danh-gia-mot-cua" || s.Version != 3 || s.Title.In("en") != "One-stop desk rating" || s.Purpose.In("vi") == "" {
		t.Errorf("survey %+v", s)
	}
	want := []struct {
		code     string
		typ      survey.QuestionType
		optional bool
		options  int
		showIf   *survey.Condition
	}{
		{"thai_do", survey.Rating5, false, 0, nil},
		{"lan_dau", survey.Single, false, 2, nil},
		{"ly_do", survey.Multi, true, 2, &survey.Condition{Question: "thai_do", AnyOf: []string{"khl", "rkhl"}}},
		{"gop_y", survey.Comment, true, 0, &survey.Condition{Question: "ly_do", AnyOf: []string{"khac"}}},
	}
	if len(s.Questions) != len(want) {
		t.Fatalf("%d questions, want %d", len(s.Questions), len(want))
	}
	for i, w := range want {
		q := s.Questions[i]
		if q.Code != w.code || q.Type != w.typ || q.Optional != w.optional || len(q.Options) != w.options || !reflect.DeepEqual(q.ShowIf, w.showIf) {
			t.Errorf("question %d = %+v, want %+v", i, q, w)
		}
	}
	if s.Questions[0].Index != "sipas:cong-chuc" || s.Questions[1].Options[1].Label.In("en") != "No" {
		t.Errorf("index or labels lost: %+v", s.Questions[:2])
	}
	if again := roundTrip(t, s); !reflect.DeepEqual(again, s) {
		t.Errorf("import → export → import differs:\n %+v\nwant\n %+v", again, s)
	}
}

// TestImportSlip: the settings column hailong_slip becomes the survey's slip
// policy, and export writes it back.
func TestImportSlip(t *testing.T) {
	m := pizzaForm()
	m["settings"][0] = append(m["settings"][0], "hailong_slip")
	m["settings"][1] = append(m["settings"][1], "required")
	s := importBytes(t, workbook(t, m, "survey", "choices", "settings"))
	if s.Slip != survey.SlipRequired {
		t.Fatalf("Slip = %q, want required", s.Slip)
	}
	if again := roundTrip(t, s); !reflect.DeepEqual(again, s) {
		t.Errorf("import → export → import differs:\n %+v\nwant\n %+v", again, s)
	}
}

// TestRoundTripBuiltin: every built-in survey (every published version)
// exports to XLSForm and imports back equal.
func TestRoundTripBuiltin(t *testing.T) {
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2 {
		t.Fatalf("%d built-in surveys", len(all))
	}
	for _, s := range all {
		if again := roundTrip(t, s); !reflect.DeepEqual(again, s) {
			t.Errorf("%s v%d: round trip differs:\n %+v\nwant\n %+v", s.ID, s.Version, again, s)
		}
	}
}

// TestImportRefusals: each form outside the subset is refused at its
// sheet and row, in Vietnamese and English.
func TestImportRefusals(t *testing.T) {
	set := func(sheet string, row, col int, v string) func(map[string][][]string) {
		return func(m map[string][][]string) { m[sheet][row][col] = v }
	}
	addRow := func(sheet string, row ...string) func(map[string][][]string) {
		return func(m map[string][][]string) { m[sheet] = append(m[sheet], row) }
	}
	tests := []struct {
		name   string
		change func(map[string][][]string)
		sheet  string
		row    int
		vi     string
	}{
		{"integer", set("survey", 2, 0, "integer"), "survey", 3, "Kiểu câu hỏi “integer” không được hỗ trợ"},
		{"begin group", addRow("survey", "begin group", "nhom", "Nhóm"), "survey", 6, "“begin group” không được hỗ trợ"},
		{"relevant with and", set("survey", 3, 5, "${thai_do} = 'khl' and ${lan_dau} = 'co'"), "survey", 4, "Điều kiện relevant"},
		{"relevant on two questions", set("survey", 3, 5, "${thai_do} = 'khl' or ${lan_dau} = 'co'"), "survey", 4, "cùng một câu hỏi"},
		{"relevant not equal", set("survey", 3, 5, "${thai_do} != 'hl'"), "survey", 4, "Điều kiện relevant"},
		{"constraint column", set("survey", 0, 6, "constraint"), "survey", 1, "Cột “constraint” không được hỗ trợ"},
		{"extra sheet", func(m map[string][][]string) { m["external_choices"] = [][]string{{"list_name"}} }, "external_choices", 0, "Trang “external_choices”"},
		{"scale codes", set("choices", 3, 1, "ok"), "survey", 2, "phải có đúng các mã rhl, hl, bt, khl, rkhl"},
		{"bad hailong_type", func(m map[string][][]string) {
			m["survey"][0] = append(m["survey"][0], "hailong_type")
			m["survey"][2] = append(m["survey"][2], "stars")
		}, "survey", 3, "hailong_type “stars”"},
		{"missing list", set("survey", 2, 0, "select_one khong_co"), "survey", 3, "“khong_co” không có trong trang choices"},
		{"required maybe", set("survey", 1, 4, "maybe"), "survey", 2, "required “maybe”"},
		{"version words", set("settings", 1, 3, "ba"), "settings", 2, "phải là một số nguyên"},
		{"bad form id", set("settings", 1, 2, "Đánh Giá"), "settings", 2, "Mã khảo sát “Đánh Giá” không hợp lệ"},
		{"duplicate name", set("survey", 2, 1, "thai_do"), "survey", 3, "thai_do"},
		{"bad hailong_slip", func(m map[string][][]string) {
			m["settings"][0] = append(m["settings"][0], "hailong_slip")
			m["settings"][1] = append(m["settings"][1], "always")
		}, "settings", 2, "Cách dùng phiếu đánh giá “always”"},
		{"relevant on a later question", set("survey", 1, 5, "${gop_y} = 'x'"), "survey", 2, "gop_y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pizzaForm()
			tt.change(m)
			order := []string{"survey", "choices", "settings"}
			if _, ok := m["external_choices"]; ok {
				order = append(order, "external_choices")
			}
			_, _, err := xlsform.Import(bytes.NewReader(workbook(t, m, order...)))
			var ps xlsform.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Import = %v, want problems", err)
			}
			for _, p := range ps {
				vi, en := p.Text("vi"), p.Text("en")
				if p.Sheet == tt.sheet && p.Row == tt.row && strings.Contains(vi, tt.vi) && !strings.Contains(vi+en, "xlsform.") && en != vi {
					return
				}
			}
			t.Errorf("problems %v; want one at %s row %d saying %q", ps, tt.sheet, tt.row, tt.vi)
		})
	}
	_, _, err := xlsform.Import(strings.NewReader("id,version\nx,1\n"))
	var ps xlsform.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].Text("vi"), "không phải bảng tính Excel") {
		t.Errorf("a CSV file: %v", err)
	}
}

// FuzzImport: no workbook makes Import panic, and what it accepts exports
// and imports back equal.
func FuzzImport(f *testing.F) {
	t := &testing.T{}
	f.Add(workbook(t, pizzaForm(), "survey", "choices", "settings"))
	note := consultForm()
	note["survey"][1][6] = survey.ImageDataURI(picture(t))
	f.Add(workbook(t, note, "survey", "choices", "settings"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, _, err := xlsform.Import(bytes.NewReader(b))
		if err != nil {
			return
		}
		if again := roundTrip(t, s); !reflect.DeepEqual(again, s) {
			t.Errorf("round trip differs")
		}
	})
}
