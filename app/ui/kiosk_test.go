package ui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestBuiltinSurveys taps through each built-in survey, always taking the
// first target on screen (the least satisfied face, so follow-ups appear),
// typing a comment where asked, and reads the saved row back.
func TestBuiltinSurveys(t *testing.T) {
	for _, id := range []string{"mot-cua-nhanh", "sipas", "papi-nhanh", "dich-vu-cong", "lay-y-kien-du-thao"} {
		t.Run(id, func(t *testing.T) {
			r := newRig(t, id, Options{})
			if got := r.k.Welcome.Title.Text; got != r.surveys[id].Title.In("vi") {
				t.Fatalf("welcome title %q", got)
			}
			r.start()
			want := survey.Answers{}
			lastN, lastTotal := 0, 0
			for r.k.Question != nil {
				q := r.k.Question
				n, total, follow := q.ss.Progress()
				wantText := "Câu " + itoa(n) + "/" + itoa(total)
				if follow {
					wantText += " · câu hỏi thêm"
				}
				if q.Question.Type == survey.Info { // not a question: no number
					wantText = "Thông tin"
				}
				// The total never moves and the number never goes back.
				if q.Progress.Text != wantText || n < lastN || lastTotal != 0 && total != lastTotal {
					t.Fatalf("progress %q after %d/%d", q.Progress.Text, lastN, lastTotal)
				}
				lastN, lastTotal = n, total
				if q.Text.Text != q.Question.Text.In("vi") {
					t.Fatalf("question text %q", q.Text.Text)
				}
				switch q.Question.Type {
				case survey.Info:
					if len(q.Choices) != 0 || q.Next.Disabled() {
						t.Fatalf("info screen %s: %d choices, next disabled %v", q.Question.Code, len(q.Choices), q.Next.Disabled())
					}
				case survey.Comment:
					test.Type(q.Comment, "Chờ hơi lâu")
					want[q.Question.Code] = []string{"Chờ hơi lâu"}
				default:
					if q.Question.Type.IsRating() {
						for _, c := range q.Choices {
							if c.Icon == nil || c.Icon.Resource == nil && c.Icon.Image == nil {
								t.Fatalf("rating choice %s has no face", c.Code)
							}
						}
					}
					if !q.Question.Optional && !q.Next.Disabled() {
						t.Fatalf("question %s: next enabled before an answer", q.Question.Code)
					}
					r.choice(q.Choices[0].Code)
					want[q.Question.Code] = []string{q.Choices[0].Code}
				}
				if q.Next.Disabled() {
					t.Fatalf("question %s: next disabled after an answer", q.Question.Code)
				}
				last := q.ss.IsLast()
				if (q.Next.Text == "Hoàn thành") != last {
					t.Fatalf("question %s: next says %q, last=%v", q.Question.Code, q.Next.Text, last)
				}
				test.Tap(q.Next)
				if last && r.k.Thanks == nil {
					t.Fatal("finish did not show the thank-you screen")
				}
			}
			if r.k.Thanks == nil {
				t.Fatal("no thank-you screen")
			}
			got := r.saved()
			if !reflect.DeepEqual(got.Answers, want) {
				t.Fatalf("saved answers %v, want %v", got.Answers, want)
			}
			if got.SurveyID != id || got.Status != survey.StatusComplete || got.ServicePoint != r.cfg.ServicePoint ||
				got.DeviceID != "kiosk-test" || got.Lang != "vi" || got.Misuse {
				t.Fatalf("saved response %+v", got)
			}
			if r.count() != 1 {
				t.Fatalf("%d responses saved, want 1", r.count())
			}
			// The thank-you screen returns to the welcome screen by itself.
			r.clock.Advance(r.cfg.ThankYouTimeout - time.Second)
			if r.k.Thanks == nil {
				t.Fatal("thank-you screen left too early")
			}
			r.clock.Advance(time.Second)
			if r.k.Welcome == nil {
				t.Fatal("thank-you screen did not return to welcome")
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestBackKeepsAnswersAndDropsHidden(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	q := r.start()
	if !q.Back.Disabled() {
		t.Fatal("back enabled on the first question")
	}
	for range 2 {
		r.choice(survey.CodeSatisfied)
		test.Tap(r.k.Question.Next)
	}
	r.choice(survey.CodeNotSatisfied) // "chung": asks why
	if got := r.k.Question.Progress.Text; got != "Câu 3/4" {
		t.Fatalf("progress %q: a follow-up to come changes no total", got)
	}
	test.Tap(r.k.Question.Next)
	if r.k.Question.Question.Code != "ly_do" {
		t.Fatalf("follow-up not asked: %s", r.k.Question.Question.Code)
	}
	if got := r.k.Question.Progress.Text; got != "Câu 3/4 · câu hỏi thêm" {
		t.Fatalf("follow-up progress %q", got)
	}
	if r.k.Question.Back.Disabled() {
		t.Fatal("back disabled on a follow-up")
	}
	r.choice(r.k.Question.Choices[0].Code)
	test.Tap(r.k.Question.Back)
	if q := r.k.Question; q.Question.Code != "chung" || !q.Choices[3-1-2].Selected() {
		// chung shows khl first (least satisfied on the left)
		t.Fatalf("back: on %s", q.Question.Code)
	}
	r.choice(survey.CodeVerySatisfied)
	if got := r.k.Question.Progress.Text; got != "Câu 3/4" {
		t.Fatalf("progress after hiding the follow-up %q", got)
	}
	test.Tap(r.k.Question.Next)
	if got := r.k.Question.Question.Code; got != "gop_y" {
		t.Fatalf("on %s, want gop_y", got)
	}
	test.Tap(r.k.Question.Next) // optional comment left empty
	got := r.saved()
	want := survey.Answers{"thai_do": {"hl"}, "thoi_gian": {"hl"}, "chung": {"rhl"}}
	if !reflect.DeepEqual(got.Answers, want) {
		t.Fatalf("saved %v, want %v", got.Answers, want)
	}
}

func TestIdleReset(t *testing.T) {
	for _, tt := range []struct {
		name      string
		policy    string
		answer    bool
		wantSaved bool
	}{
		{"keep partial answers", survey.AbandonKeep, true, true},
		{"discard partial answers", survey.AbandonDiscard, true, false},
		{"nothing answered", survey.AbandonKeep, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "sipas", Options{})
			s := *r.surveys["sipas"]
			s.Abandoned = tt.policy
			r.surveys["sipas"] = &s
			r.k.Home()
			r.start()
			idle := r.cfg.IdleTimeout
			if tt.answer {
				r.clock.Advance(idle - time.Second)
				r.choice(survey.CodeNo) // a touch restarts the countdown
			}
			r.clock.Advance(idle - time.Second)
			if r.k.Question == nil {
				t.Fatal("idle reset too early")
			}
			r.clock.Advance(time.Second)
			if r.k.Welcome == nil {
				t.Fatal("idle did not return to welcome")
			}
			if n := r.count(); (n == 1) != tt.wantSaved || n > 1 {
				t.Fatalf("%d responses saved", n)
			}
			if tt.wantSaved {
				got := r.saved()
				if got.Status != survey.StatusAbandoned || got.Answers["bi_phien_ha"][0] != survey.CodeNo || len(got.Answers) != 1 {
					t.Fatalf("abandoned response %+v", got)
				}
			}
			// Welcome has no idle timer: nothing more happens.
			r.clock.Advance(10 * idle)
			if r.k.Welcome == nil || r.count() > 1 {
				t.Fatal("welcome screen changed while idle")
			}
		})
	}
}

func TestLanguageToggle(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	w := r.k.Welcome
	if w.StartText.Text != "Bắt đầu đánh giá" || w.Lang.Text != "English" {
		t.Fatalf("welcome not in Vietnamese: %q / %q", w.StartText.Text, w.Lang.Text)
	}
	test.Tap(w.Lang)
	w = r.k.Welcome
	if w.StartText.Text != "Start the survey" || w.Lang.Text != "Tiếng Việt" || w.Title.Text != r.surveys["mot-cua-nhanh"].Title.In("en") {
		t.Fatalf("welcome not in English: %q / %q / %q", w.StartText.Text, w.Lang.Text, w.Title.Text)
	}
	if w.QRs[0].Caption.Text != "Hanoi public services" {
		t.Fatalf("QR caption %q", w.QRs[0].Caption.Text)
	}
	q := r.start()
	if q.Progress.Text != "Question 1/4" || q.Text.Text != q.Question.Text.In("en") || q.Choices[2].Label.Text != "Very satisfied" {
		t.Fatalf("question not in English: %q %q %q", q.Progress.Text, q.Text.Text, q.Choices[2].Label.Text)
	}
	for r.k.Question != nil {
		if r.k.Question.Comment == nil {
			r.choice(survey.CodeSatisfied)
		}
		test.Tap(r.k.Question.Next)
	}
	if r.k.Thanks.Title.Text != "Thank you!" {
		t.Fatalf("thanks %q", r.k.Thanks.Title.Text)
	}
	if got := r.saved(); got.Lang != "en" {
		t.Fatalf("saved lang %q", got.Lang)
	}
	test.Tap(r.k.Thanks.Done)
	if r.k.Welcome.StartText.Text != "Bắt đầu đánh giá" {
		t.Fatal("the next citizen does not start in Vietnamese")
	}
}

func TestSaveFailureKeepsAnswers(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{store.ErrDiskFull, "Không lưu được câu trả lời: ổ đĩa đầy. Vui lòng báo cán bộ."},
		{store.ErrReadOnly, "Không lưu được câu trả lời: dữ liệu đang ở chế độ chỉ đọc. Vui lòng báo cán bộ."},
		{errors.New("database is locked"), "Không lưu được câu trả lời do lỗi hệ thống. Vui lòng báo cán bộ."},
	} {
		t.Run(tt.err.Error(), func(t *testing.T) {
			r := newRig(t, "mot-cua-nhanh", Options{})
			r.start()
			for r.k.Question != nil {
				if r.k.Question.Comment == nil {
					r.choice(survey.CodeSatisfied)
				}
				if r.k.Question.ss.IsLast() {
					r.store.fail = tt.err
				}
				test.Tap(r.k.Question.Next)
			}
			e := r.k.SaveError
			if e == nil || r.k.Thanks != nil {
				t.Fatal("a failed save did not show the save-error screen")
			}
			if e.Message.Text != tt.want {
				t.Fatalf("message %q, want %q", e.Message.Text, tt.want)
			}
			if r.count() != 0 {
				t.Fatal("a failed save left a row")
			}
			// Neither idle time nor going home loses the answers.
			r.clock.Advance(time.Hour)
			r.k.Home()
			if r.k.SaveError == nil || r.k.SaveError.Message.Text != tt.want {
				t.Fatal("save-error screen left before a successful retry")
			}
			test.Tap(r.k.SaveError.Retry) // still failing
			if r.k.SaveError == nil || r.count() != 0 {
				t.Fatal("failed retry moved on")
			}
			r.store.fail = nil
			test.Tap(r.k.SaveError.Retry)
			if r.k.Thanks == nil {
				t.Fatal("successful retry did not thank")
			}
			got := r.saved()
			want := survey.Answers{"thai_do": {"hl"}, "thoi_gian": {"hl"}, "chung": {"hl"}}
			if r.count() != 1 || !reflect.DeepEqual(got.Answers, want) || got.Status != survey.StatusComplete {
				t.Fatalf("after retry: %d rows, %+v", r.count(), got)
			}
		})
	}
}

func TestSaveErrorInEnglishKeepsVietnameseForStaff(t *testing.T) {
	r := newRig(t, "papi-nhanh", Options{})
	test.Tap(r.k.Welcome.Lang)
	r.start()
	r.choice(survey.CodeSatisfied)
	r.store.fail = store.ErrDiskFull
	r.clock.Advance(r.cfg.IdleTimeout) // abandoned response: its save fails too
	e := r.k.SaveError
	if e == nil || !strings.Contains(e.Message.Text, "ổ đĩa đầy") || !e.English.Visible() ||
		!strings.Contains(e.English.Text, "disk is full") {
		t.Fatalf("save error: %+v", e)
	}
	r.store.fail = nil
	test.Tap(e.Retry)
	if r.k.Welcome == nil || r.saved().Status != survey.StatusAbandoned || r.saved().Lang != "en" {
		t.Fatal("retry of an abandoned response did not save it and go home")
	}
}

func TestMisuseFlags(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	run := func() *survey.Response {
		r.start()
		for r.k.Question != nil {
			if r.k.Question.Comment == nil {
				r.choice(survey.CodeVerySatisfied)
			}
			r.clock.Advance(2 * time.Second)
			test.Tap(r.k.Question.Next)
		}
		test.Tap(r.k.Thanks.Done)
		return r.saved()
	}
	if got := run(); got.Misuse {
		t.Fatalf("first response flagged: %q", got.MisuseReason)
	}
	r.clock.Advance(r.cfg.MisuseInterval + time.Second)
	if got := run(); got.Misuse {
		t.Fatalf("second response flagged: %q", got.MisuseReason)
	}
	// Third identical answer set within a minute, started right away.
	if got := run(); got.MisuseReason != survey.MisuseQuickStart+","+survey.MisuseIdenticalBurst {
		t.Fatalf("third response reason %q", got.MisuseReason)
	}
	c, err := r.store.Counts(context.Background(), time.Time{})
	if err != nil || c.Total != 3 || c.Flagged != 1 {
		t.Fatalf("counts %+v %v", c, err)
	}
}

func TestMisuseAfterRestart(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.start()
	r.choice(survey.CodeSatisfied)
	r.clock.Advance(r.cfg.IdleTimeout) // saved as abandoned
	// A new kiosk on the same store sees the last response.
	k2, err := New(r.app, r.k.deps)
	if err != nil {
		t.Fatal(err)
	}
	r.k = k2
	r.clock.Advance(r.cfg.MisuseInterval)
	r.start()
	r.choice(survey.CodeSatisfied)
	r.clock.Advance(r.cfg.IdleTimeout)
	if got := r.saved(); got.MisuseReason != "" {
		t.Fatalf("started %v after the last: flagged %q", r.cfg.IdleTimeout, got.MisuseReason)
	}
	r.start()
	r.choice(survey.CodeVerySatisfied) // not a third identical answer set
	r.k.Home()
	if got := r.saved(); got.MisuseReason != survey.MisuseQuickStart {
		t.Fatalf("quick restart: reason %q", got.MisuseReason)
	}
}

func TestAdminEntry(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{Kiosk: true})
	if !r.k.Window().FullScreen() {
		t.Fatal("kiosk mode is not full screen")
	}
	l := r.k.Welcome.Logo
	l.MouseDown(&desktop.MouseEvent{})
	r.clock.Advance(AdminHold / 2)
	if p := l.HoldProgress(); p < 0.45 || p > 0.55 || !l.bar.Visible() || l.bar.Size().Width < l.Size().Width*0.4 {
		t.Fatalf("half way through the hold: progress %.2f, bar %v shown=%v", p, l.bar.Size(), l.bar.Visible())
	}
	r.clock.Advance(AdminHold/2 - time.Millisecond)
	l.MouseUp(&desktop.MouseEvent{})
	if l.HoldProgress() != 0 || l.bar.Visible() {
		t.Fatal("the hold's bar stayed after release")
	}
	r.clock.Advance(time.Minute)
	if r.admin != 0 {
		t.Fatal("a short press opened the admin panel")
	}
	l.MouseDown(&desktop.MouseEvent{})
	r.clock.Advance(AdminHold)
	if r.admin != 1 {
		t.Fatal("a 3 s hold did not open the admin panel")
	}
	l.MouseUp(&desktop.MouseEvent{})
	r.k.Window().Canvas().(fyne.Shortcutable).TypedShortcut(AdminShortcut)
	if r.admin != 2 {
		t.Fatal("Ctrl+Alt+A did not open the admin panel")
	}
	r.k.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierControl})
	if r.admin != 2 {
		t.Fatal("Ctrl+A opened the admin panel")
	}
	// The test driver cannot press a window's close button: call the
	// intercept the kiosk installed, as the desktop driver would.
	closeRequest(t, r.k.Window())()
	if r.admin != 3 {
		t.Fatal("closing the kiosk window did not go through the admin panel")
	}
}

func TestWindowMode(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	if r.k.Window().FullScreen() {
		t.Fatal("window mode is full screen")
	}
	if f := closeRequest(t, r.k.Window()); f != nil {
		t.Fatal("window mode intercepts closing")
	}
}

// closeRequest returns the close intercept set on a test-driver window.
func closeRequest(t *testing.T, w fyne.Window) func() {
	t.Helper()
	f := reflect.ValueOf(w).Elem().FieldByName("onCloseIntercepted")
	if !f.IsValid() {
		t.Fatal("test window has no onCloseIntercepted field")
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(func())
}

func TestSettingsApplyAtNextWelcome(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.start()
	r.cfg.ActiveSurvey = "sipas"
	r.cfg.ServicePoint = "Điểm phục vụ phường Ba Đình"
	if r.k.Question.Question.Code != "thai_do" {
		t.Fatal("survey switched mid-session")
	}
	r.choice(survey.CodeSatisfied)
	r.clock.Advance(r.cfg.IdleTimeout)
	if got := r.saved(); got.SurveyID != "mot-cua-nhanh" {
		t.Fatalf("abandoned response for %s", got.SurveyID)
	}
	w := r.k.Welcome
	if w.Title.Text != r.surveys["sipas"].Title.In("vi") || w.ServicePoint.Text != "Điểm phục vụ phường Ba Đình" {
		t.Fatalf("welcome shows %q at %q", w.Title.Text, w.ServicePoint.Text)
	}
	r.cfg.ActiveSurvey = "missing"
	r.k.Home()
	if w := r.k.Welcome; !w.Problem.Visible() || !w.Start.Disabled() ||
		w.Problem.Text != "Không tải được khảo sát đang dùng. Vui lòng báo cán bộ." {
		t.Fatalf("missing survey: problem %q, start disabled %v", w.Problem.Text, w.Start.Disabled())
	}
}

// TestVietnameseWhateverTheLocale: machines with LANG=C (Fyne logs "Error
// parsing user locale C") or an English locale still greet in Vietnamese.
func TestVietnameseWhateverTheLocale(t *testing.T) {
	for _, loc := range []string{"C", "C.UTF-8", "POSIX", "en_US.UTF-8", "fr_FR.UTF-8", "garbage!!"} {
		t.Run(loc, func(t *testing.T) {
			t.Setenv("LANG", loc)
			t.Setenv("LC_ALL", loc)
			r := newRig(t, "mot-cua-nhanh", Options{})
			if got := r.k.Welcome.StartText.Text; got != "Bắt đầu đánh giá" {
				t.Fatalf("LANG=%s: start button says %q", loc, got)
			}
			if r.k.Translator().Lang() != "vi" {
				t.Fatalf("LANG=%s: language %s", loc, r.k.Translator().Lang())
			}
		})
	}
}

func TestTranslationsComplete(t *testing.T) {
	tr, err := i18n.New("kiosk", "vi")
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"lang.switch", "welcome.start", "welcome.links", "welcome.invite", "error.config", "error.survey",
		"question.back", "question.next", "question.finish", "question.optional", "question.multi", "question.privacy",
		"question.placeholder", "thanks.title", "thanks.body", "thanks.done", "save.title", "save.diskFull",
		"save.readOnly", "save.other", "save.kept", "save.retry",
		"slip.welcome.required", "slip.welcome.optional", "slip.enter", "slip.required", "slip.title", "slip.hint",
		"slip.placeholder", "slip.confirm", "slip.skip", "slip.back", "slip.bad.format", "slip.bad.check",
		"slip.bad.notSlip", "slip.bad.signature", "slip.used"}
	for _, lang := range i18n.Langs() {
		tr.SetLang(lang)
		for _, k := range keys {
			if got := tr.T(k); got == k || got == "" {
				t.Errorf("%s: no translation for %s", lang, k)
			}
		}
		if got := tr.T("question.progress", map[string]int{"N": 2, "Total": 4}); !strings.HasSuffix(got, " 2/4") {
			t.Errorf("%s: progress %q", lang, got)
		}
		if got := tr.T("slip.accepted", map[string]string{"Code": "ABCDE-12345"}); !strings.Contains(got, "ABCDE-12345") {
			t.Errorf("%s: slip accepted %q", lang, got)
		}
	}
	tr.SetLang("xx")
	if tr.Lang() != "vi" {
		t.Fatal("unknown language did not fall back to Vietnamese")
	}
}

// TestStaleIdleTimer: an idle timer that already fired (its callback
// queued for the UI thread) when a touch restarted the countdown does
// nothing.
func TestStaleIdleTimer(t *testing.T) {
	r := newRig(t, "sipas", Options{})
	r.start()
	r.clock.mu.Lock()
	var stale *fakeTimer
	for _, tm := range r.clock.timers {
		if !tm.stopped {
			stale = tm
		}
	}
	r.clock.mu.Unlock()
	r.choice(survey.CodeNo) // the touch stops stale, too late
	stale.f()               // the queued callback runs anyway
	if r.k.Question == nil || r.count() != 0 {
		t.Fatal("a stale idle timer reset the survey")
	}
}

// TestCommentThroughOnScreenKeyboard types a comment with the on-screen
// Telex keys, digits included, and checks that the saved comment is NFC
// Vietnamese with the phone number masked (the default setting).
func TestCommentThroughOnScreenKeyboard(t *testing.T) {
	for _, mask := range []bool{true, false} {
		t.Run(fmt.Sprintf("mask=%v", mask), func(t *testing.T) {
			r := newRig(t, "mot-cua-nhanh", Options{})
			r.cfg.MaskDigits = mask
			r.k.Home()
			r.start()
			for r.k.Question != nil && r.k.Question.Question.Type != survey.Comment {
				r.choice(r.k.Question.Choices[len(r.k.Question.Choices)-1].Code) // the most satisfied
				test.Tap(r.k.Question.Next)
			}
			q := r.k.Question
			if q == nil || q.Keyboard == nil {
				t.Fatal("comment question has no on-screen keyboard")
			}
			if q.Privacy == nil || !strings.Contains(q.Privacy.Text, "số điện thoại") {
				t.Fatal("comment screen lacks the notice not to type personal details")
			}
			kb := q.Keyboard
			for _, c := range "Tooi raats hafi lofng" {
				if c == ' ' {
					test.Tap(kb.Space)
					continue
				}
				if unicode.IsUpper(c) {
					test.Tap(kb.Shift)
				}
				test.Tap(kb.Letters[unicode.ToLower(c)])
			}
			test.Tap(kb.Space)
			test.Tap(kb.Layer)
			for _, c := range "0912345678" {
				test.Tap(kb.Symbols[c])
			}
			if got := q.Comment.Text; got != "Tôi rất hài lòng 0912345678" {
				t.Fatalf("comment box shows %q", got)
			}
			test.Tap(q.Next)
			want := "Tôi rất hài lòng 0912345678"
			if mask {
				want = "Tôi rất hài lòng " + strings.Repeat(string(survey.MaskRune), 10)
			}
			if got := r.saved().Answers["gop_y"]; len(got) != 1 || got[0] != want {
				t.Fatalf("saved comment %q, want %q", got, want)
			}
		})
	}
}

// fakeSpeaker records what the kiosk asks it to read.
type fakeSpeaker struct {
	spoken []string
	stops  int
}

func (f *fakeSpeaker) Speak(_ context.Context, text string) <-chan error {
	f.spoken = append(f.spoken, text)
	ch := make(chan error, 1)
	ch <- nil
	return ch
}

func (f *fakeSpeaker) Stop() { f.stops++ }

func TestReadAloud(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.start()
	if r.k.Question.Speak != nil {
		t.Fatal("speaker button shown without a speech engine")
	}
	sp := &fakeSpeaker{}
	r.k.deps.Speaker = sp
	r.k.Home()
	r.k.toggleLang() // English on screen; the voice still reads Vietnamese
	r.start()
	q := r.k.Question
	if q.Speak == nil || q.Speak.Text != "Listen" {
		t.Fatal("no speaker button with a speech engine")
	}
	test.Tap(q.Speak)
	if len(sp.spoken) != 1 || !strings.HasPrefix(sp.spoken[0], q.Question.Text.In("vi")) ||
		!strings.Contains(sp.spoken[0], "Rất hài lòng") || !strings.Contains(sp.spoken[0], "Không hài lòng") {
		t.Fatalf("read %q", sp.spoken)
	}
	stops := sp.stops
	r.choice(q.Choices[0].Code)
	test.Tap(q.Next)
	if sp.stops <= stops {
		t.Error("reading not stopped when the screen changed")
	}
}

func TestSetDeviceIDAppliesToNextResponse(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.k.SetDeviceID("dev-enrolled")
	r.start()
	for r.k.Question != nil {
		if q := r.k.Question; q.Question.Type != survey.Comment {
			r.choice(q.Choices[len(q.Choices)-1].Code)
		}
		test.Tap(r.k.Question.Next)
	}
	if got := r.saved().DeviceID; got != "dev-enrolled" {
		t.Fatalf("saved device id %q", got)
	}
}

// TestCommentStopsAtTheLimit: the comment box holds no more than the hub
// takes (survey.MaxLongText characters); what is saved is what it shows.
func TestCommentStopsAtTheLimit(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.cfg.MaskDigits = false
	r.k.Home()
	r.start()
	for r.k.Question != nil && r.k.Question.Question.Type != survey.Comment {
		r.choice(r.k.Question.Choices[len(r.k.Question.Choices)-1].Code)
		test.Tap(r.k.Question.Next)
	}
	q := r.k.Question
	if q == nil || q.Comment == nil {
		t.Fatal("no comment question")
	}
	full := strings.Repeat("ệ", survey.MaxLongText-1)
	q.Comment.SetText(full)
	test.Type(q.Comment, "ab") // the second letter is one too many
	if got := []rune(q.Comment.Text); len(got) != survey.MaxLongText {
		t.Fatalf("comment box holds %d characters, want %d", len(got), survey.MaxLongText)
	}
	shown := q.Comment.Text
	test.Tap(q.Next)
	if got := r.saved().Answers["gop_y"]; len(got) != 1 || got[0] != shown || !strings.Contains(shown, "a") || strings.Contains(shown, "b") {
		t.Fatalf("saved %q… (%d characters), box showed %q… : want what the box shows, with the a and without the b", got[0][:10], len([]rune(got[0])), shown[:10])
	}
}

// TestRetryAfterFixingServicePoint: a kiosk upgraded with a service point
// longer than the hub takes (saved by an older version) cannot save; once
// the admin shortens it, "Thử lại" saves the answers with the new one.
func TestRetryAfterFixingServicePoint(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.cfg.ServicePoint = strings.Repeat("Phường Hoàn Kiếm ", 16) // 272 characters
	r.k.Home()
	r.start()
	for r.k.Question != nil {
		if r.k.Question.Comment == nil {
			r.choice(survey.CodeSatisfied)
		}
		test.Tap(r.k.Question.Next)
	}
	if r.k.SaveError == nil || r.count() != 0 {
		t.Fatal("a response the hub would refuse was saved")
	}
	r.cfg.ServicePoint = "Phường Hoàn Kiếm"
	test.Tap(r.k.SaveError.Retry)
	if r.k.Thanks == nil || r.count() != 1 {
		t.Fatal("the retry after the fix did not save")
	}
	if got := r.saved().ServicePoint; got != "Phường Hoàn Kiếm" {
		t.Errorf("saved with service point %q", got)
	}
}
