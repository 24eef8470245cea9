package client

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// SigningStore is what a Signer saves to; *store.Store implements it.
type SigningStore interface {
	settings.KV
	// SaveResponse saves r unsigned.
	SaveResponse(ctx context.Context, r *survey.Response) error
	// SaveSignedResponse saves r with its device's signature.
	SaveSignedResponse(ctx context.Context, r *survey.Response, sig []byte) error
	// LastResponse returns the newest response.
	LastResponse(ctx context.Context) (*survey.Response, error)
}

// Signer saves the kiosk's responses signed: on a kiosk enrolled with a
// hub, each response is signed with the device's key as it is saved, in the
// same write, so that a sync after days offline only reads and sends (an
// outreach laptop with 100 000 responses does not spend its first minutes
// of network signing), and the outbox holds what the device vouched for at
// the time. Responses saved before enrollment, or stamped with another
// device id, are saved unsigned and signed by the uploader when it sends
// them. A Signer is the kiosk screens' store (app/ui.Store); the other
// methods of the store pass through. It is safe for concurrent use.
type Signer struct {
	SigningStore
	log *slog.Logger
	id  atomic.Pointer[Identity] // nil while not enrolled
}

// NewSigner returns a Signer over st with the identity st holds now.
// log nil means slog.Default(). When the identity cannot be read it
// returns the error with a Signer that saves unsigned, so that the kiosk
// keeps collecting.
func NewSigner(ctx context.Context, st SigningStore, log *slog.Logger) (*Signer, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Signer{SigningStore: st, log: log}
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

// SaveResponse signs r when the kiosk is enrolled and r carries its device
// id, and saves it in one transaction. A response that cannot be signed
// (its text cannot be encoded) is still saved, unsigned: the store's own
// checks decide whether it is kept, and the uploader will sign or set it
// aside later. Saving never fails because of signing.
func (s *Signer) SaveResponse(ctx context.Context, r *survey.Response) error {
	id := s.id.Load()
	if id == nil || r == nil || r.DeviceID != id.DeviceID {
		return s.SigningStore.SaveResponse(ctx, r)
	}
	it, err := protocol.Sign(id.Key, r)
	if err != nil {
		s.log.Warn("sign response at save; saving it unsigned", "id", r.ID, "err", err)
		return s.SigningStore.SaveResponse(ctx, r)
	}
	return s.SaveSignedResponse(ctx, r, it.Signature)
}
