// Package store is the kiosk's durable storage: a SQLite file (through
// github.com/mattn/go-sqlite3) holding responses with their sync state (the
// outbox the uploader drains), kiosk settings, and survey definitions pulled
// from the hub.
//
// The file runs in WAL mode with synchronous=FULL, so a method that returns
// nil has its change on disk: the kiosk shows the thank-you screen only after
// SaveResponse returns. Every exported method runs in one transaction; a
// failed one leaves nothing behind. Writes go through a single connection, so
// the kiosk's own writers never meet SQLITE_BUSY; reads use a separate pool
// and never wait for writes. The schema lives in embedded, numbered .sql files
// under sql/ (see sql/README.md) tracked by PRAGMA user_version.
//
// Text is stored NFC-normalised. Times are stored in UTC as fixed-width text,
// 2006-01-02T15:04:05.000000000Z, so they keep their nanoseconds, sort as
// text in time order and read well in the sqlite3 shell; they come back as
// UTC time.Time values.
//
// Errors wrap the operation that failed and, where it applies, one of
// ErrNotFound, ErrConflict, ErrInvalid, ErrNewerSchema, ErrDiskFull or
// ErrReadOnly, for errors.Is.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	// Registers the "sqlite3" database/sql driver.
	_ "github.com/mattn/go-sqlite3"
)

// busyTimeout is how long a connection waits for another process's lock
// (another `hailong` command on the same file) before failing.
const busyTimeout = 10 * time.Second

// Store is an open kiosk database. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: all writes, serialised
	r    *sql.DB // read-only connections for queries and streaming
	now  func() time.Time
}

// Option changes how Open opens the database.
type Option func(*options)

type options struct {
	readOnly bool
	now      func() time.Time
}

// ReadOnly opens an existing database without writing to it (for exports
// and inspection by command-line tools). Writes then fail with ErrReadOnly.
// A database whose schema needs upgrading cannot be opened read-only.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// WithClock sets the clock used for the store's own timestamps (when a row
// was saved, when the hub answered); the default is time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Open opens the database file at path, creating it and its directory if
// needed, and brings its schema up to date. A file written by a newer program
// gives ErrNewerSchema; an unwritable one gives ErrReadOnly.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := open(ctx, path, o)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

func open(ctx context.Context, path string, o options) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: empty database path", ErrInvalid)
	}
	ms, err := loadMigrations(migrationFiles, "sql")
	if err != nil {
		return nil, err
	}
	if !o.readOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, classify(err)
		}
		s, err := connect(ctx, path, o.now, ms, writerAccess, readerAccess)
		if err != nil {
			return nil, explainOpen(path, err)
		}
		return s, nil
	}
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	s, err := connect(ctx, path, o.now, ms, readOnlyAccess, readOnlyAccess)
	if err != nil && errors.Is(unwritable(path), syscall.EROFS) {
		// On read-only media SQLite cannot create the -shm file a WAL
		// database needs. Nothing can change the file there, so it may be
		// read as immutable; not when a -wal file holds recent commits,
		// which an immutable open would silently ignore.
		if hasWAL(path) {
			return nil, fmt.Errorf("%w; its latest changes are in %s-wal, which cannot be read on read-only media: copy both files to a writable folder", err, filepath.Base(path))
		}
		s, err = connect(ctx, path, o.now, ms, immutableAccess, immutableAccess)
	}
	return s, err
}

// connect opens the writer and reader pools with the given access and
// checks or migrates the schema.
func connect(ctx context.Context, path string, now func() time.Time, ms []migration, w, r access) (*Store, error) {
	s := &Store{path: path, now: now}
	var err error
	if s.w, err = sql.Open("sqlite3", dsn(path, w)); err != nil {
		return nil, err
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.w.SetConnMaxIdleTime(0)
	if s.r, err = sql.Open("sqlite3", dsn(path, r)); err != nil {
		s.w.Close()
		return nil, err
	}
	s.r.SetMaxOpenConns(4)
	s.r.SetMaxIdleConns(2)
	if err := s.init(ctx, ms, w != writerAccess); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// explainOpen classifies a failed read-write open that SQLite reports only
// as "unable to open database file" (on a read-only file system it cannot
// create the -wal and -shm files beside the database): if the file or its
// directory cannot be written, the error becomes ErrReadOnly.
func explainOpen(path string, err error) error {
	if errors.Is(err, ErrReadOnly) || errors.Is(err, ErrDiskFull) || errors.Is(err, ErrNewerSchema) {
		return err
	}
	if perr := unwritable(path); perr != nil {
		return &classified{kind: ErrReadOnly, err: fmt.Errorf("%w (%w)", err, perr)}
	}
	return classify(err)
}

// unwritable returns why the database file or its directory cannot be
// written (an error wrapping syscall.EROFS or fs.ErrPermission), or nil.
func unwritable(path string) error {
	probe := func() error {
		if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
			f.Close()
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		f, err := os.CreateTemp(filepath.Dir(path), ".hailong-write-test-*")
		if err != nil {
			return err
		}
		name := f.Name()
		f.Close()
		return os.Remove(name)
	}
	if err := probe(); errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
		return err
	}
	return nil
}

// hasWAL reports whether a non-empty -wal file lies beside path.
func hasWAL(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

func (s *Store) init(ctx context.Context, ms []migration, readOnly bool) error {
	if err := s.w.PingContext(ctx); err != nil {
		return classify(err)
	}
	if !readOnly {
		var mode string
		if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			return classify(err)
		}
		if mode != "wal" {
			return fmt.Errorf("journal mode is %q, want wal", mode)
		}
		return migrate(ctx, s.w, ms)
	}
	v, err := schemaVersion(ctx, s.r)
	if err != nil {
		return classify(err)
	}
	switch latest := ms[len(ms)-1].version; {
	case v > latest:
		return fmt.Errorf("%w: the database has schema version %d but this program knows only up to %d; install a newer Hài Lòng to open it", ErrNewerSchema, v, latest)
	case v < latest:
		return fmt.Errorf("%w: the database has schema version %d and needs upgrading to %d; open it once read-write", ErrReadOnly, v, latest)
	}
	return nil
}

// access says what a connection pool may do.
type access int

const (
	writerAccess    access = iota // the single writer: WAL, BEGIN IMMEDIATE
	readerAccess                  // queries beside the writer (query_only)
	readOnlyAccess                // ReadOnly(): mode=ro
	immutableAccess               // ReadOnly() on read-only media: immutable=1
)

// dsn builds the go-sqlite3 connection string. Writers begin IMMEDIATE
// transactions so that a write never has to upgrade a read lock.
func dsn(path string, a access) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_synchronous", "FULL")
	q.Set("_foreign_keys", "1")
	q.Set("_stmt_cache_size", "32")
	// SQLite's multi-thread mode: database/sql uses a connection from one
	// goroutine at a time (the driver's interrupt on a cancelled context
	// is safe from any thread), so the serialized mode the driver defaults
	// to would only lock and unlock the connection on every call, each
	// column of each row read included.
	q.Set("_mutex", "no")
	switch a {
	case writerAccess:
		q.Set("_journal_mode", "WAL")
		q.Set("_txlock", "immediate")
	case readerAccess:
		q.Set("_query_only", "1")
	case readOnlyAccess:
		q.Set("mode", "ro")
	case immutableAccess:
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	}
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database. Callers must have finished iterating.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close store %s: %w", s.path, err)
	}
	return nil
}

// Check runs SQLite's integrity check and returns an error describing any
// corruption it finds.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return wrap("check store", err)
	}
	defer rows.Close()
	var problems []error
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return wrap("check store", err)
		}
		if msg != "ok" {
			problems = append(problems, errors.New(msg))
		}
	}
	if err := rows.Err(); err != nil {
		return wrap("check store", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check store %s: database is damaged: %w", s.path, errors.Join(problems...))
	}
	return nil
}

// write runs fn in one IMMEDIATE transaction on the writer connection and
// commits it; any error rolls everything back.
func (s *Store) write(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return runTx(ctx, op, s.w.BeginTx, fn)
}

// runTx begins a transaction with begin, runs fn in it and commits; any
// error rolls everything back.
func runTx(ctx context.Context, op string, begin func(context.Context, *sql.TxOptions) (*sql.Tx, error), fn func(tx *sql.Tx) error) error {
	tx, err := begin(ctx, nil)
	if err != nil {
		return wrap(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return wrap(op, err)
	}
	return nil
}

// writeRecoverable is write for changes the store can afford to lose in a
// power cut, because they are made again without harm: the outbox's
// "synced" marks (the hub answers "duplicate" for a response sent again,
// and the uploader marks it then). The transaction commits without waiting
// for the disk (synchronous=NORMAL for this commit only; the next durable
// commit, e.g. of a response, makes it durable too), so a sync does not put
// one fsync per batch on the disk the hub or the kiosk's own saves are
// waiting for. It holds the one writer connection throughout, so no other
// write ever commits under the relaxed setting.
func (s *Store) writeRecoverable(ctx context.Context, op string, fn func(tx *sql.Tx) error) (err error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return wrap(op, err)
	}
	defer conn.Close()
	defer func() {
		// Back to FULL before the connection serves anyone else (also if
		// setting NORMAL reported an error); if that fails the connection
		// must not be reused relaxed.
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL"); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, wrap(op, rerr))
		}
	}()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
		return wrap(op, err)
	}
	return runTx(ctx, op, conn.BeginTx, fn)
}

// DefaultPath is where the kiosk keeps its database when no --db is given:
// hailong/hailong.db under the user's config folder (~/.config on Linux,
// %AppData% on Windows).
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "hailong.db"
	}
	return filepath.Join(dir, "hailong", "hailong.db")
}
