package protocol

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"fmt"
	"hash"

	"github.com/oasisprotocol/curve25519-voi/curve"
	"github.com/oasisprotocol/curve25519-voi/curve/scalar"
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
// item carries r's version 1 wire form, normalised; r itself is not
// modified.
//
// Ed25519 signing is deterministic (RFC 8032), so the signature is the one
// crypto/ed25519 makes. curve25519-voi makes it without deriving the
// public key from the seed again, as crypto/ed25519 does on every call to
// check the key. That check is done once per key instead,
// where the kiosk loads its identity (client.LoadIdentity).
func Sign(priv ed25519.PrivateKey, r *survey.Response) (Item, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return Item{}, Errorf(CodeInvalid, "private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	if r == nil {
		return Item{}, Errorf(CodeInvalid, "no response")
	}
	w := NewResponseV1(r)
	w.Normalize()
	msg, err := SigningBytes(w)
	if err != nil {
		return Item{}, fmt.Errorf("sign response: %w", err)
	}
	return Item{Response: w, Signature: voi.Sign(voi.PrivateKey(priv), msg)}, nil
}

// Verify checks that item's signature is pub's signature over the item's
// response. It returns an *Error with code CodeInvalid naming the problem.
func Verify(pub ed25519.PublicKey, item Item) error {
	c, err := ItemContent(item)
	if err != nil {
		return err
	}
	return VerifyContent(pub, item.Version(), c, item.Signature)
}

// VerifyContent is VerifyCanonical for the content of an item of the given
// protocol version (ItemContent).
func VerifyContent(pub ed25519.PublicKey, version int, content, sig []byte) error {
	if err := checkSizes(pub, sig); err != nil {
		return err
	}
	if !voi.VerifyWithOptions(voi.PublicKey(pub), domainMessage(domainOf(version), content), sig, verifyOptions) {
		return errNoVerify()
	}
	return nil
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
// the signature equations,
//
//	[8]( -(Σ z_i S_i) B + Σ z_i R_i + Σ_keys (Σ_{i with key A} z_i k_i) A ) = 0,
//
// with a random 128-bit z_i per signature and k_i = SHA-512(R_i || A || M_i).
// The terms of the signatures made by one key are gathered into one
// multiple of that key, so a batch from one device (the hub's case) costs
// one multiscalar multiplication over its R_i, the key and the base point:
// about half the points of the textbook batch equation, which has one term
// per signature for the key too (docs/BENCHMARKS.md, "Sync hub"). When the
// combination does not hold, every signature is checked alone, so the
// result names exactly the bad ones; a batch that verifies is, except with
// probability below 2^-120, a batch of signatures that each verify. The
// verdicts are those of VerifyCanonical (the same decoding rules apply to
// the key, R and S before anything is combined). A SignatureBatch is not
// safe for concurrent use; make one per group of items. It keeps references
// to the canonical bytes and signatures passed to Add until Verify returns.
type SignatureBatch struct {
	keys    map[string]int // index in akeys of each key seen; -1 when invalid
	akeys   []batchKey
	entries []batchEntry
	h       hash.Hash
	digest  [64]byte
}

// batchKey is a valid public key of the batch.
type batchKey struct {
	pub ed25519.PublicKey
	A   curve.EdwardsPoint
}

// batchEntry is one Add: refused at once (err) or queued with its decoded
// R and S and its hash k.
type batchEntry struct {
	err            error
	key            int
	domain         string
	canonical, sig []byte
	R              curve.EdwardsPoint
	S, k           scalar.Scalar
}

// NewSignatureBatch returns an empty batch with room for n signatures.
func NewSignatureBatch(n int) *SignatureBatch {
	return &SignatureBatch{
		keys:    make(map[string]int, 1),
		entries: make([]batchEntry, 0, n),
		h:       sha512.New(),
	}
}

// Add queues sig, pub's claimed signature over canonical (the
// protocol.Canonical encoding of a response, version 1). Verify answers for
// it at the position of this call among the Adds.
func (b *SignatureBatch) Add(pub ed25519.PublicKey, canonical, sig []byte) {
	b.AddContent(pub, 1, canonical, sig)
}

// AddContent is Add for the content of an item of the given protocol
// version (ItemContent): version 2 content is signed behind its own domain.
func (b *SignatureBatch) AddContent(pub ed25519.PublicKey, version int, canonical, sig []byte) {
	domain := domainOf(version)
	if err := checkSizes(pub, sig); err != nil {
		b.entries = append(b.entries, batchEntry{err: err})
		return
	}
	ki, seen := b.keys[string(pub)]
	if !seen {
		ki = -1
		if A, ok := unpackKey(pub); ok {
			ki = len(b.akeys)
			b.akeys = append(b.akeys, batchKey{pub: pub, A: A})
		}
		b.keys[string(pub)] = ki
	}
	b.entries = append(b.entries, batchEntry{key: ki, domain: domain, canonical: canonical, sig: sig})
	e := &b.entries[len(b.entries)-1]
	if ki < 0 || !unpackSig(sig, &e.R, &e.S) {
		e.err = errNoVerify()
		return
	}
	b.h.Reset()
	b.h.Write(sig[:32])
	b.h.Write(pub)
	b.h.Write([]byte(domain))
	b.h.Write(canonical)
	if _, err := e.k.SetBytesModOrderWide(b.h.Sum(b.digest[:0])); err != nil {
		e.err = errNoVerify()
	}
}

// unpackKey decodes a public key under the protocol's rule: a canonical
// encoding of a point that is not of small order.
func unpackKey(pub ed25519.PublicKey) (curve.EdwardsPoint, bool) {
	var c curve.CompressedEdwardsY
	var A curve.EdwardsPoint
	if _, err := c.SetBytes(pub); err != nil {
		return A, false
	}
	if _, err := A.SetCompressedY(&c); err != nil {
		return A, false
	}
	return A, !A.IsSmallOrder() && c.IsCanonicalVartime()
}

// unpackSig decodes a signature under the protocol's rule: R a canonical
// encoding of a point (small order allowed, as RFC 8032 does), S below the
// group order.
func unpackSig(sig []byte, R *curve.EdwardsPoint, S *scalar.Scalar) bool {
	if !scalar.ScMinimalVartime(sig[32:]) {
		return false
	}
	var c curve.CompressedEdwardsY
	if _, err := c.SetBytes(sig[:32]); err != nil {
		return false
	}
	if _, err := R.SetCompressedY(&c); err != nil {
		return false
	}
	if !c.IsCanonicalVartime() {
		return false
	}
	_, err := S.SetBytesModOrder(sig[32:])
	return err == nil
}

// Len is the number of signatures added.
func (b *SignatureBatch) Len() int { return len(b.entries) }

// Verify checks every signature added and returns one error per Add, in
// order: nil when the signature verifies, otherwise an *Error with code
// CodeInvalid naming the problem. Randomness comes from crypto/rand.
func (b *SignatureBatch) Verify() []error {
	errs := make([]error, len(b.entries))
	var queued []int
	for i := range b.entries {
		if errs[i] = b.entries[i].err; errs[i] == nil {
			queued = append(queued, i)
		}
	}
	if len(queued) == 0 || b.combinationHolds(queued) {
		return errs
	}
	for _, i := range queued { // name the bad ones
		e := &b.entries[i]
		if !voi.VerifyWithOptions(voi.PublicKey(b.akeys[e.key].pub), domainMessage(e.domain, e.canonical), e.sig, verifyOptions) {
			errs[i] = errNoVerify()
		}
	}
	return errs
}

// combinationHolds checks the batch equation over the queued entries.
func (b *SignatureBatch) combinationHolds(queued []int) bool {
	n, m := len(queued), len(b.akeys)
	random := make([]byte, 16*n)
	if _, err := rand.Read(random); err != nil {
		panic("protocol: crypto/rand failed: " + err.Error()) // crypto/rand.Read never fails on supported platforms
	}
	vals := make([]scalar.Scalar, 1+n+m) // B | R_i | A_key
	scalars := make([]*scalar.Scalar, len(vals))
	points := make([]*curve.EdwardsPoint, len(vals))
	for i := range vals {
		scalars[i] = &vals[i]
	}
	points[0] = curve.ED25519_BASEPOINT_POINT
	for j := range b.akeys {
		points[1+n+j] = &b.akeys[j].A
	}
	var z, t scalar.Scalar
	var zb [32]byte
	for j, i := range queued {
		e := &b.entries[i]
		copy(zb[:16], random[16*j:])
		if _, err := z.SetBytesModOrder(zb[:]); err != nil {
			return false
		}
		vals[0].Add(&vals[0], t.Mul(&z, &e.S))
		vals[1+j].Set(&z)
		points[1+j] = &e.R
		a := &vals[1+n+e.key]
		a.Add(a, t.Mul(&z, &e.k))
	}
	vals[0].Neg(&vals[0])
	var p curve.EdwardsPoint
	return p.MultiscalarMulVartime(scalars, points).IsSmallOrder()
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

// signingMessage is what is signed for version 1: the domain, then the
// canonical bytes.
func signingMessage(canonical []byte) []byte { return domainMessage(signingDomain, canonical) }

// domainMessage is a signing domain followed by the content.
func domainMessage(domain string, content []byte) []byte {
	msg := make([]byte, 0, len(domain)+len(content))
	return append(append(msg, domain...), content...)
}

func errNoVerify() error { return Errorf(CodeInvalid, "signature does not verify") }
