package hub

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// The audit log records every administrative action, in order, as an
// append-only hash chain: entry n (from 1) hashes its own fields and entry
// n-1's hash (AuditHash), entry 0's hash being 32 zero bytes. Editing an
// entry changes its hash; deleting one leaves a gap in Seq or a link that
// no longer matches; VerifyAudit finds the first of either. Removing the
// newest entries leaves a shorter chain that still holds: compare the head
// that `hailong-hub audit verify` prints with one noted earlier. A purge
// (retention.go) removes the oldest entries and keeps the last removed
// one's Seq and Hash as the log's checkpoint, recorded in the purge's own
// entry.

// Audit actions. Details name the action's object and parameters.
const (
	AuditLogin         = "login"          // details: none
	AuditLoginFailed   = "login_failed"   // details: none (the actor is the name typed)
	AuditDeviceEnroll  = "device_enroll"  // details: id, name, service_point
	AuditDeviceRevoke  = "device_revoke"  // details: id
	AuditSurveyPublish = "survey_publish" // details: id, version
	AuditExport        = "export"         // details: the export's filters and format
	AuditAdminAdd      = "admin_add"      // details: name, role
	AuditAdminPassword = "admin_password" // details: name, role (password or role changed)
	AuditAdminRemove   = "admin_remove"   // details: name
	AuditImport        = "import"         // details: file, accepted, duplicates, conflicts
	AuditSlipsPrint    = "slips_print"    // details: batch, service_point, count
	AuditFeedbackView  = "feedback_view"  // details: id, code (an inspector read a sealed case)
	AuditFeedback      = "feedback"       // details: id, code, state, assignee, public, reply_chars
	AuditWebhookAdd    = "webhook_add"    // details: id, url, kinds (never the secret)
	AuditWebhookRemove = "webhook_remove" // details: id, url
	AuditWebhookRetry  = "webhook_retry"  // details: delivery, webhook (a failed delivery sent again)
	AuditSlidesPublish = "slides_publish" // details: version
	// AuditPurge (retention.go): details PurgeDetails.
)

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	// Seq numbers the entries from 1, without gaps; set by the store.
	Seq int64
	// At is when the action happened, UTC to the millisecond.
	At time.Time
	// Actor is who acted: a dashboard account's name, or "cli:" and the
	// operating-system user for a command on the server.
	Actor string
	// Action is one of the Audit* constants.
	Action string
	// Addr is the client's address for the dashboard, "local" for the CLI.
	Addr string
	// Details are the action's parameters, encoded as a URL query (keys
	// sorted: url.Values.Encode), so that the hashed text is one spelling.
	Details string
	// Hash is AuditHash(previous entry's hash, this entry); set by the store.
	Hash [32]byte
}

// NewAuditEntry makes the entry a caller appends: times truncated to the
// millisecond, text in NFC, details encoded.
func NewAuditEntry(at time.Time, actor, action, addr string, details url.Values) AuditEntry {
	return AuditEntry{
		At:      at.UTC().Truncate(time.Millisecond),
		Actor:   norm.NFC.String(actor),
		Action:  action,
		Addr:    addr,
		Details: norm.NFC.String(details.Encode()),
	}
}

// NextAuditEntry is e as the entry after head (nil for the first): its Seq
// and Hash set. Stores call it in the transaction that writes e.
func NextAuditEntry(head *AuditEntry, e AuditEntry) AuditEntry {
	var prev [32]byte
	e.Seq = 1
	if head != nil {
		prev, e.Seq = head.Hash, head.Seq+1
	}
	e.At = e.At.UTC().Truncate(time.Millisecond)
	e.Hash = AuditHash(prev, &e)
	return e
}

// AuditHash is the hash of e after an entry whose hash is prev:
//
//	SHA-256("hailong-audit-1" ‖ prev ‖ seq ‖ len‖at ‖ len‖actor ‖ len‖action ‖ len‖addr ‖ len‖details)
//
// with seq and each length as 8 bytes big-endian and at in
// protocol.TimeFormat, so no two different entries hash the same text.
func AuditHash(prev [32]byte, e *AuditEntry) [32]byte {
	h := sha256.New()
	h.Write([]byte("hailong-audit-1"))
	h.Write(prev[:])
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	for _, f := range []string{e.At.UTC().Format(protocol.TimeFormat), e.Actor, e.Action, e.Addr, e.Details} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// AuditBreak is the first place where the stored audit log is not what
// was appended.
type AuditBreak struct {
	// Seq is the stored entry where the break shows (the entry after a
	// deleted one, or the edited one).
	Seq    int64
	Reason string
}

func (b *AuditBreak) String() string { return fmt.Sprintf("audit entry %d: %s", b.Seq, b.Reason) }

// AuditReport is what VerifyAudit found.
type AuditReport struct {
	// Entries is the Seq of the last entry that holds, counting from the
	// first entry ever appended (purged ones included), before any break.
	Entries int64
	// Head is the hash of the last entry that holds (zero when none).
	Head [32]byte
	// Checkpoint is where the stored log starts, nil when no entry was
	// ever purged.
	Checkpoint *AuditCheckpoint
	// Break is the first break, nil when the whole log holds.
	Break *AuditBreak
}

// HeadHex is Head in hexadecimal.
func (r *AuditReport) HeadHex() string { return hex.EncodeToString(r.Head[:]) }

// VerifyAudit recomputes the audit log from its entries and reports the first
// entry that does not follow from the ones before it. cp is the store's
// checkpoint (Store.AuditCheckpoint; nil when no entry was purged): the log
// must start right after it, linked to its hash, and the newest purge entry
// that moved a checkpoint must record this one. noted (nil for none) holds
// hashes of entries noted earlier, by Seq: each must still be there with
// that hash, so that removing the newest entries shows too; a noted entry
// before the checkpoint was purged and is not checked. An error means the
// log could not be read, not that it is broken.
func VerifyAudit(ctx context.Context, cp *AuditCheckpoint, entries iter.Seq2[AuditEntry, error], noted map[int64][32]byte) (*AuditReport, error) {
	rep := &AuditReport{Checkpoint: cp}
	var prev [32]byte
	want := int64(1)
	if cp != nil {
		prev, want = cp.Hash, cp.Seq+1
		rep.Head, rep.Entries = cp.Hash, cp.Seq
		if h, ok := noted[cp.Seq]; ok && h != cp.Hash {
			rep.Break = &AuditBreak{Seq: cp.Seq, Reason: "the checkpoint's hash differs from the one noted earlier: the log was rewritten from here or before"}
			return rep, nil
		}
	}
	var recorded string // the checkpoint the newest purge entry records
	var recordedAt int64
	for e, err := range entries {
		if err != nil {
			return nil, fmt.Errorf("read the audit log: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		seen, wasNoted := noted[e.Seq]
		switch {
		case e.Seq > want:
			rep.Break = &AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("entries %d to %d are missing (deleted)", want, e.Seq-1)}
		case e.Seq < want:
			rep.Break = &AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("entry number %d again (want %d)", e.Seq, want)}
		case AuditHash(prev, &e) != e.Hash:
			rep.Break = &AuditBreak{Seq: e.Seq, Reason: "its hash does not follow from its fields and the entry before: it or the one before was changed (it " + describe(&e) + ")"}
		case wasNoted && seen != e.Hash:
			rep.Break = &AuditBreak{Seq: e.Seq, Reason: "its hash differs from the one noted earlier: the log was rewritten from here or before"}
		}
		if rep.Break != nil {
			return rep, nil
		}
		if c, ok := checkpointOf(&e); ok {
			recorded, recordedAt = c, e.Seq
		}
		prev, rep.Head, rep.Entries = e.Hash, e.Hash, e.Seq
		want++
	}
	if cp != nil && recorded != cp.String() {
		rep.Break = &AuditBreak{Seq: cp.Seq + 1, Reason: "the log starts after a checkpoint that no purge entry records: entries were removed other than by a purge"}
		if recorded != "" {
			rep.Break = &AuditBreak{Seq: recordedAt, Reason: fmt.Sprintf("this purge entry records the checkpoint %s but the log starts after %s: entries were removed other than by a purge", recorded, cp)}
		}
		return rep, nil
	}
	for seq := range noted {
		if seq > rep.Entries && (rep.Break == nil || seq < rep.Break.Seq) {
			rep.Break = &AuditBreak{Seq: seq, Reason: fmt.Sprintf("it was noted earlier but the log now ends at entry %d: the newest entries were removed", rep.Entries)}
		}
	}
	return rep, nil
}

// ParseAuditHead reads a head as `audit verify` prints it, "SEQ:HASH"
// (HASH in hexadecimal).
func ParseAuditHead(s string) (int64, [32]byte, error) {
	var h [32]byte
	seqText, hexText, ok := strings.Cut(strings.TrimSpace(s), ":")
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if !ok || err != nil || seq < 1 {
		return 0, h, fmt.Errorf("%q: want ENTRY:HASH as audit verify prints it, e.g. 42:9f86d0…", s)
	}
	b, err := hex.DecodeString(hexText)
	if err != nil || len(b) != len(h) {
		return 0, h, fmt.Errorf("%q: the hash is not 64 hexadecimal digits", s)
	}
	copy(h[:], b)
	return seq, h, nil
}

func describe(e *AuditEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "now reads %s %s by %q", e.At.UTC().Format(protocol.TimeFormat), e.Action, e.Actor)
	if e.Details != "" {
		fmt.Fprintf(&b, ", %s", e.Details)
	}
	return b.String()
}

// FilterDetails is f as audit details: its set fields only.
func FilterDetails(f Filter) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	if !f.From.IsZero() {
		set("from", f.From.UTC().Format(protocol.TimeFormat))
	}
	if !f.To.IsZero() {
		set("to", f.To.UTC().Format(protocol.TimeFormat))
	}
	set("survey", f.SurveyID)
	if f.SurveyVersion != 0 {
		set("survey_version", fmt.Sprint(f.SurveyVersion))
	}
	set("service_point", f.ServicePoint)
	set("device", f.DeviceID)
	set("status", string(f.Status))
	set("event", f.EventTag)
	return v
}
