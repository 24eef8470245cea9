package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// fakeClock is a Clock whose time moves only when Advance is called; due
// timers then run in time order on the caller's goroutine.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock by d, running every timer that falls due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var due *fakeTimer
		for _, t := range c.timers {
			if !t.stopped && !t.at.After(end) && (due == nil || t.at.Before(due.at)) {
				due = t
			}
		}
		if due == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		due.stopped = true
		c.now = due.at
		c.mu.Unlock()
		due.f()
	}
}

// faultyStore wraps the real store and fails saves while fail is set.
type faultyStore struct {
	*store.Store
	fail  error
	saves int
}

func (s *faultyStore) SaveResponse(ctx context.Context, r *survey.Response) error {
	s.saves++
	if s.fail != nil {
		return fmt.Errorf("save response %s: %w", r.ID, s.fail)
	}
	return s.Store.SaveResponse(ctx, r)
}

// rig is a kiosk on the test driver with a real store in a temporary file
// and the built-in surveys.
type rig struct {
	t       *testing.T
	app     fyne.App
	k       *Kiosk
	clock   *fakeClock
	store   *faultyStore
	cfg     settings.Config
	surveys map[string]*survey.Survey
	// slides is what Deps.Slides returns (nil: the built-in slides).
	slides *survey.Slides
	// receipts is what Deps.ReceiptsURL returns.
	receipts string
	admin    int
	// later, when set, queues background work instead of running it
	// at once; flush runs it.
	later  bool
	queued []func()
}

// run is the kiosk's Deps.Go: at once, or queued while later is set.
func (r *rig) run(f func()) {
	if r.later {
		r.queued = append(r.queued, f)
		return
	}
	f()
}

// flush runs the queued background work (and what it queues).
func (r *rig) flush() {
	for len(r.queued) > 0 {
		f := r.queued[0]
		r.queued = r.queued[1:]
		f()
	}
}

func newRig(t *testing.T, surveyID string, opts Options) *rig {
	t.Helper()
	r := &rig{t: t, app: test.NewTempApp(t), clock: newFakeClock(), surveys: map[string]*survey.Survey{}}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.store = &faultyStore{Store: st}
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		r.surveys[s.ID] = s
	}
	r.surveys[infoTestSurvey] = infoSurvey(t)
	r.cfg = settings.Default()
	r.cfg.ActiveSurvey = surveyID
	r.k, err = New(r.app, Deps{
		Store:  r.store,
		Config: func(context.Context) (settings.Config, error) { return r.cfg, nil },
		Survey: func(_ context.Context, id string) (*survey.Survey, error) {
			if s, ok := r.surveys[id]; ok {
				return s, nil
			}
			return nil, fmt.Errorf("no survey %q", id)
		},
		Slides:      func(context.Context) (*survey.Slides, error) { return r.slides, nil },
		ReceiptsURL: func(context.Context) (string, error) { return r.receipts, nil },
		Clock:       r.clock,
		Go:          r.run, // the test driver runs fyne.Do at once
		DeviceID:    "kiosk-test",
		OnAdmin:     func() { r.admin++ },
		Options:     opts,
	})
	if err != nil {
		t.Fatal(err)
	}
	r.k.Window().Resize(fyne.NewSize(1280, 800))
	return r
}

// start taps the start button and checks that the first question shows.
func (r *rig) start() *QuestionScreen {
	r.t.Helper()
	if r.k.Welcome == nil {
		r.t.Fatal("not on the welcome screen")
	}
	test.Tap(r.k.Welcome.Start)
	if r.k.Question == nil {
		r.t.Fatal("start did not show a question")
	}
	return r.k.Question
}

// choice taps the answer with the given code on the current question.
func (r *rig) choice(code string) {
	r.t.Helper()
	q := r.k.Question
	i := slices.IndexFunc(q.Choices, func(c *choiceButton) bool { return c.Code == code })
	if i < 0 {
		r.t.Fatalf("question %s has no choice %s", q.Question.Code, code)
	}
	test.Tap(q.Choices[i].Button)
	if !q.Choices[i].Selected() {
		r.t.Fatalf("choice %s not shown as chosen", code)
	}
}

// saved returns the newest saved response.
func (r *rig) saved() *survey.Response {
	r.t.Helper()
	got, err := r.store.LastResponse(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return got
}

// count returns how many responses the store holds.
func (r *rig) count() int {
	r.t.Helper()
	c, err := r.store.Counts(context.Background(), time.Time{})
	if err != nil {
		r.t.Fatal(err)
	}
	return c.Total
}
