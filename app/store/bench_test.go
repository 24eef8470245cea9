package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// The benchmarks compare SaveResponse with the cheapest durable insert
// SQLite can do on the same machine. Both start from a database that already
// holds benchWarm rows, loaded in one transaction large enough (over the
// 1000-page auto-checkpoint) that the WAL file has grown to its working size
// and is reused from its start: the timed loop then measures the steady
// state of a kiosk that has been running a while, not the first hundreds of
// saves after start-up in which every commit also extends the WAL file
// (which costs more the fewer pages a commit writes, and so favours
// SaveResponse).
const benchWarm = 10000

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

// benchStore opens a store holding benchWarm responses.
func benchStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	warm(b, s.w, benchWarm, func(tx *sql.Tx, r *survey.Response) error {
		rec, err := newRecord(r)
		if err != nil {
			return err
		}
		return s.insert(ctx, tx, rec)
	})
	return s
}

// bareDB is a one-table database opened with the store's writer connection
// string (WAL, synchronous=FULL, busy timeout, statement cache) on one
// connection, holding benchWarm rows.
type bareDB struct{ db *sql.DB }

const bareInsert = "INSERT INTO t (id, body) VALUES (?, ?)"

func newBareDB(b *testing.B) *bareDB {
	b.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", dsn(filepath.Join(b.TempDir(), "bare.db"), writerAccess))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT"); err != nil {
		b.Fatal(err)
	}
	warm(b, db, benchWarm, func(tx *sql.Tx, r *survey.Response) error {
		body, err := json.Marshal(r)
		if err == nil {
			_, err = tx.ExecContext(ctx, bareInsert, r.ID, string(body))
		}
		return err
	})
	return &bareDB{db: db}
}

// bareRows are the ids and JSON bodies the bare insert writes.
func bareRows(b *testing.B, rs []*survey.Response) []string {
	b.Helper()
	bodies := make([]string, len(rs))
	for i, r := range rs {
		j, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = string(j)
	}
	return bodies
}

// BenchmarkSaveResponse measures one SaveResponse: checks, NFC, hashing and
// one durable transaction (WAL, synchronous=FULL) on a file.
func BenchmarkSaveResponse(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
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
// database with the same pragmas.
func BenchmarkBareInsert(b *testing.B) {
	ctx := context.Background()
	bare := newBareDB(b)
	rs := benchResponses(b, b.N)
	bodies := bareRows(b, rs)
	b.ReportAllocs()
	b.ResetTimer()
	for i, r := range rs {
		if _, err := bare.db.ExecContext(ctx, bareInsert, r.ID, bodies[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveVsBare alternates one SaveResponse and one bare insert, so
// that both meet the same load on a shared machine, and reports each one's
// median latency and their ratio (the figure the target is set on). One op
// is one save plus one bare insert.
func BenchmarkSaveVsBare(b *testing.B) {
	saveVsBare(b, func(ctx context.Context, s *Store, r *survey.Response) error { return s.SaveResponse(ctx, r) })
}

// BenchmarkSignedSaveVsBare is BenchmarkSaveVsBare for an enrolled kiosk
// that signed each response inside its save (protocol.Sign, then
// SaveSignedResponse): the way the kiosk does not do it, because it slows
// the save (sync/client.Signer saves first and signs in the background;
// figures in docs/BENCHMARKS.md).
func BenchmarkSignedSaveVsBare(b *testing.B) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	saveVsBare(b, func(ctx context.Context, s *Store, r *survey.Response) error {
		it, err := protocol.Sign(priv, r)
		if err != nil {
			return err
		}
		return s.SaveSignedResponse(ctx, r, it.Signature)
	})
}

// saveVsBare alternates save and a bare insert; see BenchmarkSaveVsBare.
func saveVsBare(b *testing.B, saveOne func(context.Context, *Store, *survey.Response) error) {
	ctx := context.Background()
	s := benchStore(b)
	bare := newBareDB(b)
	rs := benchResponses(b, b.N)
	others := benchResponses(b, b.N)
	bodies := bareRows(b, others)
	saves := make([]time.Duration, 0, b.N)
	bares := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	save := func(i int) {
		t0 := time.Now()
		if err := saveOne(ctx, s, rs[i]); err != nil {
			b.Fatal(err)
		}
		saves = append(saves, time.Since(t0))
	}
	insert := func(i int) {
		t0 := time.Now()
		if _, err := bare.db.ExecContext(ctx, bareInsert, others[i].ID, bodies[i]); err != nil {
			b.Fatal(err)
		}
		bares = append(bares, time.Since(t0))
	}
	for i := range rs {
		// Alternate which goes first: an fsync also commits the file
		// system's journal for the other file's pending changes, which
		// makes the second write of a pair cheaper.
		if i%2 == 0 {
			save(i)
			insert(i)
		} else {
			insert(i)
			save(i)
		}
	}
	b.StopTimer()
	saveMed, bareMed := median(saves), median(bares)
	b.ReportMetric(float64(saveMed.Microseconds()), "save-µs")
	b.ReportMetric(float64(bareMed.Microseconds()), "bare-µs")
	b.ReportMetric(float64(saveMed)/float64(bareMed), "save/bare")
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}
