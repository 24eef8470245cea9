package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// infoTestSurvey is a survey whose info screens are as large as the format
// allows: the longest title and text, a picture and a QR code.
const infoTestSurvey = "thong-tin-thu"

// testPicture is a w×h PNG of coloured bands.
func testPicture(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(40 + 150*y/h), 90, uint8(200 - 150*x/w), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// infoSurvey has an info screen at each limit, then a question: the
// longest title and text with a wide picture and a QR code, then a tall
// picture alone.
func infoSurvey(t testing.TB) *survey.Survey {
	t.Helper()
	long := func(sentence string, n int) string {
		var b strings.Builder
		for b.Len() == 0 || len([]rune(b.String()))+len([]rune(sentence))+1 <= n {
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			b.WriteString(sentence)
		}
		return b.String()
	}
	s := &survey.Survey{ID: infoTestSurvey, Version: 1, Title: survey.Text{"vi": "Thông tin thử", "en": "Info test"},
		Questions: []survey.Question{
			{Code: "dai", Type: survey.Info,
				Title: survey.Text{"vi": long("Dự thảo quy định mới.", survey.MaxTitleLen), "en": long("A new draft rule.", survey.MaxTitleLen)},
				Text: survey.Text{"vi": long("Ủy ban nhân dân phường dự kiến thay đổi giờ tiếp nhận hồ sơ.", survey.MaxInfoTextLen),
					"en": long("The ward plans to change the hours it takes applications.", survey.MaxInfoTextLen)},
				Image: survey.ImageDataURI(testPicture(t, 640, 360)),
				QR:    &survey.QRCode{URL: "https://hanoi.gov.vn/du-thao/gio-tiep-nhan-ho-so", Caption: survey.Text{"vi": "Quét mã để đọc toàn văn dự thảo", "en": "Scan to read the full draft"}}},
			{Code: "anh", Type: survey.Info, Text: survey.Text{"vi": "Sơ đồ Bộ phận Một cửa.", "en": "Map of the one-stop desk."},
				Image: survey.ImageDataURI(testPicture(t, 300, 900))},
			{Code: "dong_y", Type: survey.YesNo, Text: survey.Text{"vi": "Ông/Bà có đồng ý không?", "en": "Do you agree?"}},
		}}
	if err := survey.Validate(s); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkInfo fails unless an info screen shows its heading, text, picture
// and QR code whole on the canvas, the QR code large enough to scan.
func checkInfo(t *testing.T, name string, q *QuestionScreen, c fyne.Canvas) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	size := c.Size()
	in := func(what string, o fyne.CanvasObject) {
		t.Helper()
		pos, sz := d.AbsolutePositionForObject(o), o.Size()
		if sz.Width < 1 || sz.Height < 1 || pos.X < -0.5 || pos.Y < -0.5 || pos.X+sz.Width > size.Width+0.5 || pos.Y+sz.Height > size.Height+0.5 {
			t.Errorf("%s: %s at %v size %v, outside the %v canvas", name, what, pos, sz, size)
		}
	}
	if q.Question.Title != nil && (q.Title == nil || q.Title.Text == "") {
		t.Errorf("%s: no heading", name)
	}
	if q.Title != nil {
		in("heading", q.Title)
		if h := q.Title.MinSize().Height; h > q.Title.Size().Height+0.5 {
			t.Errorf("%s: the heading needs %.0f high, has %.0f: cut", name, h, q.Title.Size().Height)
		}
	}
	in("text", q.Text)
	if q.Question.Image != "" {
		if q.Image == nil {
			t.Fatalf("%s: no picture", name)
		}
		in("picture", q.Image)
	}
	if q.Question.QR != nil {
		if q.QR == nil {
			t.Fatalf("%s: no QR code", name)
		}
		in("QR code", q.QR.Image)
		in("QR caption", q.QR.Caption)
		// A QR code shown with ImageFillContain is the smaller side.
		if side := min(q.QR.Image.Size().Width, q.QR.Image.Size().Height); side < qrMinSide-0.5 {
			t.Errorf("%s: QR code %.0f px, too small to scan", name, side)
		}
	}
	if q.Progress.Text != q.k.tr.T("question.info") {
		t.Errorf("%s: progress %q on an info screen", name, q.Progress.Text)
	}
}

// TestInfoScreen walks the consultation template: the draft's summary and
// QR code first, not counted as a question, then the question and the
// comment; back returns to the summary; the response holds no answer for
// it; read aloud reads heading, text and the QR caption.
func TestInfoScreen(t *testing.T) {
	r := newRig(t, "lay-y-kien-du-thao", Options{})
	sp := &heldSpeaker{}
	r.k.deps.Speaker = sp
	r.k.Home()
	def := r.surveys["lay-y-kien-du-thao"].Questions[0]
	q := r.start()
	if q.Question.Code != "du_thao" || q.Title == nil || q.Title.Text != def.Title["vi"] || q.Text.Text != def.Text["vi"] {
		t.Fatalf("first screen %s: title %v text %q", q.Question.Code, q.Title, q.Text.Text)
	}
	if q.QR == nil || q.QR.URL != def.QR.URL || q.QR.Caption.Text != "Quét mã để đọc toàn văn dự thảo" || q.Image != nil {
		t.Fatalf("QR panel %+v, image %v", q.QR, q.Image)
	}
	if q.Progress.Text != "Thông tin" || len(q.Choices) != 0 || q.Next.Disabled() || !q.Back.Disabled() || q.Next.Text != "Tiếp theo" {
		t.Fatalf("progress %q, %d choices, next disabled %v, back disabled %v", q.Progress.Text, len(q.Choices), q.Next.Disabled(), q.Back.Disabled())
	}
	r.later = true
	test.Tap(q.Speak)
	want := def.Title["vi"] + ".\n" + def.Text["vi"] + ".\n" + def.QR.Caption["vi"]
	if len(sp.spoken) != 1 || sp.spoken[0] != want {
		t.Errorf("read aloud %q, want %q", sp.spoken, want)
	}
	test.Tap(q.Speak) // stop
	r.flush()
	r.later = false
	test.Tap(q.Next)
	q = r.k.Question
	if q.Question.Code != "y_kien" || q.Progress.Text != "Câu 1/2" {
		t.Fatalf("after the summary: %s %q", q.Question.Code, q.Progress.Text)
	}
	test.Tap(q.Back)
	if r.k.Question.Question.Code != "du_thao" {
		t.Fatalf("back went to %s", r.k.Question.Question.Code)
	}
	test.Tap(r.k.Question.Next)
	r.choice("dong-y-mot-phan")
	test.Tap(r.k.Question.Next)
	q = r.k.Question
	if q.Question.Code != "gop_y" || q.Progress.Text != "Câu 2/2" {
		t.Fatalf("comment screen: %s %q", q.Question.Code, q.Progress.Text)
	}
	test.Type(q.Comment, "Nên mở cả chiều thứ Bảy")
	test.Tap(q.Next)
	if r.k.Thanks == nil {
		t.Fatal("no thank-you screen")
	}
	if got := r.saved().Answers; !reflect.DeepEqual(got, survey.Answers{"y_kien": {"dong-y-mot-phan"}, "gop_y": {"Nên mở cả chiều thứ Bảy"}}) {
		t.Errorf("saved answers %v", got)
	}
}

// TestInfoScreenEnglish: the heading, text and caption follow the
// citizen's language.
func TestInfoScreenEnglish(t *testing.T) {
	r := newRig(t, infoTestSurvey, Options{})
	r.k.Home()
	test.Tap(r.k.Welcome.Lang)
	q := r.start()
	def := r.surveys[infoTestSurvey].Questions[0]
	if q.Title.Text != def.Title["en"] || q.Text.Text != def.Text["en"] || q.QR.Caption.Text != def.QR.Caption["en"] || q.Progress.Text != "Information" {
		t.Errorf("English info screen: %q / %q / %q / %q", q.Title.Text, q.Text.Text, q.QR.Caption.Text, q.Progress.Text)
	}
	if q.Image == nil || q.Image.Image.Bounds().Dx() != 640 {
		t.Errorf("picture %v", q.Image)
	}
}
