// Package helpui is the staff side of the kiosk's help requests (issue
// #11): the open requests with how long each has waited, and the form
// that records an outcome — helped to file online, or not possible with a
// reason from a short list and an optional note (digits masked). The
// admin panel shows it as a tab (behind the PIN); outreach mode shows it
// in the operator's column. It takes no personal data.
package helpui

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// Store lists and resolves help requests; *store.Store implements it.
type Store interface {
	OpenHelp(ctx context.Context) ([]store.HelpRequest, error)
	ResolveHelp(ctx context.Context, id string, o help.Outcome, r help.Reason, note string, at time.Time) error
}

// Deps is what the list needs.
type Deps struct {
	Store Store
	// Lang is "vi" (the default) or "en".
	Lang string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Go runs storage calls off the UI goroutine; nil means `go f()`.
	Go func(f func())
	// Resolved is called on the UI goroutine after each outcome saved
	// (the kiosk updates its banner).
	Resolved func()
	// Log receives errors; nil means slog.Default().
	Log *slog.Logger
}

// List is the open requests and the outcome form. Its widgets are in
// fields so that tests can reach them; its methods run on the UI
// goroutine.
type List struct {
	d  Deps
	tr *i18n.Translator

	// Empty says that no request is open; Rows are the open ones.
	Empty *widget.Label
	Rows  []*Row
	// Status says what the last save did.
	Status *widget.Label
	// The form for the request chosen with a row's Record button.
	Form *Form

	box  *fyne.Container
	root fyne.CanvasObject
}

// Row is one open request.
type Row struct {
	Request store.HelpRequest
	// Waited reads "chờ N phút".
	Waited *widget.Label
	// Record opens the form for this request.
	Record *widget.Button
}

// Form records one request's outcome.
type Form struct {
	ID      string
	Outcome *widget.RadioGroup
	Reason  *widget.RadioGroup
	Note    *widget.Entry
	Save    *widget.Button
	Cancel  *widget.Button
}

// New builds the list and starts reading the open requests.
func New(d Deps) (*List, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Go == nil {
		d.Go = func(f func()) { go f() }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	tr, err := i18n.New("help", "vi")
	if err != nil {
		return nil, err
	}
	if d.Lang != "" {
		tr.SetLang(d.Lang)
	}
	l := &List{d: d, tr: tr, Empty: widget.NewLabel(tr.T("help.none")), Status: widget.NewLabel("")}
	l.Empty.Wrapping = fyne.TextWrapWord
	l.Status.Wrapping = fyne.TextWrapWord
	l.box = container.NewVBox()
	title := widget.NewLabelWithStyle(tr.T("help.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.root = container.NewVBox(title, l.box, l.Status)
	l.Reload()
	return l, nil
}

// Content is the list's root object, unscrolled: the admin tab scrolls
// it, the operator's column scrolls with it.
func (l *List) Content() fyne.CanvasObject { return l.root }

// Title is the admin panel tab's title.
func (l *List) Title() string { return l.tr.T("help.tab") }

// Reload reads the open requests again.
func (l *List) Reload() {
	l.d.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		open, err := l.d.Store.OpenHelp(ctx)
		fyne.Do(func() {
			if err != nil {
				l.d.Log.Error("read open help requests", "err", err)
				l.Status.SetText(l.tr.T("help.error"))
				return
			}
			l.show(open)
		})
	})
}

// waited is "chờ N phút" for r.
func (l *List) waited(r store.HelpRequest) string {
	return l.tr.T("help.waited", map[string]any{
		"Minutes": int(help.Waited(r.CreatedAt, l.d.Now()) / time.Minute),
		"Since":   r.CreatedAt.In(l.d.Now().Location()).Format("15:04"),
	})
}

func (l *List) show(open []store.HelpRequest) {
	l.Rows, l.Form = nil, nil
	l.box.RemoveAll()
	if len(open) == 0 {
		l.box.Add(l.Empty)
		return
	}
	for _, r := range open {
		row := &Row{Request: r, Waited: widget.NewLabel(l.waited(r))}
		row.Waited.Wrapping = fyne.TextWrapWord
		row.Record = widget.NewButton(l.tr.T("help.record"), func() { l.openForm(row) })
		row.Record.Importance = widget.HighImportance
		l.Rows = append(l.Rows, row)
		l.box.Add(container.NewBorder(nil, nil, nil, row.Record, row.Waited))
	}
	l.box.Refresh()
}

// Tick updates the wait times (call it every minute or so).
func (l *List) Tick() {
	for _, r := range l.Rows {
		r.Waited.SetText(l.waited(r.Request))
	}
}

func (l *List) openForm(row *Row) {
	tr := l.tr
	f := &Form{ID: row.Request.ID}
	outcomes := map[string]help.Outcome{}
	var outLabels []string
	for _, o := range help.Outcomes {
		outcomes[tr.T(o.Key())] = o
		outLabels = append(outLabels, tr.T(o.Key()))
	}
	reasons := map[string]help.Reason{}
	var reasonLabels []string
	for _, r := range help.Reasons {
		reasons[tr.T(r.Key())] = r
		reasonLabels = append(reasonLabels, tr.T(r.Key()))
	}
	f.Reason = widget.NewRadioGroup(reasonLabels, nil)
	f.Reason.Hide()
	f.Note = widget.NewEntry()
	f.Note.SetPlaceHolder(tr.T("help.note"))
	f.Save = widget.NewButton(tr.T("help.save"), nil)
	f.Save.Importance = widget.HighImportance
	f.Save.Disable()
	check := func() {
		o := outcomes[f.Outcome.Selected]
		if o == help.NotPossible {
			f.Reason.Show()
		} else {
			f.Reason.Hide()
		}
		if o == help.Helped || o == help.NotPossible && f.Reason.Selected != "" {
			f.Save.Enable()
		} else {
			f.Save.Disable()
		}
	}
	f.Outcome = widget.NewRadioGroup(outLabels, func(string) { check() })
	f.Reason.OnChanged = func(string) { check() }
	f.Cancel = widget.NewButton(tr.T("help.cancel"), func() { l.Reload() })
	f.Save.OnTapped = func() {
		o := outcomes[f.Outcome.Selected]
		var r help.Reason
		if o == help.NotPossible {
			r = reasons[f.Reason.Selected]
		}
		l.save(f.ID, o, r, survey.MaskDigits(f.Note.Text))
	}
	l.Form = f
	l.box.RemoveAll()
	// Save stays in sight above the reasons, which may run past a small
	// screen.
	l.box.Add(widget.NewLabel(l.waited(row.Request)))
	l.box.Add(container.NewGridWithColumns(2, f.Cancel, f.Save))
	l.box.Add(f.Outcome)
	l.box.Add(f.Note)
	l.box.Add(f.Reason)
	l.box.Refresh()
}

func (l *List) save(id string, o help.Outcome, r help.Reason, note string) {
	if l.Form != nil {
		l.Form.Save.Disable()
	}
	at := l.d.Now().UTC()
	l.d.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := l.d.Store.ResolveHelp(ctx, id, o, r, note, at)
		fyne.Do(func() {
			if err != nil {
				l.d.Log.Error("resolve help request", "id", id, "err", err)
				l.Status.SetText(l.tr.T("help.error"))
				if l.Form != nil {
					l.Form.Save.Enable()
				}
				return
			}
			l.d.Log.Info("help request resolved", "id", id, "outcome", o, "reason", r)
			l.Status.SetText(l.tr.T("help.saved", map[string]any{"Outcome": l.tr.T(o.Key())}))
			if l.d.Resolved != nil {
				l.d.Resolved()
			}
			l.Reload()
		})
	})
}

// String is the row's text, for logs and tests.
func (r *Row) String() string { return fmt.Sprintf("%s %s", r.Request.ID, r.Waited.Text) }
