package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"golang.org/x/crypto/bcrypt"
)

// errHelp is returned by ParseFlags after printing help.
var errHelp = errors.New("help requested")

const usage = `hailong-hub: the Hài Lòng sync hub

Usage:
  hailong-hub serve --db hub.db --listen 127.0.0.1:8080 [--tls-cert FILE --tls-key FILE] [--secure-cookies]
        [--read-db URL] [--trusted-proxy IP|CIDR,...] [--write-timeout 2m] [--log-format text|json] [--log-level info]
        [--keep-responses PERIOD] [--keep-conflicts PERIOD] [--keep-feedback PERIOD] [--keep-audit PERIOD]   (purge daily, see purge)
        [--public-url URL]   (the address phones open from a slip's QR code, for slips printed on the dashboard)
  hailong-hub device enroll --name NAME [--service-point TEXT] [--ttl 168h] [--hub-url URL] [--qr FILE.png] [--db hub.db]
        (a one-time code; the kiosk takes it in its admin panel, tab Đồng bộ, or: hailong enroll --hub URL --code CODE)
  hailong-hub device list [--db hub.db]
  hailong-hub device revoke ID [--db hub.db]
  hailong-hub survey publish FILE.json|FORM.xlsx [--db hub.db]   (a workbook is read as XLSForm)
  hailong-hub import FILE.hlbundle [--db hub.db]
  hailong-hub conflicts [--db hub.db]
  hailong-hub backup FILE [--db hub.db]        (consistent copy of a SQLite hub while it serves)
  hailong-hub gaps [--db hub.db]               (responses a device numbered and the hub never received)
  hailong-hub admin add NAME [--role admin|viewer] [--db hub.db]   (password typed twice, or one line on stdin;
        a viewer sees figures and exports only)
  hailong-hub admin list [--db hub.db]
  hailong-hub admin remove NAME [--db hub.db]
  hailong-hub export --out FILE [--format csv|xlsx|jsonl] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
        [--survey ID[@VERSION]] [--service-point NAME] [--status complete|abandoned]
        [--device ID] [--event TAG] [--labels] [--lang vi|en] [--db hub.db] [--read-db URL]
        [--feedback-answer-days N] [--holidays DATES]   (the feedback deadlines, as serve's)
  hailong-hub files import FILE.csv [--db hub.db]   (files returned per day: date,service point,files; all or nothing)
  hailong-hub verify [--roots SAVED-ROOTS.json] [--db hub.db]   (recompute the acceptance chain; exit 1 at the first break)
  hailong-hub audit verify [--head ENTRY:HASH] [--db hub.db]   (recompute the audit log of admin actions; exit 1 at the first break)
  hailong-hub slips --service-point NAME --count N --out FILE.pdf --hub-url URL [--lang vi|en] [--db hub.db]
        (one-time rating slips to print and cut: QR code and code per slip, docs/slips.md)
  hailong-hub purge [--before YYYY-MM-DD] [--keep-responses 24m] [--keep-conflicts 12m] [--keep-feedback 36m] [--keep-audit 5y] [--db hub.db]
        (delete raw data older than its retention period; the figures, receipts and gaps stay: docs/retention.md)
  hailong-hub webhook add URL [--events responses,feedback,alert,help_request] [--db hub.db]
        (prints the webhook's signing secret once: docs/webhooks.md)
  hailong-hub webhook list [--deliveries 20] [--db hub.db]   (webhooks and the latest deliveries)
  hailong-hub webhook remove ID [--db hub.db]
  hailong-hub webhook retry DELIVERY [--db hub.db]   (send a failed delivery again, attempts from zero)

--db is a SQLite file (default hub.db in the current folder) or a PostgreSQL
URL (postgres://user@host:5432/hailong); several hubs may serve one
PostgreSQL. Give every command the --db serve uses: a command that only
reads refuses a SQLite file that is not there, one that writes creates it
and says so.
--read-db (PostgreSQL only) points dashboards and exports at a streaming
replica of --db.

serve also serves the admin dashboard at /dashboard (log in with an admin
from "admin add") and its export at /api/v1/export, the devices page
(/devices: enroll with code and QR, revoke), the surveys page (/surveys:
upload and publish) and the audit log (/audit); a viewer sees figures,
lists and exports, and changes nothing. Failed logins are
throttled per client address and per account; behind a reverse proxy, give
its address with --trusted-proxy so that X-Forwarded-For names each admin's
address (otherwise all admins share the proxy's and one can lock the others
out). X-Forwarded-For from any other peer is ignored.

serve also serves, without login, the receipt page at /receipts (a citizen
types the kiosk's receipt code and sees the day it was counted) and each
day's chain root at /receipts and /api/v1/roots (docs/receipts.md).

Every admin action (logins, failed logins, exports, device enroll and revoke,
survey publish, admin add and remove, import, slips printed, webhook add and remove), from the dashboard or this
command line, is appended to a hash-chained audit log in the database.

docs/protocol.md describes the protocol, enrollment and bundles.
`

// Main is the hub program: ParseFlags reads the command line, Run does the
// command (for serve: opens the store and starts listening, then returns),
// Close stops serving gracefully and closes the store. Each command is a
// type of its own (serveCommand, deviceEnrollCommand, ...) holding its flags;
// Main holds what they share.
type Main struct {
	// Stdout receives command output; Stderr usage errors, prompts and logs.
	Stdout, Stderr io.Writer
	// Stdin gives `admin add` its password: typed twice without echo when
	// it is a terminal, else one line. Nil reads nothing.
	Stdin io.Reader
	// Logger is set by ParseFlags.
	Logger *slog.Logger

	texts   *i18n.Catalog // the hubcli area, loaded by say
	cmd     string        // "serve", "device enroll", ...
	command command       // the parsed command
	db      string

	bcryptCost int // admin add

	readDB string // serve, export: PostgreSQL replica for dashboards and exports
	store  hub.Store
	hub    *hub.Hub
}

// command is one hub command. ParseFlags registers its flags, parses the
// command line and hands it the positional arguments; Run runs it with the
// hub's store open.
type command interface {
	// flags registers the command's flags on fs.
	flags(fs *flag.FlagSet)
	// parse checks the flags and takes the positional arguments; given
	// reports whether a flag was on the command line. name is the
	// command's name, for messages.
	parse(name string, args []string, given func(flag string) bool) error
	// run does the command against m's open store and hub.
	run(ctx context.Context, m *Main) error
}

// hubConfigurer is a command that sets more of the hub's Config (serve's
// alert rules and webhook deliveries) before Run makes the hub.
type hubConfigurer interface{ configureHub(cfg *hub.Config) }

// newCommand returns the command named name, or nil.
// inputChecker is a command that reads a file named on its command line:
// checkInput says, as the command would, that it cannot be read.
type inputChecker interface{ checkInput() error }

// needsHub names the commands that only read or change what a hub holds:
// on a SQLite file that is not there they refuse, rather than create an
// empty hub and answer from it.
var needsHub = map[string]bool{
	"device list": true, "device revoke": true, "conflicts": true, "gaps": true, "admin list": true,
	"admin remove": true, "export": true, "verify": true, "backup": true, "audit verify": true, "purge": true,
}

func newCommand(name string) command {
	switch name {
	case "serve":
		return &serveCommand{}
	case "device enroll":
		return &deviceEnrollCommand{}
	case "device list":
		return &deviceListCommand{}
	case "device revoke":
		return &deviceRevokeCommand{}
	case "survey publish":
		return &surveyPublishCommand{}
	case "import":
		return &importCommand{}
	case "conflicts":
		return &conflictsCommand{}
	case "gaps":
		return &gapsCommand{}
	case "admin add":
		return &adminAddCommand{}
	case "admin list":
		return &adminListCommand{}
	case "admin remove":
		return &adminRemoveCommand{}
	case "export":
		return &exportCommand{}
	case "verify":
		return &verifyCommand{}
	case "backup":
		return &backupCommand{}
	case "files import":
		return &filesImportCommand{}
	case "audit verify":
		return &auditVerifyCommand{}
	case "purge":
		return &purgeCommand{}
	case "slips":
		return &slipsCommand{}
	case "webhook add":
		return &webhookAddCommand{}
	case "webhook list":
		return &webhookListCommand{}
	case "webhook remove":
		return &webhookRemoveCommand{}
	case "webhook retry":
		return &webhookRetryCommand{}
	}
	return nil
}

// wantArgs checks that the command name got exactly n positional arguments.
func wantArgs(name string, n int, args []string) error {
	if len(args) != n {
		return fmt.Errorf("%s takes %d argument(s), got %d: %q", name, n, len(args), args)
	}
	return nil
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
	if m.cmd == "device" || m.cmd == "survey" || m.cmd == "admin" || m.cmd == "files" || m.cmd == "audit" || m.cmd == "webhook" {
		if len(args) == 0 {
			return fmt.Errorf("%s: a subcommand is needed (see hailong-hub --help)", m.cmd)
		}
		m.cmd, args = m.cmd+" "+args[0], args[1:]
	}
	m.command = newCommand(m.cmd)
	if m.command == nil {
		return fmt.Errorf("unknown command %q (see hailong-hub --help)", m.cmd)
	}
	fs := flag.NewFlagSet("hailong-hub "+m.cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&m.db, "db", "hub.db", dbUsage)
	if m.cmd == "serve" || m.cmd == "export" {
		fs.StringVar(&m.readDB, "read-db", "", readDBUsage)
	}
	logFormat := fs.String("log-format", "text", "log format: text or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	m.command.flags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	// Allow flags after the positional argument too: `import FILE --db x`.
	var positional []string
	for rest := fs.Args(); len(rest) > 0; rest = fs.Args() {
		positional = append(positional, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			return err
		}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if err := m.command.parse(m.cmd, positional, func(name string) bool { return given[name] }); err != nil {
		return err
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
func (m *Main) Serving() bool {
	s, ok := m.command.(*serveCommand)
	return ok && s.server != nil
}

// Addr is the address the server listens on (useful with --listen :0).
func (m *Main) Addr() net.Addr {
	if s, ok := m.command.(*serveCommand); ok && s.ln != nil {
		return s.ln.Addr()
	}
	return nil
}

// Done is closed with Serve's error when the server stops on its own.
func (m *Main) Done() <-chan error {
	if s, ok := m.command.(*serveCommand); ok {
		return s.served
	}
	return nil
}

// Run runs the parsed command. For serve it returns once listening.
func (m *Main) Run(ctx context.Context) error {
	if m.command == nil {
		return fmt.Errorf("unknown command %q", m.cmd)
	}
	// A mistyped input file fails before --db is opened, or created.
	if ic, ok := m.command.(inputChecker); ok {
		if err := ic.checkInput(); err != nil {
			return err
		}
	}
	created := false
	if !postgres.IsURL(m.db) && m.readDB == "" { // with --read-db, openStore refuses SQLite
		if _, err := os.Stat(m.db); errors.Is(err, os.ErrNotExist) {
			if needsHub[m.cmd] {
				return fmt.Errorf("%s: không có cơ sở dữ liệu máy chủ ở %s; hãy chỉ tệp mà serve đang dùng bằng --db / no hub database at %s; give the file serve uses with --db", m.cmd, m.db, m.db)
			}
			created = m.cmd != "serve"
		}
	}
	st, err := openStore(ctx, m.db, m.readDB)
	if err != nil {
		return err
	}
	if created {
		// A mistyped --db, or none in another folder, makes a hub of its
		// own that the serving hub knows nothing of: say so.
		fmt.Fprintf(m.Stderr, "hailong-hub: đã tạo cơ sở dữ liệu máy chủ mới %s; nếu serve dùng tệp khác, hãy chỉ nó bằng --db / created a new hub database %s; if serve uses another file, give it with --db\n", m.db, m.db)
	}
	m.store = st
	cfg := hub.Config{Store: st, Logger: m.Logger}
	if hc, ok := m.command.(hubConfigurer); ok {
		hc.configureHub(&cfg)
	}
	m.hub = hub.New(cfg)
	// Before anything else, so that every command (serve, import, export)
	// sees the surveys a new kiosk answers.
	if err := m.hub.PublishBuiltinSurveys(ctx); err != nil {
		return err
	}
	return m.command.run(ctx, m)
}

// Close stops the server gracefully (in-flight requests finish and are
// answered) and closes the store.
func (m *Main) Close() error {
	var errs []error
	if s, ok := m.command.(*serveCommand); ok {
		errs = append(errs, s.close())
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
		m.store = nil
	}
	return errors.Join(errs...)
}
