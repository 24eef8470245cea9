package hub

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
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
// Workers check the items chunk by chunk (each chunk's signatures are
// verified in one batch) and the store's one write transaction takes the
// checked items in batch order; the answer is built only after the commit.
//
// How checking and writing meet depends on what else the hub is doing:
//   - a batch alone (one kiosk syncing) overlaps them: the transaction
//     starts at once and inserts each chunk as soon as it is checked, while
//     the next chunks are checked on the other cores (one core is left to
//     the store, so that it is not starved until the checks end);
//   - a batch that arrives while others are in flight checks everything on
//     every core first and only then takes the single writer, so the writer
//     is never held waiting for signature checks and one batch's checks run
//     while another commits.
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
	alone := h.ingesting.Add(1) == 1
	defer h.ingesting.Add(-1)
	cores := runtime.GOMAXPROCS(0)
	workers := max(1, min(cores, n/minSigChunk))
	bounds := chunkBounds(n, workers, alone)
	chunks := len(bounds) - 1
	chunkOf := make([]int, n) // the chunk of each item
	for c := range chunks {
		for i := bounds[c]; i < bounds[c+1]; i++ {
			chunkOf[i] = c
		}
	}
	results := make([]protocol.Result, n)
	incoming := make([]*Incoming, n)
	errs := make([]error, n)
	ready := make([]chan struct{}, chunks)
	for c := range ready {
		ready[c] = make(chan struct{})
	}
	ctx, cancel := context.WithCancel(ctx)
	var next atomic.Int64 // chunks are taken in order, so the store gets the first ones first
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo, hi := bounds[c], bounds[c+1]
				h.checkChunk(ctx, b.Items[lo:hi], keyOf, results[lo:hi], incoming[lo:hi], errs[lo:hi])
				close(ready[c])
				if alone {
					runtime.Gosched() // let the store take the chunk
				}
			}
		})
	}
	defer func() {
		cancel() // stops the workers if the store gave up early
		wg.Wait()
	}()
	if !alone {
		wg.Wait()
	}

	var goodIdx []int
	checked := func(yield func(Incoming, error) bool) {
		for i := range n {
			select {
			case <-ready[chunkOf[i]]:
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
		if err := ctx.Err(); err != nil {
			yield(Incoming{}, err) // gone before the commit: roll back
		}
	}
	// Cancellation reaches the store through checked, which yields ctx's
	// error between items and before the commit, so the transaction rolls
	// back. The store's own calls get a context that is never cancelled:
	// go-sqlite3 starts a goroutine per statement to watch a cancellable
	// context, a quarter of the store's CPU time for a batch of 500.
	outcomes, err := h.store.IngestSeq(context.WithoutCancel(ctx), checked, h.now().UTC())
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

// minSigChunk is the fewest items whose signatures are verified together.
const minSigChunk = 64

// chunkBounds splits n items into chunks whose signatures are verified
// together, returning the chunk boundaries (0, ..., n). Batch verification
// costs less per signature the larger it is (Pippenger's method from ~190
// signatures; docs/BENCHMARKS.md, "Sync hub"), so there is one chunk per
// worker; a batch that is written while it is checked (alone) first gets a
// small chunk, so that the store starts inserting early.
func chunkBounds(n, workers int, alone bool) []int {
	bounds := []int{0}
	if alone && n >= 2*minSigChunk {
		bounds = append(bounds, minSigChunk)
	}
	rest := n - bounds[len(bounds)-1]
	per := max(minSigChunk, (rest+workers-1)/workers)
	for at := bounds[len(bounds)-1]; at < n; {
		at = min(n, at+per)
		bounds = append(bounds, at)
	}
	return bounds
}

// checkChunk runs every check except duplicate/conflict on items, in the
// protocol's order: device, signature, response rules, survey version and
// answers. For each item it sets exactly one of results (a rejection),
// incoming (ready to store) or errs (the store failed, or ctx ended). The
// signatures of the chunk are verified in one batch.
func (h *Hub) checkChunk(ctx context.Context, items []protocol.Item, keyOf keyFunc, results []protocol.Result, incoming []*Incoming, errs []error) {
	if err := ctx.Err(); err != nil {
		for i := range items {
			errs[i] = err
		}
		return
	}
	contents := make([][]byte, len(items))
	signed := make([]int, 0, len(items)) // items whose signature is in sigs
	sigs := protocol.NewSignatureBatch(len(items))
	for i, it := range items {
		dev, res := keyOf(ctx, it)
		if res != nil {
			h.logReject(res)
			results[i] = *res
			continue
		}
		c, err := protocol.NormalizeCanonical(it.Response) // normalising is cheap when the decoder did it
		if err != nil {
			errs[i] = err
			continue
		}
		contents[i] = c
		sigs.Add(dev.PublicKey, c, it.Signature)
		signed = append(signed, i)
	}
	for j, err := range sigs.Verify() {
		i := signed[j]
		it := items[i]
		if err != nil {
			res := reject(it, protocol.ReasonBadSignature, "%s", msgOf(err))
			h.logReject(res)
			results[i] = *res
			continue
		}
		in, res, err := h.checkSigned(ctx, it, contents[i])
		switch {
		case err != nil:
			errs[i] = err
		case res != nil:
			h.logReject(res)
			results[i] = *res
		default:
			incoming[i] = in
		}
	}
}

// checkSigned runs the checks after the signature: the response rules, then
// the survey version and the answers. It returns the item ready to store,
// or a rejection, or an error when the store fails.
func (h *Hub) checkSigned(ctx context.Context, it protocol.Item, content []byte) (*Incoming, *protocol.Result, error) {
	r := it.Response
	if err := protocol.CheckResponse(r); err != nil {
		return nil, reject(it, protocol.ReasonInvalid, "%s", msgOf(err)), nil
	}
	s, err := h.surveyVersion(ctx, r.SurveyID, r.SurveyVersion)
	if errors.Is(err, ErrNotFound) {
		return nil, reject(it, protocol.ReasonUnknownSurvey, "survey %s version %d is not published at this hub", r.SurveyID, r.SurveyVersion), nil
	}
	if err != nil {
		return nil, nil, err
	}
	if err := CheckAnswers(s, r); err != nil {
		return nil, reject(it, protocol.ReasonInvalidAnswers, "%s", err.Error()), nil
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
