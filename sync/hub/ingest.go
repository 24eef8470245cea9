package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
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

// itemState is what the checks of one batch find about one item. Each
// item is touched by one worker only.
type itemState struct {
	item protocol.Item
	// dev is the signer once the device check passed.
	dev *Device
	// resp is the item's response in the domain's form, set with content.
	resp *survey.Response
	// content is the item's canonical encoding by its protocol version
	// (protocol.ItemContent), set before its signature is checked.
	content []byte
	// figures is the item's report cell, set when every check but the
	// signature passed.
	figures report.Cell
	// dissatisfied and coded are for the alerts and webhooks (Incoming).
	dissatisfied bool
	coded        survey.Answers
	// refused is the item's answer when a check refused it. A bad
	// signature replaces a refusal by a later check (the response rules,
	// the survey, the answers): the protocol checks the signature first.
	refused *protocol.Result
	// err is a store failure or the end of ctx: the batch fails.
	err error
}

// ingest is the per-item pipeline shared by uploads and bundle imports: it
// decodes nothing (the caller did), checks every item, verifies every
// signature, and only then hands the items that passed to the store in one
// Store.Ingest call, so nothing unverified ever reaches the store. The
// checks run on up to GOMAXPROCS workers, each over a contiguous chunk of
// the batch: the cheap checks (device, normalisation and canonical
// encoding, response rules, survey version and answers), then one
// curve25519-voi batch verification of the chunk's signatures.
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
	items := make([]itemState, n)
	for i := range items {
		items[i].item = b.Items[i]
	}
	bounds := chunkBounds(n, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for c := range len(bounds) - 1 {
		chunk := items[bounds[c]:bounds[c+1]]
		wg.Go(func() {
			for i := range chunk {
				h.precheck(ctx, &chunk[i], keyOf)
			}
			verifySignatures(chunk)
		})
	}
	wg.Wait()

	results := make([]protocol.Result, n)
	incoming := make([]Incoming, 0, n)
	stored := make([]int, 0, n) // the batch index of each incoming item
	for i := range items {
		st := &items[i]
		switch {
		case st.err != nil:
			h.metrics.batches.WithLabelValues(source, "failed").Inc()
			return nil, fmt.Errorf("ingest batch of %d: %w", n, st.err)
		case st.refused != nil:
			results[i] = *st.refused
			h.logReject(source, &results[i])
		default:
			// The slip is signed in the content (version 3): the store
			// checks it against the slips printed and flags, never refuses.
			incoming = append(incoming, Incoming{Response: st.resp, Content: st.content, Signature: st.item.Signature, Seq: st.item.Seq, Figures: st.figures,
				Slip: slipText(st.item.Slip), Dissatisfied: st.dissatisfied, Coded: st.coded})
			stored = append(stored, i)
		}
	}
	outcomes, err := h.store.Ingest(ctx, incoming, h.now().UTC())
	if err == nil && len(outcomes) != len(incoming) {
		err = fmt.Errorf("store answered %d outcomes for %d items", len(outcomes), len(incoming))
	}
	if err != nil {
		h.metrics.batches.WithLabelValues(source, "failed").Inc()
		return nil, fmt.Errorf("ingest batch of %d: %w", n, err)
	}
	for j, o := range outcomes {
		i := stored[j]
		in := &incoming[j]
		results[i] = protocol.Result{ID: in.Response.ID, Outcome: o}
		if o == protocol.Conflict {
			results[i].Reason = protocol.ReasonConflict
			results[i].Message = "the hub already holds this response id with different content; the first stays"
			h.log.Warn("conflict", "source", source, "response", in.Response.ID, "device", in.Response.DeviceID)
		}
	}
	var touched []string
	for j, o := range outcomes {
		if p := incoming[j].Response.ServicePoint; o == protocol.Accepted && incoming[j].Figures.Rated > 0 && !slices.Contains(touched, p) {
			touched = append(touched, p)
		}
	}
	if counts := (&protocol.BatchResult{Results: results}).Counts(); counts[protocol.Accepted] > 0 {
		h.eventsQueued() // the batch's responses event, if a webhook wants it
	}
	if len(touched) > 0 {
		// The batch is stored: an alert that fails to update now is
		// caught by the next batch of the point or the periodic sweep.
		// A kiosk that hangs up after the commit does not cut it short.
		if _, err := h.CheckAlerts(context.WithoutCancel(ctx), touched); err != nil {
			h.log.Error("check alerts", "err", err)
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

// chunkBounds splits n items into at most workers chunks of at least
// minSigChunk items (but one), returning the chunk boundaries (0, ..., n):
// batch verification costs less per signature the larger the batch, so
// there are no more chunks than workers to keep busy.
func chunkBounds(n, workers int) []int {
	chunks := max(1, min(workers, n/minSigChunk))
	bounds := make([]int, 0, chunks+1)
	for c := range chunks + 1 {
		bounds = append(bounds, c*n/chunks)
	}
	return bounds
}

// precheck runs the checks that need no signature on one item, in the
// protocol's order: the device (a refusal is final), the signature's size
// (final too), then the canonical encoding, the response rules, the survey
// version and answers (a refusal waits for the signature's verdict).
func (h *Hub) precheck(ctx context.Context, st *itemState, keyOf keyFunc) {
	if err := ctx.Err(); err != nil {
		st.err = err
		return
	}
	it := st.item
	dev, res := keyOf(ctx, it)
	if res != nil {
		st.refused = res
		return
	}
	if len(it.Signature) != ed25519.SignatureSize {
		st.refused = reject(it, protocol.ReasonBadSignature, "signature has %d bytes, want %d", len(it.Signature), ed25519.SignatureSize)
		return
	}
	it.Response.Normalize() // cheap when the decoder did it
	c, err := protocol.ItemContent(it)
	if err != nil {
		// A negative number, or a version 3 item whose slip is not a
		// slip code or has no number: this item is refused, not the batch.
		st.refused = reject(it, protocol.ReasonInvalid, "%s", msgOf(err))
		return
	}
	r := it.ToResponse() // with the slip of a version 3 item
	st.dev, st.content, st.resp = dev, c, r
	s, res, err := h.checkSigned(ctx, it, r)
	switch {
	case err != nil:
		st.err = err
	case res != nil:
		st.refused = res
	default:
		st.figures = report.CellOf(s, r)
		st.dissatisfied, _ = Dissatisfied(s, r)
		st.coded = CodedAnswers(s, r)
	}
}

// verifySignatures checks, in one curve25519-voi batch verification, the
// signatures of the items of chunk that reached the signature check (those
// with a device and content), with the protocol's verification rule
// (protocol.VerifyOptions). A bad signature refuses its item, replacing any
// later check's refusal. The library verifies every signature alone when
// the batch equation fails, so the verdicts are per item.
func verifySignatures(chunk []itemState) {
	bv := voi.NewBatchVerifierWithCapacity(len(chunk))
	opts := protocol.VerifyOptions()
	keys := map[*Device]*voi.ExpandedPublicKey{} // one expansion per key, not per signature
	var idx []int
	for i := range chunk {
		st := &chunk[i]
		if st.dev == nil || st.err != nil {
			continue
		}
		xk, seen := keys[st.dev]
		if !seen {
			xk, _ = voi.NewExpandedPublicKey(voi.PublicKey(st.dev.PublicKey)) // nil for a bad key: refused below
			keys[st.dev] = xk
		}
		if xk == nil {
			st.refused = reject(st.item, protocol.ReasonBadSignature, "the device's public key is not a valid Ed25519 key")
			continue
		}
		bv.AddExpandedWithOptions(xk, protocol.SigningMessage(st.item.Version(), st.content), st.item.Signature, opts)
		idx = append(idx, i)
	}
	if len(idx) == 0 {
		return
	}
	_, valid := bv.Verify(nil)
	for j, ok := range valid {
		if !ok {
			st := &chunk[idx[j]]
			st.refused = reject(st.item, protocol.ReasonBadSignature, "signature does not verify")
		}
	}
}

// checkSigned runs the checks after the signature: the response rules, then
// the survey version and the answers. It returns the survey version, or a
// rejection, or an error when the store fails.
func (h *Hub) checkSigned(ctx context.Context, it protocol.Item, r *survey.Response) (*survey.Survey, *protocol.Result, error) {
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
	return s, nil, nil
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
