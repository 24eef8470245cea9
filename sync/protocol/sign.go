package protocol

import (
	"crypto/ed25519"
	"fmt"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// verifyOptions is the one rule by which every signature of the protocol is
// checked, alone (Verify, VerifyCanonical) or in a SignatureBatch, so an
// item gets the same verdict whichever way it is checked: RFC 8032 Ed25519
// with the cofactored equation [8][S]B = [8]R + [8][k]A (the equation batch
// verification checks; RFC 8032 §5.1.7 allows it), S below the group order,
// R and the public key canonically encoded, and the public key not of small
// order. Every key and signature crypto/ed25519 makes passes these checks.
// It is never modified.
var verifyOptions = &voi.Options{Verify: voi.VerifyOptionsDefault}

// Sign returns the item for r signed with the device's private key. The
// item carries a normalised copy of r; r itself is not modified.
//
// Ed25519 signing is deterministic (RFC 8032), so the signature is the one
// crypto/ed25519 makes; curve25519-voi makes it in about 60 % of the time,
// because crypto/ed25519 derives the public key from the seed again on
// every call to check the key. That check is done once per key instead,
// where the kiosk loads its identity (client.LoadIdentity).
func Sign(priv ed25519.PrivateKey, r *survey.Response) (Item, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return Item{}, Errorf(CodeInvalid, "private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	msg, err := SigningBytes(r)
	if err != nil {
		return Item{}, fmt.Errorf("sign response: %w", err)
	}
	c := *r
	Normalize(&c)
	return Item{Response: &c, Signature: voi.Sign(voi.PrivateKey(priv), msg)}, nil
}

// Verify checks that item's signature is pub's signature over the item's
// response. It returns an *Error with code CodeInvalid naming the problem.
func Verify(pub ed25519.PublicKey, item Item) error {
	if item.Response == nil {
		return Errorf(CodeInvalid, "item has no response")
	}
	c, err := Canonical(item.Response)
	if err != nil {
		return err
	}
	return VerifyCanonical(pub, c, item.Signature)
}

// VerifyCanonical checks sig against canonical, the protocol.Canonical
// encoding of a response the caller has already computed (the hub computes
// it once for both the signature and the duplicate check).
func VerifyCanonical(pub ed25519.PublicKey, canonical, sig []byte) error {
	if err := checkSizes(pub, sig); err != nil {
		return err
	}
	if !voi.VerifyWithOptions(voi.PublicKey(pub), signingMessage(canonical), sig, verifyOptions) {
		return errNoVerify()
	}
	return nil
}

// SignatureBatch checks many signatures over canonical responses together.
// Ed25519 batch verification checks one random linear combination of all
// the signature equations: for 64 signatures it costs about a third of
// checking each alone (docs/BENCHMARKS.md, "Sync hub"). When the
// combination does not hold, every signature is checked alone, so the
// result names exactly the bad ones; a batch that verifies is, except with
// probability below 2^-120, a batch of signatures that each verify. The
// verdicts are those of VerifyCanonical. A SignatureBatch is not safe for
// concurrent use; make one per group of items.
type SignatureBatch struct {
	bv      *voi.BatchVerifier
	keys    map[string]*voi.ExpandedPublicKey // parsed once per key
	entries []batchEntry
	msg     []byte // reused: Add hashes the message at once and keeps no reference
}

// batchEntry is one Add: either refused at once (err) or queued in the
// batch verifier.
type batchEntry struct {
	err    error
	queued bool
}

// NewSignatureBatch returns an empty batch with room for n signatures.
func NewSignatureBatch(n int) *SignatureBatch {
	return &SignatureBatch{
		bv:      voi.NewBatchVerifierWithCapacity(n),
		keys:    make(map[string]*voi.ExpandedPublicKey, 1),
		entries: make([]batchEntry, 0, n),
	}
}

// Add queues sig, pub's claimed signature over canonical (the
// protocol.Canonical encoding of a response). Verify answers for it at the
// position of this call among the Adds.
func (b *SignatureBatch) Add(pub ed25519.PublicKey, canonical, sig []byte) {
	if err := checkSizes(pub, sig); err != nil {
		b.entries = append(b.entries, batchEntry{err: err})
		return
	}
	k, seen := b.keys[string(pub)]
	if !seen {
		// A key that is not a valid point gets nil: its items fail.
		k, _ = voi.NewExpandedPublicKey(voi.PublicKey(pub))
		b.keys[string(pub)] = k
	}
	if k == nil {
		b.entries = append(b.entries, batchEntry{err: errNoVerify()})
		return
	}
	b.msg = append(append(b.msg[:0], signingDomain...), canonical...)
	b.bv.AddExpandedWithOptions(k, b.msg, sig, verifyOptions)
	b.entries = append(b.entries, batchEntry{queued: true})
}

// Len is the number of signatures added.
func (b *SignatureBatch) Len() int { return len(b.entries) }

// Verify checks every signature added and returns one error per Add, in
// order: nil when the signature verifies, otherwise an *Error with code
// CodeInvalid naming the problem. Randomness comes from crypto/rand.
func (b *SignatureBatch) Verify() []error {
	errs := make([]error, len(b.entries))
	var valid []bool
	queued := 0
	for _, e := range b.entries {
		if e.queued {
			queued++
		}
	}
	if queued > 0 {
		_, valid = b.bv.Verify(nil)
	}
	j := 0
	for i, e := range b.entries {
		switch {
		case !e.queued:
			errs[i] = e.err
		case !valid[j]:
			errs[i] = errNoVerify()
			j++
		default:
			j++
		}
	}
	return errs
}

// checkSizes refuses keys and signatures of the wrong length.
func checkSizes(pub ed25519.PublicKey, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return Errorf(CodeInvalid, "public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if len(sig) != ed25519.SignatureSize {
		return Errorf(CodeInvalid, "signature has %d bytes, want %d", len(sig), ed25519.SignatureSize)
	}
	return nil
}

// signingMessage is what is signed: the domain, then the canonical bytes.
func signingMessage(canonical []byte) []byte {
	msg := make([]byte, 0, len(signingDomain)+len(canonical))
	return append(append(msg, signingDomain...), canonical...)
}

func errNoVerify() error { return Errorf(CodeInvalid, "signature does not verify") }
