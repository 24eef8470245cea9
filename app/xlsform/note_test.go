package xlsform_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
)

func picture(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 80, 60))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// consultForm is a consultation in the shape of the XLSForm
// documentation's note example: a note with a hint, a picture and a QR
// code, a note with a label only, then a question.
func consultForm() map[string][][]string {
	return map[string][][]string{
		"survey": {
			{"type", "name", "label::Tiếng Việt (vi)", "label::English (en)", "hint::Tiếng Việt (vi)", "hint::English (en)",
				"media::image", "hailong_qr", "hailong_qr_caption::Tiếng Việt (vi)", "hailong_qr_caption::English (en)", "required", "relevant"},
			{"note", "du_thao", "Dự thảo: nhận hồ sơ sáng thứ Bảy", "Draft: Saturday mornings", "Phường dự kiến mở cửa sáng thứ Bảy.", "The ward plans to open on Saturday mornings.",
				"so-do.png", "https://hanoi.gov.vn/du-thao", "Quét để đọc toàn văn", "Scan to read it all", "", ""},
			{"select_one y_kien", "y_kien", "Ông/Bà có đồng ý không?", "Do you agree?", "", "", "", "", "", "", "yes", ""},
			{"note", "cam_on", "Cảm ơn ý kiến của Ông/Bà.", "Thank you.", "", "", "", "", "", "", "", "${y_kien} = 'khong'"},
		},
		"choices": {
			{"list_name", "name", "label::Tiếng Việt (vi)", "label::English (en)"},
			{"y_kien", "co", "Đồng ý", "Agree"},
			{"y_kien", "khong", "Không đồng ý", "Disagree"},
		},
		"settings": {
			{"form_title::Tiếng Việt (vi)", "form_id", "version"},
			{"Lấy ý kiến", "lay-y-kien", "1"},
		},
	}
}

func TestImportNote(t *testing.T) {
	pic := picture(t)
	media := fstest.MapFS{"so-do.png": {Data: pic}}
	s, _, err := xlsform.ImportMedia(bytes.NewReader(workbook(t, consultForm(), "survey", "choices", "settings")), media)
	if err != nil {
		t.Fatalf("ImportMedia: %v", err)
	}
	want := survey.Question{Code: "du_thao", Type: survey.Info,
		Title: survey.Text{"vi": "Dự thảo: nhận hồ sơ sáng thứ Bảy", "en": "Draft: Saturday mornings"},
		Text:  survey.Text{"vi": "Phường dự kiến mở cửa sáng thứ Bảy.", "en": "The ward plans to open on Saturday mornings."},
		Image: survey.ImageDataURI(pic),
		QR:    &survey.QRCode{URL: "https://hanoi.gov.vn/du-thao", Caption: survey.Text{"vi": "Quét để đọc toàn văn", "en": "Scan to read it all"}}}
	if !reflect.DeepEqual(s.Questions[0], want) {
		t.Errorf("note with a hint = %+v\nwant %+v", s.Questions[0], want)
	}
	last := s.Questions[2]
	if last.Type != survey.Info || last.Title != nil || last.Text["vi"] != "Cảm ơn ý kiến của Ông/Bà." || last.Optional ||
		!reflect.DeepEqual(last.ShowIf, &survey.Condition{Question: "y_kien", AnyOf: []string{"khong"}}) {
		t.Errorf("note with a label only = %+v", last)
	}
	again := roundTrip(t, s)
	if !reflect.DeepEqual(again, s) {
		t.Errorf("round trip differs:\n %+v\nwant\n %+v", again, s)
	}
	if files := xlsform.Media(s); len(files) != 1 || !bytes.Equal(files["du_thao.png"], pic) {
		t.Errorf("media %v", files)
	}

	// A data URI in the cell needs no media: the dashboard upload's way.
	m := consultForm()
	m["survey"][1][6] = survey.ImageDataURI(pic)
	s, _, err = xlsform.Import(bytes.NewReader(workbook(t, m, "survey", "choices", "settings")))
	if err != nil || s.Questions[0].Image != survey.ImageDataURI(pic) {
		t.Errorf("data URI picture: %v", err)
	}
}

func TestImportNoteRefusals(t *testing.T) {
	media := fstest.MapFS{"so-do.png": {Data: picture(t)}, "ghi-chu.png": {Data: []byte("chữ, không phải ảnh")}}
	set := func(row, col int, v string) func(map[string][][]string) {
		return func(m map[string][][]string) { m["survey"][row][col] = v }
	}
	tests := []struct {
		name   string
		change func(map[string][][]string)
		media  bool
		row    int
		vi     string
	}{
		{"picture without media", nil, false, 2, "ảnh “so-do.png” là tên tệp"},
		{"picture missing", set(1, 6, "khong-co.png"), true, 2, "Không tìm thấy tệp ảnh “khong-co.png”"},
		{"picture outside the folder", set(1, 6, "../so-do.png"), true, 2, "Không tìm thấy tệp ảnh"},
		{"not a picture", set(1, 6, "ghi-chu.png"), true, 2, "không phải ảnh PNG hay JPEG"},
		{"required note", set(1, 10, "yes"), true, 2, "không thể bắt buộc"},
		{"hint on a question", set(2, 4, "Chọn một"), true, 3, "Cột hint chỉ dùng cho dòng note"},
		{"qr on a question", set(2, 7, "https://hanoi.gov.vn"), true, 3, "Cột hailong_qr chỉ dùng cho dòng note"},
		{"qr not a link", set(1, 7, "hanoi.gov.vn"), true, 2, "Đường dẫn “hanoi.gov.vn” không hợp lệ"},
		{"qr without caption", func(m map[string][][]string) { m["survey"][1][8], m["survey"][1][9] = "", "" }, true, 2, "Thiếu nội dung tiếng Việt"},
		{"heading on two lines", set(1, 2, "Dự thảo\nmới"), true, 2, "một dòng"},
		{"note on a list", set(1, 0, "note y_kien"), true, 2, "“note y_kien” không được hỗ trợ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := consultForm()
			if tt.change != nil {
				tt.change(m)
			}
			var fsys fs.FS // nil, not a nil MapFS
			if tt.media {
				fsys = media
			}
			_, _, err := xlsform.ImportMedia(bytes.NewReader(workbook(t, m, "survey", "choices", "settings")), fsys)
			var ps xlsform.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Import = %v, want problems", err)
			}
			for _, p := range ps {
				vi, en := p.Text("vi"), p.Text("en")
				if p.Sheet == "survey" && p.Row == tt.row && strings.Contains(strings.ToLower(vi), strings.ToLower(tt.vi)) && !strings.Contains(vi+en, "xlsform.") && en != vi {
					return
				}
			}
			t.Errorf("problems %v; want one at survey row %d saying %q", ps, tt.row, tt.vi)
		})
	}
}
