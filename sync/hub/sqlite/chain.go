package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// chainWriter appends acceptance chain entries inside one write
// transaction: append computes each entry from the head kept in memory,
// flush writes the pending ones, chainRows to a statement (one statement
// per row costs the batch more than the hashing).
type chainWriter struct {
	tx      *sql.Tx
	head    *hub.ChainEntry // nil while the chain is empty
	pending []hub.ChainEntry
	full    *sql.Stmt // inserts chainRows rows, prepared on first use
}

// chainRows is how many entries one INSERT writes.
const chainRows = 100

// newChainWriter reads the chain's head in tx.
func newChainWriter(ctx context.Context, tx *sql.Tx) (*chainWriter, error) {
	cw := &chainWriter{tx: tx}
	row := tx.QueryRowContext(ctx, `SELECT seq, response_id, digest, receipt, accepted_at, hash FROM chain ORDER BY seq DESC LIMIT 1`)
	var e hub.ChainEntry
	err := scanEntry(row.Scan, &e, nil)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("read chain head: %w", err)
	default:
		cw.head = &e
	}
	return cw, nil
}

// append adds the entry of the response id, just accepted with content;
// it is written by the next flush.
func (cw *chainWriter) append(id string, content []byte, at time.Time) {
	cw.pending = append(cw.pending, hub.NextChainEntry(cw.head, id, content, at))
	cw.head = &cw.pending[len(cw.pending)-1]
}

// flush writes the pending entries; the transaction must not commit
// before it returns nil.
func (cw *chainWriter) flush(ctx context.Context) error {
	for len(cw.pending) > 0 {
		n := min(len(cw.pending), chainRows)
		rows := cw.pending[:n]
		args := make([]any, 0, 7*n)
		for i := range rows {
			e := &rows[i]
			args = append(args, e.Seq, e.ResponseID, e.Digest[:], string(e.Receipt), timeText(e.AcceptedAt), e.Day(), e.Hash[:])
		}
		var err error
		if n == chainRows {
			if cw.full == nil {
				if cw.full, err = cw.tx.PrepareContext(ctx, chainInsert(chainRows)); err != nil {
					return fmt.Errorf("prepare chain insert: %w", err)
				}
			}
			_, err = cw.full.ExecContext(ctx, args...)
		} else {
			_, err = cw.tx.ExecContext(ctx, chainInsert(n), args...)
		}
		if err != nil {
			return fmt.Errorf("chain entries %d to %d: %w", rows[0].Seq, rows[n-1].Seq, err)
		}
		// The head stays valid: it points into the slice, which is not reused.
		cw.pending = cw.pending[n:]
	}
	cw.pending = nil
	return nil
}

// close releases the prepared statement.
func (cw *chainWriter) close() {
	if cw.full != nil {
		cw.full.Close()
	}
}

// chainInsert is an INSERT of n chain rows.
func chainInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO chain (seq, response_id, digest, receipt, accepted_at, day, hash) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
	}
	return b.String()
}

// scanEntry scans seq, response_id, digest, receipt, accepted_at, hash
// (and content when content is not nil) into e.
func scanEntry(scan func(...any) error, e *hub.ChainEntry, content *[]byte) error {
	var digest, hash []byte
	var receipt string
	var at sql.NullString
	dest := []any{&e.Seq, &e.ResponseID, &digest, &receipt, &at, &hash}
	if content != nil {
		dest = append(dest, content)
	}
	if err := scan(dest...); err != nil {
		return err
	}
	if len(digest) != 32 || len(hash) != 32 {
		return fmt.Errorf("chain entry %d: digest of %d bytes, hash of %d, want 32", e.Seq, len(digest), len(hash))
	}
	copy(e.Digest[:], digest)
	copy(e.Hash[:], hash)
	e.Receipt = protocol.Receipt(receipt)
	var err error
	e.AcceptedAt, err = parseTime(at)
	return err
}

// backfillChain gives every response stored before the chain existed an
// entry, in order of received_at then id, accepted at its received_at.
func backfillChain(ctx context.Context, tx *sql.Tx) error {
	cw, err := newChainWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer cw.close()
	type row struct {
		id, at  string
		content []byte
	}
	lastAt, lastID := "", ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, received_at, content FROM responses
			WHERE (received_at, id) > (?, ?) ORDER BY received_at, id LIMIT ?`, lastAt, lastID, pageSize)
		if err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.at, &r.content); err != nil {
				rows.Close()
				return fmt.Errorf("backfill chain: %w", err)
			}
			page = append(page, r)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		for _, r := range page {
			at, err := parseTime(sql.NullString{String: r.at, Valid: true})
			if err != nil {
				return fmt.Errorf("backfill chain: response %s: %w", r.id, err)
			}
			cw.append(r.id, r.content, at)
			lastAt, lastID = r.at, r.id
		}
		if err := cw.flush(ctx); err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		if len(page) < pageSize {
			return nil
		}
	}
}

// Chain implements hub.Store, reading pageSize entries per query.
func (s *Store) Chain(ctx context.Context) iter.Seq2[hub.StoredEntry, error] {
	return func(yield func(hub.StoredEntry, error) bool) {
		after := int64(-1 << 62)
		for {
			page, err := s.chainPage(ctx, after)
			if err != nil {
				yield(hub.StoredEntry{}, fmt.Errorf("chain: %w", err))
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
				after = e.Seq
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// chainPage reads the entries after seq, with their responses' content.
func (s *Store) chainPage(ctx context.Context, after int64) ([]hub.StoredEntry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT c.seq, c.response_id, c.digest, c.receipt, c.accepted_at, c.hash, r.content,
		EXISTS (SELECT 1 FROM purged p WHERE p.id = c.response_id)
		FROM chain c LEFT JOIN responses r ON r.id = c.response_id
		WHERE c.seq > ? ORDER BY c.seq LIMIT ?`, after, pageSize)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hub.StoredEntry
	for rows.Next() {
		var e hub.StoredEntry
		scan := func(dest ...any) error { return rows.Scan(append(dest, &e.Purged)...) }
		if err := scanEntry(scan, &e.ChainEntry, &e.Content); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// UnchainedResponses implements hub.Store.
func (s *Store) UnchainedResponses(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM responses WHERE id NOT IN (SELECT response_id FROM chain) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("unchained responses: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("unchained responses: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unchained responses: %w", err)
	}
	return ids, nil
}

// DayRoots implements hub.Store.
func (s *Store) DayRoots(ctx context.Context) ([]hub.DayRoot, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.day, c.seq, c.hash, d.n
		FROM (SELECT day, MAX(seq) AS last, COUNT(*) AS n FROM chain GROUP BY day) d
		JOIN chain c ON c.seq = d.last ORDER BY c.seq`)
	if err != nil {
		return nil, fmt.Errorf("day roots: %w", err)
	}
	defer rows.Close()
	var out []hub.DayRoot
	for rows.Next() {
		var d hub.DayRoot
		var hash []byte
		if err := rows.Scan(&d.Day, &d.LastSeq, &hash, &d.Entries); err != nil {
			return nil, fmt.Errorf("day roots: %w", err)
		}
		if len(hash) != 32 {
			return nil, fmt.Errorf("day roots: entry %d has a hash of %d bytes", d.LastSeq, len(hash))
		}
		copy(d.Root[:], hash)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("day roots: %w", err)
	}
	return out, nil
}

// ReceiptDays implements hub.Store.
func (s *Store) ReceiptDays(ctx context.Context, r protocol.Receipt) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT day FROM chain WHERE receipt = ? ORDER BY day`, string(r))
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", r, err)
	}
	defer rows.Close()
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("receipt %s: %w", r, err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("receipt %s: %w", r, err)
	}
	return days, nil
}
