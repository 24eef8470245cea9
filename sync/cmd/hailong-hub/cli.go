package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/web"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/skip2/go-qrcode"
	"golang.org/x/crypto/bcrypt"
)

// errHelp is returned by ParseFlags after printing help.
var errHelp = errors.New("help requested")

// shutdownTimeout bounds the graceful shutdown: in-flight batches finish
// and are answered; new connections are refused.
const shutdownTimeout = 30 * time.Second

const usage = `hailong-hub: the Hài Lòng sync hub

Usage:
  hailong-hub serve --db hub.db --listen 127.0.0.1:8080 [--tls-cert FILE --tls-key FILE] [--secure-cookies] [--read-db URL]
        [--write-timeout 2m] [--log-format text|json] [--log-level info]
  hailong-hub device enroll --name NAME [--service-point TEXT] [--ttl 168h] [--hub-url URL] [--qr FILE.png] [--db hub.db]
  hailong-hub device list [--db hub.db]
  hailong-hub device revoke ID [--db hub.db]
  hailong-hub survey publish FILE.json [--db hub.db]
  hailong-hub import FILE.hlbundle [--db hub.db]
  hailong-hub conflicts [--db hub.db]
  hailong-hub backup FILE [--db hub.db]        (consistent copy of a SQLite hub while it serves)
  hailong-hub admin add NAME [--db hub.db]      (password typed twice, or one line on stdin)
  hailong-hub admin list [--db hub.db]
  hailong-hub admin remove NAME [--db hub.db]
  hailong-hub export --out FILE [--format csv|xlsx|jsonl] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
        [--survey ID[@VERSION]] [--service-point NAME] [--status complete|abandoned]
        [--device ID] [--event TAG] [--labels] [--lang vi|en] [--db hub.db] [--read-db URL]

--db is a SQLite file (default hub.db) or a PostgreSQL URL
(postgres://user@host:5432/hailong); several hubs may serve one PostgreSQL.
--read-db (PostgreSQL only) points dashboards and exports at a streaming
replica of --db.

serve also serves the admin dashboard at /dashboard (log in with an admin
from "admin add") and its export at /api/v1/export.

docs/protocol.md describes the protocol, enrollment and bundles.
`

// Main is the hub program: ParseFlags reads the command line, Run does the
// command (for serve: opens the store and starts listening, then returns),
// Close stops serving gracefully and closes the store.
type Main struct {
	// Stdout receives command output; Stderr usage errors, prompts and logs.
	Stdout, Stderr io.Writer
	// Stdin gives `admin add` its password: typed twice without echo when
	// it is a terminal, else one line. Nil reads nothing.
	Stdin io.Reader
	// Logger is set by ParseFlags.
	Logger *slog.Logger

	cmd  string   // "serve", "device enroll", ...
	args []string // positional arguments after the command's flags

	db           string
	listen       string
	tlsCert      string
	tlsKey       string
	name         string
	servicePoint string
	ttl          time.Duration
	hubURL       string
	qrPath       string

	secureCookies bool          // serve: Secure attribute on dashboard cookies
	writeTimeout  time.Duration // serve: http.Server.WriteTimeout
	bcryptCost    int           // admin add
	exportFlags   exportFlags
	exportJob     *exportJob

	readDB string // serve, export: PostgreSQL replica for dashboards and exports
	store  hub.Store
	hub    *hub.Hub
	server *http.Server
	ln     net.Listener
	served chan error // Serve's result
}

// NewMain returns a Main writing to stdout and stderr.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Stdout: stdout, Stderr: stderr, Stdin: strings.NewReader(""), bcryptCost: bcrypt.DefaultCost}
}

// ParseFlags reads the command and its flags from args (os.Args[1:]).
func (m *Main) ParseFlags(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(m.Stdout, usage)
		if len(args) == 0 {
			return errors.New("no command given (see usage above)")
		}
		return errHelp
	}
	m.cmd, args = args[0], args[1:]
	if m.cmd == "device" || m.cmd == "survey" || m.cmd == "admin" {
		if len(args) == 0 {
			return fmt.Errorf("%s: a subcommand is needed (see hailong-hub --help)", m.cmd)
		}
		m.cmd, args = m.cmd+" "+args[0], args[1:]
	}
	fs := flag.NewFlagSet("hailong-hub "+m.cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.db, "db", "hub.db", dbUsage)
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	var positional int
	switch m.cmd {
	case "serve":
		fs.StringVar(&m.listen, "listen", "127.0.0.1:8080", "address to listen on")
		fs.StringVar(&m.tlsCert, "tls-cert", "", "TLS certificate file (PEM); with --tls-key serves HTTPS")
		fs.StringVar(&m.tlsKey, "tls-key", "", "TLS private key file (PEM)")
		fs.BoolVar(&m.secureCookies, "secure-cookies", false, "mark dashboard cookies Secure (default: true with --tls-cert; set it behind a TLS proxy)")
		fs.DurationVar(&m.writeTimeout, "write-timeout", 2*time.Minute, "longest time to answer one request (exports are exempt)")
		fs.StringVar(&m.readDB, "read-db", "", readDBUsage)
	case "device enroll":
		fs.StringVar(&m.name, "name", "", "device name, e.g. \"Kiosk 1\" (required)")
		fs.StringVar(&m.servicePoint, "service-point", "", "service point the device stands at")
		fs.DurationVar(&m.ttl, "ttl", hub.DefaultCodeTTL, "how long the enrollment code works")
		fs.StringVar(&m.hubURL, "hub-url", "", "hub URL kiosks use, put in the QR code")
		fs.StringVar(&m.qrPath, "qr", "", "write the enrollment QR code to this PNG file")
	case "admin add", "admin remove":
		positional = 1
	case "export":
		m.exportFlags.register(fs)
		fs.StringVar(&m.readDB, "read-db", "", readDBUsage)
	case "device list", "conflicts", "admin list":
	case "device revoke", "survey publish", "import", "backup":
		positional = 1
	default:
		return fmt.Errorf("unknown command %q (see hailong-hub --help)", m.cmd)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	// Allow flags after the positional argument too: `import FILE --db x`.
	m.args = nil
	for rest := fs.Args(); len(rest) > 0; rest = fs.Args() {
		m.args = append(m.args, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			return err
		}
	}
	if len(m.args) != positional {
		return fmt.Errorf("%s takes %d argument(s), got %d: %q", m.cmd, positional, len(m.args), m.args)
	}
	switch {
	case m.cmd == "device enroll" && strings.TrimSpace(m.name) == "":
		return errors.New("device enroll: --name is required")
	case m.cmd == "serve" && (m.tlsCert == "") != (m.tlsKey == ""):
		return errors.New("serve: --tls-cert and --tls-key go together")
	case m.cmd == "serve" && m.writeTimeout <= 0:
		return errors.New("serve: --write-timeout must be positive")
	case m.cmd == "admin add":
		if _, err := hub.CheckAdmin(m.args[0], nil); err != nil {
			return fmt.Errorf("admin add: tên không hợp lệ / invalid name: %w", err)
		}
	case m.cmd == "export":
		var err error
		if m.exportJob, err = m.exportFlags.parse(); err != nil {
			return err
		}
	}
	if m.cmd == "serve" {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "secure-cookies" })
		if !set {
			m.secureCookies = m.tlsCert != ""
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch *logFormat {
	case "text":
		m.Logger = slog.New(slog.NewTextHandler(m.Stderr, opts))
	case "json":
		m.Logger = slog.New(slog.NewJSONHandler(m.Stderr, opts))
	default:
		return fmt.Errorf("--log-format %q: want text or json", *logFormat)
	}
	return nil
}

// Serving reports whether Run started a server that runs until Close.
func (m *Main) Serving() bool { return m.server != nil }

// Addr is the address the server listens on (useful with --listen :0).
func (m *Main) Addr() net.Addr {
	if m.ln == nil {
		return nil
	}
	return m.ln.Addr()
}

// Done is closed with Serve's error when the server stops on its own.
func (m *Main) Done() <-chan error { return m.served }

// Run runs the parsed command. For serve it returns once listening.
func (m *Main) Run(ctx context.Context) error {
	st, err := openStore(ctx, m.db, m.readDB)
	if err != nil {
		return err
	}
	m.store = st
	m.hub = hub.New(hub.Config{Store: st, Logger: m.Logger})
	switch m.cmd {
	case "serve":
		return m.serve(ctx)
	case "device enroll":
		return m.deviceEnroll(ctx)
	case "device list":
		return m.deviceList(ctx)
	case "device revoke":
		return m.deviceRevoke(ctx)
	case "survey publish":
		return m.surveyPublish(ctx)
	case "import":
		return m.importBundle(ctx)
	case "conflicts":
		return m.conflicts(ctx)
	case "admin add":
		return m.adminAdd(ctx)
	case "admin list":
		return m.adminList(ctx)
	case "admin remove":
		return m.adminRemove(ctx)
	case "export":
		return m.export(ctx)
	case "backup":
		return m.backup(ctx)
	}
	return fmt.Errorf("unknown command %q", m.cmd)
}

// Close stops the server gracefully (in-flight requests finish and are
// answered) and closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shut down server: %w", err))
		}
		if err := <-m.served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
		m.server = nil
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
		m.store = nil
	}
	return errors.Join(errs...)
}

func (m *Main) serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", m.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.listen, err)
	}
	dash, err := web.New(web.Config{
		Data:          m.store,
		Accounts:      m.store,
		Surveys:       func(ctx context.Context) ([]*survey.Survey, error) { return hub.ParsedSurveys(ctx, m.store) },
		Logger:        m.Logger.With("part", "dashboard"),
		SecureCookies: m.secureCookies,
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
	m.ln = ln
	m.server = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // 4 MiB over a slow 3G link
		// Exports clear their own write deadline (web's export handler), so
		// a million rows stream past this.
		WriteTimeout:   m.writeTimeout,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		BaseContext:    func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	m.served = make(chan error, 1)
	scheme := "http"
	if m.tlsCert != "" {
		scheme = "https"
		cert, err := tls.LoadX509KeyPair(m.tlsCert, m.tlsKey)
		if err != nil {
			ln.Close()
			m.server = nil
			return fmt.Errorf("load TLS key pair: %w", err)
		}
		m.server.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		go func() { m.served <- m.server.ServeTLS(ln, "", "") }()
	} else {
		go func() { m.served <- m.server.Serve(ln) }()
	}
	m.Logger.Info("hub listening", "url", scheme+"://"+ln.Addr().String(), "db", dbName(m.db), "dashboard", scheme+"://"+ln.Addr().String()+"/dashboard", "secure_cookies", m.secureCookies)
	return nil
}

func (m *Main) deviceEnroll(ctx context.Context) error {
	d, code, err := m.hub.NewDevice(ctx, m.name, m.servicePoint, m.ttl)
	if err != nil {
		return err
	}
	if m.qrPath != "" {
		if err := writeQR(protocol.EnrollURI(m.hubURL, code), m.qrPath); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "Device:        %s\nName:          %s\nService point: %s\nCode:          %s\nExpires:       %s\n",
		d.ID, d.Name, d.ServicePoint, code, d.CodeExpiresAt.In(survey.Location()).Format("2006-01-02 15:04 -07:00"))
	if m.qrPath != "" {
		fmt.Fprintf(m.Stdout, "QR code:       %s\n", m.qrPath)
	}
	fmt.Fprintln(m.Stdout, "Enter the hub URL and this code in the kiosk's admin panel (Kết nối máy chủ). The code works once.")
	return nil
}

// writeQR writes content as a QR PNG through a temporary file, so a
// failure never leaves half an image.
func writeQR(content, path string) error {
	png, err := qrcode.Encode(content, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("encode QR code: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, png, 0o644); err != nil {
		return fmt.Errorf("write QR code: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write QR code: %w", err)
	}
	return nil
}

func (m *Main) deviceList(ctx context.Context) error {
	devs, err := m.store.Devices(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tNAME\tSERVICE POINT\tSINCE")
	loc := survey.Location()
	for _, d := range devs {
		since := d.CreatedAt
		switch d.State() {
		case "active":
			since = d.EnrolledAt
		case "revoked":
			since = d.RevokedAt
		}
		state := d.State()
		if state == "pending" && !d.CodeExpiresAt.After(time.Now()) {
			state = "expired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, state, d.Name, d.ServicePoint, since.In(loc).Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func (m *Main) deviceRevoke(ctx context.Context) error {
	id := m.args[0]
	if err := m.store.RevokeDevice(ctx, id, time.Now()); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			return fmt.Errorf("no device %q (see hailong-hub device list)", id)
		}
		return err
	}
	m.Logger.Info("device revoked", "device", id)
	fmt.Fprintf(m.Stdout, "Revoked %s: its uploads now get 403; its earlier responses stay.\n", id)
	return nil
}

func (m *Main) surveyPublish(ctx context.Context) error {
	raw, err := os.ReadFile(m.args[0])
	if err != nil {
		return fmt.Errorf("read survey: %w", err)
	}
	s, err := m.hub.PublishSurvey(ctx, raw)
	if err != nil {
		var ps survey.Problems
		if errors.As(err, &ps) {
			for _, line := range ps.Describe("en") {
				fmt.Fprintf(m.Stderr, "%s: %s\n", m.args[0], line)
			}
			return fmt.Errorf("%s is not a valid survey (%d problems)", m.args[0], len(ps))
		}
		if errors.Is(err, hub.ErrConflict) {
			return fmt.Errorf("%s: %w; give the changed survey a new version number", m.args[0], err)
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "Published %s version %d. Kiosks pick it up at their next survey check.\n", s.ID, s.Version)
	return nil
}

func (m *Main) importBundle(ctx context.Context) error {
	f, err := os.Open(m.args[0])
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	rep, err := m.hub.Import(ctx, f)
	fmt.Fprintf(m.Stdout, "Bundle %s from device %s: %d batches\n", m.args[0], rep.DeviceID, rep.Batches)
	for _, o := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Rejected} {
		fmt.Fprintf(m.Stdout, "  %-9s %d\n", o, rep.Outcomes[o])
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(m.Stdout, "  %s %s: %s (%s)\n", r.Outcome, r.ID, r.Reason, r.Message)
	}
	if errors.Is(err, protocol.ErrTruncated) {
		return fmt.Errorf("%w: the batches above were imported; export the bundle again and import it (nothing is counted twice)", err)
	}
	return err
}

// conflicts lists deliveries of a stored response id with other content.
func (m *Main) conflicts(ctx context.Context) error {
	cs, err := m.store.Conflicts(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		fmt.Fprintln(m.Stdout, "No conflicts.")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESPONSE\tDEVICE\tRECEIVED\tREFUSED CONTENT")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ResponseID, c.DeviceID, c.ReceivedAt.In(survey.Location()).Format("2006-01-02 15:04"), c.Content)
	}
	return tw.Flush()
}
