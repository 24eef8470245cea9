package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/oasisprotocol/curve25519-voi/curve"
	"github.com/oasisprotocol/curve25519-voi/curve/scalar"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// signedSet makes n signed responses by priv: their canonical encodings
// and signatures.
func signedSet(t testing.TB, priv ed25519.PrivateKey, n int) (contents, sigs [][]byte) {
	t.Helper()
	for i := range n {
		r := sample()
		r.ID = fmt.Sprintf("019abcde-f012-7345-8678-%012x", i)
		it, err := protocol.Sign(priv, r)
		if err != nil {
			t.Fatal(err)
		}
		c, err := protocol.Canonical(it.Response)
		if err != nil {
			t.Fatal(err)
		}
		contents = append(contents, c)
		sigs = append(sigs, it.Signature)
	}
	return contents, sigs
}

// TestSmallOrderKeyRefused: with the identity point as public key, anyone
// can make a "signature" over anything (R = [S]B). crypto/ed25519 accepts
// it; the protocol does not (sync/hub checks its batch verifier agrees).
func TestSmallOrderKeyRefused(t *testing.T) {
	identity := make(ed25519.PublicKey, ed25519.PublicKeySize)
	identity[0] = 1
	s := scalar.NewFromUint64(123456789)
	var R curve.EdwardsPoint
	R.MulBasepoint(curve.ED25519_BASEPOINT_TABLE, s)
	var rc curve.CompressedEdwardsY
	rc.SetEdwardsPoint(&R)
	sig := make([]byte, 64)
	copy(sig, rc[:])
	if err := s.ToBytes(sig[32:]); err != nil {
		t.Fatal(err)
	}
	content := []byte(`{"id":"forged"}`)
	msg := append([]byte("hailong/response/v1\n"), content...)
	if !ed25519.Verify(identity, msg, sig) {
		t.Fatal("test setup: the forged signature should pass crypto/ed25519")
	}
	if err := protocol.VerifyCanonical(identity, content, sig); err == nil {
		t.Error("VerifyCanonical accepted a signature by a small-order key")
	}
}

// BenchmarkVerify compares checking 500 signatures one by one with
// crypto/ed25519 and with the protocol's rule (the hub's batches:
// sync/hub BenchmarkVerifySignatures; docs/BENCHMARKS.md, "Sync hub").
func BenchmarkVerify(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := priv.Public().(ed25519.PublicKey)
	contents, sigs := signedSet(b, priv, 500)
	b.Run("crypto-ed25519", func(b *testing.B) {
		for b.Loop() {
			for i := range contents {
				msg := append([]byte("hailong/response/v1\n"), contents[i]...)
				if !ed25519.Verify(pub, msg, sigs[i]) {
					b.Fatal("no verify")
				}
			}
		}
	})
	b.Run("single", func(b *testing.B) {
		for b.Loop() {
			for i := range contents {
				if err := protocol.VerifyCanonical(pub, contents[i], sigs[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestSignIsCryptoEd25519: Sign's signature is byte for byte the one
// crypto/ed25519 makes over SigningBytes, for many keys and responses.
func TestSignIsCryptoEd25519(t *testing.T) {
	for i := range 200 {
		seed := bytes.Repeat([]byte{byte(i), byte(i * 7)}, ed25519.SeedSize/2)
		priv := ed25519.NewKeyFromSeed(seed)
		r := sample()
		r.ID = fmt.Sprintf("019abcde-f012-7345-8678-%012x", i)
		r.ServicePoint = fmt.Sprintf("Bộ phận Một cửa số %d", i)
		it, err := protocol.Sign(priv, r)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := protocol.SigningBytes(protocol.NewResponseV1(r))
		if err != nil {
			t.Fatal(err)
		}
		if want := ed25519.Sign(priv, msg); !bytes.Equal(it.Signature, want) {
			t.Fatalf("key %d: Sign = %x, crypto/ed25519 = %x", i, it.Signature, want)
		}
		if err := protocol.Verify(priv.Public().(ed25519.PublicKey), it); err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	r := sample()
	for b.Loop() {
		if _, err := protocol.Sign(priv, r); err != nil {
			b.Fatal(err)
		}
	}
}
