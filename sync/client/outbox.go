package client

import (
	"context"
	"errors"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Outgoing is one response waiting in the kiosk's outbox.
type Outgoing struct {
	// Seq is the response's place in save order: PendingAfter(Seq) goes on
	// after it.
	Seq int64
	// Response is the stored response.
	Response *survey.Response
	// Signature is its device's signature as stored when it was saved, or
	// nil when it has none (yet, or any more).
	Signature []byte
	// Waiting is the hub's "not yet" reason recorded by MarkWaiting, or ""
	// for a response the hub has not held back.
	Waiting string
	// DeviceSeq is the device's sequence number of the response, signed
	// with it (protocol version 2); 0 for a response saved before the
	// kiosk numbered them, sent as version 1.
	DeviceSeq int64
}

// Waiting is a pending response the hub answered "not yet", with its
// reason (its survey version is not published at the hub yet).
type Waiting struct {
	ID, Reason string
}

// SyncStats counts the outbox's responses by state.
type SyncStats struct {
	Pending, Synced, Rejected int
	// Waiting counts the pending responses the hub answered "not yet"
	// (MarkWaiting); they are part of Pending.
	Waiting int
}

// ErrAlreadySynced is what Outbox.MarkRejected returns (wrapped) for a
// response the hub already held: it stays synced.
var ErrAlreadySynced = errors.New("the response is already synced")

// ErrSurveyConflict is what Outbox.SaveSurvey returns (wrapped) when the
// kiosk holds a different definition of the same survey version: the
// kiosk keeps its own.
var ErrSurveyConflict = errors.New("a different definition of this survey version is stored")

// Outbox is the part of the kiosk store the uploader uses; app/launch
// adapts the kiosk's store to it. The outbox is the only sync state.
type Outbox interface {
	settings.KV
	// PendingAfter returns up to limit responses not yet synced nor
	// rejected, in save order, after the one numbered after (0: from the
	// start), with the signatures made when they were saved.
	PendingAfter(ctx context.Context, after int64, limit int) ([]Outgoing, error)
	// HighWater returns the highest sequence number the kiosk has
	// assigned (0: none), whether or not that response is still stored;
	// every upload carries it signed (protocol.Mark).
	HighWater(ctx context.Context) (int64, error)
	// DropSignatures forgets stored signatures the hub refused, so the
	// responses are signed again.
	DropSignatures(ctx context.Context, ids []string) error
	// MarkSyncedSeq marks the responses with these outbox numbers
	// (Outgoing.Seq) as held by the hub, in one transaction.
	MarkSyncedSeq(ctx context.Context, seqs []int64) error
	// MarkRejected takes a response out of the outbox for good, keeping it
	// with the reason for the admin. A response already synced stays
	// synced, and the error wraps ErrAlreadySynced.
	MarkRejected(ctx context.Context, id, reason string) error
	// MarkWaiting keeps responses pending with the hub's "not yet" reason
	// (Outgoing.Waiting), so that they are sent again only after a survey
	// pull.
	MarkWaiting(ctx context.Context, items []Waiting) error
	// SyncStats counts pending, synced and rejected responses.
	SyncStats(ctx context.Context) (SyncStats, error)
	// SaveSurvey stores a validated survey definition pulled from the hub.
	// A different definition of the same version already stored is kept,
	// and the error wraps ErrSurveyConflict.
	SaveSurvey(ctx context.Context, raw []byte) error
}
