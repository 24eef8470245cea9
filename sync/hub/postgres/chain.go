package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// chainLock is the pg_advisory_xact_lock key an ingest transaction holds
// from reading the chain's head to its commit: the chain is one sequence,
// so the batches of every hub process append to it one after the other.
const chainLock = migrationLock + 2

// appendChain gives the responses just accepted in tx, in batch order, the
// next entries of the acceptance chain (hub.NextChainEntry), in the same
// transaction.
func appendChain(ctx context.Context, tx pgx.Tx, accepted []hub.Incoming, at time.Time) error {
	if len(accepted) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(chainLock)); err != nil {
		return fmt.Errorf("chain: take the lock: %w", err)
	}
	head, err := chainHead(ctx, tx)
	if err != nil {
		return err
	}
	entries := make([]hub.ChainEntry, 0, len(accepted))
	for _, in := range accepted {
		e := hub.NextChainEntry(head, in.Response.ID, in.Content, at)
		entries = append(entries, e)
		head = &entries[len(entries)-1]
	}
	return insertChain(ctx, tx, entries)
}

// chainHead reads the chain's last entry, nil when it is empty.
func chainHead(ctx context.Context, tx pgx.Tx) (*hub.ChainEntry, error) {
	var e hub.ChainEntry
	err := scanEntry(tx.QueryRow(ctx, `SELECT seq, response_id, digest, receipt, accepted_at, hash FROM chain ORDER BY seq DESC LIMIT 1`).Scan, &e, nil)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("chain: read the head: %w", err)
	}
	return &e, nil
}

// insertChain writes entries in one statement.
func insertChain(ctx context.Context, tx pgx.Tx, entries []hub.ChainEntry) error {
	n := len(entries)
	seqs, ids, receipts, days := make([]int64, n), make([]string, n), make([]string, n), make([]string, n)
	digests, hashes := make([][]byte, n), make([][]byte, n)
	ats := make([]time.Time, n)
	for i := range entries {
		e := &entries[i]
		seqs[i], ids[i], receipts[i], days[i] = e.Seq, e.ResponseID, string(e.Receipt), e.Day()
		digests[i], hashes[i], ats[i] = e.Digest[:], e.Hash[:], e.AcceptedAt
	}
	if _, err := tx.Exec(ctx, `INSERT INTO chain (seq, response_id, digest, receipt, accepted_at, day, hash)
		SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::text[], $5::timestamptz[], $6::text[], $7::bytea[])`,
		seqs, ids, digests, receipts, ats, days, hashes); err != nil {
		return fmt.Errorf("chain entries %d to %d: %w", seqs[0], seqs[n-1], err)
	}
	return nil
}

// backfillChain gives every response stored before the chain existed an
// entry, in order of received_at then id, accepted at its received_at:
// the Go part of sql/0004_chain_marks.sql, run in its transaction.
func backfillChain(ctx context.Context, tx pgx.Tx) error {
	var head *hub.ChainEntry
	lastAt, lastID := time.Time{}, ""
	for {
		rows, err := tx.Query(ctx, `SELECT id, received_at, content FROM responses
			WHERE (received_at, id) > ($1, $2) ORDER BY received_at, id LIMIT $3`, lastAt, lastID, pageSize)
		if err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		var entries []hub.ChainEntry
		var id string
		var at time.Time
		var content []byte
		_, err = pgx.ForEachRow(rows, []any{&id, &at, &content}, func() error {
			entries = append(entries, hub.NextChainEntry(head, id, content, at))
			head = &entries[len(entries)-1]
			lastAt, lastID = at, id
			return nil
		})
		if err != nil {
			return fmt.Errorf("backfill chain: %w", err)
		}
		if len(entries) > 0 {
			if err := insertChain(ctx, tx, entries); err != nil {
				return fmt.Errorf("backfill chain: %w", err)
			}
			e := entries[len(entries)-1]
			head = &e
		}
		if len(entries) < pageSize {
			return nil
		}
	}
}

// scanEntry scans seq, response_id, digest, receipt, accepted_at, hash
// (and content when content is not nil) into e.
func scanEntry(scan func(...any) error, e *hub.ChainEntry, content *[]byte) error {
	var digest, hash []byte
	var receipt string
	dest := []any{&e.Seq, &e.ResponseID, &digest, &receipt, &e.AcceptedAt, &hash}
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
	e.AcceptedAt = e.AcceptedAt.UTC()
	return nil
}

// Chain implements hub.Store, reading pageSize entries per query from the
// primary.
func (s *Store) Chain(ctx context.Context) iter.Seq2[hub.StoredEntry, error] {
	return func(yield func(hub.StoredEntry, error) bool) {
		after := int64(-1 << 62)
		for {
			rows, err := s.pool.Query(ctx, `SELECT c.seq, c.response_id, c.digest, c.receipt, c.accepted_at, c.hash, r.content,
				EXISTS (SELECT 1 FROM purged p WHERE p.id = c.response_id)
				FROM chain c LEFT JOIN response_ids i ON i.id = c.response_id
				LEFT JOIN responses r ON r.started_at = i.started_at AND r.id = c.response_id
				WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, after, pageSize)
			if err != nil {
				yield(hub.StoredEntry{}, fmt.Errorf("chain: %w", err))
				return
			}
			var page []hub.StoredEntry
			for rows.Next() {
				var e hub.StoredEntry
				scan := func(dest ...any) error { return rows.Scan(append(dest, &e.Purged)...) }
				if err := scanEntry(scan, &e.ChainEntry, &e.Content); err != nil {
					rows.Close()
					yield(hub.StoredEntry{}, fmt.Errorf("chain: %w", err))
					return
				}
				page = append(page, e)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
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

// UnchainedResponses implements hub.Store.
func (s *Store) UnchainedResponses(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT r.id FROM responses r
		WHERE NOT EXISTS (SELECT 1 FROM chain c WHERE c.response_id = r.id) ORDER BY r.id`)
	if err != nil {
		return nil, fmt.Errorf("unchained responses: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("unchained responses: %w", err)
	}
	return ids, nil
}

// DayRoots implements hub.Store.
func (s *Store) DayRoots(ctx context.Context) ([]hub.DayRoot, error) {
	rows, err := s.pool.Query(ctx, `SELECT d.day, c.seq, c.hash, d.n
		FROM (SELECT day, max(seq) AS last, count(*) AS n FROM chain GROUP BY day) d
		JOIN chain c ON c.seq = d.last ORDER BY c.seq`)
	if err != nil {
		return nil, fmt.Errorf("day roots: %w", err)
	}
	var out []hub.DayRoot
	var d hub.DayRoot
	var hash []byte
	_, err = pgx.ForEachRow(rows, []any{&d.Day, &d.LastSeq, &hash, &d.Entries}, func() error {
		if len(hash) != 32 {
			return fmt.Errorf("entry %d has a hash of %d bytes", d.LastSeq, len(hash))
		}
		copy(d.Root[:], hash)
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("day roots: %w", err)
	}
	return out, nil
}

// ReceiptDays implements hub.Store.
func (s *Store) ReceiptDays(ctx context.Context, r protocol.Receipt) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT day FROM chain WHERE receipt = $1 ORDER BY day`, string(r))
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", r, err)
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("receipt %s: %w", r, err)
	}
	return days, nil
}
