package protocol

import (
	"crypto/ed25519"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Sign returns the item for r signed with the device's private key. The
// item carries a normalised copy of r; r itself is not modified.
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
	return Item{Response: &c, Signature: ed25519.Sign(priv, msg)}, nil
}

// Verify checks that item's signature is pub's signature over the item's
// response. It returns an *Error with code CodeInvalid naming the problem.
func Verify(pub ed25519.PublicKey, item Item) error {
	if len(pub) != ed25519.PublicKeySize {
		return Errorf(CodeInvalid, "public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if item.Response == nil {
		return Errorf(CodeInvalid, "item has no response")
	}
	if len(item.Signature) != ed25519.SignatureSize {
		return Errorf(CodeInvalid, "signature has %d bytes, want %d", len(item.Signature), ed25519.SignatureSize)
	}
	msg, err := SigningBytes(item.Response)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, msg, item.Signature) {
		return Errorf(CodeInvalid, "signature does not verify")
	}
	return nil
}

// VerifyCanonical checks sig against canonical, the protocol.Canonical
// encoding of a response the caller has already computed (the hub computes
// it once for both the signature and the duplicate check).
func VerifyCanonical(pub ed25519.PublicKey, canonical, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return Errorf(CodeInvalid, "public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if len(sig) != ed25519.SignatureSize {
		return Errorf(CodeInvalid, "signature has %d bytes, want %d", len(sig), ed25519.SignatureSize)
	}
	msg := make([]byte, 0, len(signingDomain)+len(canonical))
	msg = append(append(msg, signingDomain...), canonical...)
	if !ed25519.Verify(pub, msg, sig) {
		return Errorf(CodeInvalid, "signature does not verify")
	}
	return nil
}
