// Package web is the hub's admin dashboard: server-rendered HTML pages with
// inline SVG charts of the satisfaction index (no scripts, no CDN, so it works
// on an offline LAN), filters, and streamed exports at /api/v1/export. Every
// page is behind an admin login with server-side sessions (HttpOnly,
// SameSite=Strict cookies), CSRF tokens on every POST and a login rate limit,
// except the public receipt page (/receipts) and the day roots
// (/api/v1/roots), which say what was counted and when, never what was
// answered, and the phone page a rating slip's QR code opens (/s/CODE,
// phone.go), where a citizen answers once per slip. It never imports Fyne.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"iter"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Data is what the dashboard reads from the hub's storage.
type Data interface {
	// Responses streams the stored responses matching f (see hub.Store):
	// exports read them; the dashboard page does not.
	Responses(ctx context.Context, f hub.Filter) iter.Seq2[*survey.Response, error]
	// ResponseSlips returns what the hub found of the slips of the given
	// responses (see hub.Store): the exports' slip_channel column.
	ResponseSlips(ctx context.Context, responseIDs []string) (map[string]hub.SlipStatus, error)
	// Devices returns every device (see hub.Store): their names and service
	// points name the dashboard's rows and fill its filters, and exports carry them.
	Devices(ctx context.Context) ([]*hub.Device, error)
	// Gaps reports the numbers each device assigned and the hub never
	// received (see hub.Store): the dashboard lists the devices with gaps.
	Gaps(ctx context.Context) ([]hub.DeviceGaps, error)
	// Figures yields the report cells of the responses matching f, from
	// the store's rollup (see hub.Store); the dashboard's figures come
	// from here (hub.Report), so a page costs the same at any size.
	Figures(ctx context.Context, f hub.Filter) iter.Seq2[report.Cell, error]
	// DeviceCounts returns the responses matching f per service point and
	// device, from the same rollup (see hub.Store): the dashboard's list of
	// service points seen and its device table.
	DeviceCounts(ctx context.Context, f hub.Filter) ([]hub.DeviceCount, error)
}

// Accounts holds the dashboard's administrators, their sessions and the
// failed logins, as hub.Store does (see there): in the database, so that
// every hub process sharing it sees the same. Admins are read at login and
// again on every request of a session, so that removing an admin or
// changing its password (`hailong-hub admin remove`, `admin add`) ends the
// sessions already open.
type Accounts interface {
	// AdminPasswordHash returns the bcrypt hash of the named admin's
	// password, or an error wrapping hub.ErrNotFound.
	AdminPasswordHash(ctx context.Context, name string) ([]byte, error)
	CreateSession(ctx context.Context, s hub.Session) error
	Session(ctx context.Context, tokenHash []byte, now time.Time) (*hub.Session, error)
	DeleteSession(ctx context.Context, tokenHash []byte, now time.Time) error
	LoginFailed(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error)
	LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (hub.LoginFailures, error)
	ResetLogins(ctx context.Context, key string) error
	// AdminRole returns the named admin's role, or an error wrapping
	// hub.ErrNotFound. It is read on every request too, so a role change
	// applies at once.
	AdminRole(ctx context.Context, name string) (hub.Role, error)
}

// Audit is the hub's audit log (hub.Store.AppendAudit): the dashboard
// appends every login, failed login and export, and every change an admin
// makes, before answering.
type Audit interface {
	AppendAudit(ctx context.Context, e hub.AuditEntry) (hub.AuditEntry, error)
}

// Config configures a Dashboard.
type Config struct {
	// Data, Accounts, Audit, AuditLog, Devices and Publish are required.
	Data     Data
	Accounts Accounts
	Audit    Audit
	AuditLog AuditLog
	Devices  Devices
	Publish  Publisher
	// HubURL is the address kiosks reach the hub at, put in the enrollment
	// QR code; empty means the address the admin's browser used.
	HubURL string
	// Surveys returns every published survey version, parsed; required.
	Surveys func(ctx context.Context) ([]*survey.Survey, error)
	// Files holds the files returned per day and service point: the
	// dashboard's coverage table and the /files form. Nil leaves both out.
	Files FileCounts
	// Slips prints rating slips: the /slips page (role admin) and the
	// dashboard's button. Nil leaves both out.
	Slips Slips
	// SlipPrints reads the slips printed per day: with Files, the
	// dashboard shows the slip figures in place of the coverage table,
	// and the XLSX export adds them. Nil leaves them out.
	SlipPrints SlipPrintCounts
	// Feedback backs the feedback inbox (/feedback, /feedback/{id}) and
	// the cases' public pages (/f/{code}); nil answers them 404.
	Feedback FeedbackInbox
	// FeedbackRules are the inbox's deadline clocks; a nil Calendar means
	// hub.DefaultFeedbackRules.
	FeedbackRules hub.FeedbackRules
	// Webhooks backs the webhooks page and its delivery log (/webhooks,
	// role admin); Alerts the alerts page (/alerts). Nil answers them 404.
	Webhooks Webhooks
	Alerts   Alerts
	// SlideSets backs the /slides page, where admins edit and publish
	// the kiosks' welcome slides and feedback channels (role admin to
	// publish); nil leaves it out.
	SlideSets SlideSets
	// Help backs the live page of staff help requests (/help, /help.json)
	// and the dashboard's help figures; nil answers them 404 and leaves
	// the figures out.
	Help HelpRequests
	// Receipts backs the public receipt page and /api/v1/roots; nil
	// answers them 404.
	Receipts Receipts
	// Phone backs the phone page a slip's QR opens (PathPhone, no login);
	// nil answers it with a "closed" page.
	Phone Phone
	// PublicURL is the address citizens' phones reach the hub at, put in
	// the QR code of slips printed from the dashboard; empty means HubURL,
	// else the address the admin's browser used.
	PublicURL string
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SecureCookies sets the Secure attribute (when the hub serves TLS or
	// sits behind a TLS proxy).
	SecureCookies bool
	// SessionTTL is how long a login lasts; zero means 8 hours.
	SessionTTL time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client (see ParseTrustedProxies); nil trusts none, and the
	// connection's peer is the client. Login throttling counts failures per
	// client address, so behind a proxy that is not listed every admin
	// shares the proxy's address.
	TrustedProxies []netip.Prefix
}

// Dashboard serves the admin pages and the export API.
type Dashboard struct {
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	pages map[string]*template.Template // by language, bound to its texts
	mux   *http.ServeMux
	texts map[string]*texts // by language: "vi", "en"
}

//go:embed templates
var templates embed.FS

// New checks cfg and builds the dashboard.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Data == nil || cfg.Accounts == nil || cfg.Audit == nil || cfg.AuditLog == nil || cfg.Devices == nil || cfg.Publish == nil || cfg.Surveys == nil {
		return nil, errors.New("web: Data, Accounts, Audit, AuditLog, Devices, Publish and Surveys are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FeedbackRules.Calendar == nil {
		cfg.FeedbackRules = hub.DefaultFeedbackRules()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	texts, err := loadTexts()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	// One template set per language, its functions bound to that
	// language's texts; a request picks its set (render). Functions
	// cannot be rebound once a set has run (html/template), and a clone
	// per request would be parsed and escaped again on every page.
	pages := map[string]*template.Template{}
	for lang, x := range texts {
		if pages[lang], err = template.New("").Funcs(funcs).Funcs(x.funcs()).ParseFS(templates, "templates/*.html"); err != nil {
			return nil, fmt.Errorf("web: parse templates: %w", err)
		}
	}
	d := &Dashboard{
		cfg: cfg, log: cfg.Logger, now: cfg.Now, pages: pages, texts: texts,
		mux: http.NewServeMux(),
	}
	// Methods are checked here, not in the patterns, so that a wrong
	// method gets a JSON 405 like every other error (ServeMux's is text).
	d.mux.HandleFunc("/{$}", d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
	}))
	d.mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			d.loginPage(w, r)
		case http.MethodPost:
			d.login(w, r)
		default:
			d.methodNotAllowed(w, r, "GET, POST")
		}
	})
	d.mux.HandleFunc("/logout", d.only(http.MethodPost, d.requireAdmin(d.logout)))
	d.mux.HandleFunc("/dashboard", d.only(http.MethodGet, d.requireAdmin(d.dashboard)))
	d.mux.HandleFunc("/devices", d.only(http.MethodGet, d.requireAdmin(d.devices)))
	d.mux.HandleFunc("/devices/enroll", d.only(http.MethodPost, d.requireRole(hub.RoleAdmin, d.enroll)))
	d.mux.HandleFunc("/devices/revoke", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			d.requireRole(hub.RoleAdmin, d.revokeConfirm)(w, r)
		case http.MethodPost:
			d.requireRole(hub.RoleAdmin, d.revoke)(w, r)
		default:
			d.methodNotAllowed(w, r, "GET, POST")
		}
	})
	d.mux.HandleFunc("/surveys", d.only(http.MethodGet, d.requireAdmin(d.surveys)))
	d.mux.HandleFunc("/surveys/preview", d.only(http.MethodGet, d.requireAdmin(d.preview)))
	d.mux.HandleFunc("/surveys/publish", d.only(http.MethodPost, d.requireRole(hub.RoleAdmin, d.publish)))
	d.mux.HandleFunc("/audit", d.only(http.MethodGet, d.requireRole(hub.RoleAdmin, d.auditPage)))
	d.mux.HandleFunc("/audit.csv", d.only(http.MethodGet, d.requireRole(hub.RoleAdmin, d.auditCSV)))
	d.mux.HandleFunc("/api/v1/export", d.only(http.MethodGet, d.requireAdmin(d.export)))
	d.mux.HandleFunc(PathFiles, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case cfg.Files == nil:
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
		case r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodPost:
			d.requireAdmin(d.filesPage)(w, r)
		default:
			d.methodNotAllowed(w, r, "GET, POST")
		}
	})
	d.mux.HandleFunc(PathSlips, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case cfg.Slips == nil:
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
		case r.Method == http.MethodGet || r.Method == http.MethodHead:
			d.requireRole(hub.RoleAdmin, d.slipsPage)(w, r)
		default:
			d.methodNotAllowed(w, r, "GET")
		}
	})
	d.mux.HandleFunc(PathSlipsPrint, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case cfg.Slips == nil:
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
		case r.Method == http.MethodPost:
			d.requireRole(hub.RoleAdmin, d.printSlips)(w, r)
		default:
			d.methodNotAllowed(w, r, "POST")
		}
	})
	noFeedback := func(w http.ResponseWriter, r *http.Request) bool {
		if cfg.Feedback == nil {
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
		}
		return cfg.Feedback == nil
	}
	d.mux.HandleFunc(PathFeedback, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noFeedback(w, r) {
			d.requireAdmin(d.feedbackInbox)(w, r)
		}
	}))
	d.mux.HandleFunc(PathFeedbackCase, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case noFeedback(w, r):
		case r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodPost:
			d.requireAdmin(d.feedbackCase)(w, r)
		default:
			d.methodNotAllowed(w, r, "GET, POST")
		}
	})
	d.mux.HandleFunc(PathSlides, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case cfg.SlideSets == nil:
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
		case r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodPost:
			d.requireAdmin(d.slidesPage)(w, r)
		default:
			d.methodNotAllowed(w, r, "GET, POST")
		}
	})
	d.mux.HandleFunc(PathFeedbackCSV, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noFeedback(w, r) {
			d.requireAdmin(d.feedbackCSV)(w, r)
		}
	}))
	d.mux.HandleFunc(PathFeedbackPublic, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noFeedback(w, r) {
			d.feedbackPublic(w, r)
		}
	}))
	noHelp := func(w http.ResponseWriter, r *http.Request) bool {
		if cfg.Help == nil {
			http.NotFound(w, r)
		}
		return cfg.Help == nil
	}
	d.mux.HandleFunc(PathHelp, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noHelp(w, r) {
			d.requireAdmin(d.helpPage)(w, r)
		}
	}))
	d.mux.HandleFunc(PathHelpJSON, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noHelp(w, r) {
			d.requireAdmin(d.helpJSON)(w, r)
		}
	}))
	d.mux.HandleFunc(PathHelpCSV, d.only(http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
		if !noHelp(w, r) {
			d.requireAdmin(d.helpCSV)(w, r)
		}
	}))
	notConfigured := func(missing bool, h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if missing {
				d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
				return
			}
			h(w, r)
		}
	}
	d.mux.HandleFunc(PathWebhooks, notConfigured(cfg.Webhooks == nil, d.only(http.MethodGet, d.requireRole(hub.RoleAdmin, d.webhooksPage))))
	d.mux.HandleFunc(PathWebhooksAdd, notConfigured(cfg.Webhooks == nil, d.only(http.MethodPost, d.requireRole(hub.RoleAdmin, d.addWebhook))))
	d.mux.HandleFunc(PathWebhooksRemove, notConfigured(cfg.Webhooks == nil, d.only(http.MethodPost, d.requireRole(hub.RoleAdmin, d.removeWebhook))))
	d.mux.HandleFunc(PathWebhooksRetry, notConfigured(cfg.Webhooks == nil, d.only(http.MethodPost, d.requireRole(hub.RoleAdmin, d.retryDelivery))))
	d.mux.HandleFunc(PathAlerts, notConfigured(cfg.Alerts == nil, d.only(http.MethodGet, d.requireAdmin(d.alertsPage))))
	d.mux.HandleFunc(PathReceipts, d.only(http.MethodGet, d.receipts))
	d.mux.HandleFunc(PathBoard, d.only(http.MethodGet, d.board))
	d.mux.HandleFunc(PathRoots, d.only(http.MethodGet, d.roots))
	d.mux.HandleFunc(PathPhone, d.phone)
	d.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.error.no_page", "Path", r.URL.Path)
	})
	return d, nil
}

// ServeHTTP serves /, /login, /logout, /dashboard, /files, /devices and
// /surveys (enroll, revoke and publish for role admin), /slips (role
// admin), /feedback and /feedback/{id} (the inbox), /audit and
// /audit.csv (role admin), /webhooks (role admin), /alerts and
// /api/v1/export, and
// without login /receipts, /f/{code}, /api/v1/roots, the phone page /s/CODE
// and the public board /board.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'")
	d.mux.ServeHTTP(w, withLang(r, d.chooseLang(w, r)))
}

// Routes lists the paths the dashboard serves, for the hub's top-level mux.
func Routes() []string {
	return []string{"/{$}", "/login", "/logout", "/dashboard", "/devices", "/devices/enroll", "/devices/revoke", "/surveys", "/surveys/preview", "/surveys/publish", "/audit", "/audit.csv", "/api/v1/export", PathFiles, PathSlips, PathSlipsPrint, PathFeedback, PathFeedbackCase, PathFeedbackCSV, PathFeedbackPublic, PathHelp, PathHelpJSON, PathHelpCSV, PathWebhooks, PathWebhooksAdd, PathWebhooksRemove, PathWebhooksRetry, PathAlerts, PathBoard, PathSlides, PathReceipts, PathRoots, PathPhone}
}

// only lets method (and HEAD for GET) through to h, and answers any other
// with a JSON 405.
func (d *Dashboard) only(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			d.methodNotAllowed(w, r, method)
			return
		}
		h(w, r)
	}
}

func (d *Dashboard) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	d.fail(w, r, http.StatusMethodNotAllowed, protocol.CodeMethod, "web.error.method", "Method", r.Method, "Path", r.URL.Path, "Allow", allow)
}

// audit appends one entry to the audit log; false means it failed (logged)
// and the action must not go ahead.
func (d *Dashboard) audit(r *http.Request, actor, action string, details url.Values) bool {
	e := hub.NewAuditEntry(d.now(), actor, action, clientAddr(r, d.cfg.TrustedProxies), details)
	if _, err := d.cfg.Audit.AppendAudit(r.Context(), e); err != nil {
		d.log.Error("append audit entry", "action", action, "actor", actor, "err", err)
		return false
	}
	return true
}

// render executes a page template in r's language; a failure is logged
// and answered 500.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	d.renderIn(w, langOf(r), status, name, data)
}

// renderIn is render in lang.
func (d *Dashboard) renderIn(w http.ResponseWriter, lang string, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	pages, ok := d.pages[lang]
	if !ok {
		pages = d.pages["vi"]
	}
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		d.log.Error("render page", "page", name, "err", err)
	}
}
