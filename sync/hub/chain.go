package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// The acceptance chain is an append-only hash chain over the responses the
// hub accepted, in order of acceptance: entry n (from 1) links entry n-1's
// hash, the ContentDigest of the content accepted and the acceptance time,
//
//	hash_n = SHA-256(hash_{n-1} ‖ digest_n ‖ at_n),  hash_0 = 32 zero bytes,
//
// with at_n in protocol.TimeFormat (24 ASCII bytes). A store writes the
// entry in the transaction that accepts the response, so a response is
// stored if and only if it has an entry. A day's root is the hash of the
// last entry accepted that day (Asia/Ho_Chi_Minh): it commits to every
// response accepted up to then, so a root published on the hub's public
// page and copied by anyone lets them check later that no accepted
// response was changed or removed (VerifyChain). docs/receipts.md.

// ChainZone is the time zone of the chain's days: Vietnam's, UTC+7 all
// year (no daylight saving since 1975), fixed here so the hub needs no
// time zone database.
var ChainZone = time.FixedZone("ICT", 7*60*60)

// ChainEntry is one entry of the acceptance chain.
type ChainEntry struct {
	// Seq numbers the entries from 1, without gaps.
	Seq        int64
	ResponseID string
	// Digest is protocol.ContentDigest of the content accepted; Receipt is
	// its receipt code.
	Digest  [32]byte
	Receipt protocol.Receipt
	// AcceptedAt is the acceptance time, UTC to the millisecond; it never
	// goes back along the chain.
	AcceptedAt time.Time
	// Hash is ChainHash(previous hash, Digest, AcceptedAt).
	Hash [32]byte
}

// Day is the entry's day in ChainZone, "2006-01-02".
func (e *ChainEntry) Day() string { return ChainDay(e.AcceptedAt) }

// ChainDay is the chain day of t, "2006-01-02" in ChainZone.
func ChainDay(t time.Time) string { return t.In(ChainZone).Format(time.DateOnly) }

// ChainHash is the hash of an entry after prev with the given digest and
// acceptance time.
func ChainHash(prev, digest [32]byte, at time.Time) [32]byte {
	h := sha256.New()
	h.Write(prev[:])
	h.Write(digest[:])
	h.Write([]byte(at.UTC().Truncate(time.Millisecond).Format(protocol.TimeFormat)))
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// NextChainEntry returns the entry that follows prev (nil for the first)
// for the response id with canonical content accepted at at. The entry's
// time is at, or prev's when at is earlier (the clock stepped back, or a
// batch timed before another committed after it), so days follow the
// chain's order.
func NextChainEntry(prev *ChainEntry, id string, content []byte, at time.Time) ChainEntry {
	at = at.UTC().Truncate(time.Millisecond)
	var prevHash [32]byte
	seq := int64(1)
	if prev != nil {
		prevHash, seq = prev.Hash, prev.Seq+1
		if at.Before(prev.AcceptedAt) {
			at = prev.AcceptedAt
		}
	}
	d := protocol.ContentDigest(content)
	return ChainEntry{
		Seq: seq, ResponseID: id, Digest: d, Receipt: protocol.ReceiptFor(content),
		AcceptedAt: at, Hash: ChainHash(prevHash, d, at),
	}
}

// StoredEntry is a chain entry as a store holds it, beside the content
// stored now for its response (nil when the response row is gone).
type StoredEntry struct {
	ChainEntry
	Content []byte
	// Purged says the response was deleted by a purge (retention.go): its
	// Content is nil, and the entry's digest still links the chain.
	Purged bool
}

// DayRoot is the root of one chain day.
type DayRoot struct {
	// Day is "2006-01-02" in ChainZone.
	Day string
	// Root is the hash of the day's last entry, LastSeq its number.
	Root    [32]byte
	LastSeq int64
	// Entries is how many responses were accepted that day.
	Entries int64
}

// RootHex is the root in lower-case hexadecimal, as published.
func (d DayRoot) RootHex() string { return hex.EncodeToString(d.Root[:]) }

// ChainBreak is the first place where the stored chain does not hold.
type ChainBreak struct {
	// Seq is the entry number (0 when the break is a response with no
	// entry); ResponseID the response concerned ("" for an entry that is
	// gone from the end of the chain).
	Seq        int64
	ResponseID string
	// Problem says what does not hold, in English.
	Problem string
}

func (b *ChainBreak) Error() string {
	switch {
	case b.Seq == 0:
		return fmt.Sprintf("response %s: %s", b.ResponseID, b.Problem)
	case b.ResponseID == "":
		return fmt.Sprintf("entry %d: %s", b.Seq, b.Problem)
	}
	return fmt.Sprintf("entry %d (response %s): %s", b.Seq, b.ResponseID, b.Problem)
}

// ChainReport is what VerifyChain found.
type ChainReport struct {
	// Entries is how many entries were checked up to the break, or all.
	Entries int64
	// Roots are the day roots recomputed from the entries before the break
	// (all of them when Break is nil), oldest first.
	Roots []DayRoot
	// Break is the first break, nil when the whole chain holds.
	Break *ChainBreak
}

// VerifyChain recomputes the acceptance chain from st, entry by entry from
// the first: numbers without gaps, each response's stored content matching
// the digest and receipt accepted, time never going back, each hash
// recomputed from the previous one, and equal to published[seq] where
// published holds a root copied earlier for that entry (nil: none); then
// that no published entry is past the end, and that every stored response
// has an entry. It stops at the first break. It returns an error only when
// the store fails.
func VerifyChain(ctx context.Context, st Store, published map[int64][32]byte) (*ChainReport, error) {
	rep := &ChainReport{}
	var prev *ChainEntry
	for e, err := range st.Chain(ctx) {
		if err != nil {
			return nil, fmt.Errorf("verify chain: %w", err)
		}
		problem := checkEntry(prev, &e)
		if root, ok := published[e.Seq]; ok && problem == "" && root != e.Hash {
			problem = "its hash differs from the root published for it: the chain was rewritten up to here"
		}
		if problem != "" {
			rep.Break = &ChainBreak{Seq: e.Seq, ResponseID: e.ResponseID, Problem: problem}
			return rep, nil
		}
		rep.Entries++
		day := e.Day()
		if n := len(rep.Roots); n > 0 && rep.Roots[n-1].Day == day {
			rep.Roots[n-1].Root, rep.Roots[n-1].LastSeq = e.Hash, e.Seq
			rep.Roots[n-1].Entries++
		} else {
			rep.Roots = append(rep.Roots, DayRoot{Day: day, Root: e.Hash, LastSeq: e.Seq, Entries: 1})
		}
		prev = &e.ChainEntry
	}
	var last int64
	if prev != nil {
		last = prev.Seq
	}
	for seq := range published {
		if seq > last && (rep.Break == nil || seq < rep.Break.Seq) {
			rep.Break = &ChainBreak{Seq: seq, Problem: fmt.Sprintf("a root was published for this entry but the chain ends at entry %d: entries were removed", last)}
		}
	}
	if rep.Break != nil {
		return rep, nil
	}
	ids, err := st.UnchainedResponses(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify chain: %w", err)
	}
	if len(ids) > 0 {
		rep.Break = &ChainBreak{ResponseID: ids[0], Problem: fmt.Sprintf("stored without a chain entry (%d such responses)", len(ids))}
	}
	return rep, nil
}

// checkEntry says what is wrong with e after prev, or "".
func checkEntry(prev *ChainEntry, e *StoredEntry) string {
	want := int64(1)
	var prevHash [32]byte
	if prev != nil {
		want, prevHash = prev.Seq+1, prev.Hash
	}
	switch {
	case e.Seq != want:
		return fmt.Sprintf("entry number %d where %d was expected: entries are missing", e.Seq, want)
	case e.Content == nil && !e.Purged:
		return "the response is no longer stored"
	case e.Content != nil && protocol.ContentDigest(e.Content) != e.Digest:
		return "the stored response differs from the content accepted (digest mismatch)"
	case e.Content != nil && protocol.ReceiptFor(e.Content) != e.Receipt:
		return "the receipt code stored does not match the content"
	case prev != nil && e.AcceptedAt.Before(prev.AcceptedAt):
		return "acceptance time goes back"
	case ChainHash(prevHash, e.Digest, e.AcceptedAt) != e.Hash:
		return "hash does not link the previous entry"
	}
	return ""
}
