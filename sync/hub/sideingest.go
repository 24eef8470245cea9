package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// sideKind is what sets one kind of side upload (feedback cases, help
// requests) apart in ingestSide: I is the signed item on the wire, R the
// row the hub keeps of it.
type sideKind[I, R any] struct {
	// name names the kind in log lines and errors, noun one item in the
	// messages a kiosk gets back.
	name, noun string
	// ids returns an item's own id and the device id it carries.
	ids func(I) (id, deviceID string)
	// verify checks the item's signature with the device's key, check the
	// protocol's rules for its content.
	verify func(ed25519.PublicKey, I) error
	check  func(I) error
	// row is the item as the hub keeps it; only called for items that
	// passed every check.
	row func(I) R
	// store keeps rows in one transaction, one outcome each (a Store
	// method: IngestFeedback, IngestHelp).
	store func(context.Context, []R, time.Time) ([]protocol.Outcome, error)
	// conflict is the message of a Conflict outcome.
	conflict string
}

// ingestSide checks each item of a batch from device d (its device id,
// signature and rules) and stores the good ones in one transaction.
// Results are in batch order, with the store's outcomes and the reasons
// of those refused. The webhook deliverer is woken when any item was
// stored now: the store queued its event in the same transaction.
func ingestSide[I, R any](ctx context.Context, h *Hub, d *Device, items []I, k sideKind[I, R]) (*protocol.BatchResult, error) {
	res := &protocol.BatchResult{Results: make([]protocol.Result, len(items))}
	var rows []R
	var at []int
	for i, it := range items {
		id, deviceID := k.ids(it)
		r := &res.Results[i]
		r.ID = id
		if reason, msg := k.refusal(d, deviceID, it); reason != "" {
			r.Outcome, r.Reason, r.Message = protocol.Rejected, reason, msg
			continue
		}
		rows = append(rows, k.row(it))
		at = append(at, i)
	}
	if len(rows) > 0 {
		outs, err := k.store(ctx, rows, h.now().UTC())
		if err == nil && len(outs) != len(rows) {
			err = fmt.Errorf("store answered %d outcomes for %d items", len(outs), len(rows))
		}
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", k.name, err)
		}
		for j, o := range outs {
			r := &res.Results[at[j]]
			r.Outcome = o
			if o == protocol.Conflict {
				r.Reason, r.Message = protocol.ReasonConflict, k.conflict
			}
		}
		if res.Counts()[protocol.Accepted] > 0 {
			h.eventsQueued()
		}
	}
	h.log.Info(k.name+" batch", "device", d.ID, "items", len(items), "checked", len(rows))
	return res, nil
}

// refusal is why item it, carrying deviceID, is refused from device d
// (a protocol reason and its message), or "" when it passes: the device
// first, then the signature, then the rules.
func (k sideKind[I, R]) refusal(d *Device, deviceID string, it I) (reason, msg string) {
	if deviceID != d.ID {
		return protocol.ReasonDeviceMismatch, fmt.Sprintf("%s device_id %q is not the uploading device", k.noun, deviceID)
	}
	if err := k.verify(d.PublicKey, it); err != nil {
		return protocol.ReasonBadSignature, err.Error()
	}
	if err := k.check(it); err != nil {
		var pe *protocol.Error
		if errors.As(err, &pe) {
			return protocol.ReasonInvalid, pe.Message
		}
		return protocol.ReasonInvalid, err.Error()
	}
	return "", ""
}
