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

// kindLabels name the event kinds on the page, kindShort in the tables,
// deliveryLabels the deliveries' states (keys of the web area).
var kindLabels = map[hub.EventKind]string{
	hub.EventResponses:   "web.webhooks.kind.responses",
	hub.EventFeedback:    "web.webhooks.kind.feedback",
	hub.EventAlert:       "web.webhooks.kind.alert",
	hub.EventHelpRequest: "web.webhooks.kind.help",
}

var kindShort = map[hub.EventKind]string{
	hub.EventResponses: "web.webhooks.short.responses", hub.EventFeedback: "web.webhooks.short.feedback",
	hub.EventAlert: "web.webhooks.short.alert", hub.EventHelpRequest: "web.webhooks.short.help",
}

var deliveryLabels = map[hub.DeliveryState]string{
	hub.DeliveryPending: "web.webhooks.delivery.pending", hub.DeliveryDelivered: "web.webhooks.delivery.delivered",
	hub.DeliveryFailed: "web.webhooks.delivery.failed",
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
	Admin, CSRF string
	Role        hub.Role
	Kinds       []kindOption
	URL         string
	Webhooks    []webhookRow
	Deliveries  []deliveryRow
	Error       string
	// Added is the webhook just added, shown once with its secret.
	Added *hub.Webhook
}

func (d *Dashboard) webhooksView(ctx context.Context, tx *texts, sess *session, url string, checked []hub.EventKind) (webhooksView, error) {
	v := webhooksView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, URL: url}
	for _, k := range hub.EventKinds {
		v.Kinds = append(v.Kinds, kindOption{Value: string(k), Label: tx.T(kindLabels[k]), Checked: slices.Contains(checked, k)})
	}
	ws, err := d.cfg.Webhooks.Webhooks(ctx)
	if err != nil {
		return v, err
	}
	for _, w := range ws {
		var names []string
		for _, k := range w.Kinds {
			names = append(names, tx.T(kindShort[k]))
		}
		v.Webhooks = append(v.Webhooks, webhookRow{ID: w.ID, URL: w.URL, Kinds: strings.Join(names, ", "), Created: localTime(w.CreatedAt), By: w.CreatedBy})
	}
	ds, err := d.cfg.Webhooks.Deliveries(ctx, deliveryLogSize)
	if err != nil {
		return v, err
	}
	for _, x := range ds {
		row := deliveryRow{ID: x.ID, WebhookID: x.WebhookID, Kind: tx.T(kindShort[x.Kind]), URL: x.URL, Host: hostOf(x.URL), State: string(x.State), StateLabel: tx.T(deliveryLabels[x.State]),
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
	v, err := d.webhooksView(r.Context(), d.tr(r), sess, "", []hub.EventKind{hub.EventAlert})
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
		v.Error = d.tr(r).T("web.webhooks.read_failed")
		d.render(w, r, http.StatusInternalServerError, "webhooks.html", v)
		return
	}
	d.render(w, r, http.StatusOK, "webhooks.html", v)
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
		msg = d.tr(r).T("web.webhooks.bad_url")
	} else if len(kinds) == 0 {
		msg = d.tr(r).T("web.webhooks.no_events")
	}
	hook, err := hub.NewWebhook(raw, kinds, sess.admin, d.now())
	if msg == "" && err != nil {
		msg = d.tr(r).T("web.webhooks.invalid", "Err", err.Error())
	}
	if msg == "" {
		if err := d.cfg.Webhooks.AddWebhook(r.Context(), *hook); err != nil {
			d.log.Error("webhooks: add", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.add_failed")
			return
		}
		if !d.audit(r, sess.admin, hub.AuditWebhookAdd, url.Values{"id": {hook.ID}, "url": {hook.URL}, "kinds": {hub.KindList(hook.Kinds)}}) {
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.add_audit_failed", "ID", hook.ID)
			return
		}
		d.log.Info("webhook added from the dashboard", "admin", sess.admin, "webhook", hook.ID, "url", hook.URL)
	}
	status := http.StatusOK
	v, err := d.webhooksView(r.Context(), d.tr(r), sess, raw, kinds)
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
	}
	if msg != "" {
		v.Error, status = msg, http.StatusBadRequest
	} else {
		v.Added, v.URL = hook, ""
		v.Kinds = nil
		for _, k := range hub.EventKinds {
			v.Kinds = append(v.Kinds, kindOption{Value: string(k), Label: d.tr(r).T(kindLabels[k]), Checked: k == hub.EventAlert})
		}
	}
	d.render(w, r, status, "webhooks.html", v)
}

// removeWebhook removes a webhook; its pending deliveries fail.
func (d *Dashboard) removeWebhook(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PostForm.Get("id")
	ws, err := d.cfg.Webhooks.Webhooks(r.Context())
	if err != nil {
		d.log.Error("webhooks: load", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
		return
	}
	i := slices.IndexFunc(ws, func(x hub.Webhook) bool { return x.ID == id })
	if i < 0 {
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.webhooks.not_found", "ID", strconv.Quote(id))
		return
	}
	if !d.audit(r, sess.admin, hub.AuditWebhookRemove, url.Values{"id": {id}, "url": {ws[i].URL}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.remove_audit_failed")
		return
	}
	if err := d.cfg.Webhooks.RemoveWebhook(r.Context(), id, d.now()); err != nil && !errors.Is(err, hub.ErrNotFound) {
		d.log.Error("webhooks: remove", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.remove_failed")
		return
	}
	d.log.Info("webhook removed from the dashboard", "admin", sess.admin, "webhook", id)
	http.Redirect(w, r, PathWebhooks, http.StatusSeeOther)
}

// retryDelivery makes a failed delivery pending again, due now.
func (d *Dashboard) retryDelivery(w http.ResponseWriter, r *http.Request, sess *session) {
	id, err := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, protocol.CodeInvalid, "web.webhooks.bad_delivery")
		return
	}
	switch err := d.cfg.Webhooks.RetryDelivery(r.Context(), id, d.now()); {
	case errors.Is(err, hub.ErrNotFound):
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.webhooks.not_failed", "ID", id)
		return
	case err != nil:
		d.log.Error("webhooks: retry", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.retry_failed")
		return
	}
	if !d.audit(r, sess.admin, hub.AuditWebhookRetry, url.Values{"delivery": {strconv.FormatInt(id, 10)}, "webhook": {r.PostForm.Get("webhook")}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.webhooks.retry_audit_failed", "ID", id)
		return
	}
	d.log.Info("webhook delivery retried from the dashboard", "admin", sess.admin, "delivery", id)
	http.Redirect(w, r, PathWebhooks, http.StatusSeeOther)
}

// ruleLabels name the alert rules on the page (keys of the web area); a
// new rule kind adds its name here and its line in alerts.html.
var ruleLabels = map[string]string{
	hub.RuleDissatisfiedShare: "web.alerts.rule.dissatisfied",
	hub.RuleHelpWait:          "web.alerts.rule.help_wait",
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
	Admin, CSRF  string
	Role         hub.Role
	Active, Calm []alertRow
	MinCell      int
	Error        string
}

// percent is a share as the pages write it ("35 %").
func percent(f float64) string { return fmt.Sprintf("%.0f %%", f*100) }

func alertRowOf(x *texts, a hub.Alert) alertRow {
	f := a.Figures
	row := alertRow{Rule: a.Rule, RuleLabel: a.Rule, Subject: a.Subject, ServicePoint: a.ServicePoint, Active: a.Active,
		Answers: f.Answers, Dissatisfied: f.Dissatisfied, Window: f.Window, Share: percent(f.Share), Threshold: percent(f.Threshold),
		Since: localTime(a.Since), Check: localTime(a.At), Waited: f.WaitedMinutes, Limit: f.LimitMinutes}
	if k, ok := ruleLabels[a.Rule]; ok {
		row.RuleLabel = x.T(k)
	}
	row.Suppressed = a.Rule == hub.RuleDissatisfiedShare && f.Answers < hub.MinCell
	return row
}

// alertsPage shows every alert rule's findings, the active ones first.
func (d *Dashboard) alertsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v := alertsView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, MinCell: hub.MinCell}
	as, err := d.cfg.Alerts.Alerts(r.Context())
	if err != nil {
		d.log.Error("alerts: load", "err", err)
		v.Error = d.tr(r).T("web.alerts.read_failed")
		d.render(w, r, http.StatusInternalServerError, "alerts.html", v)
		return
	}
	for _, a := range as {
		switch {
		case a.Active:
			v.Active = append(v.Active, alertRowOf(d.tr(r), a))
		case a.Rule == hub.RuleHelpWait:
			// A help request's cleared alert is history: its outcome is
			// on /help.
		default:
			v.Calm = append(v.Calm, alertRowOf(d.tr(r), a))
		}
	}
	d.render(w, r, http.StatusOK, "alerts.html", v)
}

// hostOf is a URL's host, which names a webhook in the delivery log.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
