package operator_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
)

// clock is a ui.Clock whose time moves only when Advance is called; due
// timers then run in time order on the caller's goroutine (the test's,
// where the test driver runs fyne.Do at once).
type clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
}

type timer struct {
	c       *clock
	at      time.Time
	f       func()
	stopped bool
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) AfterFunc(d time.Duration, f func()) ui.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves the clock by d, running every timer that falls due.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		var due *timer
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

// rig is a kiosk in operator mode on the test driver, wired the way
// app/launch wires it: a real store in a temporary file, settings read from
// it at every welcome screen, the built-in surveys.
type rig struct {
	t       *testing.T
	ctx     context.Context
	app     fyne.App
	store   *store.Store
	clock   *clock
	builtin []*survey.Survey
	k       *ui.Kiosk
	p       *operator.Panel
}

func newRig(t *testing.T, lang string) *rig {
	t.Helper()
	r := &rig{t: t, ctx: context.Background(), app: test.NewTempApp(t),
		clock: &clock{now: time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)}}
	st, err := store.Open(r.ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.store = st
	if r.builtin, err = survey.Builtin(); err != nil {
		t.Fatal(err)
	}
	r.k, err = ui.New(r.app, ui.Deps{
		Store:  st,
		Config: func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
		Survey: func(_ context.Context, id string) (*survey.Survey, error) {
			for _, s := range survey.Newest(r.builtin) { // what kiosks run
				if s.ID == id {
					return s, nil
				}
			}
			return nil, fmt.Errorf("no survey %q", id)
		},
		Clock:    r.clock,
		Go:       func(f func()) { f() }, // the test driver runs fyne.Do at once
		DeviceID: "operator-test",
	})
	if err != nil {
		t.Fatal(err)
	}
	r.p, err = operator.Attach(r.ctx, r.k, operator.Deps{
		Store: st, Builtin: r.builtin, Lang: lang,
		Go: func(f func()) { f() }, // the test driver runs fyne.Do at once
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// config returns the stored settings.
func (r *rig) config() settings.Config {
	r.t.Helper()
	c, err := settings.Load(r.ctx, r.store)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// setEvent types tag into the event box and saves it.
func (r *rig) setEvent(tag string) {
	r.t.Helper()
	r.p.Event.SetText("")
	test.Type(r.p.Event, tag)
	test.Tap(r.p.SaveEvent)
}

// choose taps the quick-switch target of survey id.
func (r *rig) choose(id string) {
	r.t.Helper()
	for _, c := range r.p.Surveys {
		if c.ID == id {
			test.Tap(c.Button)
			return
		}
	}
	r.t.Fatalf("no quick-switch target for survey %s", id)
}

// answer taps through the survey on show, from the welcome screen to the
// thank-you screen, taking the choice with code pick where there is one
// (else the first), and typing a comment where asked. It returns the
// number of questions answered.
func (r *rig) answer(pick string) int {
	r.t.Helper()
	if r.k.Welcome == nil {
		r.t.Fatal("not on the welcome screen")
	}
	test.Tap(r.k.Welcome.Start)
	n := 0
	for r.k.Question != nil {
		n++
		r.answerOne(pick)
		test.Tap(r.k.Question.Next)
	}
	if r.k.Thanks == nil {
		r.t.Fatal("no thank-you screen after the last question")
	}
	return n
}

// answerOne answers the question on show without moving on.
func (r *rig) answerOne(pick string) {
	r.t.Helper()
	q := r.k.Question
	if q.Question.Type == survey.Comment {
		test.Type(q.Comment, "Cán bộ nhiệt tình")
		return
	}
	if q.Question.Type == survey.Info {
		return // read, not answered
	}
	b := q.Choices[0].Button
	for _, c := range q.Choices {
		if c.Code == pick {
			b = c.Button
		}
	}
	test.Tap(b)
}

// eventResponses reads back the responses stored for event.
func (r *rig) eventResponses(event string) []*survey.Response {
	r.t.Helper()
	var out []*survey.Response
	for resp, err := range r.store.Responses(r.ctx, store.Filter{EventTag: event}) {
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, resp)
	}
	return out
}

// save stores a response directly, as if collected earlier.
func (r *rig) save(resp *survey.Response) {
	r.t.Helper()
	if err := r.store.SaveResponse(r.ctx, resp); err != nil {
		r.t.Fatal(err)
	}
}

// holds reports whether obj is in the tree under root.
func holds(root, obj fyne.CanvasObject) bool {
	if root == obj {
		return true
	}
	switch o := root.(type) {
	case *fyne.Container:
		for _, c := range o.Objects {
			if holds(c, obj) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			if holds(c, obj) {
				return true
			}
		}
	}
	return false
}

// text returns a label's text (nil-safe, for failure messages).
func text(l *widget.Label) string {
	if l == nil {
		return "<nil>"
	}
	return l.Text
}
