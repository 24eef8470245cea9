package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// FeedbackInbox is the hub's feedback cases as the inbox uses them
// (hub.Hub is one): the store's cases and the opening of a sealed one.
type FeedbackInbox interface {
	FeedbackCases(ctx context.Context, f hub.FeedbackFilter) ([]hub.FeedbackCase, error)
	FeedbackCase(ctx context.Context, idOrCode string) (*hub.FeedbackCase, error)
	UpdateFeedback(ctx context.Context, id string, u hub.FeedbackUpdate) (*hub.FeedbackCase, error)
	// OpenFeedback returns a case's text, opening a sealed one with the
	// inspection key; the inbox calls it for inspectors only.
	OpenFeedback(ctx context.Context, c *hub.FeedbackCase) (string, error)
}

// Paths of the feedback pages: the inbox and a case (login), and a case's
// public page (no login, feedback.PathPrefix + code).
const (
	PathFeedback       = "/feedback"
	PathFeedbackCase   = "/feedback/{id}"
	PathFeedbackPublic = feedback.PathPrefix + "{code}"
	// PathFeedbackCSV answers the figures per service point as CSV.
	PathFeedbackCSV = "/feedback.csv"
)

// MaxReply is the longest reply the inbox takes, in characters.
const MaxReply = 4000

// Who sees what. Misconduct reports (sealed) are for inspectors only: an
// admin or viewer sees how many there are and nothing else, so that the
// desk's own staff never read a report about them. An inspector sees only
// the sealed cases. Admins act on the other cases, inspectors on the
// sealed ones; viewers only read.
func seesSealed(r hub.Role) bool { return r == hub.RoleInspector }

func mayAct(r hub.Role, c *hub.FeedbackCase) bool {
	if c.IsSealed() {
		return r == hub.RoleInspector
	}
	return r == hub.RoleAdmin
}

// caseRow is one case in the inbox, with its clocks.
type caseRow struct {
	ID, Code, Category, ServicePoint, State, StateLabel, Assignee string
	Received, AckBy, AnswerBy                                     string
	AckLate, AnswerLate                                           bool
	// Late is either clock overdue and still running (shown in red).
	Late bool
}

type feedbackView struct {
	Admin, CSRF  string
	Role         hub.Role
	Title        string
	Rows         []caseRow
	State, Point string
	States       []stateOption
	Points       []string
	SealedCount  int // misconduct reports, for roles that do not see them
	Inspector    bool
	Figures      []figureRow
	AnswerDays   int
	Error        string
}

type stateOption struct{ Value, Label string }

type figureRow struct {
	ServicePoint               string
	Received, Answered, OnTime int
	OnTimeShare, MedianAnswer  string
}

// stateLabel is a case state's name (sync area).
func (x *texts) stateLabel(s hub.FeedbackState) string {
	return x.sync.T("feedback.state." + string(s))
}

func (x *texts) categoryLabel(c string) string {
	return x.sync.T("feedback.category." + c)
}

// localTime is t on the office clock, to the minute.
func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(survey.Location()).Format("02/01/2006 15:04")
}

// feedbackRow builds an inbox row with its clocks as of now.
func (d *Dashboard) feedbackRow(x *texts, c *hub.FeedbackCase, now time.Time) caseRow {
	dl := d.cfg.FeedbackRules.Deadlines(c, now)
	row := caseRow{
		ID: c.ID, Code: feedbackCode(c.Code), Category: x.categoryLabel(c.Category), ServicePoint: c.ServicePoint,
		State: string(c.State), StateLabel: x.stateLabel(c.State), Assignee: c.Assignee,
		Received: localTime(c.ReceivedAt), AckBy: localTime(dl.AckBy), AnswerBy: localTime(dl.AnswerBy),
		AckLate: dl.AckLate, AnswerLate: dl.AnswerLate,
	}
	row.Late = dl.AckLate && c.AckAt.IsZero() || dl.AnswerLate && c.AnsweredAt.IsZero() && c.State != hub.FeedbackClosed
	return row
}

// feedbackCode is a stored compact code grouped for reading.
func feedbackCode(compact string) string {
	if c, err := feedback.ParseCode(compact); err == nil {
		return c.String()
	}
	return compact
}

// feedbackInbox lists the cases the admin's role may see, newest first,
// with the figures per service point.
func (d *Dashboard) feedbackInbox(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	q := r.URL.Query()
	v := feedbackView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, Inspector: seesSealed(sess.role),
		State: q.Get("state"), Point: strings.TrimSpace(q.Get("service_point")), AnswerDays: d.cfg.FeedbackRules.AnswerDays}
	x := d.tr(r)
	v.Title = x.T("web.feedback.title")
	if v.Inspector {
		v.Title = x.T("web.feedback.title_sealed")
	}
	for _, s := range hub.FeedbackStates {
		v.States = append(v.States, stateOption{string(s), x.stateLabel(s)})
	}
	status := http.StatusOK
	if v.State != "" && !hub.FeedbackState(v.State).Valid() {
		v.Error, v.State, status = x.T("web.feedback.bad_state", "State", v.State), "", http.StatusBadRequest
	}
	all, err := d.cfg.Feedback.FeedbackCases(ctx, hub.FeedbackFilter{})
	if err != nil {
		d.log.Error("feedback inbox", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.feedback.read_failed")
		return
	}
	now := d.now()
	seen := map[string]bool{}
	for i := range all {
		c := &all[i]
		if !seen[c.ServicePoint] {
			seen[c.ServicePoint] = true
			v.Points = append(v.Points, c.ServicePoint)
		}
		if c.IsSealed() != v.Inspector {
			if c.IsSealed() {
				v.SealedCount++
			}
			continue
		}
		if v.State != "" && string(c.State) != v.State || v.Point != "" && c.ServicePoint != v.Point {
			continue
		}
		v.Rows = append(v.Rows, d.feedbackRow(x, c, now))
	}
	// The figures count every case, sealed ones too: counts say nothing
	// of what a report says.
	for _, f := range d.cfg.FeedbackRules.FeedbackFigures(all, now) {
		v.Figures = append(v.Figures, figureRowOf(d.tr(r), f))
	}
	d.render(w, r, status, "inbox.html", v)
}

func figureRowOf(x *texts, f hub.FeedbackFigure) figureRow {
	row := figureRow{ServicePoint: f.ServicePoint, Received: f.Received, Answered: f.Answered, OnTime: f.OnTime, OnTimeShare: "—", MedianAnswer: "—"}
	if f.Answered > 0 {
		row.OnTimeShare = strconv.Itoa(f.OnTime*100/f.Answered) + "%"
		row.MedianAnswer = x.workingSpan(f.MedianAnswer)
	}
	return row
}

// workingSpan reads a working time in hours and minutes.
func (x *texts) workingSpan(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return x.T("web.span.minutes", "Minutes", m)
	case m == 0:
		return x.T("web.span.hours", "Hours", h)
	}
	return x.T("web.span.hours_minutes", "Hours", h, "Minutes", m)
}

// caseView is one case's page.
type caseView struct {
	Admin, CSRF       string
	Role              hub.Role
	Row               caseRow
	Text, Source      string
	Reply             string
	Public            bool
	Sealed            bool
	CanAct            bool
	States            []stateOption
	AckAt, AnsweredAt string
	PublicURL         string
	Error, Notice     string
}

// feedbackCase shows one case (GET) or applies an inbox action (POST).
func (d *Dashboard) feedbackCase(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	c, err := d.cfg.Feedback.FeedbackCase(ctx, r.PathValue("id"))
	if errors.Is(err, hub.ErrNotFound) || err == nil && c.ID != r.PathValue("id") {
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.feedback.not_found", "ID", r.PathValue("id"))
		return
	}
	if err != nil {
		d.log.Error("feedback case", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.feedback.read_failed")
		return
	}
	if c.IsSealed() != seesSealed(sess.role) {
		// A misconduct report is not even confirmed to other roles; an
		// inspector handles only those.
		d.log.Warn("refused: feedback case for another role", "admin", sess.admin, "role", sess.role, "id", c.ID)
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.feedback.not_found", "ID", r.PathValue("id"))
		return
	}
	v := caseView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, Sealed: c.IsSealed(), CanAct: mayAct(sess.role, c)}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if !v.CanAct {
			d.fail(w, r, http.StatusForbidden, "forbidden", "web.feedback.view_only", "Admin", sess.admin)
			return
		}
		updated, msg, st := d.applyFeedback(r, sess, c)
		if msg != "" {
			v.Error, status = msg, st
		} else {
			http.Redirect(w, r, PathFeedback+"/"+c.ID+"?saved=1", http.StatusSeeOther)
			return
		}
		if updated != nil {
			c = updated
		}
	}
	if r.URL.Query().Get("saved") == "1" {
		v.Notice = d.tr(r).T("web.feedback.saved")
	}
	text, err := d.cfg.Feedback.OpenFeedback(ctx, c)
	if errors.Is(err, hub.ErrFeedbackPurged) {
		// Nothing was opened, so nothing to record.
		text = d.tr(r).T("web.feedback.purged", "Day", c.TextPurgedAt.In(survey.Location()).Format("02/01/2006"))
	} else if err != nil {
		d.log.Error("open feedback", "id", c.ID, "err", err)
		text = d.tr(r).T("web.feedback.sealed_unreadable")
	} else if c.IsSealed() && r.Method == http.MethodGet && !d.audit(r, sess.admin, hub.AuditFeedbackView, url.Values{"id": {c.ID}, "code": {c.Code}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.feedback.open_audit_failed")
		return
	}
	v.Row, v.Text, v.Source, v.Reply, v.Public = d.feedbackRow(d.tr(r), c, d.now()), text, c.Source, c.Reply, c.Public
	v.AckAt, v.AnsweredAt = localTime(c.AckAt), localTime(c.AnsweredAt)
	v.PublicURL = d.hubURL(r) + feedback.PathPrefix + c.Code
	for _, s := range hub.FeedbackStates {
		v.States = append(v.States, stateOption{string(s), d.tr(r).stateLabel(s)})
	}
	d.render(w, r, status, "inbox_case.html", v)
}

// applyFeedback checks the form, records the action in the audit log and
// then applies it; a refusal comes back as a message and a status.
func (d *Dashboard) applyFeedback(r *http.Request, sess *session, c *hub.FeedbackCase) (*hub.FeedbackCase, string, int) {
	state := hub.FeedbackState(r.PostForm.Get("state"))
	assignee := strings.TrimSpace(r.PostForm.Get("assignee"))
	reply := strings.TrimSpace(r.PostForm.Get("reply"))
	public := r.PostForm.Get("public") == "1"
	switch {
	case !state.Valid():
		return nil, d.tr(r).T("web.feedback.state_missing"), http.StatusBadRequest
	case utf8.RuneCountInString(assignee) > protocol.MaxShortText:
		return nil, d.tr(r).T("web.feedback.handler_long"), http.StatusBadRequest
	case utf8.RuneCountInString(reply) > MaxReply:
		return nil, d.tr(r).T("web.feedback.reply_long", "Max", MaxReply), http.StatusBadRequest
	case state == hub.FeedbackAnswered && reply == "":
		return nil, d.tr(r).T("web.feedback.reply_missing"), http.StatusBadRequest
	case public && c.IsSealed():
		return nil, d.tr(r).T("web.feedback.sealed_private"), http.StatusBadRequest
	}
	details := url.Values{"id": {c.ID}, "code": {c.Code}, "state": {string(state)}, "assignee": {assignee},
		"public": {strconv.FormatBool(public)}, "reply_chars": {strconv.Itoa(utf8.RuneCountInString(reply))}}
	if !d.audit(r, sess.admin, hub.AuditFeedback, details) {
		return nil, d.tr(r).T("web.feedback.save_audit_failed"), http.StatusInternalServerError
	}
	updated, err := d.cfg.Feedback.UpdateFeedback(r.Context(), c.ID, hub.FeedbackUpdate{
		State: &state, Assignee: &assignee, Reply: &reply, Public: &public, At: d.now(),
	})
	if errors.Is(err, hub.ErrInvalidFeedback) {
		return nil, d.tr(r).T("web.feedback.invalid", "Err", err.Error()), http.StatusBadRequest
	}
	if err != nil {
		d.log.Error("update feedback", "id", c.ID, "err", err)
		return nil, d.tr(r).T("web.feedback.save_failed"), http.StatusInternalServerError
	}
	d.log.Info("feedback updated", "admin", sess.admin, "id", c.ID, "state", state)
	return updated, "", 0
}

// publicView is a case's public page.
type publicView struct {
	Code, StateLabel, State, Received string
	Reply                             string
	Found, Invalid                    bool
}

// feedbackPublic shows, without login, a case's state and the reply the
// hub marked public, given its code. It shows nothing the citizen did not
// write or the hub did not publish; a misconduct report shows its state
// only.
func (d *Dashboard) feedbackPublic(w http.ResponseWriter, r *http.Request) {
	v := publicView{Code: r.PathValue("code")}
	code, err := feedback.ParseCode(v.Code)
	status := http.StatusOK
	switch {
	case err != nil:
		v.Invalid, status = true, http.StatusNotFound
	default:
		v.Code = code.String()
		c, err := d.cfg.Feedback.FeedbackCase(r.Context(), code.Compact())
		switch {
		case errors.Is(err, hub.ErrNotFound) || err == nil && c.Code != code.Compact():
			status = http.StatusNotFound
		case err != nil:
			d.log.Error("public feedback page", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
			return
		default:
			v.Found, v.State, v.StateLabel, v.Received = true, string(c.State), d.tr(r).stateLabel(c.State), localTime(c.ReceivedAt)
			if c.Public && !c.IsSealed() {
				v.Reply = c.Reply
			}
		}
	}
	d.render(w, r, status, "case_public.html", v)
}

// feedbackCSV answers the feedback figures per service point as CSV
// (figuresCSV): the report's table of feedback, every case so far. The
// counts are always given; the median rests on the answered cases
// (report.SmallCell), as in the XLSX and on the board.
func (d *Dashboard) feedbackCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	cases, err := d.cfg.Feedback.FeedbackCases(r.Context(), hub.FeedbackFilter{})
	if err != nil {
		d.log.Error("feedback figures", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.feedback.read_failed")
		return
	}
	x := d.tr(r)
	t := figuresTable{Report: "feedback", File: "phan-anh", AuditFailed: "web.feedback.export_audit_failed",
		Header: []string{x.T("web.feedback.csv.point"), x.T("web.feedback.csv.received"), x.T("web.feedback.csv.answered"),
			x.T("web.feedback.csv.on_time"), x.T("web.feedback.csv.median")}}
	for _, f := range d.cfg.FeedbackRules.FeedbackFigures(cases, d.now()) {
		median := report.SmallCell(f.Answered, func() string { return strconv.FormatFloat(f.MedianAnswer.Hours(), 'f', 1, 64) })
		t.Rows = append(t.Rows, []string{f.ServicePoint, strconv.Itoa(f.Received), strconv.Itoa(f.Answered), strconv.Itoa(f.OnTime), median})
	}
	d.figuresCSV(w, r, sess, t)
}
