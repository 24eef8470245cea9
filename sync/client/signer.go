package client

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// SigningStore is what a Signer saves to; *store.Store implements it.
type SigningStore interface {
	settings.KV
	// SaveResponse saves r durably, unsigned.
	SaveResponse(ctx context.Context, r *survey.Response) error
	// SetSignature stores the device's signature of a saved, pending
	// response that has none yet.
	SetSignature(ctx context.Context, id string, sig []byte) error
	// LastResponse returns the newest response.
	LastResponse(ctx context.Context) (*survey.Response, error)
	// DeviceSeq returns the device sequence number the store gave the
	// saved response with this id (0: none).
	DeviceSeq(ctx context.Context, id string) (int64, error)
}

// signQueue is how many saved responses may wait for their signature; a
// response that finds the queue full is signed by the uploader instead.
const signQueue = 256

// Signer is the kiosk screens' store on a kiosk that may be enrolled with
// a hub: it saves each response durably, exactly as the store does, and
// then, once the kiosk is enrolled and the response carries its device id,
// signs it with the device's key in the background and stores the
// signature beside it. A sync after days offline then only reads and sends
// (an outreach laptop with 100 000 responses does not spend its first
// minutes of network signing), and the citizen's save is not made slower
// by the signature. Responses saved before enrollment, stamped with another
// device id, or whose signature was not stored yet, are signed by the
// uploader when it sends them (Ed25519 signatures are deterministic: the
// same bytes either way). The other methods of the store pass through. A
// Signer is safe for concurrent use; Close it before closing the store.
type Signer struct {
	SigningStore
	log *slog.Logger
	id  atomic.Pointer[Identity] // nil while not enrolled

	start  sync.Once
	mu     sync.Mutex // guards jobs against Close
	jobs   chan *survey.Response
	closed bool
	done   chan struct{}
}

// NewSigner returns a Signer over st with the identity st holds now.
// log nil means slog.Default(). When the identity cannot be read it
// returns the error with a Signer that saves unsigned, so that the kiosk
// keeps collecting.
func NewSigner(ctx context.Context, st SigningStore, log *slog.Logger) (*Signer, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Signer{SigningStore: st, log: log, jobs: make(chan *survey.Response, signQueue), done: make(chan struct{})}
	return s, s.Reload(ctx)
}

// Reload reads the identity again, after the admin has enrolled the kiosk
// (or enrolled it again with another hub).
func (s *Signer) Reload(ctx context.Context) error {
	id, ok, err := LoadIdentity(ctx, s.SigningStore)
	if err != nil {
		return err
	}
	if !ok {
		s.id.Store(nil)
		return nil
	}
	s.id.Store(&id)
	return nil
}

// SaveResponse saves r durably in one transaction, then queues it for its
// signature when the kiosk is enrolled and r carries its device id.
// Signing never makes a save fail or wait.
func (s *Signer) SaveResponse(ctx context.Context, r *survey.Response) error {
	if err := s.SigningStore.SaveResponse(ctx, r); err != nil {
		return err
	}
	if id := s.id.Load(); id != nil && r.DeviceID == id.DeviceID {
		c := *r // the caller may reuse r
		c.Answers = maps.Clone(r.Answers)
		for q, v := range c.Answers {
			c.Answers[q] = slices.Clone(v)
		}
		s.enqueue(&c)
	}
	return nil
}

// enqueue hands r to the signing goroutine, started on first use; a full
// queue or a closed Signer leaves r to the uploader.
func (s *Signer) enqueue(r *survey.Response) {
	s.start.Do(func() { go s.run() })
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	select {
	case s.jobs <- r:
	default:
		s.log.Debug("signing queue full; the uploader will sign", "id", r.ID)
	}
}

// run signs queued responses and stores their signatures until Close.
func (s *Signer) run() {
	defer close(s.done)
	for r := range s.jobs {
		id := s.id.Load()
		if id == nil || r.DeviceID != id.DeviceID {
			continue // enrolled again meanwhile: the uploader signs it
		}
		seq, err := s.DeviceSeq(context.Background(), r.ID)
		var it protocol.Item
		if err == nil {
			it, err = protocol.SignItem(id.Key, r, seq)
		}
		if err == nil {
			err = s.SetSignature(context.Background(), r.ID, it.Signature)
		}
		if err != nil {
			s.log.Warn("sign saved response; the uploader will sign it", "id", r.ID, "err", err)
		}
	}
}

// Close stores the signatures still queued and stops the signing
// goroutine. Saving after Close still works, unsigned.
func (s *Signer) Close() {
	s.start.Do(func() { go s.run() })
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.jobs)
	}
	s.mu.Unlock()
	<-s.done
}
