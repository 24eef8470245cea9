package protocol_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
	"golang.org/x/text/unicode/norm"
)

// FuzzDecodeBatch feeds arbitrary bodies to the hub's batch decoder. It must
// never panic, and whatever it accepts must be normalised, within limits and
// stable: encoding and decoding it again gives the same canonical content.
// Seed corpus: testdata/fuzz/FuzzDecodeBatch.
func FuzzDecodeBatch(f *testing.F) {
	f.Add(mustJSON(f, signedBatch(f, 2)))
	f.Add([]byte(`{"items":[{"response":{"id":"x","answers":{"q":["a\u0300"]}},"signature":"AA=="}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := protocol.DecodeBatch(bytes.NewReader(data))
		if err != nil {
			var pe *protocol.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *protocol.Error: %v", err)
			}
			return
		}
		if len(b.Items) == 0 || len(b.Items) > protocol.MaxBatchItems {
			t.Fatalf("accepted %d items", len(b.Items))
		}
		var first [][]byte
		for _, it := range b.Items {
			r := it.Response
			for _, s := range []string{r.ID, r.ServicePoint, r.EventTag, r.MisuseReason} {
				if !norm.NFC.IsNormalString(s) {
					t.Fatalf("text %q not NFC after decoding", s)
				}
			}
			c, err := protocol.Canonical(r)
			if err != nil {
				t.Fatalf("canonical of accepted item: %v", err)
			}
			first = append(first, c)
		}
		again, err := b.Encode()
		if err != nil {
			if protocol.ErrorCode(err) == protocol.CodeTooLarge {
				return // re-encoding may escape differently and grow past the limit
			}
			t.Fatalf("re-encode accepted batch: %v", err)
		}
		b2, err := protocol.DecodeBatch(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("decode re-encoded batch: %v", err)
		}
		for i, it := range b2.Items {
			c, err := protocol.Canonical(it.Response)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(c, first[i]) {
				t.Fatalf("item %d canonical changed on round trip:\n%s\n%s", i, first[i], c)
			}
		}
	})
}

// FuzzBundleReader feeds arbitrary files to the bundle reader. It must never
// panic and must end every file with io.EOF or an error, never loop.
// Seed corpus: testdata/fuzz/FuzzBundleReader.
func FuzzBundleReader(f *testing.F) {
	f.Add(writeBundle(f, 3))
	f.Add([]byte(protocol.BundleMagic + "\n{\"protocol\":1,\"device_id\":\"d\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n{\"end\":{\"batches\":0,\"items\":0}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := protocol.NewBundleReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		items := 0
		for range len(data) + 2 {
			b, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				return
			}
			items += len(b.Items)
			if len(b.Items) == 0 {
				t.Fatal("reader returned an empty batch")
			}
		}
		t.Fatalf("reader did not end after %d calls", len(data)+2)
	})
}
