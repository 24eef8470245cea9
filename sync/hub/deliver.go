package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
)

// Backoff is the retry schedule of a delivery: after failed attempt n (from
// 1) the next is due First·2^(n-1), at most Max, times a jitter factor
// between 1-Jitter and 1+Jitter; after Attempts attempts it is failed.
type Backoff struct {
	First, Max time.Duration
	Jitter     float64
	Attempts   int
}

// DefaultBackoff retries for about a day: 30 s, 1 min, 2 min, ... up to
// 6 h, 12 attempts in all.
var DefaultBackoff = Backoff{First: 30 * time.Second, Max: 6 * time.Hour, Jitter: 0.2, Attempts: 12}

// Delay is the wait after failed attempt n, with jitter u in [0, 1).
func (b Backoff) Delay(n int, u float64) time.Duration {
	d := b.First
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return time.Duration(float64(d) * (1 - b.Jitter + 2*b.Jitter*u))
}

// DelivererConfig configures a Deliverer.
type DelivererConfig struct {
	// Store holds the outbox; required.
	Store WebhookStore
	// Client sends the requests; nil means one with a 15 s timeout that
	// follows no redirect.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand gives the jitter, in [0, 1); nil means math/rand/v2.
	Rand func() float64
	// Backoff is the retry schedule; zero means DefaultBackoff.
	Backoff Backoff
	// Lease is how long a claim holds a delivery (longer than a request
	// takes); zero means a minute.
	Lease time.Duration
	// Batch is how many deliveries one round claims; zero means 16.
	Batch int
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Deliverer sends the outbox's due deliveries. Any number of them, in any
// number of hub processes sharing the store, may run at once: the
// store's claims give each delivery to one.
type Deliverer struct {
	cfg      DelivererConfig
	wake     chan struct{}
	attempts *prometheus.CounterVec // kind, result
}

// Describe and Collect make the Deliverer a prometheus.Collector of
// hailong_hub_webhook_attempts_total (serve registers it on the hub's
// registry).
func (d *Deliverer) Describe(ch chan<- *prometheus.Desc) { d.attempts.Describe(ch) }

// Collect implements prometheus.Collector.
func (d *Deliverer) Collect(ch chan<- prometheus.Metric) { d.attempts.Collect(ch) }

// NewDeliverer returns a Deliverer over cfg.Store.
func NewDeliverer(cfg DelivererConfig) *Deliverer {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Backoff == (Backoff{}) {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 16
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Deliverer{cfg: cfg, wake: make(chan struct{}, 1), attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "hailong_hub_webhook_attempts_total",
		Help: "Webhook delivery attempts, by event kind and result (delivered, retry, failed).",
	}, []string{"kind", "result"})}
}

// Wake makes Run start a round now (events were enqueued); it never blocks.
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends: a round whenever Wake is called and at
// least every poll (which also picks up retries coming due, and what
// another hub process enqueued). after is the timer (time.After when nil).
func (d *Deliverer) Run(ctx context.Context, poll time.Duration, after func(time.Duration) <-chan time.Time) {
	if after == nil {
		after = time.After
	}
	for {
		for {
			n, err := d.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				d.cfg.Logger.Error("webhook deliveries", "err", err)
			}
			if n < d.cfg.Batch || err != nil {
				break // no more due now
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-after(poll):
		}
	}
}

// RunOnce claims up to a batch of due deliveries, sends them at once and
// records each result; it returns how many it claimed.
func (d *Deliverer) RunOnce(ctx context.Context) (int, error) {
	claimed, err := d.cfg.Store.ClaimDeliveries(ctx, d.cfg.Now().UTC(), d.cfg.Lease, d.cfg.Batch)
	if err != nil {
		return 0, fmt.Errorf("claim deliveries: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(claimed))
	for i := range claimed {
		wg.Go(func() { errs[i] = d.deliver(ctx, &claimed[i]) })
	}
	wg.Wait()
	return len(claimed), errors.Join(errs...)
}

// deliver sends one delivery and records the result.
func (d *Deliverer) deliver(ctx context.Context, c *ClaimedDelivery) error {
	status, sendErr := d.send(ctx, c)
	now := d.cfg.Now().UTC()
	r := DeliveryResult{At: now, Status: status, State: DeliveryDelivered}
	if sendErr != nil {
		r.Error = truncateUTF8(sendErr.Error(), 500)
		attempt := c.Attempts + 1
		if attempt >= d.cfg.Backoff.Attempts {
			r.State = DeliveryFailed
		} else {
			r.State = DeliveryPending
			r.NextAt = now.Add(d.cfg.Backoff.Delay(attempt, d.cfg.Rand()))
		}
	}
	if ctx.Err() != nil && sendErr != nil {
		// Stopping: leave the lease to run out, so that the attempt the
		// stop cut short does not count.
		return nil
	}
	if err := d.cfg.Store.FinishDelivery(context.WithoutCancel(ctx), c.ID, c.Lease, r); err != nil {
		return fmt.Errorf("delivery %d: %w", c.ID, err)
	}
	result := map[DeliveryState]string{DeliveryDelivered: "delivered", DeliveryPending: "retry", DeliveryFailed: "failed"}[r.State]
	d.attempts.WithLabelValues(string(c.Kind), result).Inc()
	log := d.cfg.Logger.With("delivery", c.ID, "event", c.EventID, "kind", c.Kind, "webhook", c.WebhookID, "attempt", c.Attempts+1, "status", status)
	switch r.State {
	case DeliveryDelivered:
		log.Info("webhook delivered")
	case DeliveryPending:
		log.Warn("webhook delivery failed, will retry", "err", sendErr, "next", r.NextAt)
	default:
		log.Error("webhook delivery failed for good", "err", sendErr)
	}
	return nil
}

// send POSTs the delivery's body, signed; a 2xx answer is success.
func (d *Deliverer) send(ctx context.Context, c *ClaimedDelivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Lease/2)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(c.Body))
	if err != nil {
		return 0, err
	}
	ts := d.cfg.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hailong-hub webhook")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, SignWebhook(c.Secret, ts, c.Body))
	req.Header.Set(HeaderEvent, string(c.Kind))
	req.Header.Set(HeaderEventID, c.EventID)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(c.ID, 10))
	resp, err := d.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	return resp.StatusCode, nil
}

// truncateUTF8 cuts s to at most n bytes on a character boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
