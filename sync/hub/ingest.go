package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
	"golang.org/x/text/unicode/norm"
)

// keyFunc finds the device whose key verifies an item, or a rejection.
type keyFunc func(ctx context.Context, it protocol.Item) (*Device, *protocol.Result)

// IngestBatch checks every item of a batch uploaded by dev, stores the good
// ones in one transaction and returns one result per item. Items must carry
// dev's id and verify with dev's key. It returns an error, and stores
// nothing, only when the store fails.
func (h *Hub) IngestBatch(ctx context.Context, dev *Device, b *protocol.Batch) (*protocol.BatchResult, error) {
	return h.ingest(ctx, "http", b, func(_ context.Context, it protocol.Item) (*Device, *protocol.Result) {
		if it.Response.DeviceID != dev.ID {
			return nil, reject(it, protocol.ReasonDeviceMismatch, "response device_id %q is not the uploading device %q", it.Response.DeviceID, dev.ID)
		}
		return dev, nil
	})
}

// ingest is the per-item pipeline shared by uploads and bundle imports.
// Workers check items (signatures dominate) while the store's transaction
// consumes the checked items in batch order, so checking and writing
// overlap; the answer is built only after the commit.
func (h *Hub) ingest(ctx context.Context, source string, b *protocol.Batch, keyOf keyFunc) (*protocol.BatchResult, error) {
	start := time.Now()
	n := len(b.Items)
	if n > protocol.MaxBatchItems {
		return nil, protocol.Errorf(protocol.CodeInvalid, "batch has %d items, at most %d allowed", n, protocol.MaxBatchItems)
	}
	for i, it := range b.Items {
		if it.Response == nil {
			return nil, protocol.Errorf(protocol.CodeInvalid, "items[%d]: no response", i)
		}
	}
	results := make([]protocol.Result, n)
	incoming := make([]*Incoming, n)
	errs := make([]error, n)
	ready := make([]chan struct{}, n)
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(ctx)
	workers := parallelism(n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
				} else if in, res, err := h.checkItem(ctx, b.Items[i], keyOf); err != nil {
					errs[i] = err
				} else if res != nil {
					results[i] = *res
				} else {
					incoming[i] = in
				}
				close(ready[i])
			}
		})
	}
	defer func() {
		cancel() // stops the workers if the store gave up early
		wg.Wait()
	}()

	var goodIdx []int
	checked := func(yield func(Incoming, error) bool) {
		for i := range n {
			select {
			case <-ready[i]:
			case <-ctx.Done():
				yield(Incoming{}, ctx.Err())
				return
			}
			if errs[i] != nil {
				yield(Incoming{}, errs[i])
				return
			}
			if incoming[i] == nil {
				continue
			}
			goodIdx = append(goodIdx, i)
			if !yield(*incoming[i], nil) {
				return
			}
		}
	}
	outcomes, err := h.store.IngestSeq(ctx, checked, h.now().UTC())
	if err != nil {
		h.metrics.batches.WithLabelValues(source, "failed").Inc()
		return nil, fmt.Errorf("ingest batch of %d: %w", n, err)
	}
	if len(outcomes) != len(goodIdx) {
		return nil, fmt.Errorf("ingest batch of %d: store answered %d outcomes for %d items", n, len(outcomes), len(goodIdx))
	}
	for j, o := range outcomes {
		i := goodIdx[j]
		in := incoming[i]
		results[i] = protocol.Result{ID: in.Response.ID, Outcome: o}
		if o == protocol.Conflict {
			results[i].Reason = protocol.ReasonConflict
			results[i].Message = "the hub already holds this response id with different content; the first stays"
			h.log.Warn("conflict", "source", source, "response", in.Response.ID, "device", in.Response.DeviceID)
		}
	}
	br := &protocol.BatchResult{Results: results}
	counts := br.Counts()
	for _, o := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Rejected} {
		h.metrics.items.WithLabelValues(source, string(o)).Add(float64(counts[o]))
	}
	h.metrics.batches.WithLabelValues(source, "committed").Inc()
	elapsed := time.Since(start)
	h.metrics.duration.WithLabelValues(source).Observe(elapsed.Seconds())
	h.log.Info("batch committed", "source", source, "items", n,
		"accepted", counts[protocol.Accepted], "duplicate", counts[protocol.Duplicate],
		"conflict", counts[protocol.Conflict], "rejected", counts[protocol.Rejected], "duration", elapsed)
	return br, nil
}

// checkItem runs every check except duplicate/conflict. It returns the item
// ready to store, or a rejection, or an error when the store fails.
func (h *Hub) checkItem(ctx context.Context, it protocol.Item, keyOf keyFunc) (*Incoming, *protocol.Result, error) {
	dev, res := keyOf(ctx, it)
	if res != nil {
		h.logReject(res)
		return nil, res, nil
	}
	r := it.Response
	protocol.Normalize(r) // already done by the decoders; cheap when so
	content, err := protocol.Canonical(r)
	if err != nil {
		return nil, nil, err
	}
	if err := protocol.VerifyCanonical(dev.PublicKey, content, it.Signature); err != nil {
		res := reject(it, protocol.ReasonBadSignature, "%s", msgOf(err))
		h.logReject(res)
		return nil, res, nil
	}
	if err := protocol.CheckResponse(r); err != nil {
		res := reject(it, protocol.ReasonInvalid, "%s", msgOf(err))
		h.logReject(res)
		return nil, res, nil
	}
	s, err := h.surveyVersion(ctx, r.SurveyID, r.SurveyVersion)
	if errors.Is(err, ErrNotFound) {
		res := reject(it, protocol.ReasonUnknownSurvey, "survey %s version %d is not published at this hub", r.SurveyID, r.SurveyVersion)
		h.logReject(res)
		return nil, res, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if err := CheckAnswers(s, r); err != nil {
		res := reject(it, protocol.ReasonInvalidAnswers, "%s", err.Error())
		h.logReject(res)
		return nil, res, nil
	}
	return &Incoming{Response: r, Content: content, Signature: it.Signature}, nil, nil
}

func (h *Hub) logReject(res *protocol.Result) {
	h.log.Info("item rejected", "response", res.ID, "reason", res.Reason, "message", res.Message)
}

// reject builds a rejected result for it.
func reject(it protocol.Item, reason, format string, args ...any) *protocol.Result {
	return &protocol.Result{ID: it.Response.ID, Outcome: protocol.Rejected, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// msgOf returns a *protocol.Error's message, or the error text.
func msgOf(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

// normText NFC-normalises operator input.
func normText(s string) string { return norm.NFC.String(s) }
