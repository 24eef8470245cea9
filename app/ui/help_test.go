package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/ui/helpui"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// alarm records what the staff alert said.
type alarm struct{ said []string }

func (a *alarm) Speak(_ context.Context, text string) <-chan error {
	a.said = append(a.said, text)
	ch := make(chan error, 1)
	ch <- nil
	return ch
}
func (a *alarm) Stop() {}

func helpRig(t *testing.T) (*rig, *alarm) {
	t.Helper()
	r := newRig(t, "dich-vu-cong", Options{})
	al := &alarm{}
	r.k.deps.Help, r.k.deps.Alarm = r.store.Store, al
	r.k.Home()
	if r.k.Welcome == nil || r.k.Welcome.Help == nil {
		t.Fatal("no help button on the welcome screen")
	}
	if r.k.HelpBanner != nil {
		t.Fatal("a banner before any request")
	}
	return r, al
}

// answerUntilHelp answers the dich-vu-cong survey up to its help question.
func (r *rig) answerUntilHelp() {
	r.t.Helper()
	r.start()
	for i := 0; i < 6 && r.k.Question != nil && r.k.Question.Question.Code != "can_ho_tro"; i++ {
		q := r.k.Question
		switch q.Question.Code {
		case "da_dung":
			r.choice("no")
		case "ly_do_chua_dung":
			r.choice("khong-biet-cach")
		default:
			test.Tap(q.Choices[0].Button)
		}
		test.Tap(q.Next)
	}
	if r.k.Question == nil || r.k.Question.Question.Code != "can_ho_tro" {
		r.t.Fatal("never reached the help question")
	}
}

// TestHelpFromSurvey is the flow of issue #11: a "yes" raises a request,
// the banner and the alarm reach staff, the banner stays through the
// citizen's taps and the next screens, and only staff's outcome (behind
// the PIN) takes it away.
func TestHelpFromSurvey(t *testing.T) {
	r, al := helpRig(t)
	ctx := context.Background()
	r.answerUntilHelp()
	r.choice("yes")
	test.Tap(r.k.Question.Next)
	open, err := r.store.OpenHelp(ctx)
	if err != nil || len(open) != 1 || open[0].Source != help.SurveySource("dich-vu-cong", r.k.survey.Version) || open[0].DeviceID != "kiosk-test" {
		t.Fatalf("open requests %+v, %v", open, err)
	}
	b := r.k.HelpBanner
	if b == nil || r.k.Question == nil {
		t.Fatal("no banner over the next question")
	}
	if len(al.said) != 1 || al.said[0] != r.k.tr.T("help.alarm") {
		t.Fatalf("alarm said %q", al.said)
	}
	// Back to the help question and on again: no second request.
	test.Tap(r.k.Question.Back)
	test.Tap(r.k.Question.Next)
	// A citizen taps the banner and its button: the PIN is asked (the
	// admin panel opens), nothing is resolved.
	test.TapCanvas(r.k.Window().Canvas(), fyne.NewPos(40, 20)) // on the banner
	test.Tap(b.Resolve)
	if r.admin != 1 {
		t.Fatalf("the banner's button opened the admin panel %d times", r.admin)
	}
	// The citizen finishes; the banner stays on the thank-you screen and
	// on the welcome screen for the next citizen.
	for r.k.Question != nil {
		test.Tap(r.k.Question.Choices[0].Button)
		test.Tap(r.k.Question.Next)
	}
	if r.k.Thanks == nil || r.k.HelpBanner == nil {
		t.Fatal("no banner on the thank-you screen")
	}
	r.k.Home()
	if r.k.Welcome == nil || r.k.HelpBanner == nil {
		t.Fatal("no banner on the welcome screen after the citizen left")
	}
	if open, _ := r.store.OpenHelp(ctx); len(open) != 1 {
		t.Fatalf("%d open requests after the citizen's taps, want 1", len(open))
	}
	// While it stays open the alert is said again every HelpRemind.
	r.clock.Advance(HelpRemind)
	if len(al.said) != 2 || r.k.HelpBanner == nil {
		t.Fatalf("after %v the alarm said %d times, want 2", HelpRemind, len(al.said))
	}
	// Staff, past the PIN, record the outcome in the help tab.
	now := open[0].CreatedAt.Add(7 * time.Minute)
	l, err := helpui.New(helpui.Deps{Store: r.store.Store, Now: func() time.Time { return now }, Go: r.run, Resolved: r.k.Home})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Rows) != 1 || l.Rows[0].Waited.Text != "Chờ 7 phút (từ "+open[0].CreatedAt.In(now.Location()).Format("15:04")+")" {
		t.Fatalf("rows %v", l.Rows)
	}
	test.Tap(l.Rows[0].Record)
	f := l.Form
	f.Outcome.SetSelected(l.Form.Outcome.Options[1]) // not possible
	if !f.Save.Disabled() {
		t.Fatal("save enabled before a reason")
	}
	f.Reason.SetSelected(f.Reason.Options[1]) // no VNeID account
	test.Type(f.Note, "gọi 0912345678")
	test.Tap(f.Save)
	if open, _ := r.store.OpenHelp(ctx); len(open) != 0 {
		t.Fatalf("%d open requests after the outcome", len(open))
	}
	if r.k.HelpBanner != nil {
		t.Fatal("the banner stays after staff resolved the request")
	}
	said := len(al.said)
	r.clock.Advance(2 * HelpRemind)
	if len(al.said) != said {
		t.Fatal("the alarm goes on after the request was resolved")
	}
	pending, err := r.store.PendingHelp(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].Outcome != help.NotPossible || pending[0].Reason != help.ReasonNoAccount ||
		pending[0].Note == "gọi 0912345678" {
		t.Fatalf("resolved request %+v, %v (digits must be masked)", pending, err)
	}
	if len(l.Rows) != 0 || l.Empty.Text == "" {
		t.Fatal("the help tab still lists the request")
	}
}

// TestHelpFromWelcome: the welcome screen's button raises a request too,
// and a "no" to the help question raises none.
func TestHelpFromWelcome(t *testing.T) {
	r, al := helpRig(t)
	ctx := context.Background()
	r.answerUntilHelp()
	r.choice("no")
	test.Tap(r.k.Question.Next)
	if open, _ := r.store.OpenHelp(ctx); len(open) != 0 || r.k.HelpBanner != nil || len(al.said) != 0 {
		t.Fatalf("a no raised %d requests", len(open))
	}
	r.k.Home()
	test.Tap(r.k.Welcome.Help)
	open, err := r.store.OpenHelp(ctx)
	if err != nil || len(open) != 1 || open[0].Source != help.SourceWelcome || r.k.HelpBanner == nil || len(al.said) != 1 {
		t.Fatalf("welcome button: %+v, %v", open, err)
	}
	// Tapping the welcome screen's start still works under the banner.
	r.start()
	if r.k.HelpBanner == nil {
		t.Fatal("no banner over the survey")
	}
}
