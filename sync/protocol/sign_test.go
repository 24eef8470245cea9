package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
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

func flip(sig []byte) []byte {
	s := bytes.Clone(sig)
	s[40] ^= 0x10
	return s
}

func TestSignatureBatch(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	otherPriv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))
	otherPub := otherPriv.Public().(ed25519.PublicKey)

	tests := map[string]struct {
		n   int
		bad map[int]func(pub ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte)
	}{
		"all good":        {n: 64},
		"batch of one":    {n: 1},
		"large, all good": {n: 500},
		"one bad in the middle": {n: 64, bad: map[int]func(ed25519.PublicKey, []byte, []byte) (ed25519.PublicKey, []byte, []byte){
			31: func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return p, c, flip(s) },
		}},
		"one bad of one": {n: 1, bad: map[int]func(ed25519.PublicKey, []byte, []byte) (ed25519.PublicKey, []byte, []byte){
			0: func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return p, c, flip(s) },
		}},
		"changed content, wrong key, short signature, short key": {n: 10, bad: map[int]func(ed25519.PublicKey, []byte, []byte) (ed25519.PublicKey, []byte, []byte){
			0: func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) {
				return p, bytes.Replace(c, []byte(`"hl"`), []byte(`"rhl"`), 1), s
			},
			3: func(_ ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return otherPub, c, s },
			7: func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return p, c, s[:63] },
			9: func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return p[:31], c, s },
		}},
	}
	allBad := map[int]func(ed25519.PublicKey, []byte, []byte) (ed25519.PublicKey, []byte, []byte){}
	for i := range 100 {
		allBad[i] = func(p ed25519.PublicKey, c, s []byte) (ed25519.PublicKey, []byte, []byte) { return p, c, flip(s) }
	}
	tests["all bad"] = struct {
		n   int
		bad map[int]func(ed25519.PublicKey, []byte, []byte) (ed25519.PublicKey, []byte, []byte)
	}{n: 100, bad: allBad}

	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			contents, sigs := signedSet(t, priv, tc.n)
			b := protocol.NewSignatureBatch(tc.n)
			keys := make([]ed25519.PublicKey, tc.n)
			for i := range tc.n {
				keys[i] = pub
				if mk, ok := tc.bad[i]; ok {
					keys[i], contents[i], sigs[i] = mk(pub, contents[i], sigs[i])
				}
				b.Add(keys[i], contents[i], sigs[i])
			}
			if b.Len() != tc.n {
				t.Fatalf("Len = %d, want %d", b.Len(), tc.n)
			}
			errs := b.Verify()
			if len(errs) != tc.n {
				t.Fatalf("Verify gave %d verdicts for %d signatures", len(errs), tc.n)
			}
			for i, err := range errs {
				_, isBad := tc.bad[i]
				if isBad != (err != nil) {
					t.Errorf("item %d: bad=%v, got error %v", i, isBad, err)
				}
				var pe *protocol.Error
				if err != nil && (!errors.As(err, &pe) || pe.Code != protocol.CodeInvalid) {
					t.Errorf("item %d: error %v is not a protocol invalid error", i, err)
				}
				// The same verdict as checking the item alone.
				single := protocol.VerifyCanonical(keys[i], contents[i], sigs[i])
				if (single == nil) != (err == nil) {
					t.Errorf("item %d: batch verdict %v, single verdict %v", i, err, single)
				}
			}
		})
	}
}

func TestSignatureBatchEmpty(t *testing.T) {
	if errs := protocol.NewSignatureBatch(0).Verify(); len(errs) != 0 {
		t.Errorf("empty batch gave %d verdicts", len(errs))
	}
	b := protocol.NewSignatureBatch(1)
	b.Add(nil, []byte("{}"), nil)
	if errs := b.Verify(); len(errs) != 1 || errs[0] == nil {
		t.Errorf("batch of one unusable entry: %v", errs)
	}
}

func TestSignatureBatchSeveralKeys(t *testing.T) {
	privs := []ed25519.PrivateKey{testKey(t), ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))}
	b := protocol.NewSignatureBatch(40)
	for i := range 40 {
		priv := privs[i%2]
		contents, sigs := signedSet(t, priv, 1)
		if i == 17 {
			sigs[0] = flip(sigs[0])
		}
		b.Add(priv.Public().(ed25519.PublicKey), contents[0], sigs[0])
	}
	for i, err := range b.Verify() {
		if (i == 17) != (err != nil) {
			t.Errorf("item %d: %v", i, err)
		}
	}
}

// TestSmallOrderKeyRefused: with the identity point as public key, anyone
// can make a "signature" over anything (R = [S]B). crypto/ed25519 accepts
// it; the protocol, alone or in a batch, does not.
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
	b := protocol.NewSignatureBatch(2)
	good, goodSig := signedSet(t, testKey(t), 1)
	b.Add(testKey(t).Public().(ed25519.PublicKey), good[0], goodSig[0])
	b.Add(identity, content, sig)
	errs := b.Verify()
	if errs[0] != nil || errs[1] == nil {
		t.Errorf("batch verdicts %v, want [nil, error]", errs)
	}
}

// BenchmarkVerify compares checking 500 signatures one by one with
// checking them in batches (docs/BENCHMARKS.md, "Sync hub").
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
	for _, size := range []int{16, 64, 125, 500} {
		b.Run(fmt.Sprintf("batch-%d", size), func(b *testing.B) {
			for b.Loop() {
				for lo := 0; lo < len(contents); lo += size {
					hi := min(lo+size, len(contents))
					sb := protocol.NewSignatureBatch(hi - lo)
					for i := lo; i < hi; i++ {
						sb.Add(pub, contents[i], sigs[i])
					}
					for _, err := range sb.Verify() {
						if err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
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

// FuzzSignatureBatch corrupts signatures, keys and contents of a batch in
// ways the fuzzer picks (any byte of R or S, so non-canonical and
// small-order encodings too, another key, changed content) and checks that
// each batch verdict is the verdict of checking the item alone.
func FuzzSignatureBatch(f *testing.F) {
	f.Add([]byte{0, 40, 1})
	f.Add([]byte{3, 63, 0x80, 5, 31, 0x80})
	f.Add([]byte{1, 0, 0xff, 2, 1, 0, 7, 32, 0x10})
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize))
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{4}, ed25519.SeedSize))
	const n = 12
	contents, sigs := signedSet(f, priv, n)
	f.Fuzz(func(t *testing.T, ops []byte) {
		cs := make([][]byte, n)
		ss := make([][]byte, n)
		keys := make([]ed25519.PublicKey, n)
		for i := range n {
			cs[i], ss[i] = bytes.Clone(contents[i]), bytes.Clone(sigs[i])
			keys[i] = priv.Public().(ed25519.PublicKey)
		}
		for k := 0; k+2 < len(ops); k += 3 {
			i, at, v := int(ops[k])%n, int(ops[k+1]), ops[k+2]
			switch {
			case at < 64:
				ss[i][at] ^= v
			case at < 96:
				keys[i] = other.Public().(ed25519.PublicKey)
			case at < 128:
				pk := bytes.Clone(keys[i])
				pk[at-96] ^= v
				keys[i] = pk
			default:
				cs[i][int(v)%len(cs[i])] ^= 1
			}
		}
		b := protocol.NewSignatureBatch(n)
		for i := range n {
			b.Add(keys[i], cs[i], ss[i])
		}
		for i, err := range b.Verify() {
			single := protocol.VerifyCanonical(keys[i], cs[i], ss[i])
			if (single == nil) != (err == nil) {
				t.Fatalf("item %d: batch verdict %v, alone %v", i, err, single)
			}
		}
	})
}
