package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Webhooks is what the webhooks page (role admin) reads and changes
// (hub.WebhookStore).
type Webhooks interface {
	AddWebhook(ctx context.Context, w hub.Webhook) error
	Webhooks(ctx context.Context) ([]hub.Webhook, error)
	RemoveWebhook(ctx context.Context, id string, at time.Time) error
	Deliveries(ctx context.Context, limit int) ([]hub.Delivery, error)
	RetryDelivery(ctx context.Context, id int64, at time.Time) error
}

// Alerts is what the alerts page reads (hub.WebhookStore.Alerts).
type Alerts interface {
	Alerts(ctx context.Context) ([]hub.Alert, error)
}

// Paths of the webhooks and alerts pages.
const (
	PathWebhooks       = "/webhooks"
	PathWebhooksAdd    = "/webhooks/add"
	PathWebhooksRemove = "/webhooks/remove"
	PathWebhooksRetry  = "/webhooks/retry"
	PathAlerts         = "/alerts"
)

// deliveryLogSize is how many of the latest deliveries the page lists.
const deliveryLogSize = 100

// kindLabels name the event kinds on the page.
var kindLabels = map[hub.EventKind]string{
	hub.EventResponses:   "Câu trả lời mới (mỗi lần kiosk tải lên; không kèm góp ý)",
	hub.EventFeedback:    "Phản ánh mới (không kèm nội dung; phản ánh nhũng nhiễu chỉ có mã)",
	hub.EventAlert:       "Cảnh báo (khi bật và khi hết)",
	hub.EventHelpRequest: "Yêu cầu hỗ trợ của người dân (khi có yêu cầu mới và khi có kết quả; không kèm ghi chú)",
}

var kindShort = map[hub.EventKind]string{
	hub.EventResponses: "Câu trả lời", hub.EventFeedback: "Phản ánh", hub.EventAlert: "Cảnh báo", hub.EventHelpRequest: "Yêu cầu hỗ trợ",
}

var deliveryLabels = map[hub.DeliveryState]string{
	hub.DeliveryPending: "Chờ gửi", hub.DeliveryDelivered: "Đã gửi", hub.DeliveryFailed: "Thất bại",
}

type kindOption struct {
	Value, Label string
	Checked      bool
}

type webhookRow struct {
	ID, URL, Kinds, Created, By string
}

type deliveryRow struct {
	ID                                 int64
	WebhookID                          string
	Kind, URL, Host, State, StateLabel string
	Attempts                           int
	LastStatus                         int
	LastError, NextTry                 string
}

type webhooksView struct {
	Admin, CSRF, Role string
	Kinds             []kindOption
	URL               string
	Webhooks          []webhookRow
	Deliveries        []deliveryRow
	Error             string
	// Added is the webhook just added, shown once with its secret.
	Added *hub.Webhook
}

func (d *Dashboard) webhooksView(ctx context.Context, sess *session, url string, checked []hub.EventKind) (webhooksView, error) {
	v := webhooksView{Admin: sess.admin, CSRF: sess.csrf, Role: roleLabel(sess.role), URL: url}
	for _, k := range hub.EventKinds {
		v.Kinds = append(v.Kinds, kindOption{Value: string(k), Label: kindLabels[k], Checked: slices.Contains(checked, k)})
	}
	ws, err := d.cfg.Webhooks.Webhooks(ctx)
	if err != nil {
		return v, err
	}
	for _, w := range ws {
		var names []string
		for _, k := range w.Kinds {
			names = append(names, kindShort[k])
		}
		v.Webhooks = append(v.Webhooks, webhookRow{ID: w.ID, URL: w.URL, Kinds: strings.Join(names, ", "), Created: localTime(w.CreatedAt), By: w.CreatedBy})
	}
	ds, err := d.cfg.Webhooks.Deliveries(ctx, deliveryLogSize)
	if err != nil {
		return v, err
	}
	for _, x := range ds {
		row := deliveryRow{ID: x.ID, WebhookID: x.WebhookID, Kind: kindShort[x.Kind], URL: x.URL, Host: hostOf(x.URL), State: string(x.State), StateLabel: deliveryLabels[x.State],
			Attempts: x.Attempts, LastStatus: x.LastStatus, LastError: x.LastError}
		if x.State == hub.DeliveryPending {
			row.NextTry = localTime(x.NextAt)
		}
		v.Deliveries = append(v.Deliveries, row)
	}
	return v, nil
}

// webhooksPage lists the webhooks and the delivery log, with the form to
// add one (role admin).
func (d *Dashboard) webhooksPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := d.webhooksView(r.Context(), sess, "", []hub.EventKind{hub.EventAlert})
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
		v.Error = "Lỗi máy chủ: không đọc được danh sách webhook."
		d.render(w, http.StatusInternalServerError, "webhooks.html", v)
		return
	}
	d.render(w, http.StatusOK, "webhooks.html", v)
}

// addWebhook adds a webhook and shows its secret, once.
func (d *Dashboard) addWebhook(w http.ResponseWriter, r *http.Request, sess *session) {
	raw := strings.TrimSpace(r.PostForm.Get("url"))
	var kinds []hub.EventKind
	for _, k := range r.PostForm["kind"] {
		if hub.EventKind(k).Valid() {
			kinds = append(kinds, hub.EventKind(k))
		}
	}
	var msg string
	if _, err := hub.CheckWebhookURL(raw); err != nil {
		msg = "Địa chỉ không hợp lệ: hãy nhập một địa chỉ http:// hoặc https:// đầy đủ, không kèm tên đăng nhập hay mật khẩu."
	} else if len(kinds) == 0 {
		msg = "Hãy chọn ít nhất một loại sự kiện."
	}
	hook, err := hub.NewWebhook(raw, kinds, sess.admin, d.now())
	if msg == "" && err != nil {
		msg = "Không tạo được webhook: " + err.Error()
	}
	if msg == "" {
		if err := d.cfg.Webhooks.AddWebhook(r.Context(), *hook); err != nil {
			d.log.Error("webhooks: add", "err", err)
			jsonError(w, http.StatusInternalServerError, "internal", "Lỗi máy chủ: chưa thêm được webhook. Vui lòng thử lại sau.")
			return
		}
		if !d.audit(r, sess.admin, hub.AuditWebhookAdd, url.Values{"id": {hook.ID}, "url": {hook.URL}, "kinds": {hub.KindList(hook.Kinds)}}) {
			jsonError(w, http.StatusInternalServerError, "internal", "Đã thêm webhook "+hook.ID+" nhưng không ghi được nhật ký quản trị. Hãy xoá nó và báo quản trị máy chủ.")
			return
		}
		d.log.Info("webhook added from the dashboard", "admin", sess.admin, "webhook", hook.ID, "url", hook.URL)
	}
	status := http.StatusOK
	v, err := d.webhooksView(r.Context(), sess, raw, kinds)
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
	}
	if msg != "" {
		v.Error, status = msg, http.StatusBadRequest
	} else {
		v.Added, v.URL = hook, ""
		v.Kinds = nil
		for _, k := range hub.EventKinds {
			v.Kinds = append(v.Kinds, kindOption{Value: string(k), Label: kindLabels[k], Checked: k == hub.EventAlert})
		}
	}
	d.render(w, status, "webhooks.html", v)
}

// removeWebhook removes a webhook; its pending deliveries fail.
func (d *Dashboard) removeWebhook(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PostForm.Get("id")
	ws, err := d.cfg.Webhooks.Webhooks(r.Context())
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
		jsonError(w, http.StatusInternalServerError, "internal", "Lỗi máy chủ. Vui lòng thử lại sau.")
		return
	}
	i := slices.IndexFunc(ws, func(x hub.Webhook) bool { return x.ID == id })
	if i < 0 {
		jsonError(w, http.StatusNotFound, protocol.CodeNotFound, fmt.Sprintf("Không có webhook %q.", id))
		return
	}
	if !d.audit(r, sess.admin, hub.AuditWebhookRemove, url.Values{"id": {id}, "url": {ws[i].URL}}) {
		jsonError(w, http.StatusInternalServerError, "internal", "Không ghi được nhật ký quản trị: webhook chưa bị xoá.")
		return
	}
	if err := d.cfg.Webhooks.RemoveWebhook(r.Context(), id, d.now()); err != nil && !errors.Is(err, hub.ErrNotFound) {
		d.log.Error("webhooks: remove", "err", err)
		jsonError(w, http.StatusInternalServerError, "internal", "Lỗi máy chủ: chưa xoá được webhook. Vui lòng thử lại sau.")
		return
	}
	d.log.Info("webhook removed from the dashboard", "admin", sess.admin, "webhook", id)
	http.Redirect(w, r, PathWebhooks, http.StatusSeeOther)
}

// retryDelivery makes a failed delivery pending again, due now.
func (d *Dashboard) retryDelivery(w http.ResponseWriter, r *http.Request, sess *session) {
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err != nil {
		jsonError(w, http.StatusBadRequest, protocol.CodeInvalid, "Số lần gửi không hợp lệ.")
		return
	}
	switch err := d.cfg.Webhooks.RetryDelivery(r.Context(), id, d.now()); {
	case errors.Is(err, hub.ErrNotFound):
		jsonError(w, http.StatusNotFound, protocol.CodeNotFound, fmt.Sprintf("Lần gửi %d không ở trạng thái thất bại, hoặc webhook của nó đã bị xoá.", id))
		return
	case err != nil:
		d.log.Error("webhooks: retry", "err", err)
		jsonError(w, http.StatusInternalServerError, "internal", "Lỗi máy chủ: chưa gửi lại được. Vui lòng thử lại sau.")
		return
	}
	if !d.audit(r, sess.admin, hub.AuditWebhookRetry, url.Values{"delivery": {strconv.FormatInt(id, 10)}, "webhook": {r.PostForm.Get("webhook")}}) {
		jsonError(w, http.StatusInternalServerError, "internal", fmt.Sprintf("Lần gửi %d sẽ được gửi lại, nhưng không ghi được nhật ký quản trị. Hãy báo quản trị máy chủ.", id))
		return
	}
	d.log.Info("webhook delivery retried from the dashboard", "admin", sess.admin, "delivery", id)
	http.Redirect(w, r, PathWebhooks, http.StatusSeeOther)
}

// ruleLabels name the alert rules on the page; a new rule kind adds its
// name here and its line in alerts.html.
var ruleLabels = map[string]string{
	hub.RuleDissatisfiedShare: "Tỷ lệ không hài lòng",
	hub.RuleHelpWait:          "Yêu cầu hỗ trợ chờ lâu",
}

type alertRow struct {
	Rule, RuleLabel, Subject, ServicePoint string
	Active                                 bool
	// Suppressed is set when the window holds fewer than hub.MinCell
	// answers: no figure is shown.
	Suppressed                    bool
	Answers, Dissatisfied, Window int
	// Waited and Limit are the help wait rule's minutes.
	Waited, Limit                  int
	Share, Threshold, Since, Check string
}

type alertsView struct {
	Admin, CSRF, Role string
	Active, Calm      []alertRow
	MinCell           int
	Error             string
}

// percent is a share as the pages write it ("35 %").
func percent(f float64) string { return fmt.Sprintf("%.0f %%", f*100) }

func alertRowOf(a hub.Alert) alertRow {
	f := a.Figures
	row := alertRow{Rule: a.Rule, RuleLabel: ruleLabels[a.Rule], Subject: a.Subject, ServicePoint: a.ServicePoint, Active: a.Active,
		Answers: f.Answers, Dissatisfied: f.Dissatisfied, Window: f.Window, Share: percent(f.Share), Threshold: percent(f.Threshold),
		Since: localTime(a.Since), Check: localTime(a.At), Waited: f.WaitedMinutes, Limit: f.LimitMinutes}
	if row.RuleLabel == "" {
		row.RuleLabel = a.Rule
	}
	row.Suppressed = a.Rule == hub.RuleDissatisfiedShare && f.Answers < hub.MinCell
	return row
}

// alertsPage shows every alert rule's findings, the active ones first.
func (d *Dashboard) alertsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v := alertsView{Admin: sess.admin, CSRF: sess.csrf, Role: roleLabel(sess.role), MinCell: hub.MinCell}
	as, err := d.cfg.Alerts.Alerts(r.Context())
	if err != nil {
		d.log.Error("alerts: load", "err", err)
		v.Error = "Lỗi máy chủ: không đọc được các cảnh báo."
		d.render(w, http.StatusInternalServerError, "alerts.html", v)
		return
	}
	for _, a := range as {
		switch {
		case a.Active:
			v.Active = append(v.Active, alertRowOf(a))
		case a.Rule == hub.RuleHelpWait:
			// A help request's cleared alert is history: its outcome is
			// on /help.
		default:
			v.Calm = append(v.Calm, alertRowOf(a))
		}
	}
	d.render(w, http.StatusOK, "alerts.html", v)
}

// hostOf is a URL's host, which names a webhook in the delivery log.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
