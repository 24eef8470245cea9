package shots_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// feedbackTarget is the store of an enrolled kiosk: the hub's address
// and inspection key, as syncstore gives them.
type feedbackTarget struct {
	*store.Store
	key []byte
}

func (f feedbackTarget) FeedbackTarget(context.Context) (string, []byte, error) {
	return "https://hub.example.vn", f.key, nil
}

// TestFeedbackScreenshots captures the feedback flow's screens in
// Vietnamese and English into docs/screenshots/kiosk-feedback-*.png, as
// TestScreenshots does (and at the other sizes through
// TestScreenshotSizes).
func TestFeedbackScreenshots(t *testing.T) {
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
	pub, _, err := feedback.NewInspectionKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	deps.Feedback = feedbackTarget{Store: st.Store, key: pub[:]}
	deps.Options.Kiosk = true
	deps.Go = func(f func()) { f() }
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
	category := func(c feedback.Category) {
		t.Helper()
		do(func() {
			for _, b := range k.Feedback.Categories {
				if b.Code == string(c) {
					b.Button.OnTapped()
					return
				}
			}
			t.Errorf("category %s not offered", c)
		})
	}
	for _, lang := range []string{"vi", "en"} {
		cfg.ActiveSurvey = "mot-cua-nhanh"
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		snap("welcome-feedback", lang)
		do(func() { k.Welcome.Feedback.OnTapped() })
		snap("feedback-categories", lang)
		category(feedback.CategoryProcedure)
		do(func() {
			text := "Phải nộp bản sao giấy tờ hai lần ở hai quầy khác nhau."
			if lang == "en" {
				text = "I had to hand in the same copies at two desks."
			}
			k.Feedback.Text.SetText(text)
		})
		snap("feedback-text", lang)
		do(func() { k.Feedback.Send.OnTapped() })
		if k.FeedbackThanks == nil {
			t.Fatal("no feedback thank-you screen")
		}
		snap("feedback-thanks", lang)
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		do(func() { k.Welcome.Feedback.OnTapped() })
		category(feedback.CategoryMisconduct)
		snap("feedback-misconduct", lang)
	}
	do(func() { k.Window().Hide() })
}
