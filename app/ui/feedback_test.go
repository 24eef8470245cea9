package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// feedbackTarget is the real store with a hub address and an inspection
// key, as syncstore gives them after enrollment.
type feedbackTarget struct {
	*store.Store
	hubURL string
	key    []byte
	fail   error
}

func (f *feedbackTarget) FeedbackTarget(context.Context) (string, []byte, error) {
	return f.hubURL, f.key, nil
}

func (f *feedbackTarget) SaveFeedback(ctx context.Context, c *store.Feedback) error {
	if f.fail != nil {
		return fmt.Errorf("save feedback: %w", f.fail)
	}
	return f.Store.SaveFeedback(ctx, c)
}

// feedbackRig is a rig whose kiosk takes feedback; key is the inspection
// key pair's public half (nil: the kiosk has none).
func feedbackRig(t *testing.T, key []byte) (*rig, *feedbackTarget) {
	t.Helper()
	r := newRig(t, "mot-cua-nhanh", Options{})
	ft := &feedbackTarget{Store: r.store.Store, hubURL: "https://hub.example.vn", key: key}
	r.k.deps.Feedback = ft
	r.k.Home()
	if r.k.Welcome == nil || r.k.Welcome.Feedback == nil {
		t.Fatal("no feedback button on the welcome screen")
	}
	return r, ft
}

// category taps the category c on the first step.
func (r *rig) category(c feedback.Category) {
	r.t.Helper()
	for _, b := range r.k.Feedback.Categories {
		if b.Code == string(c) {
			test.Tap(b.Button)
			return
		}
	}
	r.t.Fatalf("category %s not offered", c)
}

func pendingFeedback(t *testing.T, st *store.Store) []store.Feedback {
	t.Helper()
	p, err := st.PendingFeedback(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFeedbackFlow(t *testing.T) {
	pub, priv, _ := feedback.NewInspectionKey(nil)
	r, ft := feedbackRig(t, pub[:])
	r.cfg.MaskDigits = true
	r.k.Home()
	test.Tap(r.k.Welcome.Feedback)
	f := r.k.Feedback
	if f == nil || len(f.Categories) != len(feedback.Categories) {
		t.Fatalf("category step: %+v", f)
	}
	if got := f.Categories[5].Label.Text; got != "Nhũng nhiễu, gây phiền hà, đòi tiền ngoài quy định" {
		t.Fatalf("misconduct category reads %q", got)
	}
	r.category(feedback.CategoryProcedure)
	if f.Text == nil || f.Keyboard == nil || !strings.Contains(f.Privacy.Text, "Xin đừng ghi họ tên") || f.Sealed != nil {
		t.Fatal("text step lacks its box, keyboard or privacy notice")
	}
	// Nothing written: nothing saved.
	test.Tap(f.Send)
	if !f.Problem.Visible() || r.k.FeedbackThanks != nil || len(pendingFeedback(t, ft.Store)) != 0 {
		t.Fatal("an empty case was sent")
	}
	// Typed on the on-screen keyboard, as a citizen does.
	test.Tap(f.Keyboard.Letters['h'])
	test.Type(f.Text, "ồ sơ nộp hai lần, gọi tôi 0912345678")
	test.Tap(f.Send)
	th := r.k.FeedbackThanks
	if th == nil {
		t.Fatal("no thank-you screen after sending")
	}
	saved := pendingFeedback(t, ft.Store)
	if len(saved) != 1 {
		t.Fatalf("%d cases saved, want 1", len(saved))
	}
	c := saved[0]
	if c.Text != "hồ sơ nộp hai lần, gọi tôi ••••••••••" || c.Category != feedback.CategoryProcedure || c.Source != FeedbackSourceWelcome ||
		c.Lang != "vi" || c.DeviceID != "kiosk-test" {
		t.Fatalf("saved case %+v", c)
	}
	if !strings.Contains(th.Code.Text, c.Code.String()) || th.QR == nil || th.QR.URL != "https://hub.example.vn/f/"+c.Code.Compact() {
		t.Fatalf("thank-you shows %q and QR %+v for code %s", th.Code.Text, th.QR, c.Code)
	}
	test.Tap(th.Done)
	if r.k.Welcome == nil {
		t.Fatal("Done did not go home")
	}

	// A misconduct report is sealed before it is saved.
	test.Tap(r.k.Welcome.Feedback)
	r.category(feedback.CategoryMisconduct)
	if r.k.Feedback.Sealed == nil {
		t.Fatal("the misconduct step does not say it is sealed")
	}
	test.Type(r.k.Feedback.Text, "Cán bộ đòi 500.000 đồng")
	test.Tap(r.k.Feedback.Send)
	saved = pendingFeedback(t, ft.Store)
	if len(saved) != 2 {
		t.Fatalf("%d cases saved, want 2", len(saved))
	}
	m := saved[1]
	if m.Category != feedback.CategoryMisconduct || m.Text != "" {
		t.Fatalf("misconduct case saved in clear: %+v", m)
	}
	if text, err := feedback.Open(pub[:], priv[:], m.Sealed); err != nil || text != "Cán bộ đòi 500.000 đồng" {
		t.Fatalf("sealed text opens to %q, %v", text, err)
	}
}

// TestFeedbackWithoutKey: a kiosk without the hub's inspection key (not
// enrolled) offers no misconduct category, and its thank-you screen shows
// the code without a QR code when it knows no hub.
func TestFeedbackWithoutKey(t *testing.T) {
	r, ft := feedbackRig(t, nil)
	ft.hubURL = ""
	test.Tap(r.k.Welcome.Feedback)
	for _, b := range r.k.Feedback.Categories {
		if b.Code == string(feedback.CategoryMisconduct) {
			t.Fatal("misconduct offered without the inspection key")
		}
	}
	r.category(feedback.CategoryOther)
	test.Type(r.k.Feedback.Text, "Nên có thêm ghế")
	test.Tap(r.k.Feedback.Send)
	if r.k.FeedbackThanks == nil || r.k.FeedbackThanks.QR != nil {
		t.Fatal("thank-you screen missing, or a QR code to no hub")
	}
}

// TestFeedbackBackAndIdle: Back returns to the categories; walking away
// drops an unsent case; a failed save keeps the text for another try.
func TestFeedbackBackAndIdle(t *testing.T) {
	r, ft := feedbackRig(t, nil)
	test.Tap(r.k.Welcome.Feedback)
	r.category(feedback.CategoryAttitude)
	test.Tap(r.k.Feedback.Back)
	if r.k.Feedback == nil || r.k.Feedback.Categories == nil {
		t.Fatal("Back did not return to the categories")
	}
	r.category(feedback.CategoryAttitude)
	test.Type(r.k.Feedback.Text, "Chưa gửi")
	r.clock.Advance(r.cfg.IdleTimeout)
	if r.k.Welcome == nil || len(pendingFeedback(t, ft.Store)) != 0 {
		t.Fatal("idle reset did not drop the unsent case")
	}
	test.Tap(r.k.Welcome.Feedback)
	r.category(feedback.CategoryAttitude)
	test.Type(r.k.Feedback.Text, "Cán bộ rất nhiệt tình")
	ft.fail = store.ErrDiskFull
	test.Tap(r.k.Feedback.Send)
	if r.k.Feedback == nil || !r.k.Feedback.Problem.Visible() || r.k.Feedback.Text.Text != "Cán bộ rất nhiệt tình" {
		t.Fatal("a failed save lost the text or the screen")
	}
	ft.fail = nil
	test.Tap(r.k.Feedback.Send)
	if r.k.FeedbackThanks == nil || len(pendingFeedback(t, ft.Store)) != 1 {
		t.Fatal("the second try did not save")
	}
}

// TestFeedbackScreensFit lays the feedback screens out at the kiosk's
// smallest and its common wide size, in both languages.
func TestFeedbackScreensFit(t *testing.T) {
	pub, _, _ := feedback.NewInspectionKey(nil)
	for _, screen := range []fyne.Size{fit.Screens[0], fit.Screens[2]} {
		for _, lang := range []string{"vi", "en"} {
			t.Run(fmt.Sprintf("%vx%v/%s", screen.Width, screen.Height, lang), func(t *testing.T) {
				r, _ := feedbackRig(t, pub[:])
				w := r.k.Window()
				w.Resize(screen)
				r.k.Home()
				if lang == "en" {
					test.Tap(r.k.Welcome.Lang)
				}
				c := w.Canvas()
				fits := func(name string) {
					t.Helper()
					if fit.Check(t, name, c, screen, MinTarget) == 0 {
						t.Errorf("%s: nothing to tap", name)
					}
				}
				fits("welcome with feedback")
				test.Tap(r.k.Welcome.Feedback)
				fits("categories")
				r.category(feedback.CategoryMisconduct)
				fits("misconduct text")
				checkKeysFeedback(t, r.k.Feedback, fits)
				test.Type(r.k.Feedback.Text, strings.Repeat("Phản ánh rất dài. ", 40))
				fits("long text")
				test.Tap(r.k.Feedback.Send)
				fits("thank-you")
			})
		}
	}
}

func checkKeysFeedback(t *testing.T, f *FeedbackScreen, fits func(string)) {
	t.Helper()
	checkKeys(t, "feedback text", f.Keyboard, fits)
}

// feedbackSurvey is a survey with a feedback screen between a rating and
// a yes/no question.
func feedbackSurvey(t *testing.T) *survey.Survey {
	t.Helper()
	s := &survey.Survey{ID: "co-phan-anh", Version: 1, Title: survey.Text{"vi": "Đánh giá và phản ánh", "en": "Rating and feedback"},
		Questions: []survey.Question{
			{Code: "chung", Type: survey.Rating3, Text: survey.Text{"vi": "Ông/Bà có hài lòng không?", "en": "Are you satisfied?"}},
			{Code: "phan_anh", Type: survey.Feedback, Text: survey.Text{"vi": "Ông/Bà có muốn gửi phản ánh, kiến nghị không?", "en": "Would you like to send feedback?"}},
			{Code: "lai", Type: survey.YesNo, Text: survey.Text{"vi": "Ông/Bà có quay lại không?", "en": "Would you come again?"}},
		}}
	if err := survey.Validate(s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFeedbackScreenInSurvey: a survey's feedback screen opens the flow,
// whose Back and thank-you screen return to the survey; the case is saved
// with its survey as source and the response says nothing of it.
func TestFeedbackScreenInSurvey(t *testing.T) {
	r, ft := feedbackRig(t, nil)
	r.surveys["co-phan-anh"] = feedbackSurvey(t)
	r.cfg.ActiveSurvey = "co-phan-anh"
	r.k.Home()
	r.start()
	r.choice(survey.CodeSatisfied)
	test.Tap(r.k.Question.Next)
	q := r.k.Question
	if q == nil || q.Question.Type != survey.Feedback || q.GiveFeedback == nil || q.Next.Disabled() {
		t.Fatalf("feedback screen %+v", q)
	}
	test.Tap(q.GiveFeedback)
	if r.k.Feedback == nil {
		t.Fatal("the feedback screen's button opened nothing")
	}
	test.Tap(r.k.Feedback.Back)
	if r.k.Question == nil || r.k.Question.Question.Code != "phan_anh" {
		t.Fatal("Back did not return to the survey")
	}
	test.Tap(r.k.Question.GiveFeedback)
	r.category(feedback.CategoryWaiting)
	test.Type(r.k.Feedback.Text, "Chờ gần một giờ")
	test.Tap(r.k.Feedback.Send)
	if r.k.FeedbackThanks == nil || r.k.FeedbackThanks.Done.Text != "Tiếp tục khảo sát" {
		t.Fatal("no thank-you screen that continues the survey")
	}
	test.Tap(r.k.FeedbackThanks.Done)
	if r.k.Question == nil || r.k.Question.Question.Code != "phan_anh" {
		t.Fatal("the survey did not resume at its feedback screen")
	}
	test.Tap(r.k.Question.Next)
	r.choice(survey.CodeYes)
	test.Tap(r.k.Question.Next)
	if r.k.Thanks == nil {
		t.Fatal("the survey did not finish")
	}
	resp := r.saved()
	if _, ok := resp.Answers["phan_anh"]; ok || len(resp.Answers) != 2 {
		t.Fatalf("response answers %v: the feedback screen has no answer", resp.Answers)
	}
	cases := pendingFeedback(t, ft.Store)
	if len(cases) != 1 || cases[0].Source != "survey:co-phan-anh@1" || cases[0].Text != "Chờ gần một giờ" {
		t.Fatalf("saved cases %+v", cases)
	}
}

// TestFeedbackScreenWithoutStore: without a feedback store the screen says
// so and Next goes on.
func TestFeedbackScreenWithoutStore(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.surveys["co-phan-anh"] = feedbackSurvey(t)
	r.cfg.ActiveSurvey = "co-phan-anh"
	r.k.Home()
	if r.k.Welcome.Feedback != nil {
		t.Fatal("a feedback button without a feedback store")
	}
	r.start()
	r.choice(survey.CodeSatisfied)
	test.Tap(r.k.Question.Next)
	if q := r.k.Question; q.GiveFeedback != nil || q.Next.Disabled() {
		t.Fatal("the feedback screen offers what the kiosk cannot take")
	}
	test.Tap(r.k.Question.Next)
	if r.k.Question == nil || r.k.Question.Question.Code != "lai" {
		t.Fatal("Next did not go on")
	}
}
