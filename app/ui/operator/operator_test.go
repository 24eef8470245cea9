package operator_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/telex"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
)

const event = "KCN Thăng Long – ca sáng"

// TestOutreachFlow sets an event, answers two different built-in surveys
// by tapping through them, marks the first as assisted, and reads the tags
// back from the store.
func TestOutreachFlow(t *testing.T) {
	r := newRig(t, "vi")
	if !holds(r.k.Window().Content(), r.k.Welcome.Start) || !holds(r.k.Window().Content(), r.p.Event) {
		t.Fatal("the window does not show the kiosk's welcome screen beside the operator panel")
	}
	if got := r.p.Count.Text; got != "—" {
		t.Fatalf("count before an event: %q", got)
	}

	// The operator types the tag as some keyboards send it: decomposed.
	r.setEvent(norm.NFD.String(event))
	if got := r.config().EventTag; got != event {
		t.Fatalf("stored event tag %q, want the NFC %q", got, event)
	}
	if got := r.p.EventStatus.Text; got != "Đã lưu. Mọi phiếu từ giờ được gắn sự kiện này." {
		t.Fatalf("status after saving: %q", got)
	}
	if !r.p.SaveEvent.Disabled() {
		t.Fatal("save stays enabled with nothing new to save")
	}
	if got := r.p.Count.Text; got != "0" {
		t.Fatalf("count of a new event: %q", got)
	}

	// First citizen: the quick rating, read aloud by staff.
	r.choose("mot-cua-nhanh")
	if r.k.Welcome == nil || r.k.Welcome.Title.Text != "Đánh giá nhanh Bộ phận Một cửa" {
		t.Fatalf("welcome shows %q", text(r.k.Welcome.Title))
	}
	test.Tap(r.p.Assisted)
	if n := r.answer(survey.CodeSatisfied); n < 3 {
		t.Fatalf("answered %d questions of the quick rating", n)
	}
	if last, err := r.store.LastResponse(r.ctx); err != nil || !last.Assisted {
		t.Fatalf("ticking the box did not mark the response as assisted: %v", err)
	}
	if r.p.Assisted.Checked {
		t.Fatal("the assisted mark did not clear after the response was saved")
	}
	if got := r.p.Count.Text; got != "1" {
		t.Fatalf("count after one response: %q", got)
	}
	r.clock.Advance(time.Minute) // the thank-you screen times out

	// Second citizen: quick switch to the PAPI pulse, answered alone.
	r.choose("papi-nhanh")
	if got := r.config().ActiveSurvey; got != "papi-nhanh" {
		t.Fatalf("active survey %q after the switch", got)
	}
	if r.k.Welcome == nil || r.k.Welcome.Title.Text != r.builtin[indexOf(r.builtin, "papi-nhanh")].Title.In("vi") {
		t.Fatal("the welcome screen does not show the PAPI pulse after the switch")
	}
	for _, c := range r.p.Surveys {
		if c.Active() != (c.ID == "papi-nhanh") {
			t.Fatalf("survey %s shown active=%v", c.ID, c.Active())
		}
	}
	if n := r.answer(survey.CodeVerySatisfied); n != 8 {
		t.Fatalf("answered %d questions of the PAPI pulse, want 8", n)
	}
	if got := r.p.Count.Text; got != "2" {
		t.Fatalf("count after two responses: %q", got)
	}
	if got := r.p.CountDetail.Text; got != "Hoàn thành 2, bỏ dở 0, có hỗ trợ 1, bị đánh dấu 0" {
		t.Fatalf("count detail %q", got)
	}

	got := r.eventResponses(event)
	if len(got) != 2 {
		t.Fatalf("%d responses stored for the event, want 2", len(got))
	}
	want := map[string]bool{"mot-cua-nhanh": true, "papi-nhanh": false} // survey → assisted
	for _, resp := range got {
		assisted, ok := want[resp.SurveyID]
		if !ok {
			t.Fatalf("unexpected survey %s", resp.SurveyID)
		}
		delete(want, resp.SurveyID)
		if resp.EventTag != event || resp.Assisted != assisted || resp.Status != survey.StatusComplete || resp.Misuse {
			t.Fatalf("%s stored with event %q assisted=%v status=%s misuse=%v", resp.SurveyID, resp.EventTag, resp.Assisted, resp.Status, resp.Misuse)
		}
		if resp.DeviceID != "operator-test" || resp.ServicePoint != settings.Default().ServicePoint {
			t.Fatalf("%s stored without the kiosk's stamps: %+v", resp.SurveyID, resp)
		}
	}
}

func indexOf(all []*survey.Survey, id string) int {
	for i, s := range all {
		if s.ID == id {
			return i
		}
	}
	return -1
}

// TestSwitchMidSurvey: switching while a citizen answers asks first; "let
// them finish" changes nothing, "switch anyway" ends their survey (kept as
// abandoned, with the event and the assisted mark) and shows the new one.
func TestSwitchMidSurvey(t *testing.T) {
	r := newRig(t, "vi")
	r.setEvent(event)
	test.Tap(r.k.Welcome.Start)
	r.answerOne(survey.CodeNotSatisfied)
	test.Tap(r.k.Question.Next)
	test.Tap(r.p.Assisted)
	q := r.k.Question

	r.choose("sipas")
	if !r.p.Confirm.Visible() {
		t.Fatal("switching mid-survey did not ask first")
	}
	test.Tap(r.p.ConfirmNo)
	if r.p.Confirm.Visible() || r.k.Question != q || r.config().ActiveSurvey != "mot-cua-nhanh" {
		t.Fatal("'let them finish' changed the kiosk")
	}

	r.choose("sipas")
	test.Tap(r.p.ConfirmYes)
	if r.k.Welcome == nil || r.config().ActiveSurvey != "sipas" {
		t.Fatal("'switch anyway' did not show the new survey's welcome screen")
	}
	got := r.eventResponses(event)
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want the abandoned one", len(got))
	}
	if a := got[0]; a.Status != survey.StatusAbandoned || a.SurveyID != "mot-cua-nhanh" || !a.Assisted || len(a.Answers) != 1 {
		t.Fatalf("abandoned response stored as %+v", a)
	}
	if r.p.Assisted.Checked {
		t.Fatal("the assisted mark outlived the abandoned response")
	}
	if got := r.p.CountDetail.Text; got != "Hoàn thành 0, bỏ dở 1, có hỗ trợ 1, bị đánh dấu 0" {
		t.Fatalf("count detail %q", got)
	}
}

// TestEventTagRules: a tag the hub would refuse is not saved; a change made
// mid-survey leaves the citizen's response with the tag it started under;
// clearing the tag ends tagging.
func TestEventTagRules(t *testing.T) {
	r := newRig(t, "vi")
	r.setEvent(strings.Repeat("x", operator.MaxEventTag+1))
	if r.config().EventTag != "" {
		t.Fatal("an over-long tag was saved")
	}
	if got := r.p.EventStatus.Text; !strings.Contains(got, "tối đa 200") || r.p.EventStatus.Importance != widget.DangerImportance {
		t.Fatalf("over-long tag status %q", got)
	}

	r.setEvent("  Xã Ba Vì  –\nsáng ") // spaces and a line break typed by accident
	if got := r.config().EventTag; got != "Xã Ba Vì – sáng" {
		t.Fatalf("stored tag %q, want the spaces tidied", got)
	}
	test.Tap(r.k.Welcome.Start)
	r.answerOne(survey.CodeSatisfied)
	r.setEvent("Xã Ba Vì – chiều")
	if got := r.p.EventStatus.Text; !strings.Contains(got, "người tiếp theo") {
		t.Fatalf("mid-survey status %q", got)
	}
	for r.k.Question != nil {
		r.answerOne(survey.CodeSatisfied)
		test.Tap(r.k.Question.Next)
	}
	if n := len(r.eventResponses("Xã Ba Vì – sáng")); n != 1 {
		t.Fatalf("%d responses under the morning tag, want the one started then", n)
	}
	r.clock.Advance(time.Minute)
	r.answer(survey.CodeSatisfied)
	if n := len(r.eventResponses("Xã Ba Vì – chiều")); n != 1 {
		t.Fatalf("%d responses under the afternoon tag, want 1", n)
	}
	if got := r.p.Count.Text; got != "1" {
		t.Fatalf("count for the afternoon %q", got)
	}

	r.setEvent("")
	if r.config().EventTag != "" || r.p.Count.Text != "—" {
		t.Fatalf("clearing left tag %q, count %q", r.config().EventTag, r.p.Count.Text)
	}
	r.clock.Advance(time.Minute)
	r.answer(survey.CodeSatisfied)
	last, err := r.store.LastResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if last.EventTag != "" {
		t.Fatalf("response after clearing carries %q", last.EventTag)
	}
}

// TestAdminGetsWholeWindow: content other than the kiosk's screens (the
// admin panel shows itself in the kiosk window) is shown unframed, and the
// kiosk's next screen is framed again.
func TestAdminGetsWholeWindow(t *testing.T) {
	r := newRig(t, "vi")
	w := r.k.Window()
	framed := w.Content()
	adminPanel := widget.NewLabel("admin")
	w.SetContent(adminPanel)
	if w.Content() != adminPanel {
		t.Fatal("the admin panel's content was framed")
	}
	w.SetContent(framed) // the admin panel puts back what it found
	if w.Content() != framed || !holds(framed, r.k.Welcome.Start) {
		t.Fatal("the kiosk did not come back framed")
	}
	w.SetContent(adminPanel)
	r.k.Home() // the kiosk changes screen on its own
	if c := w.Content(); c == adminPanel || !holds(c, r.k.Welcome.Start) || !holds(c, r.p.Event) {
		t.Fatal("a kiosk screen was shown without the operator panel")
	}
}

// TestAttachNeedsWindowMode: outreach mode is a window mode.
func TestAttachNeedsWindowMode(t *testing.T) {
	r := newRig(t, "vi")
	k, err := ui.New(r.app, ui.Deps{Store: r.store,
		Config: func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, r.store) },
		Survey: func(context.Context, string) (*survey.Survey, error) { return r.builtin[0], nil },
		Clock:  r.clock, Options: ui.Options{Kiosk: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operator.Attach(r.ctx, k, operator.Deps{Store: r.store}); err == nil {
		t.Fatal("Attach accepted a full-screen kiosk")
	}
	if _, err := operator.Attach(r.ctx, r.k, operator.Deps{}); err == nil {
		t.Fatal("Attach accepted no store")
	}
}

// TestFitsEveryScreen: in a window on every supported screen, the panel
// beside every screen of every built-in survey and the event summary keep
// everything to tap inside the window, the citizen's targets at least
// ui.MinTarget high, and the window no larger than the screen.
func TestFitsEveryScreen(t *testing.T) {
	for _, screen := range fit.Screens {
		for _, lang := range []string{"vi", "en"} {
			t.Run(fmt.Sprintf("%vx%v/%s", screen.Width, screen.Height, lang), func(t *testing.T) {
				r := newRig(t, lang)
				w := r.k.Window()
				size := ui.FitWindow(w, fyne.NewSize(operator.WindowWidth, operator.WindowHeight), screen)
				if size.Width > screen.Width || size.Height > screen.Height {
					t.Fatalf("window %v on a %v screen", size, screen)
				}
				r.k.Home()
				check := func(name string) {
					t.Helper()
					fit.Check(t, name, w.Canvas(), size, 0)
					// The citizen's targets, in the kiosk's screen.
					for _, o := range citizenTargets(r.k) {
						if o.Visible() && o.Size().Height < ui.MinTarget-0.5 {
							t.Errorf("%s: %T %.0f high", name, o, o.Size().Height)
						}
					}
				}
				r.setEvent(event)
				for _, s := range survey.Newest(r.builtin) {
					r.clock.Advance(time.Minute)
					r.choose(s.ID)
					check(s.ID + " welcome")
					test.Tap(r.k.Welcome.Start)
					for r.k.Question != nil {
						q := r.k.Question
						check(s.ID + " question " + q.Question.Code)
						if q.Keyboard != nil {
							q.Keyboard.SetMode(telex.VNI)
							check(s.ID + " question " + q.Question.Code + " VNI")
						}
						r.answerOne(survey.CodeNotSatisfied)
						test.Tap(q.Next)
					}
					check(s.ID + " thank-you")
				}
				test.Tap(r.p.ShowSummary)
				check("summary")
				fit.Inside(t, "summary", w.Canvas(), r.p.Summary.Refresh, r.p.Summary.Close)
			})
		}
	}
}

// citizenTargets are the kiosk screen's answer, navigation and key buttons.
func citizenTargets(k *ui.Kiosk) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if w := k.Welcome; w != nil {
		out = append(out, w.Start, w.Lang)
	}
	if q := k.Question; q != nil {
		out = append(out, q.Back, q.Next)
		if q.Keyboard != nil {
			for _, b := range q.Keyboard.Letters {
				out = append(out, b)
			}
			out = append(out, q.Keyboard.Space, q.Keyboard.Backspace)
		}
	}
	if t := k.Thanks; t != nil {
		out = append(out, t.Done)
	}
	return out
}

// TestReload: settings changed elsewhere (the admin panel) show after
// Reload.
func TestReload(t *testing.T) {
	r := newRig(t, "vi")
	r.setEvent(event)
	r.answer(survey.CodeSatisfied)
	c := r.config()
	c.EventTag, c.ActiveSurvey = "Xã Ba Vì – chiều", "sipas"
	if err := settings.Save(r.ctx, r.store, c); err != nil {
		t.Fatal(err)
	}
	r.p.Reload()
	if r.p.Event.Text != "Xã Ba Vì – chiều" || r.p.EventTag() != "Xã Ba Vì – chiều" || r.p.Count.Text != "0" {
		t.Fatalf("after Reload: tag %q, count %q", r.p.Event.Text, r.p.Count.Text)
	}
	for _, ch := range r.p.Surveys {
		if ch.Active() != (ch.ID == "sipas") {
			t.Fatalf("survey %s shown active=%v after Reload", ch.ID, ch.Active())
		}
	}
}

// TestFrameShowsCurrentScreen: in outreach mode the frame always holds the
// kiosk's current screen, also when timers (the idle countdown and its
// warning) run between taps, and the window's content is set once: the
// kiosk's screens change inside the frame.
func TestFrameShowsCurrentScreen(t *testing.T) {
	r := newRig(t, "vi")
	w := r.k.Window()
	framed := w.Content()
	test.Tap(r.k.Welcome.Start)
	for r.k.Question != nil {
		if c := w.Content(); c != framed || !holds(c, r.k.Question.Text) || !holds(c, r.p.Event) {
			t.Fatalf("question %s: the window does not show it in the frame", r.k.Question.Question.Code)
		}
		r.answerOne(survey.CodeSatisfied)
		// Let the idle countdown reach its warning, then touch.
		r.clock.Advance(r.config().IdleTimeout - ui.IdleWarning + time.Second)
		if r.k.IdleWarningShown() == "" {
			t.Fatal("no idle warning in outreach mode")
		}
		test.Tap(r.k.Question.Next)
	}
	if c := w.Content(); c != framed || !holds(c, r.k.Thanks.Title) {
		t.Fatal("the thank-you screen is not in the frame")
	}
}
