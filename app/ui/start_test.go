package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// startDeps is a kiosk's wiring on a fresh store with the built-in
// surveys.
func startDeps(t *testing.T) Deps {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return Deps{
		Store:  st,
		Config: func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
		Survey: func(_ context.Context, id string) (*survey.Survey, error) {
			for _, s := range survey.Newest(all) { // the versions kiosks run
				if s.ID == id {
					return s, nil
				}
			}
			return nil, fmt.Errorf("no survey %q", id)
		},
		Clock: newFakeClock(),
	}
}

// TestPreparedStart: Prepare sets the kiosk theme at once and New, given
// what it prepared, builds the same welcome screen (run with -race: the
// font warm-up overlaps New's window creation).
func TestPreparedStart(t *testing.T) {
	a := test.NewTempApp(t)
	p := Prepare(a, Options{})
	if _, ok := a.Settings().Theme().(*kioskTheme); !ok {
		t.Fatalf("theme after Prepare is %T, want the kiosk theme", a.Settings().Theme())
	}
	deps := startDeps(t)
	deps.Prepared = p
	k, err := New(a, deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Settings().Theme().(*kioskTheme); !ok {
		t.Fatalf("theme after New is %T, want the kiosk theme", a.Settings().Theme())
	}
	w := k.Welcome
	if w == nil || w.Start.Disabled() || w.Title.Text == "" || len(w.QRs) == 0 {
		t.Fatalf("welcome screen not ready: %+v", w)
	}
	if got := k.Translator().T("welcome.start"); w.StartText.Text != got {
		t.Errorf("start caption %q, want %q", w.StartText.Text, got)
	}
	if k.Window().Content() == nil || k.Window().Content().MinSize().Width <= 0 {
		t.Error("welcome screen has no size: text was not measured")
	}
}

// TestPreparedForAnotherApp: New refuses what Prepare did on another app
// (its theme and warm-up would not be this app's).
func TestPreparedForAnotherApp(t *testing.T) {
	other := test.NewTempApp(t)
	p := Prepare(other, Options{})
	p.Wait()
	a := test.NewTempApp(t)
	deps := startDeps(t)
	deps.Prepared = p
	if _, err := New(a, deps); err == nil {
		t.Fatal("New accepted Deps.Prepared from another app")
	}
}

// probedSpeaker is a Speaker that says whether a speech engine exists.
type probedSpeaker struct {
	fakeSpeaker
	available bool
	asked     int
}

func (p *probedSpeaker) Available() bool { p.asked++; return p.available }

// TestSpeakerProbedWhenSurveyStarts: a Speaker that can say it has no
// engine is asked when a survey starts, not while the kiosk starts, and
// its answer shows or hides the speaker button.
func TestSpeakerProbedWhenSurveyStarts(t *testing.T) {
	for _, available := range []bool{true, false} {
		t.Run(fmt.Sprint("available=", available), func(t *testing.T) {
			a := test.NewTempApp(t)
			deps := startDeps(t)
			sp := &probedSpeaker{available: available}
			deps.Speaker = sp
			k, err := New(a, deps)
			if err != nil {
				t.Fatal(err)
			}
			if sp.asked != 0 {
				t.Fatalf("speech engine probed %d times at start-up, want 0", sp.asked)
			}
			test.Tap(k.Welcome.Start)
			if k.Question == nil {
				t.Fatal("start did not show a question")
			}
			if sp.asked == 0 {
				t.Error("speech engine not probed when the survey started")
			}
			if got := k.Question.Speak != nil; got != available {
				t.Errorf("speaker button shown = %v, want %v", got, available)
			}
		})
	}
}
