package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// signedBatch returns a batch of n signed sample items with distinct ids.
func signedBatch(t testing.TB, n int) *protocol.Batch {
	t.Helper()
	priv := testKey(t)
	b := &protocol.Batch{}
	for i := range n {
		r := sample()
		r.ID = fmt.Sprintf("019abcde-f012-7345-8678-%012x", i)
		it, err := protocol.Sign(priv, r)
		if err != nil {
			t.Fatal(err)
		}
		b.Items = append(b.Items, it)
	}
	return b
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeBatch(t *testing.T) {
	good := mustJSON(t, signedBatch(t, 2))
	big := signedBatch(t, protocol.MaxBatchItems+1)
	tests := map[string]struct {
		body []byte
		code string // "" for success
	}{
		"good":            {good, ""},
		"empty":           {nil, protocol.CodeMalformed},
		"not json":        {[]byte("hello"), protocol.CodeMalformed},
		"cut short":       {good[:len(good)/2], protocol.CodeMalformed},
		"trailing":        {append(bytes.Clone(good), []byte(" {}")...), protocol.CodeMalformed},
		"wrong type":      {[]byte(`{"items":{}}`), protocol.CodeMalformed},
		"unknown top":     {[]byte(`{"items":[],"extra":1}`), protocol.CodeUnknownField},
		"unknown in item": {bytes.Replace(good, []byte(`"signature"`), []byte(`"sig":1,"signature"`), 1), protocol.CodeUnknownField},
		"unknown in resp": {bytes.Replace(good, []byte(`"lang"`), []byte(`"name":"x","lang"`), 1), protocol.CodeUnknownField},
		"invalid utf8":    {bytes.Replace(good, []byte("Hoàn"), []byte("Ho\xe0n"), 1), protocol.CodeInvalidUTF8},
		"no items":        {[]byte(`{"items":[]}`), protocol.CodeInvalid},
		"null response":   {[]byte(`{"items":[{"response":null,"signature":""}]}`), protocol.CodeInvalid},
		"no id":           {[]byte(`{"items":[{"response":{"id":" "},"signature":""}]}`), protocol.CodeInvalid},
		"501 items":       {mustJSON(t, big), protocol.CodeInvalid},
		"over 4 MiB":      {append(bytes.Clone(good), bytes.Repeat([]byte(" "), protocol.MaxBatchBytes)...), protocol.CodeTooLarge},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := protocol.DecodeBatch(bytes.NewReader(tt.body))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("DecodeBatch: %v", err)
				}
				if len(b.Items) != 2 {
					t.Fatalf("%d items", len(b.Items))
				}
				return
			}
			if err == nil {
				t.Fatalf("DecodeBatch accepted %q", name)
			}
			if got := protocol.ErrorCode(err); got != tt.code {
				t.Errorf("code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestDecodeBatchNormalisesNFD(t *testing.T) {
	b := signedBatch(t, 1)
	data := mustJSON(t, b)
	data = bytes.ReplaceAll(data, []byte("Hoàn Kiếm"), []byte(nfd("Hoàn Kiếm")))
	if !bytes.Contains(data, []byte("a\u0300")) {
		t.Fatal("test data is not NFD")
	}
	got, err := protocol.DecodeBatch(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if sp := got.Items[0].Response.ServicePoint; sp != "Phường Hoàn Kiếm" {
		t.Errorf("service point %q (% x) not NFC", sp, sp)
	}
	pub := testKey(t).Public()
	if err := protocol.Verify(pub.(ed25519.PublicKey), got.Items[0]); err != nil {
		t.Errorf("NFD-sent item does not verify after decoding: %v", err)
	}
}

func TestBatchEncodeLimits(t *testing.T) {
	if _, err := signedBatch(t, protocol.MaxBatchItems).Encode(); err != nil {
		t.Errorf("500 items: %v", err)
	}
	if _, err := signedBatch(t, protocol.MaxBatchItems+1).Encode(); protocol.ErrorCode(err) != protocol.CodeInvalid {
		t.Errorf("501 items: %v", err)
	}
	b := signedBatch(t, 2)
	b.Items[0].Response.Answers["why"] = []string{strings.Repeat("x", protocol.MaxBatchBytes)}
	if _, err := b.Encode(); protocol.ErrorCode(err) != protocol.CodeTooLarge {
		t.Errorf("5 MiB batch: %v", err)
	}
}

func TestDecodeStrict(t *testing.T) {
	var req protocol.EnrollRequest
	if err := protocol.Decode(strings.NewReader(`{"code":"A","public_key":"AAAA"}`), 100, &req); err != nil {
		t.Fatal(err)
	}
	if err := protocol.Decode(strings.NewReader(`{"code":"A","pin":"1"}`), 100, &req); protocol.ErrorCode(err) != protocol.CodeUnknownField {
		t.Errorf("unknown field: %v", err)
	}
	if err := protocol.Decode(strings.NewReader(`{"code":"`+strings.Repeat("A", 200)+`"}`), 100, &req); protocol.ErrorCode(err) != protocol.CodeTooLarge {
		t.Errorf("too large: %v", err)
	}
}

// TestDecodeBatchLen: the declared length only sizes the buffer; a length
// that lies (short, long, over the limit) changes neither the batch nor the
// errors.
func TestDecodeBatchLen(t *testing.T) {
	r := sample()
	body, err := (&protocol.Batch{Items: []protocol.Item{{Response: protocol.NewResponseV1(r), Signature: bytes.Repeat([]byte{1}, 64)}}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	want, err := protocol.DecodeBatch(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n := int64(len(body))
	for _, length := range []int64{-1, 0, 1, n - 1, n, n + 1, protocol.MaxBatchBytes, protocol.MaxBatchBytes + 1} {
		got, err := protocol.DecodeBatchLen(bytes.NewReader(body), length)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("declared length %d: %+v, %v", length, got, err)
		}
	}
	big := bytes.Repeat([]byte(" "), protocol.MaxBatchBytes+1)
	if _, err := protocol.DecodeBatchLen(bytes.NewReader(big), 10); protocol.ErrorCode(err) != protocol.CodeTooLarge {
		t.Errorf("oversized body declared short: %v, want too_large", err)
	}
	if _, err := protocol.DecodeBatchLen(bytes.NewReader([]byte{'{', 0xff, '}'}), 3); protocol.ErrorCode(err) != protocol.CodeInvalidUTF8 {
		t.Errorf("invalid UTF-8: %v", err)
	}
}
