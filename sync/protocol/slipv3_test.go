package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// testSlip returns a fixed valid slip code in compact form.
func testSlip(t testing.TB, seed string) string {
	t.Helper()
	c, err := slip.New(strings.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c.Compact()
}

// TestSigningBytesGoldenV3: what a kiosk signs under version 3 is fixed
// byte for byte by testdata/signing-v3.golden, and is the version 2
// content with the slip field last.
func TestSigningBytesGoldenV3(t *testing.T) {
	code := testSlip(t, "abcdef")
	got, err := protocol.SigningBytesV3(protocol.NewResponseV1(filled(t)), 42, code)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "signing-v3.golden")
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
		t.Errorf("version 3 signing bytes changed:\n got %s\nwant %s", got, want)
	}
	v2, _ := protocol.SigningBytesV2(protocol.NewResponseV1(filled(t)), 42)
	tail := `,"slip":"` + code + `"}`
	if !bytes.HasPrefix(got, []byte("hailong/response/v3\n")) || !bytes.HasSuffix(got, []byte(tail)) ||
		!bytes.Equal(got[len("hailong/response/v3\n"):len(got)-len(tail)], v2[len("hailong/response/v2\n"):len(v2)-1]) {
		t.Errorf("version 3 content is not version 2's with the slip field last:\n%s", got)
	}
}

func TestSignV3Verify(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	code, other := testSlip(t, "abcdef"), testSlip(t, "ghijkl")
	v3, err := protocol.SignV3(priv, sample(), 7, code)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := protocol.SignV2(priv, sample(), 7)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := protocol.Sign(priv, sample())
	if err != nil {
		t.Fatal(err)
	}
	if v3.Version() != 3 || v3.Slip != code || v3.Seq != 7 {
		t.Fatalf("v3 item: version %d, slip %q, seq %d", v3.Version(), v3.Slip, v3.Seq)
	}
	change := func(it protocol.Item, f func(*protocol.Item)) protocol.Item { f(&it); return it }
	c, _ := slip.ParseCode(code)
	tests := map[string]struct {
		it protocol.Item
		ok bool
	}{
		"v3":                          {v3, true},
		"v2 still verifies":           {v2, true},
		"v1 still verifies":           {v1, true},
		"v3 with another slip":        {change(v3, func(it *protocol.Item) { it.Slip = other }), false},
		"v3 sent without its slip":    {change(v3, func(it *protocol.Item) { it.Slip = "" }), false},
		"v3 without its number":       {change(v3, func(it *protocol.Item) { it.Seq = 0 }), false},
		"v3 with another number":      {change(v3, func(it *protocol.Item) { it.Seq = 8 }), false},
		"v2 given a slip":             {change(v2, func(it *protocol.Item) { it.Slip = code }), false},
		"slip in grouped form":        {change(v3, func(it *protocol.Item) { it.Slip = c.String() }), false},
		"slip in lower case":          {change(v3, func(it *protocol.Item) { it.Slip = strings.ToLower(code) }), false},
		"slip with a wrong check":     {change(v3, func(it *protocol.Item) { it.Slip = code[:9] + string(flip(code[9])) }), false},
		"v3 signed under v2's domain": {change(v3, func(it *protocol.Item) { it.Signature = sigOver(priv, "hailong/response/v2\n", v3) }), false},
		"v3 answer edited":            {change(v3, func(it *protocol.Item) { r := *it.Response; r.Lang = "en"; it.Response = &r }), false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := protocol.Verify(pub, tt.it)
			if (err == nil) != tt.ok {
				t.Fatalf("Verify = %v, want ok %v", err, tt.ok)
			}
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
	for name, f := range map[string]func() (protocol.Item, error){
		"number 0":     func() (protocol.Item, error) { return protocol.SignV3(priv, sample(), 0, code) },
		"grouped slip": func() (protocol.Item, error) { return protocol.SignV3(priv, sample(), 1, c.String()) },
		"not a slip":   func() (protocol.Item, error) { return protocol.SignV3(priv, sample(), 1, "HELLO") },
	} {
		if _, err := f(); err == nil {
			t.Errorf("SignV3 with %s: no error", name)
		}
	}
}

// TestSignItem: a response with a slip becomes a version 3 item, one
// without stays version 2 (numbered) or 1, and the item gives the slip back.
func TestSignItem(t *testing.T) {
	priv := testKey(t)
	code := testSlip(t, "abcdef")
	withSlip := sample()
	withSlip.Slip = code
	for _, tt := range []struct {
		name    string
		seq     int64
		slip    string
		version int
		fails   bool
	}{
		{"slip", 3, code, 3, false},
		{"numbered", 3, "", 2, false},
		{"unnumbered", 0, "", 1, false},
		{"slip without a number", 0, code, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := sample()
			r.Slip = tt.slip
			it, err := protocol.SignItem(priv, r, tt.seq)
			if tt.fails {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil || it.Version() != tt.version {
				t.Fatalf("SignItem: version %d, %v", it.Version(), err)
			}
			if err := protocol.Verify(priv.Public().(ed25519.PublicKey), it); err != nil {
				t.Fatal(err)
			}
			if got := it.ToResponse(); got.Slip != tt.slip || got.ID != r.ID {
				t.Fatalf("ToResponse = %+v", got)
			}
		})
	}
}

// TestBatchV3RoundTrip: version 3 items decode, by the fast path and by
// encoding/json, to what was encoded, beside items of the older versions;
// the slip's field name is matched exactly.
func TestBatchV3RoundTrip(t *testing.T) {
	priv := testKey(t)
	code := testSlip(t, "abcdef")
	v3, err := protocol.SignV3(priv, sample(), 3, code)
	if err != nil {
		t.Fatal(err)
	}
	r := sample()
	r.ID = "019abcde-f012-7345-8678-9abcdef01235"
	v2, err := protocol.SignV2(priv, r, 4)
	if err != nil {
		t.Fatal(err)
	}
	data, err := (&protocol.Batch{Items: []protocol.Item{v3, v2}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"slip":"`+code+`"`)) {
		t.Fatalf("encoded batch has no slip: %s", data)
	}
	// The same batch in a shape the fast path leaves to encoding/json.
	spaced := bytes.Replace(data, []byte(`{"items"`), []byte(`{ "items"`), 1)
	var viaJSON protocol.Batch
	if err := json.Unmarshal(data, &viaJSON); err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{data, spaced} {
		got, err := protocol.ParseBatch(in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Items[0].Slip != code || got.Items[0].Seq != 3 || got.Items[1].Slip != "" || viaJSON.Items[0].Slip != code {
			t.Fatalf("decoded %+v", got.Items)
		}
		for _, it := range got.Items {
			if err := protocol.Verify(priv.Public().(ed25519.PublicKey), it); err != nil {
				t.Fatalf("version %d: %v", it.Version(), err)
			}
		}
	}
	for _, bad := range []string{`"Slip":"`, `"SLIP":"`} {
		in := bytes.Replace(data, []byte(`"slip":"`), []byte(bad), 1)
		if _, err := protocol.ParseBatch(in); err == nil {
			t.Errorf("field %s accepted", bad)
		}
	}
	if _, err := protocol.ParseBatch(bytes.Replace(data, []byte(`"slip":"`+code+`"`), []byte(`"slip":7`), 1)); err == nil {
		t.Error("a number as slip accepted")
	}

	// A USB bundle carries the slip too.
	var buf bytes.Buffer
	bw, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: v3.Response.DeviceID, CreatedAt: v3.Response.FinishedAt})
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Add(v3); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	br, err := protocol.NewBundleReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	bb, err := br.Next()
	if err != nil || bb.Items[0].Slip != code {
		t.Fatalf("bundle batch %+v, %v", bb, err)
	}
	if err := protocol.Verify(priv.Public().(ed25519.PublicKey), bb.Items[0]); err != nil {
		t.Fatalf("v3 item from a bundle: %v", err)
	}
}

// flip returns another symbol than b of the slip alphabet.
func flip(b byte) byte {
	if b == '0' {
		return '1'
	}
	return '0'
}

// sigOver signs it's version 3 content behind another domain.
func sigOver(priv ed25519.PrivateKey, domain string, it protocol.Item) []byte {
	c, err := protocol.ItemContent(it)
	if err != nil {
		panic(err)
	}
	return ed25519.Sign(priv, append([]byte(domain), c...))
}
