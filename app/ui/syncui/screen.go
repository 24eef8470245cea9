package syncui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// maxRejectedShown bounds the rejected responses listed on screen.
const maxRejectedShown = 50

// timeLayout is how times are shown to staff, in Asia/Ho_Chi_Minh.
const timeLayout = "15:04 02/01/2006"

// Screen is the sync tab. It keeps its widgets in fields so tests can reach
// them.
type Screen struct {
	ctx context.Context
	d   Deps
	w   fyne.Window
	tr  *i18n.Translator
	loc *time.Location

	// Connect to a hub.
	URL        *widget.Entry
	Code       *widget.Entry
	Connect    *widget.Button
	ConnectMsg *widget.Label

	// Status.
	Identity    *widget.Label
	Pending     *widget.Label
	Synced      *widget.Label
	Rejected    *widget.Label
	Waiting     *widget.Label // hidden while no response waits for its survey at the hub
	LastSuccess *widget.Label
	LastError   *widget.Label
	Next        *widget.Label
	SyncNow     *widget.Button
	SyncMsg     *widget.Label

	// Rejected responses: one row each, a label and its "Gửi lại" button
	// (Retry, in the same order); RetryAll sends every rejected one again.
	RejectedList *fyne.Container
	Retry        []*widget.Button
	RetryAll     *widget.Button
	RetryMsg     *widget.Label

	// Bundle export.
	Export    *widget.Button
	ExportMsg *widget.Label

	content      fyne.CanvasObject
	right        *container.Scroll
	cancelSub    func()
	shown        bool
	rejectedSeen int
}

// New builds the tab's screen for window w, subscribes it to the uploader's
// status and loads the rejected list in the background.
func New(ctx context.Context, d Deps, w fyne.Window) *Screen {
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		// The translations are embedded: only a broken build gets here.
		d.Log.Error("sync tab: translations", "err", err)
		tr = &i18n.Translator{}
	}
	s := &Screen{ctx: ctx, d: d, w: w, tr: tr, loc: survey.Location(), rejectedSeen: -1}
	s.build()
	s.apply(d.Syncer.Status())
	s.cancelSub = d.Syncer.Subscribe(func(st client.Status) {
		fyne.Do(func() { s.onStatus(st) })
	})
	d.Go(func() {
		if err := d.Syncer.Refresh(ctx); err != nil {
			d.Log.Error("sync tab: refresh status", "err", err)
		}
		s.loadRejected()
	})
	return s
}

// Content returns the tab's canvas object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

// Close stops the status updates.
func (s *Screen) Close() {
	if s.cancelSub != nil {
		s.cancelSub()
		s.cancelSub = nil
	}
}

func (s *Screen) label() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *Screen) heading(key string) *widget.Label {
	l := widget.NewLabelWithStyle(s.tr.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (s *Screen) build() {
	s.URL = widget.NewEntry()
	s.URL.SetPlaceHolder(s.tr.T("sync.connect.url.placeholder"))
	s.Code = widget.NewEntry()
	s.Code.SetPlaceHolder(s.tr.T("sync.connect.code.placeholder"))
	s.Connect = widget.NewButton(s.tr.T("sync.connect.button"), s.connect)
	s.Connect.Importance = widget.HighImportance
	s.ConnectMsg = s.label()

	s.Identity, s.Pending, s.Synced, s.Rejected = s.label(), s.label(), s.label(), s.label()
	s.Waiting = s.label()
	s.LastSuccess, s.LastError, s.Next, s.SyncMsg = s.label(), s.label(), s.label(), s.label()
	s.SyncNow = widget.NewButton(s.tr.T("sync.now"), s.syncNow)
	s.SyncNow.Importance = widget.HighImportance

	s.RejectedList = container.NewVBox()
	s.RetryAll = widget.NewButton(s.tr.T("sync.rejected.retry_all"), func() { s.retry(nil) })
	s.RetryAll.Hide() // shown while something is rejected
	s.RetryMsg = s.label()

	s.Export = widget.NewButton(s.tr.T("sync.export.button"), s.export)
	s.ExportMsg = s.label()
	help := s.label()
	help.SetText(s.tr.T("sync.export.help"))

	for _, l := range []*widget.Label{s.SyncMsg, s.ConnectMsg, s.ExportMsg, s.Next, s.Waiting, s.RetryMsg} {
		l.Hide() // shown with their first message
	}

	status := container.NewVBox(
		s.heading("sync.status.title"),
		s.Identity, s.Pending, s.Waiting, s.Synced, s.Rejected, s.LastSuccess, s.LastError, s.Next,
		s.SyncNow, s.SyncMsg,
		widget.NewSeparator(),
		s.heading("sync.export.title"), help, s.Export, s.ExportMsg,
	)
	connect := container.NewVBox(
		s.heading("sync.connect.title"),
		widget.NewLabel(s.tr.T("sync.connect.url")), s.URL,
		widget.NewLabel(s.tr.T("sync.connect.code")), s.Code,
		s.Connect, s.ConnectMsg,
		widget.NewSeparator(),
		s.heading("sync.rejected.title"), s.RejectedList, s.RetryAll, s.RetryMsg,
	)
	s.right = container.NewVScroll(connect)
	s.content = container.NewGridWithColumns(2, container.NewVScroll(status), s.right)
}

// onStatus applies a status from the uploader, and stops listening once the
// tab has been shown and then taken off the screen (the panel closed).
func (s *Screen) onStatus(st client.Status) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.content); c != nil {
		s.shown = true
	} else if s.shown {
		s.Close()
		return
	}
	s.apply(st)
}

// apply shows st. It runs on the UI goroutine.
func (s *Screen) apply(st client.Status) {
	if st.Enrolled {
		s.Identity.SetText(s.tr.T("sync.status.connected", map[string]any{"Hub": st.HubURL, "Device": st.DeviceID}))
		if s.URL.Text == "" {
			s.URL.SetText(st.HubURL)
		}
	} else {
		s.Identity.SetText(s.tr.T("sync.status.not_enrolled"))
	}
	s.Pending.SetText(s.tr.T("sync.status.pending", map[string]any{"Count": st.Pending}))
	s.Synced.SetText(s.tr.T("sync.status.synced", map[string]any{"Count": st.Synced}))
	s.Rejected.SetText(s.tr.T("sync.status.rejected", map[string]any{"Count": st.Rejected}))
	waiting := ""
	if st.Waiting > 0 {
		waiting = s.tr.T("sync.status.waiting", map[string]any{"Count": st.Waiting})
	}
	say(s.Waiting, waiting, widget.WarningImportance)
	if st.LastSuccess.IsZero() {
		s.LastSuccess.SetText(s.tr.T("sync.status.never"))
	} else {
		s.LastSuccess.SetText(s.tr.T("sync.status.last_success", map[string]any{"Time": s.when(st.LastSuccess)}))
	}
	switch {
	case st.Syncing:
		s.LastError.SetText(s.tr.T("sync.status.syncing"))
		s.LastError.Importance = widget.MediumImportance
	case st.LastError != nil:
		s.LastError.SetText(s.tr.T("sync.status.error", map[string]any{"Message": s.tr.T(st.ErrorKey())}))
		s.LastError.Importance = widget.DangerImportance
	// A sync the hub answered but did not fully take is not a plain success.
	case st.LastRejected > 0:
		s.LastError.SetText(s.tr.T("sync.status.done_rejected", map[string]any{"Count": st.LastRejected}))
		s.LastError.Importance = widget.WarningImportance
	case st.Waiting > 0 && !st.LastAttempt.IsZero():
		s.LastError.SetText(s.tr.T("sync.status.done_waiting", map[string]any{"Count": st.Waiting}))
		s.LastError.Importance = widget.WarningImportance
	case !st.LastAttempt.IsZero():
		s.LastError.SetText(s.tr.T("sync.status.ok"))
		s.LastError.Importance = widget.SuccessImportance
	default:
		s.LastError.SetText("")
	}
	s.LastError.Refresh()
	next := ""
	if st.LastError != nil && !st.NextAttempt.IsZero() && st.Enrolled {
		next = s.tr.T("sync.status.next", map[string]any{"Time": s.when(st.NextAttempt)})
	}
	say(s.Next, next, widget.MediumImportance)
	if st.Enrolled {
		s.SyncNow.Enable()
		s.Export.Enable()
	} else {
		s.SyncNow.Disable()
		s.Export.Disable()
	}
	if st.Rejected != s.rejectedSeen && s.rejectedSeen >= 0 {
		s.d.Go(s.loadRejected)
	}
	s.rejectedSeen = st.Rejected
}

// say shows text in a message label with the given importance, hiding the
// label while it has nothing to say.
func say(l *widget.Label, text string, imp widget.Importance) {
	l.Importance = imp
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

func (s *Screen) when(t time.Time) string { return t.In(s.loc).Format(timeLayout) }

// errText is the staff-facing message of a sync/client error.
func (s *Screen) errText(err error) string {
	k := client.KindOf(err)
	if k == "" {
		k = client.KindLocal
	}
	return s.tr.T(k.Key())
}

func (s *Screen) connect() {
	url, code := s.URL.Text, s.Code.Text
	// The hub's enrollment QR code holds both ("hailong-enroll:?code=…&hub=…");
	// a barcode scanner types it into whichever field has the focus.
	for _, text := range []string{code, url} {
		if u, c, err := protocol.ParseEnrollURI(strings.TrimSpace(text)); err == nil {
			if u == "" {
				u = url
			}
			url, code = u, c
			s.URL.SetText(url)
			s.Code.SetText(code)
			break
		}
	}
	s.Connect.Disable()
	say(s.ConnectMsg, s.tr.T("sync.connect.busy"), widget.MediumImportance)
	s.d.Go(func() {
		// A damaged earlier identity is replaced all the same; it is only named.
		prev, _, _ := client.LoadIdentity(s.ctx, s.d.Store)
		ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
		id, err := client.Enroll(ctx, s.d.Store, s.d.HTTP, url, code)
		cancel()
		var own string
		var adopted bool
		if err != nil {
			s.d.Log.Error("sync tab: enroll", "hub", url, "err", err)
		} else {
			var perr error
			if own, adopted, perr = client.AdoptServicePoint(s.ctx, s.d.Store, id); perr != nil {
				s.d.Log.Error("sync tab: service point", "err", perr)
			}
			if rerr := s.d.Syncer.Refresh(s.ctx); rerr != nil {
				s.d.Log.Error("sync tab: refresh status", "err", rerr)
			}
			s.d.Syncer.SyncNow()
		}
		fyne.Do(func() {
			s.Connect.Enable()
			if err != nil {
				say(s.ConnectMsg, s.errText(err), widget.DangerImportance)
				return
			}
			s.Code.SetText("")
			msg, imp := s.tr.T("sync.connect.done", map[string]any{"Device": id.DeviceID}), widget.SuccessImportance
			switch {
			case adopted:
				msg = s.tr.T("sync.connect.done_adopted_point", map[string]any{"Device": id.DeviceID, "HubPoint": id.ServicePoint})
			case own != "":
				msg, imp = s.tr.T("sync.connect.done_other_point", map[string]any{"Device": id.DeviceID, "HubPoint": id.ServicePoint, "KioskPoint": own}), widget.WarningImportance
			}
			if prev.DeviceID != "" {
				// Two sentences, each whole: the connection, then what it replaced.
				msg += "\n" + s.tr.T("sync.connect.replaced", map[string]any{"Hub": prev.HubURL, "Device": prev.DeviceID})
				imp = widget.WarningImportance
			}
			say(s.ConnectMsg, msg, imp)
		})
	})
}

func (s *Screen) syncNow() {
	s.d.Syncer.SyncNow()
	say(s.SyncMsg, s.tr.T("sync.now.requested"), widget.MediumImportance)
}

func (s *Screen) export() {
	s.d.ChooseFolder(s.w, func(dir string) {
		s.Export.Disable()
		say(s.ExportMsg, s.tr.T("sync.export.busy"), widget.MediumImportance)
		s.d.Go(func() {
			msg, bad := s.writeBundle(dir)
			fyne.Do(func() {
				s.Export.Enable()
				imp := widget.SuccessImportance
				if bad {
					imp = widget.DangerImportance
				}
				say(s.ExportMsg, msg, imp)
			})
		})
	})
}

// writeBundle exports the outbox to dir and returns the message to show.
func (s *Screen) writeBundle(dir string) (msg string, failed bool) {
	stats, err := s.d.Store.SyncStats(s.ctx)
	if err != nil {
		s.d.Log.Error("sync tab: export", "err", err)
		return s.tr.T("sync.error.storage"), true
	}
	if stats.Pending == 0 {
		return s.tr.T("sync.export.empty"), false
	}
	path, n, err := client.ExportBundle(s.ctx, s.d.Store, dir, s.d.Now())
	if err != nil {
		s.d.Log.Error("sync tab: export", "dir", dir, "err", err)
		return s.errText(err), true
	}
	s.d.Log.Info("sync: bundle exported", "path", path, "responses", n)
	if stats.Rejected > 0 {
		// A bundle carries the outbox only: say what stays behind.
		return s.tr.T("sync.export.done_rejected", map[string]any{"Count": n, "Path": path, "Rejected": stats.Rejected}), false
	}
	return s.tr.T("sync.export.done", map[string]any{"Count": n, "Path": path}), false
}

// loadRejected reads the rejected responses and shows them; it runs off the
// UI goroutine.
func (s *Screen) loadRejected() {
	items, err := s.d.Store.RejectedItems(s.ctx)
	fyne.Do(func() {
		// The scroll around the list must learn its new height.
		defer s.right.Refresh()
		s.RejectedList.RemoveAll()
		s.Retry = nil
		s.RetryAll.Hide()
		if err != nil {
			s.d.Log.Error("sync tab: rejected list", "err", err)
			s.RejectedList.Add(widget.NewLabel(s.tr.T("sync.error.storage")))
			return
		}
		if len(items) == 0 {
			s.RejectedList.Add(widget.NewLabel(s.tr.T("sync.rejected.none")))
			return
		}
		for i, it := range items {
			if i == maxRejectedShown {
				s.RejectedList.Add(widget.NewLabel(s.tr.T("sync.rejected.more", map[string]any{"Count": len(items) - i})))
				break
			}
			l := s.label()
			l.SetText(s.tr.T("sync.rejected.item", map[string]any{
				"Time": s.when(it.At), "ID": shortID(it.ID), "Reason": s.reason(it),
			}))
			id := it.ID
			b := widget.NewButton(s.tr.T("sync.rejected.retry"), func() { s.retry([]string{id}) })
			s.Retry = append(s.Retry, b)
			s.RejectedList.Add(container.NewBorder(nil, nil, nil, b, l))
		}
		s.RetryAll.Show()
	})
}

// retry puts the rejected responses with these ids (nil: all) back in the
// outbox and asks for a sync; it is the admin's "Gửi lại" once the cause
// has been fixed at the hub.
func (s *Screen) retry(ids []string) {
	s.RetryAll.Disable()
	for _, b := range s.Retry {
		b.Disable()
	}
	s.d.Go(func() {
		n, err := s.d.Store.RetryRejected(s.ctx, ids)
		if err != nil {
			s.d.Log.Error("sync tab: retry rejected", "err", err)
		} else {
			s.d.Log.Info("sync: rejected responses sent again", "count", n)
			if rerr := s.d.Syncer.Refresh(s.ctx); rerr != nil {
				s.d.Log.Error("sync tab: refresh status", "err", rerr)
			}
			s.d.Syncer.SyncNow()
		}
		s.loadRejected()
		fyne.Do(func() {
			s.RetryAll.Enable()
			if err != nil {
				say(s.RetryMsg, s.tr.T("sync.error.storage"), widget.DangerImportance)
				return
			}
			say(s.RetryMsg, s.tr.T("sync.rejected.retried", map[string]any{"Count": n}), widget.SuccessImportance)
		})
	})
}

// reason translates a stored rejection reason by its code.
func (s *Screen) reason(it store.Rejected) string {
	code := client.ReasonCode(it.Reason)
	if t := s.tr.T("sync.reason." + code); t != "sync.reason."+code {
		return t
	}
	return s.tr.T("sync.reason.other", map[string]any{"Code": code})
}

// shortID is the last block of a UUID: enough for staff to tell rows apart.
func shortID(id string) string {
	if len(id) > 12 {
		return id[len(id)-12:]
	}
	return id
}
