// Package postgres is the hub's PostgreSQL store (through jackc/pgx/v5),
// for a city or a country: several hub processes share one database. It
// implements hub.Store and passes sync/hub/storetest, like the SQLite
// store of a ward's hub. The schema comes from embedded numbered
// migrations (sql/README.md), applied under an advisory lock; responses
// are partitioned by month.
//
// Every method runs in its own transaction at READ COMMITTED on a pool of
// connections; commits are synchronous (the server's default), so a
// method that returns nil has its change durable on the primary.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// ErrNewerSchema means the database was migrated by a newer hub; it is left alone.
var ErrNewerSchema = errors.New("database schema is newer than this hub")

//go:embed sql/*.sql
var migrationFiles embed.FS

// migrationLock is the pg_advisory_lock key held while migrating
// ("hailong" in ASCII, as a number).
const migrationLock = 0x6861696c6f6e67

// partitionLock is the pg_advisory_xact_lock key held while a month's
// partition of responses is created.
const partitionLock = migrationLock + 1

// Store is an open hub database on PostgreSQL; it implements hub.Store.
type Store struct {
	url  string
	pool *pgxpool.Pool // the primary: every write, and every read but these
	read *pgxpool.Pool // Responses (dashboards, exports): the replica, or pool

	metrics *storeMetrics

	mu     sync.Mutex
	months map[time.Time]bool // months whose partition exists (partitions are never dropped while a hub runs)
}

var _ hub.Store = (*Store)(nil)

// IsURL reports whether db names a PostgreSQL database (postgres:// or
// postgresql://) rather than a SQLite file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Option changes how Open connects.
type Option func(*options)

type options struct{ readURL string }

// ReadFrom sends the reads of dashboards and exports (Responses) to the
// database at url, a streaming replica of the primary: they then see what
// the replica has replayed, a moment behind the primary (ReplicaLag). An
// empty url reads from the primary.
func ReadFrom(url string) Option { return func(o *options) { o.readURL = url } }

// Open connects to the PostgreSQL database at url (a postgres:// URL, see
// pgx's ParseConfig for its parameters) and brings its schema up to date.
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	s, err := open(ctx, url, o)
	if err != nil {
		return nil, fmt.Errorf("open hub database %s: %w", Redact(url), err)
	}
	return s, nil
}

func open(ctx context.Context, url string, o options) (*Store, error) {
	m := newStoreMetrics()
	pool, err := newPool(ctx, url, tracer{m, "primary"})
	if err != nil {
		return nil, err
	}
	s := &Store{url: url, pool: pool, read: pool, metrics: m, months: map[time.Time]bool{}}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if o.readURL != "" {
		if s.read, err = newPool(ctx, o.readURL, tracer{m, "replica"}); err != nil {
			pool.Close()
			return nil, fmt.Errorf("read replica %s: %w", Redact(o.readURL), err)
		}
		if err := s.read.Ping(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("read replica %s: %w", Redact(o.readURL), err)
		}
	}
	return s, nil
}

func newPool(ctx context.Context, url string, t tracer) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Tracer = t
	return pgxpool.NewWithConfig(ctx, cfg)
}

// Redact hides the password of a database URL, for messages and logs.
func Redact(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil || cfg.Password == "" {
		return url
	}
	return strings.Replace(url, ":"+cfg.Password+"@", ":***@", 1)
}

// afterStep holds the Go part of migration steps that need one, by file
// name; it runs in the step's transaction (sql/README.md).
var afterStep = map[string]func(ctx context.Context, tx pgx.Tx) error{
	"0004_chain_marks.sql":  backfillChain,
	"0011_slip_figures.sql": backfillSlipFigures,
	"0017_slip_line.sql":    backfillSlipFlags,
}

// migrate applies the embedded migrations not yet in schema_migrations,
// holding the migration advisory lock on one connection throughout.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrationFiles, "sql/*.sql")
	if err != nil {
		return err
	}
	for i, name := range names {
		num, _, _ := strings.Cut(path.Base(name), "_")
		if v, err := strconv.Atoi(num); err != nil || v != i+1 || len(num) != 4 {
			return fmt.Errorf("migration %s: want number %04d", path.Base(name), i+1)
		}
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLock)); err != nil {
		return fmt.Errorf("take the migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrationLock))
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("schema_migrations: %w", err)
	}
	var have int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if have > len(names) {
		return fmt.Errorf("%w: the database has schema %d, this hub knows up to %d; run a newer hailong-hub", ErrNewerSchema, have, len(names))
	}
	for i, name := range names[have:] {
		body, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			if after := afterStep[path.Base(name)]; after != nil {
				if err := after(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, have+i+1, path.Base(name))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// Ping checks that the primary and the read replica answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping hub database: %w", err)
	}
	if s.read != s.pool {
		if err := s.read.Ping(ctx); err != nil {
			return fmt.Errorf("ping read replica: %w", err)
		}
	}
	return nil
}

// ReplicaLag is how far the read replica's replay is behind: the age of
// the last transaction it replayed, zero when it has replayed everything
// it received or there is no replica (ok false then).
func (s *Store) ReplicaLag(ctx context.Context) (lag time.Duration, ok bool, err error) {
	if s.read == s.pool {
		return 0, false, nil
	}
	var secs float64
	err = s.read.QueryRow(ctx, `SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END`).Scan(&secs)
	if err != nil {
		return 0, true, fmt.Errorf("replica lag: %w", err)
	}
	return time.Duration(secs * float64(time.Second)), true, nil
}

// Pool is the primary's connection pool (for /metrics and tools).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// ReadPool is the pool dashboards and exports read from: the replica's,
// or the primary's when there is none.
func (s *Store) ReadPool() *pgxpool.Pool { return s.read }

// Close closes every connection.
func (s *Store) Close() error {
	s.pool.Close()
	if s.read != s.pool {
		s.read.Close()
	}
	return nil
}

// utc returns t in UTC; the zero time stays zero.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// fromNull reads a nullable time column.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
