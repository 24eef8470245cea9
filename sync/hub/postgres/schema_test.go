package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// TestConcurrentOpenMigratesOnce: hubs starting at once on a new database
// all open it; the advisory lock makes one of them apply each migration.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	url := cluster.NewDatabase(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := postgres.Open(context.Background(), url)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
	conn := connect(t, url)
	var rows int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("sql", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(files) {
		t.Errorf("schema_migrations has %d rows, want %d (one per embedded migration)", rows, len(files))
	}
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestNewerSchemaRefused(t *testing.T) {
	url := cluster.NewDatabase(t)
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	conn := connect(t, url)
	if _, err := conn.Exec(context.Background(), `INSERT INTO schema_migrations (version, name) VALUES (99, '0099_future.sql')`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(context.Background(), url); !errors.Is(err, postgres.ErrNewerSchema) {
		t.Errorf("open a newer schema: %v, want ErrNewerSchema", err)
	}
}

// TestMonthPartitions: responses land in the partition of their month,
// made on demand, and a second store (another hub) finds them made.
func TestMonthPartitions(t *testing.T) {
	url := cluster.NewDatabase(t)
	ctx := context.Background()
	a, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	nov := time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	items := []hub.Incoming{
		storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-000000000001", nov)),
		storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-000000000002", dec)),
	}
	if _, err := a.Ingest(ctx, items[:1], nov); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ingest(ctx, items, dec); err != nil { // b creates December, finds November made
		t.Fatal(err)
	}
	conn := connect(t, url)
	for part, want := range map[string]string{"responses_y2026m11": items[0].Response.ID, "responses_y2026m12": items[1].Response.ID} {
		var got string
		if err := conn.QueryRow(ctx, `SELECT id FROM `+part).Scan(&got); err != nil || got != want {
			t.Errorf("%s holds %q (%v), want %s", part, got, err, want)
		}
	}
}

// TestClaimLostCommitReply breaks the connection right after the client
// sends the claim (one UPDATE, committed by the server when it runs it):
// the reply is lost, and ClaimDevice still answers what is stored: the
// device when the claim committed (hub.Store.ClaimDevice: an error means
// no commit).
func TestClaimLostCommitReply(t *testing.T) {
	url := cluster.NewDatabase(t)
	ctx := context.Background()
	direct, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	code := sha256.Sum256([]byte("CODE"))
	if err := direct.CreateDevice(ctx, &hub.Device{ID: "dev-a", Name: "Kiosk", CreatedAt: time.Now(), CodeExpiresAt: time.Now().Add(time.Hour)}, code[:]); err != nil {
		t.Fatal(err)
	}
	proxy := startCutProxy(t, cluster.Port)
	cut, err := postgres.Open(ctx, proxyURL(url, proxy.port))
	if err != nil {
		t.Fatal(err)
	}
	defer cut.Close()
	token := sha256.Sum256([]byte("token"))
	pub := make([]byte, 32)
	pub[0] = 9
	proxy.arm()
	claimed, err := cut.ClaimDevice(ctx, code[:], pub, token[:], time.Now())
	if !proxy.fired() {
		t.Fatal("test setup: the proxy never cut a connection")
	}
	// The server usually runs the UPDATE before the store ends its
	// backend; either way the answer must say what is stored.
	d, lookErr := direct.DeviceByToken(ctx, token[:])
	switch {
	case err == nil && (claimed.ID != "dev-a" || claimed.State() != "active" || lookErr != nil):
		t.Fatalf("ClaimDevice answered %+v but the store holds %+v, %v", claimed, d, lookErr)
	case err != nil && errors.Is(err, hub.ErrOutcomeUnknown):
		t.Fatalf("ClaimDevice could not settle a lost reply on a live server: %v", err)
	case err != nil && !errors.Is(lookErr, hub.ErrNotFound):
		t.Fatalf("ClaimDevice answered %v but the claim committed: %+v", err, d)
	case err != nil: // not committed: the code still works
		t.Logf("the claim did not run before its backend ended (%v); claiming again", err)
		if _, err := direct.ClaimDevice(ctx, code[:], pub, token[:], time.Now()); err != nil {
			t.Fatalf("the code of a claim that did not commit is spent: %v", err)
		}
	}
}

// cutProxy forwards TCP to the server; once armed, it closes the client's
// side right after forwarding the client packet that executes the claim's
// UPDATE (pgx prepares it first, then sends Bind, Execute and Sync): the
// server runs and commits it, its reply is lost.
type cutProxy struct {
	port  int
	mu    sync.Mutex
	armed bool
	seen  bool // the claim's SQL went by (prepared)
	cut   bool
}

func (p *cutProxy) arm() { p.mu.Lock(); p.armed = true; p.mu.Unlock() }
func (p *cutProxy) fired() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

func startCutProxy(t *testing.T, serverPort int) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &cutProxy{port: ln.Addr().(*net.TCPAddr).Port}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(serverPort)))
			if err != nil {
				c.Close()
				continue
			}
			go func() { io.Copy(c, s); c.Close() }()
			go func() {
				defer s.Close()
				buf := make([]byte, 64<<10)
				for started := false; ; started = true {
					n, err := c.Read(buf)
					if n > 0 {
						if _, werr := s.Write(buf[:n]); werr != nil {
							return
						}
						if started && p.cutsAfter(buf[:n]) {
							c.Close()               // the reply to what was just sent never arrives
							time.Sleep(time.Second) // let the server read it all before EOF
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}

// cutsAfter reports whether the armed proxy cuts after this client packet
// (a sequence of frontend messages: type byte, length, body): the first
// one with an Execute message once the claim's SQL has gone by.
func (p *cutProxy) cutsAfter(pkt []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.armed || p.cut {
		return false
	}
	if strings.Contains(strings.ToLower(string(pkt)), "update devices set code_hash") {
		p.seen = true
	}
	if !p.seen {
		return false
	}
	for i := 0; i+5 <= len(pkt); {
		typ, n := pkt[i], int(binary.BigEndian.Uint32(pkt[i+1:]))
		if typ == 'E' {
			p.cut = true
			return true
		}
		if n < 4 {
			return false
		}
		i += 1 + n
	}
	return false
}

// proxyURL is url with its port replaced.
func proxyURL(url string, port int) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		panic(err)
	}
	return strings.Replace(url, ":"+strconv.Itoa(int(cfg.Port))+"/", ":"+strconv.Itoa(port)+"/", 1)
}

// TestSlipFiguresBackfill: a database from before sql/0011 (no slip
// channels or reasons in the rollup, no slip_prints, first uses at another
// point stored as first) gets them all when opened.
func TestSlipFiguresBackfill(t *testing.T) {
	ctx := context.Background()
	url := cluster.NewDatabase(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.FillForSlipBackfill(t, s)
	s.Close()
	conn := connect(t, url)
	for _, table := range []string{hub.TableFine, hub.TableDays, hub.TablePoints, hub.TableMonthPoints} {
		if _, err := conn.Exec(ctx, `DELETE FROM `+table+` WHERE metric LIKE 'c:%' OR metric LIKE 'f:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `DROP TABLE slip_prints; DROP TABLE feedback; DROP TABLE slide_sets; DROP TABLE help_requests;
		DROP TABLE webhook_deliveries; DROP TABLE webhook_events; DROP TABLE webhooks; DROP TABLE alert_answers; DROP TABLE alerts;
		DROP INDEX file_counts_point; DROP TABLE figures_point_days; DROP TABLE figures_device_days`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE response_slips SET slip_status = 'first' WHERE slip_status = 'elsewhere'`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `DELETE FROM schema_migrations WHERE name IN ('0011_slip_figures.sql', '0012_feedback.sql', '0013_slides.sql', '0014_help.sql', '0015_webhooks.sql', '0016_feedback_retention.sql', '0017_slip_line.sql', '0018_help_retention.sql', '0019_point_day_sums.sql')`); err != nil {
		t.Fatal(err)
	}
	if s, err = postgres.Open(ctx, url); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want.Check(t, s)
}

// TestSlipFlagsBackfill: a database from before sql/0017 (slip channels in
// the rollup, but not why a slip was flagged) gets the reasons of its
// stored responses when opened.
func TestSlipFlagsBackfill(t *testing.T) {
	ctx := context.Background()
	url := cluster.NewDatabase(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.FillForSlipBackfill(t, s)
	s.Close()
	conn := connect(t, url)
	for _, table := range []string{hub.TableFine, hub.TableDays, hub.TablePoints, hub.TableMonthPoints} {
		if _, err := conn.Exec(ctx, `DELETE FROM `+table+` WHERE metric LIKE 'f:%'`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `DROP INDEX file_counts_point; ALTER TABLE help_requests DROP COLUMN note_purged_at;
		DROP TABLE figures_point_days; DROP TABLE figures_device_days;
		DELETE FROM schema_migrations WHERE name IN ('0017_slip_line.sql', '0018_help_retention.sql', '0019_point_day_sums.sql')`); err != nil {
		t.Fatal(err)
	}
	if s, err = postgres.Open(ctx, url); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want.Check(t, s)
}
