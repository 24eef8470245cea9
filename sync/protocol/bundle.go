package protocol

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// BundleMagic is the first line of every bundle file, without its newline.
// The number after the slash is the bundle format version, equal to Version.
const BundleMagic = "HAILONG-BUNDLE/1"

// BundleExt is the file name extension of bundles.
const BundleExt = ".hlbundle"

// maxBundleLine bounds one line of a bundle: a batch plus its envelope.
const maxBundleLine = MaxBatchBytes + 1024

// ErrTruncated is returned by BundleReader.Next when the file ends before
// its end record: the copy was cut short (a stick pulled out mid-write). The
// batches returned before it are whole and may be imported.
var ErrTruncated = errors.New("bundle ends without its end record (truncated copy)")

// BundleHeader is the second line of a bundle.
type BundleHeader struct {
	// Protocol is the protocol version the items follow; must be Version.
	Protocol int `json:"protocol"`
	// DeviceID is the device that signed every item in the bundle.
	DeviceID string `json:"device_id"`
	// CreatedAt is when the bundle was written, UTC.
	CreatedAt time.Time `json:"created_at"`
	// Mark is the device's signed high-water mark when the bundle was
	// written (protocol version 2), or nil.
	Mark *Mark `json:"mark,omitempty"`
}

// BundleEnd is the last record of a bundle. Its counts let the reader tell a
// whole file from a cut one.
type BundleEnd struct {
	Batches int `json:"batches"`
	Items   int `json:"items"`
}

// bundleRecord is one line after the header: exactly one field is set.
type bundleRecord struct {
	Batch *Batch     `json:"batch,omitempty"`
	End   *BundleEnd `json:"end,omitempty"`
}

// BundleFileName returns a file name for a bundle of deviceID written at t,
// safe on Windows and FAT-formatted sticks:
// "hailong-<device>-20261125T120000Z.hlbundle".
func BundleFileName(deviceID string, t time.Time) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, deviceID)
	return "hailong-" + safe + "-" + t.UTC().Format("20060102T150405Z") + BundleExt
}

// BundleWriter writes a bundle: the magic line, the header, one line per
// batch and an end record. Items added with Add are grouped into batches
// that respect MaxBatchItems and MaxBatchBytes. It writes through to the
// underlying writer without buffering whole batches twice; Close writes the
// end record but does not close the underlying writer (the caller syncs and
// closes the file).
type BundleWriter struct {
	w       io.Writer
	header  BundleHeader
	pending []json.RawMessage // encoded items of the batch being built
	size    int               // encoded size of pending, with separators
	batches int
	items   int
	closed  bool
}

// batchOverhead is the encoded size of a batch envelope around its items.
const batchOverhead = len(`{"batch":{"items":[]}}`)

// NewBundleWriter writes the magic line and header to w.
func NewBundleWriter(w io.Writer, h BundleHeader) (*BundleWriter, error) {
	if h.DeviceID == "" {
		return nil, Errorf(CodeInvalid, "bundle header has no device id")
	}
	h.Protocol = Version
	h.CreatedAt = h.CreatedAt.UTC()
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode bundle header: %w", err)
	}
	if _, err := fmt.Fprintf(w, "%s\n%s\n", BundleMagic, hdr); err != nil {
		return nil, fmt.Errorf("write bundle header: %w", err)
	}
	return &BundleWriter{w: w, header: h}, nil
}

// Add appends one signed item, writing the current batch first when the
// item would not fit in it. The item's device id must be the header's.
func (bw *BundleWriter) Add(it Item) error {
	if bw.closed {
		return Errorf(CodeInvalid, "bundle writer is closed")
	}
	if it.Response == nil || it.Response.ID == "" {
		return Errorf(CodeInvalid, "item has no response id")
	}
	if it.Response.DeviceID != bw.header.DeviceID {
		return Errorf(CodeInvalid, "item %s is from device %q, the bundle is for %q", it.Response.ID, it.Response.DeviceID, bw.header.DeviceID)
	}
	enc, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("encode item %s: %w", it.Response.ID, err)
	}
	if batchOverhead+len(enc) > MaxBatchBytes {
		return Errorf(CodeTooLarge, "item %s encodes to %d bytes, over the batch limit", it.Response.ID, len(enc))
	}
	sep := 0
	if len(bw.pending) > 0 {
		sep = 1
	}
	if len(bw.pending) == MaxBatchItems || batchOverhead+bw.size+sep+len(enc) > MaxBatchBytes {
		if err := bw.flush(); err != nil {
			return err
		}
		sep = 0
	}
	bw.pending = append(bw.pending, enc)
	bw.size += sep + len(enc)
	return nil
}

// flush writes the pending items as one batch line.
func (bw *BundleWriter) flush() error {
	if len(bw.pending) == 0 {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(batchOverhead + bw.size + 1)
	buf.WriteString(`{"batch":{"items":[`)
	for i, enc := range bw.pending {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(enc)
	}
	buf.WriteString("]}}\n")
	if _, err := bw.w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write bundle batch %d: %w", bw.batches+1, err)
	}
	bw.batches++
	bw.items += len(bw.pending)
	bw.pending = bw.pending[:0]
	bw.size = 0
	return nil
}

// WriteBatch writes the pending items, then b as its own batch line.
func (bw *BundleWriter) WriteBatch(b *Batch) error {
	if err := bw.flush(); err != nil {
		return err
	}
	for _, it := range b.Items {
		if err := bw.Add(it); err != nil {
			return err
		}
	}
	return bw.flush()
}

// Close writes the pending items and the end record. The bundle is whole
// only after Close returns nil.
func (bw *BundleWriter) Close() error {
	if bw.closed {
		return nil
	}
	if err := bw.flush(); err != nil {
		return err
	}
	end, err := json.Marshal(bundleRecord{End: &BundleEnd{Batches: bw.batches, Items: bw.items}})
	if err != nil {
		return fmt.Errorf("encode bundle end: %w", err)
	}
	if _, err := bw.w.Write(append(end, '\n')); err != nil {
		return fmt.Errorf("write bundle end: %w", err)
	}
	bw.closed = true
	return nil
}

// Counts returns the batches and items written so far.
func (bw *BundleWriter) Counts() BundleEnd { return BundleEnd{Batches: bw.batches, Items: bw.items} }

// BundleReader reads a bundle one batch at a time, holding at most one batch
// in memory. Every batch is checked like an uploaded one (ParseBatch).
type BundleReader struct {
	sc      *bufio.Scanner
	header  BundleHeader
	line    int
	batches int
	items   int
	done    bool
	partial bool // the last line read had no newline: the file was cut
}

// NewBundleReader reads and checks the magic line and header from r.
func NewBundleReader(r io.Reader) (*BundleReader, error) {
	br := &BundleReader{}
	br.sc = bufio.NewScanner(r)
	br.sc.Buffer(make([]byte, 0, 64<<10), maxBundleLine)
	br.sc.Split(br.split)
	magic, err := br.nextLine()
	if errors.Is(err, ErrTruncated) && !strings.HasPrefix(BundleMagic, string(magic)) {
		return nil, Errorf(CodeMalformed, "not a bundle (first line is not %q)", BundleMagic)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errorf(CodeMalformed, "empty file: not a bundle")
		}
		return nil, err
	}
	if string(magic) != BundleMagic {
		if strings.HasPrefix(string(magic), "HAILONG-BUNDLE/") {
			return nil, Errorf(CodeInvalid, "bundle format %q is not supported (want %q)", magic, BundleMagic)
		}
		return nil, Errorf(CodeMalformed, "not a bundle (first line is not %q)", BundleMagic)
	}
	hdr, err := br.nextLine()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ErrTruncated
		}
		return nil, err
	}
	if err := unmarshalStrict(hdr, &br.header); err != nil {
		return nil, fmt.Errorf("bundle header: %w", err)
	}
	if br.header.Protocol != Version {
		return nil, Errorf(CodeInvalid, "bundle protocol %d is not supported (want %d)", br.header.Protocol, Version)
	}
	if br.header.DeviceID == "" {
		return nil, Errorf(CodeInvalid, "bundle header has no device id")
	}
	return br, nil
}

// split cuts lines at '\n' only, and marks a last line without one.
func (br *BundleReader) split(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		br.partial = true
		return len(data), data, nil
	}
	return 0, nil, nil
}

// nextLine returns the next whole line without its newline, io.EOF at the
// end, and ErrTruncated for a last line cut before its newline.
func (br *BundleReader) nextLine() ([]byte, error) {
	if !br.sc.Scan() {
		if err := br.sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				return nil, Errorf(CodeTooLarge, "bundle line %d is over the %d-byte limit", br.line+1, maxBundleLine)
			}
			return nil, fmt.Errorf("read bundle line %d: %w", br.line+1, err)
		}
		return nil, io.EOF
	}
	br.line++
	if br.partial {
		return br.sc.Bytes(), ErrTruncated
	}
	return br.sc.Bytes(), nil
}

// Header returns the bundle's header.
func (br *BundleReader) Header() BundleHeader { return br.header }

// Next returns the next batch. After the last batch it checks the end
// record and returns io.EOF; a file that stops before its end record gives
// ErrTruncated, and any other damage an *Error naming the line.
func (br *BundleReader) Next() (*Batch, error) {
	if br.done {
		return nil, io.EOF
	}
	line, err := br.nextLine()
	if errors.Is(err, io.EOF) {
		return nil, ErrTruncated
	}
	if err != nil {
		return nil, err
	}
	if b, ok := bundleBatchFast(line); ok {
		return br.batch(b.finish())
	}
	var rec struct {
		Batch json.RawMessage `json:"batch"`
		End   *BundleEnd      `json:"end"`
	}
	if err := unmarshalStrict(line, &rec); err != nil {
		return nil, fmt.Errorf("bundle line %d: %w", br.line, err)
	}
	switch {
	case rec.Batch != nil && rec.End != nil, rec.Batch == nil && rec.End == nil:
		return nil, Errorf(CodeMalformed, "bundle line %d: want exactly one of batch or end", br.line)
	case rec.End != nil:
		if rec.End.Batches != br.batches || rec.End.Items != br.items {
			return nil, Errorf(CodeInvalid, "bundle end record says %d batches, %d items; read %d, %d",
				rec.End.Batches, rec.End.Items, br.batches, br.items)
		}
		if _, err := br.nextLine(); !errors.Is(err, io.EOF) {
			if err == nil || errors.Is(err, ErrTruncated) {
				return nil, Errorf(CodeMalformed, "bundle has data after its end record")
			}
			return nil, err
		}
		br.done = true
		return nil, io.EOF
	}
	return br.batch(ParseBatch(rec.Batch))
}

// batch counts a batch record's batch, or names its line in the error.
func (br *BundleReader) batch(b *Batch, err error) (*Batch, error) {
	if err != nil {
		return nil, fmt.Errorf("bundle line %d: %w", br.line, err)
	}
	br.batches++
	br.items += len(b.Items)
	return b, nil
}

// bundleBatchPrefix starts every batch record BundleWriter writes.
const bundleBatchPrefix = `{"batch":`

// bundleBatchFast decodes a batch record written as BundleWriter writes
// it, {"batch":{...}} with no white space around the batch, with the batch
// fast path, and without first scanning the record with encoding/json: a
// record of that form that the fast path takes is one encoding/json would
// decode to exactly that batch (the raw value is the bytes between prefix
// and final brace). ok is false for anything else; Next then decodes the
// record as before.
func bundleBatchFast(line []byte) (b *Batch, ok bool) {
	if len(line) < len(bundleBatchPrefix)+2 || string(line[:len(bundleBatchPrefix)]) != bundleBatchPrefix ||
		line[len(line)-1] != '}' {
		return nil, false
	}
	raw := line[len(bundleBatchPrefix) : len(line)-1]
	if raw[0] != '{' || raw[len(raw)-1] != '}' || len(raw) > MaxBatchBytes || !utf8.Valid(raw) {
		return nil, false
	}
	fb, ok := parseBatchFast(raw)
	if !ok {
		return nil, false
	}
	return &fb, true
}
