package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// The benchmarks compare SaveResponse with the cheapest durable insert
// SQLite can do on the same machine. Both start from a database that already
// holds benchWarm rows, loaded in one transaction so that the WAL file has
// grown to its working size: the timed loop then measures the steady state
// of a kiosk that has been running a while, not the first minutes in which
// every commit also extends the WAL file.
const benchWarm = 2000

// benchResponses makes n distinct responses like the kiosk saves.
func benchResponses(b *testing.B, n int) []*survey.Response {
	b.Helper()
	rs := make([]*survey.Response, n)
	for i := range rs {
		rs[i] = testResponse(b, i, "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn")
	}
	return rs
}

// warm inserts rows in one transaction through insert.
func warm(b *testing.B, db *sql.DB, rows int, insert func(tx *sql.Tx, r *survey.Response) error) {
	b.Helper()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, r := range benchResponses(b, rows) {
		if err := insert(tx, r); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSaveResponse measures one SaveResponse: checks, NFC, hashing and
// one durable transaction (WAL, synchronous=FULL) on a file.
func BenchmarkSaveResponse(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	warm(b, s.w, benchWarm, func(tx *sql.Tx, r *survey.Response) error {
		rec, err := newRecord(r)
		if err != nil {
			return err
		}
		return s.insert(ctx, tx, rec)
	})
	rs := benchResponses(b, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for _, r := range rs {
		if err := s.SaveResponse(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsert is the floor SaveResponse is measured against: one
// autocommit single-row INSERT of the response's JSON into a one-table
// database opened with the same connection string (WAL, synchronous=FULL,
// busy timeout, statement cache) on one connection.
func BenchmarkBareInsert(b *testing.B) {
	ctx := context.Background()
	db, err := sql.Open("sqlite3", dsn(filepath.Join(b.TempDir(), "bare.db"), false, false))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT"); err != nil {
		b.Fatal(err)
	}
	const insert = "INSERT INTO t (id, body) VALUES (?, ?)"
	warm(b, db, benchWarm, func(tx *sql.Tx, r *survey.Response) error {
		body, err := json.Marshal(r)
		if err == nil {
			_, err = tx.ExecContext(ctx, insert, r.ID, string(body))
		}
		return err
	})
	rs := benchResponses(b, b.N)
	bodies := make([]string, len(rs))
	for i, r := range rs {
		j, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = string(j)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i, r := range rs {
		if _, err := db.ExecContext(ctx, insert, r.ID, bodies[i]); err != nil {
			b.Fatal(err)
		}
	}
}
