package shots_test

import (
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
)

const event = "KCN Thăng Long – ca sáng 25/11"

// seed stores a morning's outreach: the quick rating answered often
// (figures shown), the SIPAS survey a few more than five times, the PAPI
// pulse three times (every figure "< 5"), some abandoned, one flagged,
// some read aloud by staff.
func seed(ctx context.Context, t *testing.T, st *store.Store, defs []*survey.Survey) {
	t.Helper()
	cfg := settings.Default()
	cfg.ServicePoint = "Đội lưu động phường Thượng Cát"
	cfg.EventTag = event
	if err := settings.Save(ctx, st, cfg); err != nil {
		t.Fatal(err)
	}
	version := map[string]int{}
	for _, s := range defs {
		version[s.ID] = s.Version
	}
	at := time.Date(2026, 11, 25, 0, 32, 0, 0, time.UTC) // 07:32 in Hanoi
	n := 0
	add := func(id string, answers survey.Answers, mod func(*survey.Response)) {
		n++
		at = at.Add(6 * time.Minute)
		r := &survey.Response{ID: uuid.Must(uuid.NewV7()).String(), SurveyID: id, SurveyVersion: version[id],
			Answers: answers, StartedAt: at, FinishedAt: at.Add(75 * time.Second), ServicePoint: cfg.ServicePoint,
			DeviceID: "laptop-doi-2", Lang: "vi", Status: survey.StatusComplete, EventTag: event}
		if mod != nil {
			mod(r)
		}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	rating3 := []string{"rhl", "hl", "hl", "khl", "hl", "rhl", "hl"}
	for i := range 23 {
		a := survey.Answers{"thai_do": {rating3[i%7]}, "thoi_gian": {rating3[(i+3)%7]}, "chung": {rating3[(i+1)%7]}}
		add("mot-cua-nhanh", a, func(r *survey.Response) { r.Assisted = i%5 == 0 })
	}
	add("mot-cua-nhanh", survey.Answers{"thai_do": {"hl"}}, func(r *survey.Response) { r.Status = survey.StatusAbandoned })
	add("mot-cua-nhanh", survey.Answers{"thai_do": {"khl"}, "chung": {"khl"}}, func(r *survey.Response) {
		r.Misuse, r.MisuseReason = true, "started too soon after the previous response"
	})
	rating5 := []string{"rhl", "hl", "bt", "hl", "khl", "hl", "rhl"}
	var sipas *survey.Survey
	for _, s := range defs {
		if s.ID == "sipas" {
			sipas = s
		}
	}
	for i := range 6 {
		a := survey.Answers{}
		for j, q := range sipas.Questions {
			if q.Type == survey.Rating5 {
				a[q.Code] = []string{rating5[(i+j)%7]}
			}
		}
		add("sipas", a, func(r *survey.Response) { r.Assisted = i == 2 })
	}
	add("sipas", survey.Answers{"tiep_can": {"hl"}}, func(r *survey.Response) { r.Status = survey.StatusAbandoned })
	for range 3 {
		add("papi-nhanh", survey.Answers{"tham_gia": {"hl"}, "thu_tuc": {"rhl"}}, nil)
	}
}

// lateMorning is the real clock's timers with the time fixed at 11:15 in
// Hanoi, after the seeded responses, so that a response the screenshots
// leave behind reads as the morning's last.
type lateMorning struct{ ui.SystemClock }

func (lateMorning) Now() time.Time { return time.Date(2026, 11, 25, 4, 15, 0, 0, time.UTC) }

// TestScreenshots writes operator-<screen>-<lang>.png on an X screen the
// size of the operator window (run it with
// xvfb-run -s "-screen 0 1360x690x24").
func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	out := shot.Dir(t)
	ctx := context.Background()
	size, suffix := fyne.NewSize(operator.WindowWidth, operator.WindowHeight), ""
	if sz := os.Getenv(sizeEnv); sz != "" {
		if _, err := fmt.Sscanf(sz, "%fx%f", &size.Width, &size.Height); err != nil {
			t.Fatalf("%s=%q: %v", sizeEnv, sz, err)
		}
		suffix = "-" + sz
	}
	defs, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	do := func(f func()) { fyne.DoAndWait(f) }
	var prev image.Image
	snap := func(name, lang string) {
		t.Helper()
		img := shot.WaitPainted(t, prev, 10*time.Second, 2)
		if img == nil {
			t.Fatalf("%s: nothing painted", name)
		}
		prev = img
		if sz := img.Bounds().Size(); float32(sz.X) != size.Width || float32(sz.Y) != size.Height {
			t.Fatalf("X screen is %v: run under xvfb-run -s \"-screen 0 %vx%vx24\"", sz, size.Width, size.Height)
		}
		shot.Save(t, out, "operator-"+name+"-"+lang+suffix+".png", img)
	}

	for _, lang := range []string{"vi", "en"} {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk-"+lang+".db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		seed(ctx, t, st, defs)
		var k *ui.Kiosk
		var p *operator.Panel
		do(func() {
			k, err = ui.New(shotApp, ui.Deps{
				Store:  st,
				Config: func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
				Survey: func(_ context.Context, id string) (*survey.Survey, error) {
					for _, s := range defs {
						if s.ID == id {
							return s, nil
						}
					}
					return nil, fmt.Errorf("no survey %q", id)
				},
				DeviceID: "laptop-doi-2",
				Clock:    lateMorning{},
			})
			if err != nil {
				return
			}
			// The X screen is the window's size: no title bar to leave room for.
			screen := size.Add(ui.WindowFrame)
			p, err = operator.Attach(ctx, k, operator.Deps{Store: st, Builtin: defs, Lang: lang, Screen: screen})
			if err != nil {
				return
			}
			if lang == "en" {
				k.Welcome.Lang.OnTapped()
			}
			k.Show()
		})
		if err != nil {
			t.Fatal(err)
		}
		// The count is read off the UI goroutine; wait for it.
		deadline := time.Now().Add(10 * time.Second)
		for {
			var c string
			do(func() { c = p.Count.Text })
			if c != "" && c != "—" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the count never showed")
			}
			time.Sleep(50 * time.Millisecond)
		}
		snap("welcome", lang)

		do(func() {
			k.Welcome.Start.OnTapped()
			for _, c := range k.Question.Choices {
				if c.Code == survey.CodeSatisfied {
					c.Button.OnTapped()
				}
			}
			p.Assisted.SetChecked(true)
		})
		snap("question", lang)

		do(func() {
			for _, c := range p.Surveys {
				if c.ID == "sipas" {
					c.Button.OnTapped()
				}
			}
		})
		snap("switch", lang)

		do(func() {
			p.ConfirmNo.OnTapped()
			p.ShowSummary.OnTapped()
		})
		deadline = time.Now().Add(10 * time.Second)
		for {
			var ready bool
			do(func() { ready = p.Summary != nil && p.Summary.Summary != nil })
			if ready {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the summary never showed")
			}
			time.Sleep(50 * time.Millisecond)
		}
		snap("summary", lang)
		do(func() { p.Summary.Scroll.ScrollToOffset(fyne.NewPos(0, 300)) })
		snap("summary-questions", lang)
		do(func() { p.Summary.Close.OnTapped() })
		// The survey begun above answered to its end, every question with
		// its first choice (a comment left empty): the thank-you screen
		// beside the operator's column, once the save in the background
		// is done.
		deadline = time.Now().Add(10 * time.Second)
		for {
			var thanks bool
			do(func() {
				if thanks = k.Thanks != nil; !thanks && k.Question != nil {
					if q := k.Question; len(q.Choices) > 0 {
						q.Choices[0].Button.OnTapped()
					}
					k.Question.Next.OnTapped()
				}
			})
			if thanks {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the thank-you screen never showed")
			}
			time.Sleep(50 * time.Millisecond)
		}
		snap("thanks", lang)
		do(func() {
			k.Home()
			k.Window().Hide() // closing the last window would quit the app
		})
		prev = nil
	}
}

// TestScreenshotSizes re-runs TestScreenshots in a window on a 1024×600
// screen (1008×552, sizeEnv), on a private Xvfb display of that size, so
// that `make screenshots` draws those files again with the others:
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1360x690x24" go test -run TestScreenshotSizes ./app/ui/operator/shots
func TestScreenshotSizes(t *testing.T) {
	if shotApp == nil || os.Getenv(sizeEnv) != "" {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		t.Skip("xvfb-run not installed")
	}
	const size = "1008x552"
	cmd := exec.Command(xvfb, "-a", "-s", "-screen 0 "+size+"x24", os.Args[0], "-test.run", "^TestScreenshots$", "-test.v")
	cmd.Env = append(os.Environ(), sizeEnv+"="+size)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshots at %s: %v\n%s", size, err, out)
	}
}
