package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/web"
)

// shutdownTimeout bounds the graceful shutdown: in-flight batches finish
// and are answered; new connections are refused.
const shutdownTimeout = 30 * time.Second

// serveCommand is `hailong-hub serve`: the sync API, the dashboard and the
// metrics on one listener, until Close.
type serveCommand struct {
	listen        string
	tlsCert       string
	tlsKey        string
	secureCookies bool          // Secure attribute on dashboard cookies
	writeTimeout  time.Duration // http.Server.WriteTimeout
	trustedProxy  string        // --trusted-proxy as typed
	publicURL     string        // --public-url: the address phones open
	kioskURL      string        // --kiosk-url: the address kiosks reach the hub at
	proxies       []netip.Prefix
	keep          retentionFlags
	feedback      feedbackFlags
	purge         *purgeSchedule // nil without a retention period
	alertWindow   int            // --alert-window
	alertShare    float64        // --alert-threshold
	alertMin      int            // --alert-min-answers
	alertHelpWait time.Duration  // --alert-help-wait; 0: no help wait rule
	webhooks      *webhookRunner // the deliverer and the alert sweep, once configured

	server *http.Server
	ln     net.Listener
	served chan error // Serve's result
}

func (c *serveCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key serves HTTPS")
	fs.StringVar(&c.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	fs.BoolVar(&c.secureCookies, "secure-cookies", false, "mark dashboard cookies Secure (default: true with --tls-cert; set it behind a TLS proxy)")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 2*time.Minute, "longest time to answer one request (exports are exempt)")
	fs.StringVar(&c.trustedProxy, "trusted-proxy", "", "reverse proxy `ADDRESSES` (IPs or CIDRs, comma-separated) whose X-Forwarded-For names the client")
	fs.StringVar(&c.publicURL, "public-url", "", "address citizens' phones reach the hub at (`URL`), put in the QR codes of slips printed from the dashboard (default: the address the admin's browser used) and given to kiosks at enrollment for the receipts line of their thank-you screen")
	fs.StringVar(&c.kioskURL, "kiosk-url", "", "address kiosks reach the hub at (`URL`), put in the dashboard's enrollment QR codes (default: the address the admin's browser used)")
	c.feedback.flags(fs)
	fs.IntVar(&c.alertWindow, "alert-window", hub.DefaultAlertWindow, "the alert looks at each service point's last `N` rated answers")
	fs.Float64Var(&c.alertShare, "alert-threshold", hub.DefaultAlertThreshold, "alert when the dissatisfied share of those answers passes this `SHARE` (0.3 = 30 %)")
	fs.IntVar(&c.alertMin, "alert-min-answers", hub.MinCell, "no alert on fewer than `N` answers (never fewer than 5)")
	fs.DurationVar(&c.alertHelpWait, "alert-help-wait", hub.DefaultAlertHelpWait, "alert when a staff help request waits longer than `DURATION` (at least 1m; 0 for no such alert)")
	c.keep.flags(fs)
}

func (c *serveCommand) parse(name string, args []string, given func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if err := c.keep.parse(name); err != nil {
		return err
	}
	switch {
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return errors.New("serve: --tls-cert and --tls-key go together")
	case c.writeTimeout <= 0:
		return errors.New("serve: --write-timeout must be positive")
	case c.publicURL != "" && !strings.HasPrefix(c.publicURL, "http://") && !strings.HasPrefix(c.publicURL, "https://"):
		return fmt.Errorf("serve: --public-url %q must start with http:// or https://", c.publicURL)
	case c.kioskURL != "" && !strings.HasPrefix(c.kioskURL, "http://") && !strings.HasPrefix(c.kioskURL, "https://"):
		return fmt.Errorf("serve: --kiosk-url %q must start with http:// or https://", c.kioskURL)
	case c.trustedProxy != "":
		var err error
		if c.proxies, err = web.ParseTrustedProxies(c.trustedProxy); err != nil {
			return fmt.Errorf("serve: --trusted-proxy: %w", err)
		}
	}
	if err := c.feedback.parse("serve"); err != nil {
		return err
	}
	if !given("secure-cookies") {
		c.secureCookies = c.tlsCert != ""
	}
	if err := hub.CheckDissatisfiedShare(c.alertWindow, c.alertShare, c.alertMin); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if c.alertHelpWait != 0 {
		if err := hub.CheckHelpWait(c.alertHelpWait); err != nil {
			return fmt.Errorf("serve: --alert-help-wait: %w", err)
		}
	}
	return nil
}

// configureHub gives the hub serve's alert rules and receipts page, and
// wakes the webhook deliverer when the hub enqueues events.
func (c *serveCommand) configureHub(cfg *hub.Config) {
	if c.publicURL != "" {
		cfg.ReceiptsURL = strings.TrimRight(c.publicURL, "/") + web.PathReceipts
	}
	c.webhooks = &webhookRunner{}
	cfg.AlertRules = []hub.AlertRule{&hub.DissatisfiedShare{Source: cfg.Store, Window: c.alertWindow, Threshold: c.alertShare, MinAnswers: max(c.alertMin, hub.MinCell)}}
	if c.alertHelpWait > 0 {
		cfg.AlertRules = append(cfg.AlertRules, &hub.HelpWait{Source: cfg.Store, Limit: c.alertHelpWait})
	}
	c.webhooks.deliverer = hub.NewDeliverer(hub.DelivererConfig{Store: cfg.Store, Logger: cfg.Logger.With("part", "webhooks")})
	cfg.EventsQueued = c.webhooks.deliverer.Wake
}

func (c *serveCommand) run(ctx context.Context, m *Main) error {
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.listen, err)
	}
	dash, err := web.New(web.Config{
		Data:           m.store,
		Accounts:       m.store,
		Audit:          m.store,
		AuditLog:       m.store,
		Devices:        m.hub,
		Publish:        m.hub,
		Receipts:       m.store,
		Files:          m.store,
		Slips:          m.hub,
		Phone:          m.hub,
		PublicURL:      strings.TrimRight(c.publicURL, "/"),
		HubURL:         strings.TrimRight(c.kioskURL, "/"),
		SlideSets:      m.hub,
		SlipPrints:     m.store,
		Feedback:       m.hub,
		Help:           m.hub,
		Webhooks:       m.store,
		Alerts:         m.store,
		FeedbackRules:  c.feedback.rules,
		Surveys:        func(ctx context.Context) ([]*survey.Survey, error) { return hub.ParsedSurveys(ctx, m.store) },
		Logger:         m.Logger.With("part", "dashboard"),
		SecureCookies:  c.secureCookies,
		TrustedProxies: c.proxies,
	})
	if err != nil {
		ln.Close()
		return err
	}
	// The dashboard's paths go to it, everything else (the sync API,
	// /healthz, /metrics and JSON 404s) to the hub.
	mux := http.NewServeMux()
	for _, p := range web.Routes() {
		mux.Handle(p, dash)
	}
	mux.Handle("/", m.hub)
	c.ln = ln
	c.server = &http.Server{
		// Headers over hub.MaxHeaderBytes get a JSON 431 from LimitHeaders;
		// the server's own, larger limit only stops abuse (its 431 is text).
		Handler:           hub.LimitHeaders(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // 4 MiB over a slow 3G link
		// Exports clear their own write deadline (web's export handler), so
		// a million rows stream past this.
		WriteTimeout:   c.writeTimeout,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	c.served = make(chan error, 1)
	scheme := "http"
	if c.tlsCert != "" {
		scheme = "https"
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			ln.Close()
			c.server = nil
			return fmt.Errorf("load TLS key pair: %w", err)
		}
		c.server.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		go func() { c.served <- c.server.ServeTLS(ln, "", "") }()
	} else {
		go func() { c.served <- c.server.Serve(ln) }()
	}
	if c.webhooks != nil {
		c.webhooks.start(context.WithoutCancel(ctx), m.hub, m.Logger.With("part", "alerts"))
	}
	if c.keep.r.Enabled() {
		c.purge = &purgeSchedule{store: m.store, keep: c.keep.r, logger: m.Logger.With("part", "retention"), now: time.Now}
		c.purge.start(context.WithoutCancel(ctx))
	}
	m.Logger.Info("hub listening", "url", scheme+"://"+ln.Addr().String(), "db", dbName(m.db), "dashboard", scheme+"://"+ln.Addr().String()+"/dashboard", "secure_cookies", c.secureCookies)
	if urls := reachableURLs(scheme, ln.Addr(), net.InterfaceAddrs); len(urls) > 0 {
		// 0.0.0.0 or [::] is no address a kiosk can be given.
		m.Logger.Info("listening on every address of this machine: give kiosks one of these", "urls", strings.Join(urls, " "))
	} else if ta, ok := ln.Addr().(*net.TCPAddr); ok && ta.IP.IsLoopback() {
		// Right behind a proxy on this machine; a trap for a ward whose
		// kiosks are on the LAN.
		m.Logger.Info("listening on loopback only: kiosks on other machines cannot reach the hub unless a proxy on this machine forwards to it; --listen 0.0.0.0:PORT takes every address")
	}
	if as, err := m.store.Admins(ctx); err != nil {
		m.Logger.Warn("cannot list dashboard logins", "err", err)
	} else if len(as) == 0 {
		m.Logger.Warn("no dashboard login yet: add one with hailong-hub admin add NAME", "db", dbName(m.db))
	}
	return nil
}

// reachableURLs returns, for a listener on every address (0.0.0.0, [::]),
// the base URLs of this machine's own addresses that other machines may
// use: private and public ones first, then loopback; link-local ones are
// left out. It returns nil for a listener on one address, or when the
// machine's addresses cannot be read.
func reachableURLs(scheme string, addr net.Addr, ifaceAddrs func() ([]net.Addr, error)) []string {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || !ta.IP.IsUnspecified() {
		return nil
	}
	all, err := ifaceAddrs()
	if err != nil {
		return nil
	}
	var out, loop []string
	for _, a := range all {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLinkLocalUnicast() || ipn.IP.IsMulticast() || ipn.IP.IsUnspecified() {
			continue
		}
		// A listener on 0.0.0.0 takes IPv4 only; one on [::] takes both.
		if ta.IP.To4() != nil && ipn.IP.To4() == nil {
			continue
		}
		u := scheme + "://" + net.JoinHostPort(ipn.IP.String(), strconv.Itoa(ta.Port))
		if ipn.IP.IsLoopback() {
			loop = append(loop, u)
		} else {
			out = append(out, u)
		}
	}
	return append(out, loop...)
}

// close stops the server gracefully, if it runs.
func (c *serveCommand) close() error {
	if c.purge != nil {
		c.purge.stop()
		c.purge = nil
	}
	if c.webhooks != nil {
		c.webhooks.stop()
	}
	if c.server == nil {
		return nil
	}
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := c.server.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("shut down server: %w", err))
	}
	if err := <-c.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("serve: %w", err))
	}
	c.server = nil
	return errors.Join(errs...)
}

// webhookPoll is how often serve's deliverer looks for due deliveries
// besides being woken (retries, events another hub process enqueued), and
// alertSweep how often every service point's alert is checked again.
const (
	webhookPoll = 10 * time.Second
	alertSweep  = time.Minute
	// keepDeliveries is how long the delivery log keeps a delivery done
	// (and its event); pending ones stay. Pruned hourly.
	keepDeliveries = 30 * 24 * time.Hour
)

// webhookRunner runs serve's webhook deliverer and alert sweep.
type webhookRunner struct {
	deliverer *hub.Deliverer
	cancel    context.CancelFunc
	done      sync.WaitGroup
}

func (r *webhookRunner) start(ctx context.Context, h *hub.Hub, log *slog.Logger) {
	ctx, r.cancel = context.WithCancel(ctx)
	if err := h.Registry().Register(r.deliverer); err != nil {
		log.Warn("webhook metrics", "err", err)
	}
	r.done.Go(func() { r.deliverer.Run(ctx, webhookPoll, nil) })
	r.done.Go(func() {
		var pruned time.Time
		for {
			if _, err := h.CheckAlerts(ctx, nil); err != nil && ctx.Err() == nil {
				log.Error("alert sweep", "err", err)
			}
			if now := time.Now(); now.Sub(pruned) > time.Hour {
				pruned = now
				if n, err := h.Store().PruneDeliveries(ctx, now.Add(-keepDeliveries)); err != nil && ctx.Err() == nil {
					log.Error("prune webhook deliveries", "err", err)
				} else if n > 0 {
					log.Info("webhook deliveries pruned", "deliveries", n, "older_than", keepDeliveries)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(alertSweep):
			}
		}
	})
}

// stop ends both and waits for them; a delivery cut short is sent again
// once its lease has passed.
func (r *webhookRunner) stop() {
	if r.cancel != nil {
		r.cancel()
		r.done.Wait()
		r.cancel = nil
	}
}
