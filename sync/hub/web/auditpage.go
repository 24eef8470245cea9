package web

import (
	"context"
	"encoding/csv"
	"encoding/hex"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// AuditLog reads the audit log (hub.Store.AuditLog).
type AuditLog interface {
	AuditLog(ctx context.Context) iter.Seq2[hub.AuditEntry, error]
}

// auditPageRows is how many entries the audit page shows, newest first;
// the CSV has them all.
const auditPageRows = 500

// auditActionLabels name the actions on the page (keys of the web area),
// in the order of its filter.
var auditActionLabels = []option{
	{Value: hub.AuditLogin, Label: "web.audit.action.login"},
	{Value: hub.AuditLoginFailed, Label: "web.audit.action.login_failed"},
	{Value: hub.AuditExport, Label: "web.audit.action.export"},
	{Value: hub.AuditDeviceEnroll, Label: "web.audit.action.device_enroll"},
	{Value: hub.AuditDeviceRevoke, Label: "web.audit.action.device_revoke"},
	{Value: hub.AuditSurveyPublish, Label: "web.audit.action.survey_publish"},
	{Value: hub.AuditAdminAdd, Label: "web.audit.action.admin_add"},
	{Value: hub.AuditAdminPassword, Label: "web.audit.action.admin_password"},
	{Value: hub.AuditAdminRemove, Label: "web.audit.action.admin_remove"},
	{Value: hub.AuditImport, Label: "web.audit.action.import"},
	{Value: hub.AuditSlipsPrint, Label: "web.audit.action.slips_print"},
	{Value: hub.AuditWebhookAdd, Label: "web.audit.action.webhook_add"},
	{Value: hub.AuditWebhookRemove, Label: "web.audit.action.webhook_remove"},
	{Value: hub.AuditWebhookRetry, Label: "web.audit.action.webhook_retry"},
	{Value: hub.AuditSlidesPublish, Label: "web.audit.action.slides_publish"},
	{Value: hub.AuditPurge, Label: "web.audit.action.purge"},
}

func auditActionLabel(x *texts, action string) string {
	for _, o := range auditActionLabels {
		if o.Value == action {
			return x.T(o.Label)
		}
	}
	return action
}

type auditRow struct {
	Seq                              int64
	At, Actor, Action, Addr, Details string
}

type auditView struct {
	Admin, CSRF   string
	Role          hub.Role
	Actions       []option
	Actor, Action string
	Rows          []auditRow
	Matched       int
	CSV           string
	Error         string
}

// auditMatch reports whether e passes the page's filters: action exactly,
// actor as a case- and diacritic-insensitive substring.
func auditMatch(e *hub.AuditEntry, action, actor string) bool {
	return (action == "" || e.Action == action) && (actor == "" || strings.Contains(fold(e.Actor), fold(actor)))
}

// auditPage lists the newest entries matching the filters (role admin:
// the log names who logged in from where).
func (d *Dashboard) auditPage(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	v := auditView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, Actor: strings.TrimSpace(q.Get("actor")), Action: q.Get("action")}
	x := d.tr(r)
	v.Actions = append(v.Actions, option{Value: "", Label: x.T("web.all"), Selected: v.Action == ""})
	for _, o := range auditActionLabels {
		o.Selected, o.Label = o.Value == v.Action, x.T(o.Label)
		v.Actions = append(v.Actions, o)
	}
	v.CSV = "/audit.csv?" + q.Encode()
	loc := survey.Location()
	for e, err := range d.cfg.AuditLog.AuditLog(r.Context()) {
		if err != nil {
			d.log.Error("audit page: read", "err", err)
			v.Error = d.tr(r).T("web.audit.error")
			d.render(w, r, http.StatusInternalServerError, "audit.html", v)
			return
		}
		if !auditMatch(&e, v.Action, v.Actor) {
			continue
		}
		v.Matched++
		v.Rows = append(v.Rows, auditRow{Seq: e.Seq, At: e.At.In(loc).Format("02/01/2006 15:04:05"), Actor: e.Actor,
			Action: auditActionLabel(x, e.Action), Addr: e.Addr, Details: detailsText(e.Details)})
		if len(v.Rows) > 2*auditPageRows { // keep the newest only
			v.Rows = slices.Delete(v.Rows, 0, len(v.Rows)-auditPageRows)
		}
	}
	if len(v.Rows) > auditPageRows {
		v.Rows = v.Rows[len(v.Rows)-auditPageRows:]
	}
	slices.Reverse(v.Rows)
	d.render(w, r, http.StatusOK, "audit.html", v)
}

// detailsText shows stored details (a URL query) as "key: value" pairs.
func detailsText(details string) string {
	var parts []string
	for _, kv := range strings.Split(details, "&") {
		if kv == "" {
			continue
		}
		k, val, _ := strings.Cut(kv, "=")
		if u, err := url.QueryUnescape(k); err == nil {
			k = u
		}
		if u, err := url.QueryUnescape(val); err == nil {
			val = u
		}
		parts = append(parts, k+": "+val)
	}
	return strings.Join(parts, ", ")
}

// auditCSV streams every entry matching the filters, oldest first, with
// its hash, so the file can be checked against `hailong-hub audit verify`.
func (d *Dashboard) auditCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	action, actor := q.Get("action"), strings.TrimSpace(q.Get("actor"))
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="nhat-ky-quan-tri.csv"`)
	h.Set("Cache-Control", "no-store")
	w.Write([]byte("\xef\xbb\xbf")) // Excel reads UTF-8 only after a byte order mark
	cw := csv.NewWriter(w)
	cw.Write([]string{"seq", "at", "actor", "action", "addr", "details", "hash"})
	for e, err := range d.cfg.AuditLog.AuditLog(r.Context()) {
		if err != nil {
			d.log.Error("audit CSV: read", "admin", sess.admin, "err", err)
			panic(http.ErrAbortHandler) // a cut file must not look complete
		}
		if !auditMatch(&e, action, actor) {
			continue
		}
		cw.Write([]string{itoa(int(e.Seq)), e.At.UTC().Format(protocol.TimeFormat), export.Guard(e.Actor), e.Action, e.Addr, export.Guard(e.Details), hex.EncodeToString(e.Hash[:])})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		d.log.Error("audit CSV: write", "admin", sess.admin, "err", err)
	}
}
