package protocol_test

import (
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// BenchmarkParseBatch500 is the hub's decode of one full upload: 500 signed
// sample items, strict decoding, checks and normalisation.
// docs/BENCHMARKS.md, "Protocol fast paths".
func BenchmarkParseBatch500(b *testing.B) {
	data := mustJSON(b, signedBatch(b, protocol.MaxBatchItems))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.ParseBatch(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonical is the canonical encoding of one normalised sample
// response, as the hub computes it for every item.
func BenchmarkCanonical(b *testing.B) {
	r := protocol.NewResponseV1(sample())
	r.Normalize()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.Canonical(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNormalize is Normalize of an already normal sample response,
// the common case at the hub.
func BenchmarkNormalize(b *testing.B) {
	r := protocol.NewResponseV1(sample())
	r.Normalize()
	b.ReportAllocs()
	for b.Loop() {
		r.Normalize()
	}
}

// BenchmarkHubPath500 is the protocol's whole share of the hub's work on
// one upload of 500 items: ParseBatch, then Normalize and Canonical of
// every item, as sync/hub's ingest calls them.
func BenchmarkHubPath500(b *testing.B) {
	data := mustJSON(b, signedBatch(b, protocol.MaxBatchItems))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		batch, err := protocol.ParseBatch(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range batch.Items {
			it.Response.Normalize()
			if _, err := protocol.Canonical(it.Response); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBundleRead500 reads a bundle of 500 signed items (one batch)
// with BundleReader, as the hub's bundle import does.
func BenchmarkBundleRead500(b *testing.B) {
	data := writeBundle(b, protocol.MaxBatchItems)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		batches, err := readBundle(data)
		if err != nil || len(batches) != 1 {
			b.Fatal(len(batches), err)
		}
	}
}
