package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Options tune an Uploader. The zero value is ready for production.
type Options struct {
	// HTTP sends every request; nil means a client with a 30 s timeout.
	HTTP *http.Client
	// Clock is the time source; nil means the wall clock.
	Clock Clock
	// Backoff spaces retries after failures; zero means DefaultBackoff.
	Backoff Backoff
	// Interval is the wait between syncs while all is well; 0 means 1 minute.
	Interval time.Duration
	// BatchItems caps the items per batch; 0 or more than
	// protocol.MaxBatchItems means protocol.MaxBatchItems.
	BatchItems int
	// Logger receives the full error chains; nil means slog.Default().
	Logger *slog.Logger
	// AfterBatch, when set, is called after each batch's marks are
	// committed, with the number of items the hub answered for.
	AfterBatch func(answered int)
}

func defaultHTTPClient() *http.Client { return &http.Client{Timeout: 30 * time.Second} }

// errNotEnrolled ends a sync quietly: there is nothing to do until an
// admin connects the kiosk.
var errNotEnrolled = &Error{Kind: KindNotEnrolled, Op: "sync"}

// Uploader drains the outbox to the hub in the background. Create it with
// New, start Run in a goroutine, and read Status or Subscribe from the UI.
type Uploader struct {
	out   Outbox
	opt   Options
	log   *slog.Logger
	kick  chan struct{}
	ran   atomic.Bool
	batch int // current batch item cap; halved on a 413

	// retryWaiting asks the next sync to send the responses waiting for
	// their survey at the hub even if the survey pull brings nothing new:
	// at start, and when the admin asks for a sync.
	retryWaiting atomic.Bool
	rejected     atomic.Int64 // responses the hub refused during this sync

	mu     sync.Mutex
	st     Status
	subs   map[int]func(Status)
	nextID int
}

// New returns an uploader over out. It does nothing until Run.
func New(out Outbox, opt Options) *Uploader {
	if opt.HTTP == nil {
		opt.HTTP = defaultHTTPClient()
	}
	if opt.Clock == nil {
		opt.Clock = realClock{}
	}
	if opt.Backoff.Base <= 0 {
		r := opt.Backoff.Rand
		opt.Backoff = DefaultBackoff()
		opt.Backoff.Rand = r
	}
	if opt.Interval <= 0 {
		opt.Interval = time.Minute
	}
	if opt.BatchItems <= 0 || opt.BatchItems > protocol.MaxBatchItems {
		opt.BatchItems = protocol.MaxBatchItems
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	u := &Uploader{out: out, opt: opt, log: opt.Logger, kick: make(chan struct{}, 1),
		batch: opt.BatchItems, subs: map[int]func(Status){}}
	u.retryWaiting.Store(true)
	return u
}

// SyncNow asks the running uploader to sync at once, cutting short any
// wait, and to send again the responses waiting for their survey at the
// hub. It never blocks.
func (u *Uploader) SyncNow() {
	u.retryWaiting.Store(true)
	select {
	case u.kick <- struct{}{}:
	default:
	}
}

// Status returns a snapshot of the uploader's state.
func (u *Uploader) Status() Status {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.st
}

// Subscribe calls fn with every new Status, from the uploader's goroutine:
// a Fyne UI must hop to its own thread with fyne.Do. The returned function
// stops the calls.
func (u *Uploader) Subscribe(fn func(Status)) (cancel func()) {
	u.mu.Lock()
	defer u.mu.Unlock()
	id := u.nextID
	u.nextID++
	u.subs[id] = fn
	return func() {
		u.mu.Lock()
		defer u.mu.Unlock()
		delete(u.subs, id)
	}
}

// update changes the status under the lock and tells the subscribers.
func (u *Uploader) update(change func(*Status)) {
	u.mu.Lock()
	change(&u.st)
	st := u.st
	subs := make([]func(Status), 0, len(u.subs))
	for _, fn := range u.subs {
		subs = append(subs, fn)
	}
	u.mu.Unlock()
	for _, fn := range subs {
		fn(st)
	}
}

// Refresh re-reads the outbox counts and the identity into the status,
// for a screen that has just opened.
func (u *Uploader) Refresh(ctx context.Context) error {
	id, ok, err := LoadIdentity(ctx, u.out)
	if err != nil {
		return err
	}
	stats, err := u.out.SyncStats(ctx)
	if err != nil {
		return &Error{Kind: KindLocal, Op: "sync status", Err: err}
	}
	var last time.Time
	if v, _, err := u.out.Setting(ctx, KeyLastSuccess); err == nil && v != "" {
		last, _ = time.Parse(time.RFC3339Nano, v)
	}
	u.update(func(s *Status) {
		s.Enrolled, s.HubURL, s.DeviceID = ok, id.HubURL, id.DeviceID
		s.Pending, s.Synced, s.Rejected, s.Waiting = stats.Pending, stats.Synced, stats.Rejected, stats.Waiting
		if s.LastSuccess.Before(last) {
			s.LastSuccess = last
		}
	})
	return nil
}

// Run syncs until ctx is cancelled: at once, then every Interval while all
// is well, after a backoff delay while the hub fails, and whenever SyncNow
// is called. When the hub refuses the device itself (401 unauthorized, 403
// revoked) it waits for SyncNow only, as docs/protocol.md asks. It returns
// nil when ctx is cancelled. Run may be called once.
func (u *Uploader) Run(ctx context.Context) error {
	if !u.ran.CompareAndSwap(false, true) {
		return errors.New("sync uploader: Run called twice")
	}
	if err := u.Refresh(ctx); err != nil && ctx.Err() == nil {
		u.log.Error("sync: read status", "err", err)
	}
	failures := 0
	for {
		err := u.Sync(ctx)
		if ctx.Err() != nil {
			u.update(func(s *Status) { s.Syncing = false })
			return nil
		}
		wait := u.opt.Interval
		paused := false
		switch k := KindOf(err); {
		case err == nil, errors.Is(err, errNotEnrolled):
			failures = 0
		case k == KindUnauthorized || k == KindRevoked:
			// The hub refuses this device: retrying cannot help until the
			// admin acts (enrolls again, or presses "Đồng bộ ngay").
			failures++
			paused = true
		default:
			failures++
			wait = u.opt.Backoff.Delay(failures)
		}
		var next time.Time
		if !paused {
			next = u.opt.Clock.Now().Add(wait)
		}
		u.update(func(s *Status) { s.Failures, s.NextAttempt = failures, next })
		var timer <-chan time.Time // nil, never ready, while paused
		if !paused {
			timer = u.opt.Clock.After(wait)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-u.kick:
		case <-timer:
		}
	}
}

// Sync runs one sync now: every pending response is uploaded, batch by
// batch, then the published surveys and slide set are pulled. Responses the hub answered
// "not yet" (unknown_survey: their survey version is not published there)
// are left out of the first upload and sent after the pull, when it
// brought a new survey list or a retry was asked for (SyncNow, the first
// sync after start). It records the outcome in the status. Run calls it;
// tests and tools may call it directly, but not concurrently with Run.
func (u *Uploader) Sync(ctx context.Context) error {
	id, ok, err := LoadIdentity(ctx, u.out)
	if err == nil && !ok {
		err = errNotEnrolled
	}
	if err != nil {
		u.finish(ctx, err)
		return err
	}
	u.update(func(s *Status) { s.Syncing, s.Enrolled, s.HubURL, s.DeviceID = true, true, id.HubURL, id.DeviceID })
	h := &remote{base: id.HubURL, token: id.Token, hc: u.opt.HTTP}
	u.rejected.Store(0)
	retry := u.retryWaiting.Swap(false)
	err = u.uploadAll(ctx, h, id, false)
	if err == nil {
		err = u.uploadFeedback(ctx, h, id)
	}
	changed := false
	if err == nil {
		changed, err = u.pullSurveys(ctx, h)
	}
	if err == nil {
		err = u.pullSlides(ctx, h)
	}
	if err == nil && (changed || retry) {
		var stats SyncStats
		if stats, err = u.out.SyncStats(ctx); err != nil {
			err = &Error{Kind: KindLocal, Op: "sync status", Err: err}
		} else if stats.Waiting > 0 {
			err = u.uploadAll(ctx, h, id, true)
		}
	}
	if err != nil && retry {
		u.retryWaiting.Store(true) // not done: the next sync tries again
	}
	u.finish(ctx, err)
	return err
}

// finish records the end of a sync in the status and, on success, in the
// store so that "last success" survives a restart.
func (u *Uploader) finish(ctx context.Context, err error) {
	now := u.opt.Clock.Now().UTC()
	if err == nil {
		if e := u.out.SetSettings(ctx, map[string]string{KeyLastSuccess: now.Format(time.RFC3339Nano)}); e != nil {
			err = &Error{Kind: KindLocal, Op: "record sync time", Err: e}
		}
	}
	var se *Error
	if err != nil && !errors.As(err, &se) {
		se = &Error{Kind: KindLocal, Op: "sync", Err: err}
	}
	if err != nil && ctx.Err() == nil && !errors.Is(err, errNotEnrolled) {
		u.log.Warn("sync failed", "kind", se.Kind, "err", err)
	}
	stats, serr := u.out.SyncStats(context.WithoutCancel(ctx))
	u.update(func(s *Status) {
		s.Syncing = false
		s.LastAttempt = now
		if serr == nil {
			s.Pending, s.Synced, s.Rejected, s.Waiting = stats.Pending, stats.Synced, stats.Rejected, stats.Waiting
		}
		s.LastRejected = int(u.rejected.Load())
		switch {
		case errors.Is(err, errNotEnrolled):
			s.Enrolled, s.LastError = false, nil
		case err != nil:
			s.LastError = se
		default:
			s.LastError, s.LastSuccess = nil, now
		}
	})
}

// uploadAll sends batches until the outbox is empty or a batch fails.
//
// It walks the outbox once, in save order, with a cursor, and keeps
// inFlight batches at the hub at a time, so that the kiosk's work and the
// network's round trips overlap the hub's: while batches k and k+1 are on
// their way, the kiosk commits the marks of batch k-1 and reads and
// encodes batch k+2. Answers are taken in order; the marks of batch k are
// committed (or have failed) before those of k+1 start, and before
// uploadAll returns. When a batch fails, the batches still in flight are
// waited for and their answers recorded, and the first failure is
// returned. Items that stay pending after the walk (the hub did not answer
// for them, or refused a signature made at save time, which is then
// dropped) are picked up by one more walk from the start.
//
// Responses waiting for their survey at the hub (Outgoing.Waiting)
// are sent only when waiting is true.
func (u *Uploader) uploadAll(ctx context.Context, h *remote, id Identity, waiting bool) error {
	var marking chan markResult // the previous batch's marks, nil if none
	again := false              // some item stays pending: walk once more
	wait := func() error {
		if marking == nil {
			return nil
		}
		m := <-marking
		marking = nil
		again = again || m.again
		if m.err == nil && u.opt.AfterBatch != nil {
			u.opt.AfterBatch(m.n)
		}
		return m.err
	}
	mark := func(b *encodedBatch, res *protocol.BatchResult) error {
		err := wait() // one batch's marks at a time, in order
		marking = make(chan markResult, 1)
		go func(done chan<- markResult) {
			// The hub holds these items now: record its answer even if the
			// kiosk is shutting down, or they would be sent again.
			done <- u.apply(context.WithoutCancel(ctx), b, res)
		}(marking)
		return err
	}
	type answer struct {
		res *protocol.BatchResult
		err error
	}
	type flight struct {
		b    *encodedBatch
		done chan answer
	}
	var flights []flight // oldest first
	send := func(b *encodedBatch) {
		f := flight{b: b, done: make(chan answer, 1)}
		go func() {
			res, err := h.upload(ctx, b.body)
			f.done <- answer{res, err}
		}()
		flights = append(flights, f)
	}
	// drain waits for the batches still in flight and records the answers
	// of those the hub took, after a failure.
	drain := func() error {
		var errs []error
		for _, f := range flights {
			if a := <-f.done; a.err == nil {
				errs = append(errs, mark(f.b, a.res))
			}
		}
		flights = nil
		return errors.Join(append(errs, wait())...)
	}

	walks := 1
	var cursor int64
	end := false
	for {
		// Keep inFlight batches at the hub while the outbox has more.
		for !end && len(flights) < inFlight {
			b, err := u.nextBatch(ctx, id, cursor, waiting)
			if err != nil {
				return errors.Join(drain(), err)
			}
			if b == nil {
				end = true
				break
			}
			send(b)
			cursor = b.last
		}
		if len(flights) == 0 { // the end of the outbox
			if err := wait(); err != nil {
				return err
			}
			if !again || walks == maxWalks {
				return nil
			}
			again, end, cursor = false, false, 0
			walks++
			continue
		}
		f := flights[0]
		flights = flights[1:]
		a := <-f.done
		switch {
		case KindOf(a.err) == KindTooLarge && u.batch > 1:
			// The hub's limit is below ours: send smaller batches from now on,
			// starting again at this batch (what later batches delivered is
			// synced and not read again).
			if err := drain(); err != nil {
				return err
			}
			u.batch = max(1, len(f.b.ids)/2)
			u.log.Warn("sync: hub refused the batch size; halving", "items", u.batch)
			cursor, end = f.b.first, false
		case a.err != nil:
			return errors.Join(a.err, drain())
		default:
			if err := mark(f.b, a.res); err != nil {
				return errors.Join(err, drain())
			}
		}
	}
}

// inFlight is how many batches the uploader keeps at the hub at once: two
// hide one batch's round trip and the kiosk's own work behind the other's
// processing at the hub, on a LAN as on a 3G link.
const inFlight = 2

// maxWalks bounds the walks over the outbox in one sync: the first, and one
// more for the items left pending by the first. Anything still pending
// waits for the next sync.
const maxWalks = 2

// markResult is how many items one batch's marks took out of the outbox,
// and whether some stayed pending to be sent again.
type markResult struct {
	n     int
	again bool
	err   error
}

// nextBatch reads the oldest pending responses saved after the outbox row
// numbered after and encodes up to u.batch of them, leaving out those
// waiting for their survey at the hub unless waiting is true. It sets
// aside, as rejected, responses too large for any batch. It returns nil
// when nothing is left to send. The batch's first is after, so that it can
// be read again in smaller batches.
func (u *Uploader) nextBatch(ctx context.Context, id Identity, after int64, waiting bool) (*encodedBatch, error) {
	for {
		rows, err := u.out.PendingAfter(ctx, after, u.batch)
		if err != nil {
			return nil, &Error{Kind: KindLocal, Op: "read outbox", Err: err}
		}
		if len(rows) == 0 {
			return nil, nil
		}
		if !waiting {
			all := rows
			rows = slices.DeleteFunc(slices.Clone(rows), func(o Outgoing) bool { return o.Waiting != "" })
			if len(rows) == 0 {
				after = all[len(all)-1].Seq // only waiting ones here: read on
				continue
			}
		}
		mark, err := u.mark(ctx, id)
		if err != nil {
			return nil, err
		}
		b, err := encodeBatch(id, rows, mark)
		if err != nil {
			return nil, err
		}
		for _, r := range b.tooBig {
			u.log.Error("sync: response too large to upload; kept as rejected", "id", r.ID)
			if err := u.out.MarkRejected(ctx, r.ID, string(KindTooLarge)); err != nil {
				return nil, &Error{Kind: KindLocal, Op: "mark rejected", Err: err}
			}
		}
		if len(b.ids) > 0 {
			b.first = after
			return b, nil
		}
		// Only oversized items, now set aside: read on.
		after = b.last
	}
}

// mark returns the device's high-water mark signed now, read after the
// rows it goes with so that it covers them, or nil when the kiosk has
// numbered no response.
func (u *Uploader) mark(ctx context.Context, id Identity) (*protocol.Mark, error) {
	return signedMark(ctx, u.out, id, u.opt.Clock.Now())
}

// signedMark is src's high-water mark signed by id at now, answering for
// the numbers from id.SeqFrom, or nil when there is none.
func signedMark(ctx context.Context, src interface {
	HighWater(context.Context) (int64, error)
}, id Identity, now time.Time) (*protocol.Mark, error) {
	hw, err := src.HighWater(ctx)
	if err != nil {
		return nil, &Error{Kind: KindLocal, Op: "read outbox", Err: err}
	}
	if hw < max(id.SeqFrom, 1) {
		return nil, nil // nothing numbered under this device id yet
	}
	m, err := protocol.SignMark(id.Key, id.DeviceID, max(id.SeqFrom, 1), hw, now)
	if err != nil {
		return nil, &Error{Kind: KindLocal, Op: "sign", Err: fmt.Errorf("high-water mark: %w", err)}
	}
	return m, nil
}

// apply marks the batch's items as the hub answered. Items the hub did not
// answer for stay pending; if none was answered the hub is broken. A
// signature made at save time that the hub refuses is dropped and the item
// stays pending, to be signed again (the key may have changed since); a
// signature made now that the hub refuses is final.
func (u *Uploader) apply(ctx context.Context, sent *encodedBatch, res *protocol.BatchResult) markResult {
	inBatch := make(map[string]bool, len(sent.ids))
	for _, s := range sent.ids {
		inBatch[s] = true
	}
	var synced, resign []string
	type rejection struct{ id, reason string }
	var rejected []rejection
	var waiting []Waiting
	for _, r := range res.Results {
		if !inBatch[r.ID] {
			continue
		}
		delete(inBatch, r.ID) // one answer per item
		switch {
		case r.Outcome.Synced():
			synced = append(synced, r.ID)
		case r.Outcome == protocol.Conflict:
			rejected = append(rejected, rejection{r.ID, reasonText(protocol.ReasonConflict, r.Message)})
		case r.Outcome == protocol.Rejected && r.Reason == protocol.ReasonBadSignature && sent.presigned[r.ID]:
			resign = append(resign, r.ID)
		case r.Outcome == protocol.Rejected && r.Reason == protocol.ReasonUnknownSurvey:
			// Not yet: the survey may be published at the hub later.
			waiting = append(waiting, Waiting{ID: r.ID, Reason: reasonText(r.Reason, r.Message)})
		case r.Outcome == protocol.Rejected:
			rejected = append(rejected, rejection{r.ID, reasonText(r.Reason, r.Message)})
		default:
			inBatch[r.ID] = true // unknown outcome: leave it pending
			u.log.Warn("sync: unknown outcome from hub", "id", r.ID, "outcome", r.Outcome)
		}
	}
	if len(synced) > 0 {
		seqs := make([]int64, len(synced))
		for i, id := range synced {
			seqs[i] = sent.seqs[id]
		}
		if err := u.out.MarkSyncedSeq(ctx, seqs); err != nil {
			return markResult{err: &Error{Kind: KindLocal, Op: "mark synced", Err: err}}
		}
	}
	if len(resign) > 0 {
		u.log.Warn("sync: hub refused signatures made at save time; signing again", "count", len(resign))
		if err := u.out.DropSignatures(ctx, resign); err != nil {
			return markResult{err: &Error{Kind: KindLocal, Op: "drop signatures", Err: err}}
		}
	}
	if len(waiting) > 0 {
		u.log.Warn("sync: hub does not know the survey of some responses yet; they stay pending",
			"count", len(waiting), "reason", waiting[0].Reason)
		if err := u.out.MarkWaiting(ctx, waiting); err != nil {
			return markResult{err: &Error{Kind: KindLocal, Op: "mark waiting", Err: err}}
		}
	}
	for _, r := range rejected {
		u.log.Warn("sync: hub rejected a response", "id", r.id, "reason", r.reason)
		err := u.out.MarkRejected(ctx, r.id, r.reason)
		if errors.Is(err, ErrAlreadySynced) {
			continue // already synced: the hub held it before (a bundle); keep synced
		}
		if err != nil {
			return markResult{err: &Error{Kind: KindLocal, Op: "mark rejected", Err: err}}
		}
		u.rejected.Add(1)
	}
	n := len(synced) + len(rejected) + len(resign) + len(waiting)
	if n == 0 {
		return markResult{err: &Error{Kind: KindProtocol, Op: "upload", Err: fmt.Errorf("hub answered for none of %d items", len(sent.ids))}}
	}
	if len(inBatch) > 0 {
		u.log.Warn("sync: hub did not answer for some items; they stay pending", "count", len(inBatch))
	}
	return markResult{n: len(synced) + len(rejected) + len(waiting), again: len(inBatch) > 0 || len(resign) > 0}
}

// reasonText is what MarkRejected stores: the protocol's reason code, then
// the hub's English explanation. The admin panel translates the code.
func reasonText(code, message string) string {
	if code == "" {
		code = "rejected"
	}
	if message == "" {
		return code
	}
	return code + ": " + message
}

// ReasonCode returns the reason code at the start of a stored rejection
// reason (see protocol.Reason*), for translation.
func ReasonCode(reason string) string {
	for i := 0; i < len(reason); i++ {
		if reason[i] == ':' {
			return reason[:i]
		}
	}
	return reason
}
