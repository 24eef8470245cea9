package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"golang.org/x/text/unicode/norm"
)

// keyFunc finds the device whose key verifies an item, or a rejection.
type keyFunc func(ctx context.Context, it protocol.Item) (*Device, *protocol.Result)

// IngestBatch checks every item of a batch uploaded by dev, stores the good
// ones in one transaction and returns one result per item. Items must carry
// dev's id and verify with dev's key. It returns an error, and stores
// nothing, only when the store fails.
//
// The batch's high-water mark, when it has one, must be dev's and verify
// with dev's key, or the whole batch is refused (CodeInvalid) before
// anything is stored; it is recorded (Store.RecordMark) after the items
// are committed, so a mark never claims numbers for a batch that failed.
func (h *Hub) IngestBatch(ctx context.Context, dev *Device, b *protocol.Batch) (*protocol.BatchResult, error) {
	if err := checkMark(dev, b.Mark); err != nil {
		return nil, err
	}
	res, err := h.ingest(ctx, "http", b, func(_ context.Context, it protocol.Item) (*Device, *protocol.Result) {
		if it.Response.DeviceID != dev.ID {
			return nil, reject(it, protocol.ReasonDeviceMismatch, "response device_id %q is not the uploading device %q", it.Response.DeviceID, dev.ID)
		}
		return dev, nil
	})
	if err != nil {
		return nil, err
	}
	if err := h.recordMark(ctx, b.Mark); err != nil {
		return nil, err
	}
	return res, nil
}

// checkMark checks that m (nil: none) is dev's signed mark.
func checkMark(dev *Device, m *protocol.Mark) error {
	if m == nil {
		return nil
	}
	if m.DeviceID != dev.ID {
		return protocol.Errorf(protocol.CodeInvalid, "mark is for device %q, not %q", m.DeviceID, dev.ID)
	}
	if err := protocol.VerifyMark(dev.PublicKey, m); err != nil {
		return protocol.Errorf(protocol.CodeInvalid, "mark of %s: %s", dev.ID, msgOf(err))
	}
	return nil
}

// recordMark stores a checked mark (nil: none).
func (h *Hub) recordMark(ctx context.Context, m *protocol.Mark) error {
	if m == nil {
		return nil
	}
	err := h.store.RecordMark(context.WithoutCancel(ctx), DeviceMark{
		DeviceID: m.DeviceID, From: m.From, Seq: m.Seq, SignedAt: m.At, Signature: m.Signature, ReceivedAt: h.now().UTC(),
	})
	if err != nil {
		return fmt.Errorf("record mark: %w", err)
	}
	return nil
}

// Gaps reports, per device with a signed mark, the sequence numbers below
// the mark the hub holds no response for (Store.Gaps).
func (h *Hub) Gaps(ctx context.Context) ([]DeviceGaps, error) { return h.store.Gaps(ctx) }

// ingest is the per-item pipeline shared by uploads and bundle imports.
// Workers first run the cheap checks on every item, chunk by chunk (device,
// normalisation and canonical encoding, response rules, survey version and
// answers), then verify the signatures chunk by chunk (each chunk in one
// batch verification). The store's one write transaction takes the items
// in batch order; the answer is built only after the commit.
//
// How checking and writing meet depends on what else the hub is doing:
//   - a batch alone (one kiosk syncing) is written while its signatures are
//     being verified: the transaction inserts each item once its cheap
//     checks pass, and waits for every signature verdict before it commits.
//     If a signature turns out bad, the transaction is rolled back and the
//     batch is written again without the refused items, so nothing
//     unverified is ever committed (bad signatures are rare: the slow path
//     is for attacks and bugs);
//   - a batch that arrives while others are in flight is checked completely
//     first and only then takes the single writer, so the writer is never
//     held waiting for signature checks and one batch's checks run while
//     another commits.
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
	workers := max(1, min(runtime.GOMAXPROCS(0), n/minSigChunk))
	bounds := chunkBounds(n, workers, alone)
	chunks := len(bounds) - 1
	chunkOf := make([]int, n) // the chunk of each item
	for c := range chunks {
		for i := bounds[c]; i < bounds[c+1]; i++ {
			chunkOf[i] = c
		}
	}
	st := &batchState{
		items: b.Items, keyOf: keyOf,
		results: make([]protocol.Result, n), final: make([]bool, n),
		incoming: make([]*Incoming, n), errs: make([]error, n),
		devs: make([]*Device, n), pre: make([]*protocol.Result, n), badSig: make([]bool, n),
		content: make([][]byte, n),
	}
	prechecked := make([]chan struct{}, chunks)
	for c := range prechecked {
		prechecked[c] = make(chan struct{})
	}
	verified := make(chan struct{})
	ctx, cancel := context.WithCancel(ctx)
	var nextPre, nextSig atomic.Int64 // chunks are taken in order, so the store gets the first ones first
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for c := int(nextPre.Add(1) - 1); c < chunks; c = int(nextPre.Add(1) - 1) {
				h.precheck(ctx, st, bounds[c], bounds[c+1])
				close(prechecked[c])
			}
			for c := int(nextSig.Add(1) - 1); c < chunks; c = int(nextSig.Add(1) - 1) {
				<-prechecked[c] // another worker may still be on its cheap checks
				h.verifyChunk(st, bounds[c], bounds[c+1])
			}
		})
	}
	go func() { wg.Wait(); close(verified) }()
	defer func() {
		cancel() // stops the workers if the store gave up early
		wg.Wait()
	}()
	if !alone {
		<-verified
		st.settle() // write only the items whose signatures verified
	}

	var goodIdx []int
	consumed := false // checked reached its end: every stored item verified
	// checked yields the items to store in batch order, each once its
	// cheap checks are done, and before the commit waits for the
	// signature verdicts: an item stored with a bad signature ends the
	// transaction with errResign (roll back, write again without it).
	checked := func(yield func(Incoming, error) bool) {
		goodIdx = goodIdx[:0]
		for i := range n {
			select {
			case <-prechecked[chunkOf[i]]:
			case <-ctx.Done():
				yield(Incoming{}, ctx.Err())
				return
			}
			if st.errs[i] != nil {
				yield(Incoming{}, st.errs[i])
				return
			}
			if st.incoming[i] == nil || st.final[i] {
				continue // refused by a cheap check, or (second pass) by its signature
			}
			goodIdx = append(goodIdx, i)
			if !yield(*st.incoming[i], nil) {
				return
			}
		}
		select {
		case <-verified:
		case <-ctx.Done():
		}
		if err := ctx.Err(); err != nil {
			yield(Incoming{}, err) // gone before the commit: roll back
			return
		}
		for _, i := range goodIdx {
			if st.badSig[i] {
				yield(Incoming{}, errResign)
				return
			}
		}
		consumed = true
	}
	// Cancellation reaches the store through checked, which yields ctx's
	// error between items and before the commit, so the transaction rolls
	// back. The store's own calls get a context that is never cancelled:
	// go-sqlite3 starts a goroutine per statement to watch a cancellable
	// context, a quarter of the store's CPU time for a batch of 500.
	outcomes, err := h.store.IngestSeq(context.WithoutCancel(ctx), checked, h.now().UTC())
	if errors.Is(err, errResign) {
		st.settle() // every verdict is in: the second pass writes only good items
		outcomes, err = h.store.IngestSeq(context.WithoutCancel(ctx), checked, h.now().UTC())
	}
	if err == nil && !consumed {
		err = errors.New("the store committed without reading the whole batch (see Store.IngestSeq)")
	}
	if err != nil {
		h.metrics.batches.WithLabelValues(source, "failed").Inc()
		return nil, fmt.Errorf("ingest batch of %d: %w", n, err)
	}
	<-verified // (already closed: checked waited for it)
	st.settle()
	results, incoming := st.results, st.incoming
	for i := range results {
		if st.final[i] && results[i].Outcome == protocol.Rejected {
			h.logReject(source, &results[i])
		}
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

// errResign ends a write transaction whose items include one whose
// signature turned out bad: it is rolled back and written again without it.
var errResign = errors.New("an item written before its signature was checked has a bad signature")

// batchState is what the checks of one batch find, item by item. Each
// item is written by one worker at a time: precheck and verifyChunk touch
// disjoint ranges, and the store reads an item only after its chunk's
// channel is closed; settle runs once every worker is done.
type batchState struct {
	items []protocol.Item
	keyOf keyFunc

	results  []protocol.Result
	final    []bool             // results[i] is the item's answer: it is not stored
	incoming []*Incoming        // passed the cheap checks, ready to store
	errs     []error            // the store failed, or ctx ended
	devs     []*Device          // the signer, for verifyChunk
	pre      []*protocol.Result // refused by a check after the signature's
	content  [][]byte           // canonical encodings (set by precheck)
	badSig   []bool             // the signature does not verify
}

// precheck runs the checks that need no signature on items [lo, hi), in
// the protocol's order: the device (a refusal is final), then the
// canonical encoding, the response rules, the survey version and answers
// (a refusal waits for the signature verdict, which comes first).
func (h *Hub) precheck(ctx context.Context, st *batchState, lo, hi int) {
	for i := lo; i < hi; i++ {
		if err := ctx.Err(); err != nil {
			st.errs[i] = err
			continue
		}
		it := st.items[i]
		dev, res := st.keyOf(ctx, it)
		if res != nil {
			st.results[i], st.final[i] = *res, true
			continue
		}
		if len(it.Signature) != ed25519.SignatureSize { // never stored, not even for a moment
			st.pre[i] = reject(it, protocol.ReasonBadSignature, "signature has %d bytes, want %d", len(it.Signature), ed25519.SignatureSize)
			continue
		}
		it.Response.Normalize() // cheap when the decoder did it
		c, err := protocol.ItemContent(it)
		if err != nil {
			st.errs[i] = err
			continue
		}
		st.devs[i], st.content[i] = dev, c
		in, res, err := h.checkSigned(ctx, it, c)
		switch {
		case err != nil:
			st.errs[i] = err
		case res != nil:
			st.pre[i] = res
		default:
			st.incoming[i] = in
		}
	}
}

// verifyChunk checks the signatures of items [lo, hi) in one batch.
func (h *Hub) verifyChunk(st *batchState, lo, hi int) {
	sigs := protocol.NewSignatureBatch(hi - lo)
	var idx []int
	for i := lo; i < hi; i++ {
		if st.devs[i] == nil {
			continue // refused before its signature, or failed
		}
		sigs.AddContent(st.devs[i].PublicKey, st.items[i].Version(), st.content[i], st.items[i].Signature)
		idx = append(idx, i)
	}
	for j, err := range sigs.Verify() {
		if err != nil {
			i := idx[j]
			st.badSig[i] = true
			st.pre[i] = reject(st.items[i], protocol.ReasonBadSignature, "%s", msgOf(err))
		}
	}
}

// settle turns the verdicts into final results: a bad signature or a
// failed later check refuses the item. It runs once all checks are done;
// running it again changes nothing.
func (st *batchState) settle() {
	for i, res := range st.pre {
		if res != nil && !st.final[i] {
			st.results[i], st.final[i] = *res, true
		}
	}
}

// checkSigned runs the checks after the signature: the response rules, then
// the survey version and the answers. It returns the item ready to store,
// or a rejection, or an error when the store fails.
func (h *Hub) checkSigned(ctx context.Context, it protocol.Item, content []byte) (*Incoming, *protocol.Result, error) {
	r := it.Response.ToResponse()
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
	if err := survey.CheckAnswers(s, r); err != nil {
		return nil, reject(it, protocol.ReasonInvalidAnswers, "%s", err.Error()), nil
	}
	return &Incoming{Response: r, Content: content, Signature: it.Signature, Seq: it.Seq}, nil, nil
}

// logReject logs one refused item; an import's refusals are summed up by
// its report (Import), so they are logged one by one only at debug level.
func (h *Hub) logReject(source string, res *protocol.Result) {
	level := slog.LevelInfo
	if source == "import" {
		level = slog.LevelDebug
	}
	h.log.Log(context.Background(), level, "item rejected", "response", res.ID, "reason", res.Reason, "message", res.Message)
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
