package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/telex"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
)

// checkWords fails unless every line of each rating or yes/no answer's
// word fits its target: a word never has to wrap inside itself.
func checkWords(t *testing.T, name string, q *QuestionScreen) {
	t.Helper()
	for _, c := range q.Choices {
		w := c.Label.Size().Width - 2*theme.InnerPadding()
		for _, line := range strings.Split(c.Label.Text, "\n") {
			if got := fyne.MeasureText(line, theme.Size(c.Label.SizeName), c.Label.TextStyle).Width; got > w+0.5 {
				t.Errorf("%s: answer line %q needs %.0f, has %.0f: it would break inside a word", name, line, got, w)
			}
		}
	}
}

// TestScreensFit lays every kiosk screen out at every supported size, full
// screen and in a window on that screen, in Vietnamese and English, and
// checks that everything to tap is on the canvas at its full size.
func TestScreensFit(t *testing.T) {
	for _, screen := range fit.Screens {
		for _, kiosk := range []bool{true, false} {
			mode := "window"
			if kiosk {
				mode = "kiosk"
			}
			for _, id := range []string{"mot-cua-nhanh", "sipas", "papi-nhanh", "dich-vu-cong", "lay-y-kien-du-thao", infoTestSurvey} {
				for _, lang := range []string{"vi", "en"} {
					t.Run(fmt.Sprintf("%vx%v/%s/%s/%s", screen.Width, screen.Height, mode, id, lang), func(t *testing.T) {
						fitFlow(t, screen, kiosk, id, lang)
					})
				}
			}
		}
	}
}

// TestSmallestScreenFits: at MinScreen, the least a screen asks for (a
// window made as small as it goes), every screen still fits.
func TestSmallestScreenFits(t *testing.T) {
	for _, id := range []string{"mot-cua-nhanh", "dich-vu-cong", infoTestSurvey} {
		t.Run(id, func(t *testing.T) { fitFlow(t, MinScreen.AddWidthHeight(10, 10), true, id, "vi") }) // and the test window's padding
	}
}

func fitFlow(t *testing.T, screen fyne.Size, kiosk bool, id, lang string) {
	r := newRig(t, id, Options{})
	r.receipts = "https://danhgia.phuonghoankiem.hanoi.gov.vn/receipts"
	r.cfg.Links = append(settings.DefaultLinks(), settings.Link{
		URL: "https://sovhtt.hanoi.gov.vn", Title: map[string]string{"vi": "Sở Văn hoá và Thể thao Hà Nội", "en": "Hanoi Department of Culture and Sports"},
	})
	w := r.k.Window()
	size := screen
	if kiosk {
		w.Resize(screen)
	} else if size = FitWindow(w, fyne.NewSize(1280, 800), screen); size.Width > screen.Width || size.Height > screen.Height {
		t.Fatalf("window %v on a %v screen", size, screen)
	}
	r.k.Home()
	// As at a start: the faces are drawn and the keyboard made ahead, so
	// the comment screens reuse a keyboard drawn before.
	r.k.Show()
	r.clock.Advance(faceDelay)
	c := w.Canvas()
	fits := func(name string) {
		t.Helper()
		if fit.Check(t, name, c, size, MinTarget) == 0 {
			t.Errorf("%s: nothing to tap", name)
		}
		noThemeOverride(t, name, c.Content())
	}
	if lang == "en" {
		test.Tap(r.k.Welcome.Lang)
	}
	fits("welcome")
	if s := r.k.Welcome.Slides; s != nil {
		for i := range s.Slides {
			r.clock.Advance(SlideEvery)
			name := fmt.Sprintf("welcome slide %d", i+1)
			fits(name)
			checkSlide(t, name, s, c)
		}
		test.Tap(s.Area)
	}
	r.start()
	for r.k.Question != nil {
		q := r.k.Question
		name := "question " + q.Question.Code
		fits(name)
		switch {
		case q.Question.Type == survey.Info:
			checkInfo(t, name, q, c)
		case q.Comment != nil:
			checkKeys(t, name, q.Keyboard, fits)
			test.Type(q.Comment, strings.Repeat("Góp ý rất dài. ", 40))
			fits(name + " long comment")
		case q.Question.Type == survey.Single || q.Question.Type == survey.Multi:
			for q.pager.Visible() && !q.NextPage.Disabled() {
				test.Tap(q.NextPage)
				fits(name + " " + q.PageInfo.Text)
			}
			r.choice(q.Choices[len(q.Choices)-1].Code)
		default:
			checkWords(t, name, q)
			r.choice(q.Choices[0].Code)
		}
		fits(name + " answered")
		test.Tap(q.Next)
	}
	fits("thank-you")
	r.store.fail = store.ErrReadOnly
	test.Tap(r.k.Thanks.Done)
	r.start()
	for r.k.Question.Question.Type == survey.Info {
		test.Tap(r.k.Question.Next)
	}
	r.choice(r.k.Question.Choices[0].Code)
	r.k.Home()
	if r.k.SaveError == nil {
		t.Fatal("no save-error screen")
	}
	fits("save error")
}

// noThemeOverride fails t if a theme override lies under o: applying one
// clears Fyne's text measurements for the whole app (at each refresh of
// the override, and at each new renderer once an idle one expired), so the
// screens after it measure and shape all their text again.
func noThemeOverride(t *testing.T, name string, o fyne.CanvasObject) {
	t.Helper()
	switch x := o.(type) {
	case *container.ThemeOverride:
		t.Errorf("%s: a theme override in the citizen's screens", name)
	case *fyne.Container:
		for _, c := range x.Objects {
			noThemeOverride(t, name, c)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			noThemeOverride(t, name, c)
		}
	}
}

// checkKeys lays the keyboard out in each of its layers and methods.
func checkKeys(t *testing.T, name string, kb *osk.Keyboard, fits func(string)) {
	t.Helper()
	kb.SetMode(telex.VNI)
	fits(name + " VNI keys")
	test.Tap(kb.Layer)
	fits(name + " number keys")
	test.Tap(kb.Layer)
	kb.SetMode(telex.Telex)
	fits(name + " Telex keys")
}

// TestSurveyTexts: the welcome screen invites in the survey's own words,
// and a yes/no question answers in the words its survey file gives.
func TestSurveyTexts(t *testing.T) {
	r := newRig(t, "dich-vu-cong", Options{})
	if got, want := r.k.Welcome.Invite.Text, r.surveys["dich-vu-cong"].Invitation.In("vi"); got != want || got == "" {
		t.Errorf("invitation %q, want %q", got, want)
	}
	q := r.start()
	var words []string
	for _, c := range q.Choices {
		words = append(words, c.Code+"="+c.Label.Text)
	}
	if got := strings.Join(words, " "); got != "yes=Rồi no=Chưa" {
		t.Errorf("answers %s, want yes=Rồi no=Chưa", got)
	}
	r.k.Home()
	test.Tap(r.k.Welcome.Lang)
	if got, want := r.k.Welcome.Invite.Text, r.surveys["dich-vu-cong"].Invitation.In("en"); got != want {
		t.Errorf("English invitation %q, want %q", got, want)
	}
}

// checkSlide fails unless the slide on show lies inside the canvas, its
// heading is not cut, its text fits without scrolling and its QR code is
// at least qrMinSide square.
func checkSlide(t *testing.T, name string, s *SlideShow, c fyne.Canvas) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	size := c.Size()
	for what, o := range map[string]fyne.CanvasObject{"slide": s.Area, "heading": s.Title, "text": s.Text} {
		pos, sz := d.AbsolutePositionForObject(o), o.Size()
		if sz.Width < 1 || sz.Height < 1 || pos.X < -0.5 || pos.Y < -0.5 || pos.X+sz.Width > size.Width+0.5 || pos.Y+sz.Height > size.Height+0.5 {
			t.Errorf("%s: %s at %v size %v, outside the %v canvas", name, what, pos, sz, size)
		}
	}
	if h := s.Title.MinSize().Height; h > s.Title.Size().Height+0.5 {
		t.Errorf("%s: the heading needs %.0f high, has %.0f: cut", name, h, s.Title.Size().Height)
	}
	area := d.AbsolutePositionForObject(s.Area).Y + s.Area.Size().Height
	if end := d.AbsolutePositionForObject(s.Text).Y + s.Text.MinSize().Height; end > area+0.5 {
		t.Errorf("%s: the text needs to %.0f, the slide ends at %.0f: it scrolls", name, end, area)
	}
	if s.QR != nil {
		if sz := s.QR.Image.Size(); min(sz.Width, sz.Height) < qrMinSide {
			t.Errorf("%s: QR code %v, less than %d square", name, sz, qrMinSide)
		}
	}
}
