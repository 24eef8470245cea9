package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestSigningBytesGoldenV2: what a kiosk signs under version 2 is fixed
// byte for byte by testdata/signing-v2.golden.
func TestSigningBytesGoldenV2(t *testing.T) {
	got, err := protocol.SigningBytesV2(protocol.NewResponseV1(filled(t)), 42)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "signing-v2.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("version 2 signing bytes changed:\n got %s\nwant %s", got, want)
	}
	v1, _ := protocol.SigningBytes(protocol.NewResponseV1(filled(t)))
	if !bytes.HasPrefix(got, []byte("hailong/response/v2\n")) || !bytes.HasSuffix(got, []byte(`,"seq":42}`)) ||
		!bytes.Equal(got[len("hailong/response/v2\n"):len(got)-len(`,"seq":42}`)], v1[len("hailong/response/v1\n"):len(v1)-1]) {
		t.Errorf("version 2 content is not version 1's with the seq field last:\n%s", got)
	}
}

func TestSignV2Verify(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	v2, err := protocol.SignV2(priv, sample(), 7)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := protocol.Sign(priv, sample())
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version() != 2 || v1.Version() != 1 {
		t.Fatalf("versions %d, %d", v2.Version(), v1.Version())
	}
	renumbered := v2
	renumbered.Seq = 8
	unnumbered := v2
	unnumbered.Seq = 0
	numbered := v1
	numbered.Seq = 1
	negative := v2
	negative.Seq = -1
	edited := v2
	r := *v2.Response
	r.Answers = map[string][]string{"q1": {"khl"}}
	edited.Response = &r
	tests := map[string]struct {
		it protocol.Item
		ok bool
	}{
		"v2":                         {v2, true},
		"v1 still verifies":          {v1, true},
		"v2 with another number":     {renumbered, false},
		"v2 sent without its number": {unnumbered, false},
		"v1 given a number":          {numbered, false},
		"negative number":            {negative, false},
		"v2 answer edited":           {edited, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := protocol.Verify(pub, tt.it)
			if (err == nil) != tt.ok {
				t.Fatalf("Verify = %v, want ok %v", err, tt.ok)
			}
			// The hub's batch check over SigningMessage gives the same verdict.
			c, cerr := protocol.ItemContent(tt.it)
			if cerr != nil {
				if tt.ok {
					t.Fatal(cerr)
				}
				return
			}
			bv := voi.NewBatchVerifier()
			bv.AddWithOptions(voi.PublicKey(pub), protocol.SigningMessage(tt.it.Version(), c), tt.it.Signature, protocol.VerifyOptions())
			if ok, _ := bv.Verify(nil); ok != tt.ok {
				t.Fatalf("batch verifier = %v, want ok %v", ok, tt.ok)
			}
		})
	}
	if _, err := protocol.SignV2(priv, sample(), 0); err == nil {
		t.Error("SignV2 took number 0")
	}
}

func TestMark(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	at := time.Date(2026, 12, 2, 8, 0, 0, 123456789, time.UTC)
	m, err := protocol.SignMark(priv, "dev-1", 4, 12, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := protocol.VerifyMark(pub, m); err != nil {
		t.Fatal(err)
	}
	if _, err := protocol.SignMark(priv, "dev-1", 13, 12, at); err == nil {
		t.Error("SignMark took a first number above the mark")
	}
	// Through JSON and back it still verifies.
	data, _ := json.Marshal(m)
	var back protocol.Mark
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if err := protocol.VerifyMark(pub, &back); err != nil {
		t.Fatalf("decoded mark: %v", err)
	}
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	for name, change := range map[string]func(m *protocol.Mark) ed25519.PublicKey{
		"lower mark":   func(m *protocol.Mark) ed25519.PublicKey { m.Seq = 11; return pub },
		"other device": func(m *protocol.Mark) ed25519.PublicKey { m.DeviceID = "dev-2"; return pub },
		"other time":   func(m *protocol.Mark) ed25519.PublicKey { m.At = m.At.Add(time.Second); return pub },
		"other key":    func(m *protocol.Mark) ed25519.PublicKey { return other },
		"zero mark":    func(m *protocol.Mark) ed25519.PublicKey { m.Seq = 0; return pub },
		"other first":  func(m *protocol.Mark) ed25519.PublicKey { m.From = 5; return pub },
		"first 0":      func(m *protocol.Mark) ed25519.PublicKey { m.From = 0; return pub },
		"no signature": func(m *protocol.Mark) ed25519.PublicKey { m.Signature = nil; return pub },
	} {
		t.Run(name, func(t *testing.T) {
			c := *m
			if err := protocol.VerifyMark(change(&c), &c); err == nil {
				t.Error("VerifyMark accepted a changed mark")
			}
		})
	}
}

// TestBatchV2RoundTrip: a batch of version 2 items with a mark decodes
// (fast path or not) to what was encoded, and the bundle carries the mark
// in its header.
func TestBatchV2RoundTrip(t *testing.T) {
	priv := testKey(t)
	it, err := protocol.SignV2(priv, sample(), 3)
	if err != nil {
		t.Fatal(err)
	}
	m, err := protocol.SignMark(priv, it.Response.DeviceID, 1, 5, time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	b := protocol.Batch{Items: []protocol.Item{it}, Mark: m}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := protocol.ParseBatch(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Items[0].Seq != 3 || got.Mark == nil || got.Mark.Seq != 5 || !bytes.Equal(got.Mark.Signature, m.Signature) {
		t.Fatalf("decoded %+v mark %+v", got.Items[0], got.Mark)
	}
	if err := protocol.Verify(priv.Public().(ed25519.PublicKey), got.Items[0]); err != nil {
		t.Fatal(err)
	}
	if err := protocol.VerifyMark(priv.Public().(ed25519.PublicKey), got.Mark); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	bw, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: it.Response.DeviceID, CreatedAt: m.At, Mark: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Add(it); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	br, err := protocol.NewBundleReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if h := br.Header(); h.Mark == nil || h.Mark.Seq != 5 {
		t.Fatalf("bundle header mark %+v", h.Mark)
	}
	bb, err := br.Next()
	if err != nil || bb.Items[0].Seq != 3 {
		t.Fatalf("bundle batch %+v, %v", bb, err)
	}
}
