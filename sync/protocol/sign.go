package protocol

import (
	"crypto/ed25519"
	"fmt"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// VerifyOptions returns the one rule by which every signature of the
// protocol is checked, alone (Verify, VerifyCanonical) or in a
// curve25519-voi BatchVerifier (the hub), so an item gets the same verdict
// whichever way it is checked: RFC 8032 Ed25519 with the cofactored
// equation [8][S]B = [8]R + [8][k]A (the equation batch verification
// checks; RFC 8032 §5.1.7 allows it), S below the group order, R and the
// public key canonically encoded, and the public key not of small order.
// Every key and signature crypto/ed25519 makes passes these checks. Each
// call returns a new value, so a caller cannot change the rule for others.
func VerifyOptions() *voi.Options { return &voi.Options{Verify: voi.VerifyOptionsDefault} }

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
	if !voi.VerifyWithOptions(voi.PublicKey(pub), domainMessage(domainOf(version), content), sig, VerifyOptions()) {
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
	if !voi.VerifyWithOptions(voi.PublicKey(pub), signingMessage(canonical), sig, VerifyOptions()) {
		return errNoVerify()
	}
	return nil
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

// SigningMessage is what a device signs for a response's content of the
// given protocol version (ItemContent): that version's domain, then the
// content. The hub hands it to its batch verifier.
func SigningMessage(version int, content []byte) []byte {
	return domainMessage(domainOf(version), content)
}

func errNoVerify() error { return Errorf(CodeInvalid, "signature does not verify") }
