package hub

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// ImportReport counts what a bundle import did.
type ImportReport struct {
	// DeviceID is the bundle header's device.
	DeviceID string
	// Batches is the number of batches committed.
	Batches int
	// Outcomes counts items by outcome.
	Outcomes map[protocol.Outcome]int
	// Rejected lists the rejected and conflicting items.
	Rejected []protocol.Result
}

// Import ingests a bundle with the same per-item semantics as an upload:
// each item must carry the header's device id and verify with that device's
// enrolled key; an unknown device gives unknown_device, a revoked one
// device_revoked. Each batch commits in its own transaction, so importing
// the same bundle twice changes nothing (everything is duplicate the second
// time). The report counts what was committed even when an error (such as
// protocol.ErrTruncated for a cut copy) stops the import part way.
func (h *Hub) Import(ctx context.Context, r io.Reader) (*ImportReport, error) {
	rep := &ImportReport{Outcomes: map[protocol.Outcome]int{}}
	br, err := protocol.NewBundleReader(r)
	if err != nil {
		return rep, fmt.Errorf("import bundle: %w", err)
	}
	hdr := br.Header()
	rep.DeviceID = hdr.DeviceID
	dev, devErr := h.store.Device(ctx, hdr.DeviceID)
	if devErr != nil && !errors.Is(devErr, ErrNotFound) {
		return rep, fmt.Errorf("import bundle: %w", devErr)
	}
	keyOf := func(_ context.Context, it protocol.Item) (*Device, *protocol.Result) {
		switch {
		case it.Response.DeviceID != hdr.DeviceID:
			return nil, reject(it, protocol.ReasonDeviceMismatch, "response device_id %q is not the bundle's device %q", it.Response.DeviceID, hdr.DeviceID)
		case devErr != nil:
			return nil, reject(it, protocol.ReasonUnknownDevice, "device %q was never enrolled at this hub", hdr.DeviceID)
		case dev.State() == "revoked":
			return nil, reject(it, protocol.ReasonDeviceRevoked, "device %q is revoked", hdr.DeviceID)
		case dev.State() == "pending":
			return nil, reject(it, protocol.ReasonUnknownDevice, "device %q has not completed enrollment", hdr.DeviceID)
		}
		return dev, nil
	}
	// A bundle's mark must verify like an upload's; it is recorded once
	// every batch is in.
	mark := hdr.Mark
	if mark != nil && devErr == nil && dev.State() == "active" {
		if err := checkMark(dev, mark); err != nil {
			return rep, fmt.Errorf("import bundle: %w", err)
		}
	} else {
		mark = nil // an unknown or revoked device's items are refused; so is its mark
	}
	for {
		b, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, fmt.Errorf("import bundle: %w", err)
		}
		res, err := h.ingest(ctx, "import", b, keyOf)
		if err != nil {
			return rep, fmt.Errorf("import bundle batch %d: %w", rep.Batches+1, err)
		}
		rep.Batches++
		for _, r := range res.Results {
			rep.Outcomes[r.Outcome]++
			if !r.Outcome.Synced() {
				rep.Rejected = append(rep.Rejected, r)
			}
		}
	}
	if err := h.recordMark(ctx, mark); err != nil {
		return rep, fmt.Errorf("import bundle: %w", err)
	}
	h.log.Info("bundle imported", "device", rep.DeviceID, "batches", rep.Batches,
		"accepted", rep.Outcomes[protocol.Accepted], "duplicate", rep.Outcomes[protocol.Duplicate],
		"conflict", rep.Outcomes[protocol.Conflict], "rejected", rep.Outcomes[protocol.Rejected])
	return rep, nil
}
