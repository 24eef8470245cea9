package shots_test

import (
	"fmt"
	"image"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// TestHelpScreenshots captures the help request's screens in Vietnamese
// and English into docs/screenshots/kiosk-help-*.png: the welcome screen
// with its Cần hỗ trợ button, and the staff banner over the next question
// after a "yes" to the help question (and at the other sizes through
// TestScreenshotSizes).
func TestHelpScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	want, suffix := image.Pt(1280, 800), ""
	if sz := os.Getenv(sizeEnv); sz != "" {
		if _, err := fmt.Sscanf(sz, "%dx%d", &want.X, &want.Y); err != nil {
			t.Fatalf("%s=%q: %v", sizeEnv, sz, err)
		}
		suffix = "-" + sz
	}
	out := shot.Dir(t)
	deps, st, cfg, err := kioskDeps(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deps.Help = st.Store
	deps.Feedback = feedbackTarget{Store: st.Store}
	deps.Options.Kiosk = true
	deps.Go = func(f func()) { f() }
	cfg.ActiveSurvey = "dich-vu-cong"
	var k *ui.Kiosk
	fyne.DoAndWait(func() {
		k, err = ui.New(shotApp, deps)
		if err == nil {
			k.Show()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	do := func(f func()) { fyne.DoAndWait(f); fyne.DoAndWait(func() {}) }
	var prev image.Image
	snap := func(name, lang string) {
		t.Helper()
		img, err := waitDrawn(k.Window(), prev, 10*time.Second)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sz := img.Bounds().Size(); sz != want {
			t.Fatalf("X screen is %v, want %v", sz, want)
		}
		shot.Save(t, out, "kiosk-"+name+"-"+lang+suffix+".png", img)
		prev = img
	}
	for _, lang := range []string{"vi", "en"} {
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		if k.Welcome.Help == nil {
			t.Fatal("no help button")
		}
		snap("help-welcome", lang)
		do(func() { k.Welcome.Start.OnTapped() })
		for i := 0; i < 6 && k.Question != nil && k.Question.Question.Code != "can_ho_tro"; i++ {
			do(func() {
				q := k.Question
				c := q.Choices[0]
				if q.Question.Code == "da_dung" {
					c = q.Choices[1] // no: the reasons question follows
				}
				c.Button.OnTapped()
				q.Next.OnTapped()
			})
		}
		if k.Question == nil || k.Question.Question.Code != "can_ho_tro" {
			t.Fatal("never reached the help question")
		}
		do(func() { k.Question.Choices[0].Button.OnTapped(); k.Question.Next.OnTapped() })
		for i := 0; i < 100 && k.HelpBanner == nil; i++ {
			time.Sleep(20 * time.Millisecond)
			do(func() {})
		}
		if k.HelpBanner == nil {
			t.Fatal("no banner after a yes")
		}
		snap("help-banner", lang)
		do(func() {
			for _, r := range k.OpenHelp() {
				if err := st.ResolveHelp(t.Context(), r.ID, "helped_online", "", "", time.Now()); err != nil {
					t.Error(err)
				}
			}
		})
		goHome(t, k)
		for i := 0; i < 100 && k.HelpBanner != nil; i++ { // the welcome screen is read off the UI goroutine
			time.Sleep(20 * time.Millisecond)
			do(func() {})
		}
		if k.HelpBanner != nil {
			t.Fatal("the banner stays after the outcome")
		}
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		do(func() { k.Welcome.Help.OnTapped() })
		for i := 0; i < 100 && k.HelpBanner == nil; i++ {
			time.Sleep(20 * time.Millisecond)
			do(func() {})
		}
		if k.HelpBanner == nil {
			t.Fatal("no banner after the welcome screen's button")
		}
		snap("help-welcome-banner", lang)
		do(func() {
			for _, r := range k.OpenHelp() {
				_ = st.ResolveHelp(t.Context(), r.ID, "helped_online", "", "", time.Now())
			}
		})
	}
	do(func() { k.Window().Hide() })
}
