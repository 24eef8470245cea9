package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os/user"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// webhookAddCommand is `hailong-hub webhook add URL --events KINDS`: a new
// webhook, whose signing secret is printed once and never again
// (docs/webhooks.md).
type webhookAddCommand struct {
	url    string
	events string
	kinds  []hub.EventKind
}

func (c *webhookAddCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.events, "events", "alert", "the event kinds it receives, comma-separated: responses, feedback, alert, help_request")
}

func (c *webhookAddCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	u, err := hub.CheckWebhookURL(args[0])
	if err != nil {
		return fmt.Errorf("webhook add: địa chỉ không hợp lệ / invalid URL: %w", err)
	}
	if c.kinds, err = hub.ParseEventKinds(c.events); err != nil {
		return fmt.Errorf("webhook add --events: %w", err)
	}
	c.url = u
	return nil
}

// cliActor is who a command acts as, as the audit log names it.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}

func (c *webhookAddCommand) run(ctx context.Context, m *Main) error {
	w, err := hub.NewWebhook(c.url, c.kinds, cliActor(), time.Now())
	if err != nil {
		return fmt.Errorf("webhook add: %w", err)
	}
	if err := m.store.AddWebhook(ctx, *w); err != nil {
		return fmt.Errorf("webhook add: %w", err)
	}
	if err := m.audit(ctx, hub.AuditWebhookAdd, url.Values{"id": {w.ID}, "url": {w.URL}, "kinds": {hub.KindList(w.Kinds)}}); err != nil {
		return err
	}
	m.Logger.Info("webhook added", "webhook", w.ID, "url", w.URL, "kinds", hub.KindList(w.Kinds))
	fmt.Fprintf(m.Stdout, "Đã thêm webhook / Webhook added: %s\n  URL: %s\n  Sự kiện / events: %s\n", w.ID, w.URL, hub.KindList(w.Kinds))
	fmt.Fprintf(m.Stdout, "Khoá ký (chỉ hiện lần này, hãy lưu lại) / Signing secret (shown this once, keep it):\n  %s\n", w.Secret)
	return nil
}

// webhookListCommand is `hailong-hub webhook list`: the webhooks and the
// latest deliveries, never a secret.
type webhookListCommand struct{ deliveries int }

func (c *webhookListCommand) flags(fs *flag.FlagSet) {
	fs.IntVar(&c.deliveries, "deliveries", 20, "how many of the latest deliveries to list")
}

func (c *webhookListCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *webhookListCommand) run(ctx context.Context, m *Main) error {
	ws, err := m.store.Webhooks(ctx)
	if err != nil {
		return err
	}
	if len(ws) == 0 {
		fmt.Fprintln(m.Stdout, "Chưa có webhook nào: hailong-hub webhook add URL --events alert / No webhooks yet: hailong-hub webhook add URL --events alert")
		return nil
	}
	loc := survey.Location()
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tURL\tEVENTS\tADDED\tBY")
	for _, w := range ws {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.ID, w.URL, hub.KindList(w.Kinds), w.CreatedAt.In(loc).Format("2006-01-02 15:04"), w.CreatedBy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	ds, err := m.store.Deliveries(ctx, max(c.deliveries, 0))
	if err != nil || len(ds) == 0 {
		return err
	}
	fmt.Fprintln(m.Stdout)
	tw = tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DELIVERY\tEVENT\tWEBHOOK\tSTATE\tATTEMPTS\tLAST STATUS\tNEXT TRY\tLAST ERROR")
	for _, d := range ds {
		next := "-"
		if d.State == hub.DeliveryPending {
			next = d.NextAt.In(loc).Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", d.ID, d.Kind, d.WebhookID, d.State, d.Attempts, d.LastStatus, next, d.LastError)
	}
	return tw.Flush()
}

// webhookRemoveCommand is `hailong-hub webhook remove ID`.
type webhookRemoveCommand struct{ id string }

func (c *webhookRemoveCommand) flags(*flag.FlagSet) {}

func (c *webhookRemoveCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.id = args[0]
	return nil
}

func (c *webhookRemoveCommand) run(ctx context.Context, m *Main) error {
	var u string
	ws, err := m.store.Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if w.ID == c.id {
			u = w.URL
		}
	}
	if err := m.store.RemoveWebhook(ctx, c.id, time.Now()); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			return fmt.Errorf("không có webhook %q (xem hailong-hub webhook list) / no webhook %q (see hailong-hub webhook list)", c.id, c.id)
		}
		return err
	}
	if err := m.audit(ctx, hub.AuditWebhookRemove, url.Values{"id": {c.id}, "url": {u}}); err != nil {
		return err
	}
	m.Logger.Info("webhook removed", "webhook", c.id)
	fmt.Fprintf(m.Stdout, "Đã xoá webhook %s; các lần gửi còn chờ được đánh dấu thất bại. / Webhook %s removed; its pending deliveries are marked failed.\n", c.id, c.id)
	return nil
}

// webhookRetryCommand is `hailong-hub webhook retry DELIVERY`: a failed
// delivery is due again at once, its attempts counted from zero.
type webhookRetryCommand struct{ id int64 }

func (c *webhookRetryCommand) flags(*flag.FlagSet) {}

func (c *webhookRetryCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("webhook retry: %q không phải số lần gửi / is not a delivery number (see webhook list)", args[0])
	}
	c.id = id
	return nil
}

func (c *webhookRetryCommand) run(ctx context.Context, m *Main) error {
	if err := m.store.RetryDelivery(ctx, c.id, time.Now()); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			return fmt.Errorf("lần gửi %d không thất bại hoặc webhook đã bị xoá / delivery %d is not failed, or its webhook was removed", c.id, c.id)
		}
		return err
	}
	if err := m.audit(ctx, hub.AuditWebhookRetry, url.Values{"delivery": {strconv.FormatInt(c.id, 10)}}); err != nil {
		return err
	}
	m.Logger.Info("webhook delivery retried", "delivery", c.id)
	fmt.Fprintf(m.Stdout, "Lần gửi %d sẽ được gửi lại ngay khi máy chủ chạy (serve). / Delivery %d will be sent again as soon as the hub serves.\n", c.id, c.id)
	return nil
}
