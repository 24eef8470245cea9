package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// writeBundle writes n signed items through a BundleWriter.
func writeBundle(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: "dev-1", CreatedAt: time.Date(2026, 11, 25, 5, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range signedBatch(t, n).Items {
		if err := w.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBundle reads every batch and returns them with the final error.
func readBundle(data []byte) ([]*protocol.Batch, error) {
	r, err := protocol.NewBundleReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []*protocol.Batch
	for {
		b, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, b)
	}
}

func TestBundleRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 500, 501, 1203} {
		data := writeBundle(t, n)
		batches, err := readBundle(data)
		if err != nil {
			t.Fatalf("%d items: %v", n, err)
		}
		wantBatches := (n + protocol.MaxBatchItems - 1) / protocol.MaxBatchItems
		if len(batches) != wantBatches {
			t.Errorf("%d items: %d batches, want %d", n, len(batches), wantBatches)
		}
		pub := testKey(t).Public()
		seen := 0
		for _, b := range batches {
			for _, it := range b.Items {
				if err := protocol.Verify(pub.(ed25519.PublicKey), it); err != nil {
					t.Fatalf("item %s: %v", it.Response.ID, err)
				}
				seen++
			}
		}
		if seen != n {
			t.Errorf("read %d items, wrote %d", seen, n)
		}
	}
}

func TestBundleSplitsBySize(t *testing.T) {
	var buf bytes.Buffer
	w, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: "dev-1"})
	if err != nil {
		t.Fatal(err)
	}
	priv := testKey(t)
	for i, it := range signedBatch(t, 6).Items {
		r := *it.Response
		r.Answers = map[string][]string{"why": {strings.Repeat("ư", 1000)}}
		for j := range 300 { // ~0.9 MB of answers per item
			r.Answers[strings.Repeat("q", 1+j%150)+string(rune('a'+j%26))+string(rune('a'+j/26))] = []string{strings.Repeat("đ", 1500)}
		}
		it, err := protocol.Sign(priv, r.ToResponse())
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(it); err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	batches, err := readBundle(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) < 2 {
		t.Fatalf("%d batches: writer did not split by size", len(batches))
	}
	for _, line := range bytes.Split(buf.Bytes(), []byte("\n")) {
		if len(line) > protocol.MaxBatchBytes+1024 {
			t.Errorf("a bundle line has %d bytes", len(line))
		}
	}
}

func TestBundleDamage(t *testing.T) {
	good := writeBundle(t, 3)
	lines := strings.SplitAfter(string(good), "\n")
	tests := map[string]struct {
		data      string
		truncated bool
		atOpen    bool
	}{
		"empty":             {"", false, true},
		"other file":        {"PK\x03\x04zip", false, true},
		"future version":    {"HAILONG-BUNDLE/2\n{}\n", false, true},
		"header only":       {lines[0], true, true},
		"bad header":        {lines[0] + `{"protocol":1,"device_id":"d","owner":"x"}` + "\n", false, true},
		"no device":         {lines[0] + `{"protocol":1,"device_id":""}` + "\n", false, true},
		"no end record":     {lines[0] + lines[1] + lines[2], true, false},
		"cut in a batch":    {lines[0] + lines[1] + lines[2][:len(lines[2])/2], true, false},
		"cut in the end":    {string(good[:len(good)-5]), true, false},
		"cut in the header": {lines[0] + lines[1][:10], true, true},
		"end count wrong":   {lines[0] + lines[1] + lines[2] + `{"end":{"batches":2,"items":3}}` + "\n", false, false},
		"data after end":    {string(good) + lines[2], false, false},
		"both in a record":  {lines[0] + lines[1] + `{"batch":{"items":[]},"end":{"batches":0,"items":0}}` + "\n", false, false},
		"neither in record": {lines[0] + lines[1] + "{}\n", false, false},
		"invalid utf8":      {lines[0] + lines[1] + strings.Replace(lines[2], "Hoàn", "Ho\xe0n", 1) + lines[3], false, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := protocol.NewBundleReader(strings.NewReader(tt.data))
			if tt.atOpen {
				if err == nil {
					t.Fatal("NewBundleReader accepted damage")
				}
				if tt.truncated != errors.Is(err, protocol.ErrTruncated) {
					t.Errorf("error %v, truncated=%v", err, tt.truncated)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewBundleReader: %v", err)
			}
			for {
				_, err = r.Next()
				if err != nil {
					break
				}
			}
			if errors.Is(err, io.EOF) {
				t.Fatal("damaged bundle read to the end")
			}
			if tt.truncated != errors.Is(err, protocol.ErrTruncated) {
				t.Errorf("error %v, truncated=%v", err, tt.truncated)
			}
		})
	}
}

func TestBundleWriterChecksDevice(t *testing.T) {
	w, err := protocol.NewBundleWriter(io.Discard, protocol.BundleHeader{DeviceID: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(signedBatch(t, 1).Items[0]); err == nil {
		t.Error("writer accepted an item of another device")
	}
	if _, err := protocol.NewBundleWriter(io.Discard, protocol.BundleHeader{}); err == nil {
		t.Error("writer accepted a header without device")
	}
}

func TestBundleFileName(t *testing.T) {
	got := protocol.BundleFileName("dev/1:Hà Nội", time.Date(2026, 11, 25, 12, 0, 0, 0, time.FixedZone("ICT", 7*3600)))
	if got != "hailong-dev_1_H__N_i-20261125T050000Z.hlbundle" {
		t.Errorf("BundleFileName = %q", got)
	}
}
