// Package sqlite is the hub's SQLite store (through mattn/go-sqlite3): WAL,
// synchronous=FULL, schema from embedded numbered migrations. It implements
// hub.Store and passes sync/hub/storetest.
//
// Writes go through one connection that begins IMMEDIATE transactions, so
// concurrent uploads queue instead of failing with SQLITE_BUSY, and a
// method that returns nil has its change on disk. Reads use a separate pool
// and never wait for writes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"

	// Registers the "sqlite3" database/sql driver.
	_ "github.com/mattn/go-sqlite3"
)

// ErrNewerSchema means the file was written by a newer hub; it is left alone.
var ErrNewerSchema = errors.New("database schema is newer than this hub")

// busyTimeout is how long a connection waits for another process's lock
// (a `hailong-hub device enroll` while `serve` runs) before failing.
const busyTimeout = 15 * time.Second

//go:embed sql/*.sql
var migrationFiles embed.FS

// Store is an open hub database; it implements hub.Store.
type Store struct {
	path string
	w    *sql.DB // one connection: every write, serialised
	r    *sql.DB // readers
	ck   *checkpointer

	metrics *storeMetrics
}

var _ hub.Store = (*Store)(nil)

// Open opens (creating if needed) the hub database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	s, err := open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open hub database %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, p string) (*Store, error) {
	if p == "" {
		return nil, errors.New("empty database path")
	}
	if dir := filepath.Dir(p); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	s := &Store{path: p, metrics: newStoreMetrics()}
	var err error
	if s.w, err = sql.Open("sqlite3", dsn(p, false)); err != nil {
		return nil, err
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if s.r, err = sql.Open("sqlite3", dsn(p, true)); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r.SetMaxOpenConns(8)
	s.r.SetMaxIdleConns(4)
	if s.ck, err = newCheckpointer(ctx, p, s.w); err != nil {
		s.r.Close()
		s.w.Close()
		return nil, err
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dsn is the go-sqlite3 connection string for the writer or a reader.
func dsn(p string, reader bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.FormatInt(busyTimeout.Milliseconds(), 10))
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	if reader {
		q.Set("_query_only", "1")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: filepath.ToSlash(p)}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

func (s *Store) init(ctx context.Context) error {
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return fmt.Errorf("journal mode is %q, want wal", mode)
	}
	var sync int
	if err := s.w.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return err
	}
	if sync != 2 {
		return fmt.Errorf("synchronous is %d, want 2 (FULL)", sync)
	}
	return s.migrate(ctx)
}

// afterStep holds the Go part of migration steps that need one, by file
// name; it runs in the step's transaction (sql/README.md).
var afterStep = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"0003_chain.sql":        backfillChain,
	"0006_figures.sql":      backfillFigures,
	"0014_slip_figures.sql": backfillSlipFigures,
	"0020_slip_line.sql":    backfillSlipFlags,
}

// migrate applies the embedded migrations after PRAGMA user_version.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFiles, "sql/*.sql")
	if err != nil {
		return err
	}
	for i, name := range names {
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		if v, err := strconv.Atoi(num); err != nil || v != i+1 || len(num) != 4 {
			return fmt.Errorf("migration %s: want number %04d", base, i+1)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(names) {
		return fmt.Errorf("%w: the file has schema %d, this hub knows up to %d; run a newer hailong-hub", ErrNewerSchema, have, len(names))
	}
	for _, name := range names[have:] {
		body, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
		if after := afterStep[path.Base(name)]; after != nil {
			if err := after(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", path.Base(name), err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(names))); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	return tx.Commit()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Ping checks that both connections answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("ping hub database: %w", err)
	}
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1 FROM sqlite_schema LIMIT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping hub database: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	if s.ck != nil {
		errs = append(errs, s.ck.close())
	}
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close hub database %s: %w", s.path, err)
	}
	return nil
}

// timeText formats t as stored; the zero time is NULL.
func timeText(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.UTC().Format(timeFormat), Valid: true}
}

// parseTime reads a stored time; NULL is the zero time.
func parseTime(ns sql.NullString) (time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(timeFormat, ns.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", ns.String, err)
	}
	return t, nil
}

// timeFormat is protocol.TimeFormat: fixed width, so text order is time order.
const timeFormat = "2006-01-02T15:04:05.000Z"
