package hub

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/oasisprotocol/curve25519-voi/curve"
	"github.com/oasisprotocol/curve25519-voi/curve/scalar"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func TestChunkBounds(t *testing.T) {
	tests := []struct {
		n, workers int
		want       []int
	}{
		{500, 2, []int{0, 250, 500}},
		{500, 8, []int{0, 71, 142, 214, 285, 357, 428, 500}},
		{100, 2, []int{0, 100}},
		{128, 2, []int{0, 64, 128}},
		{1, 1, []int{0, 1}},
		{0, 4, []int{0, 0}},
	}
	for _, tt := range tests {
		got := chunkBounds(tt.n, tt.workers)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("chunkBounds(%d, %d) = %v, want %v", tt.n, tt.workers, got, tt.want)
		}
	}
}

func seedKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// signedStates makes n items signed by priv, as precheck leaves them for
// verifySignatures (device and canonical content set).
func signedStates(t testing.TB, priv ed25519.PrivateKey, dev *Device, n int) []itemState {
	t.Helper()
	out := make([]itemState, n)
	start := time.Date(2026, 11, 25, 3, 4, 5, 0, time.UTC)
	for i := range out {
		r := &survey.Response{
			ID: fmt.Sprintf("019abcde-f012-7345-8678-%012x", i), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
			Answers: survey.Answers{"q1": {"hl"}}, StartedAt: start, FinishedAt: start.Add(time.Minute),
			ServicePoint: "Phường Hoàn Kiếm", DeviceID: dev.ID, Lang: "vi", Status: survey.StatusComplete,
		}
		it, err := protocol.Sign(priv, r)
		if err != nil {
			t.Fatal(err)
		}
		c, err := protocol.Canonical(it.Response)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = itemState{item: it, dev: dev, content: c}
	}
	return out
}

// agreesAlone checks that every verdict of verifySignatures is the verdict
// of protocol.VerifyCanonical on the item alone.
func agreesAlone(t *testing.T, chunk []itemState) (bad int) {
	t.Helper()
	for i, st := range chunk {
		alone := protocol.VerifyCanonical(st.dev.PublicKey, st.content, st.item.Signature)
		refused := st.refused != nil && st.refused.Reason == protocol.ReasonBadSignature
		if refused != (alone != nil) {
			t.Errorf("item %d: batch refused=%v (%+v), alone %v", i, refused, st.refused, alone)
		}
		if refused {
			bad++
		}
	}
	return bad
}

func TestVerifySignatures(t *testing.T) {
	priv, other := seedKey(1), seedKey(2)
	dev := &Device{ID: "dev-1", PublicKey: priv.Public().(ed25519.PublicKey)}
	otherDev := &Device{ID: "dev-2", PublicKey: other.Public().(ed25519.PublicKey)}
	tests := []struct {
		name string
		n    int
		bad  map[int]func(st *itemState)
	}{
		{"all good", 64, nil},
		{"one", 1, nil},
		{"large", 250, nil},
		{"one bad in the middle", 64, map[int]func(*itemState){31: func(st *itemState) { st.item.Signature[40] ^= 0x10 }}},
		{"one bad of one", 1, map[int]func(*itemState){0: func(st *itemState) { st.item.Signature[3] ^= 1 }}},
		{"changed content, other key, S out of range", 10, map[int]func(*itemState){
			0: func(st *itemState) { st.content = bytes.Replace(st.content, []byte(`"hl"`), []byte(`"rhl"`), 1) },
			3: func(st *itemState) { st.dev = otherDev },
			7: func(st *itemState) { st.item.Signature[63] |= 0xf0 },
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chunk := signedStates(t, priv, dev, tc.n)
			for i, mk := range tc.bad {
				chunk[i].item.Signature = bytes.Clone(chunk[i].item.Signature)
				mk(&chunk[i])
			}
			verifySignatures(chunk)
			if bad := agreesAlone(t, chunk); bad != len(tc.bad) {
				t.Errorf("%d refused, want %d", bad, len(tc.bad))
			}
		})
	}
	t.Run("a later check's refusal gives way to a bad signature", func(t *testing.T) {
		chunk := signedStates(t, priv, dev, 2)
		for i := range chunk {
			chunk[i].refused = reject(chunk[i].item, protocol.ReasonInvalidAnswers, "no")
		}
		chunk[1].item.Signature[5] ^= 1
		verifySignatures(chunk)
		if chunk[0].refused.Reason != protocol.ReasonInvalidAnswers || chunk[1].refused.Reason != protocol.ReasonBadSignature {
			t.Errorf("refusals %+v, %+v", chunk[0].refused, chunk[1].refused)
		}
	})
	t.Run("items without a device are skipped", func(t *testing.T) {
		chunk := signedStates(t, priv, dev, 3)
		chunk[1].dev = nil
		verifySignatures(chunk)
		for i, st := range chunk {
			if st.refused != nil {
				t.Errorf("item %d refused: %+v", i, st.refused)
			}
		}
	})
}

// TestVerifySignaturesSmallOrderKey: with the identity point as public
// key, anyone can make a "signature" over anything (R = [S]B).
// crypto/ed25519 accepts it; the hub, like protocol.VerifyCanonical, does
// not, and the good item in the same batch stays good.
func TestVerifySignaturesSmallOrderKey(t *testing.T) {
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
	if !ed25519.Verify(identity, protocol.SigningMessage(1, content), sig) {
		t.Fatal("test setup: the forged signature should pass crypto/ed25519")
	}
	priv := seedKey(1)
	chunk := signedStates(t, priv, &Device{ID: "dev-1", PublicKey: priv.Public().(ed25519.PublicKey)}, 1)
	chunk = append(chunk, itemState{item: protocol.Item{Response: chunk[0].item.Response, Signature: sig},
		dev: &Device{ID: "dev-0", PublicKey: identity}, content: content})
	verifySignatures(chunk)
	if chunk[0].refused != nil || chunk[1].refused == nil {
		t.Errorf("verdicts %+v, %+v; want good, refused", chunk[0].refused, chunk[1].refused)
	}
}

// FuzzVerifySignatures corrupts signatures, keys and contents of a batch in
// ways the fuzzer picks (any byte of R or S, so non-canonical and
// small-order encodings too, another key, changed content) and checks that
// each batch verdict is the verdict of checking the item alone.
func FuzzVerifySignatures(f *testing.F) {
	f.Add([]byte{0, 40, 1})
	f.Add([]byte{3, 63, 0x80, 5, 31, 0x80})
	f.Add([]byte{1, 0, 0xff, 2, 1, 0, 7, 32, 0x10})
	priv := seedKey(3)
	dev := &Device{ID: "dev-1", PublicKey: priv.Public().(ed25519.PublicKey)}
	other := &Device{ID: "dev-2", PublicKey: seedKey(4).Public().(ed25519.PublicKey)}
	const n = 12
	base := signedStates(f, priv, dev, n)
	f.Fuzz(func(t *testing.T, ops []byte) {
		chunk := make([]itemState, n)
		for i := range chunk {
			chunk[i] = base[i]
			chunk[i].item.Signature = bytes.Clone(base[i].item.Signature)
			chunk[i].content = bytes.Clone(base[i].content)
		}
		for k := 0; k+2 < len(ops); k += 3 {
			i, at, v := int(ops[k])%n, int(ops[k+1]), ops[k+2]
			switch {
			case at < 64:
				chunk[i].item.Signature[at] ^= v
			case at < 96:
				chunk[i].dev = other
			case at < 128:
				pk := bytes.Clone(chunk[i].dev.PublicKey)
				pk[at-96] ^= v
				chunk[i].dev = &Device{ID: "dev-x", PublicKey: pk}
			default:
				chunk[i].content[int(v)%len(chunk[i].content)] ^= 1
			}
		}
		verifySignatures(chunk)
		agreesAlone(t, chunk)
	})
}

// BenchmarkVerifySignatures is the hub's signature check of one full
// upload from one device, in chunks of 64, 125, 250 and 500 (one chunk per
// worker; docs/BENCHMARKS.md, "Sync hub").
func BenchmarkVerifySignatures(b *testing.B) {
	priv := seedKey(7)
	dev := &Device{ID: "dev-1", PublicKey: priv.Public().(ed25519.PublicKey)}
	all := signedStates(b, priv, dev, protocol.MaxBatchItems)
	for _, size := range []int{64, 125, 250, 500} {
		b.Run(fmt.Sprintf("chunk-%d", size), func(b *testing.B) {
			for b.Loop() {
				for lo := 0; lo < len(all); lo += size {
					chunk := all[lo:min(lo+size, len(all))]
					verifySignatures(chunk)
					if chunk[0].refused != nil {
						b.Fatal(chunk[0].refused)
					}
				}
			}
		})
	}
}
