package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// readLimited reads all of r, failing with CodeTooLarge past limit bytes and
// with CodeInvalidUTF8 when the bytes are not valid UTF-8.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	return readSized(r, -1, limit)
}

// readSized is readLimited with the body's declared length (-1: unknown),
// which sizes the buffer so a batch is read without growing and copying it.
// A wrong declared length changes nothing but the first allocation.
func readSized(r io.Reader, length, limit int64) ([]byte, error) {
	var data []byte
	if length >= 0 && length <= limit {
		buf := bytes.NewBuffer(make([]byte, 0, length+bytes.MinRead))
		if _, err := buf.ReadFrom(io.LimitReader(r, limit+1)); err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		data = buf.Bytes()
	} else {
		var err error
		if data, err = io.ReadAll(io.LimitReader(r, limit+1)); err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
	}
	if int64(len(data)) > limit {
		return nil, Errorf(CodeTooLarge, "body is over the %d-byte limit", limit)
	}
	if !utf8.Valid(data) {
		return nil, Errorf(CodeInvalidUTF8, "body is not valid UTF-8")
	}
	return data, nil
}

// unmarshalStrict decodes exactly one JSON value from data into v, rejecting
// unknown fields (names are matched exactly, not with encoding/json's
// case-insensitive fallback) and trailing data, and classifies failures as
// *Error.
func unmarshalStrict(data []byte, v any) error {
	if !utf8.Valid(data) {
		return Errorf(CodeInvalidUTF8, "body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return classifyJSON(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(CodeMalformed, "trailing data after the JSON value")
	}
	return checkFieldNames(data, reflect.TypeOf(v))
}

// classifyJSON turns an encoding/json error into an *Error.
func classifyJSON(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return Errorf(CodeMalformed, "empty body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(CodeMalformed, "JSON ends early")
	case errors.As(err, &syn):
		return Errorf(CodeMalformed, "JSON syntax error at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		return Errorf(CodeMalformed, "JSON field %q: %v", typ.Field, typ)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(CodeUnknownField, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return Errorf(CodeMalformed, "%v", err)
}

// Decode reads one JSON value of at most limit bytes from r into v, strictly:
// invalid UTF-8, unknown fields, trailing data and oversize bodies are
// refused with an *Error. Use it for the small request bodies; batches have
// DecodeBatch.
func Decode(r io.Reader, limit int64, v any) error {
	data, err := readLimited(r, limit)
	if err != nil {
		return err
	}
	return unmarshalStrict(data, v)
}

// DecodeBatch reads and checks one batch from r: at most MaxBatchBytes,
// valid UTF-8, no unknown fields, no trailing data, 1 to MaxBatchItems
// items, each with a response and an id. Every response comes back
// normalised (NFC text, sorted answers), so NFD input is accepted and
// stored as NFC. Content rules (signature, survey, answers) are per item and
// left to the hub.
func DecodeBatch(r io.Reader) (*Batch, error) {
	return DecodeBatchLen(r, -1)
}

// DecodeBatchLen is DecodeBatch for a body whose length is declared
// (an HTTP Content-Length; -1 when unknown), which lets it read the body
// into one buffer of the right size. The limits and checks are the same.
func DecodeBatchLen(r io.Reader, length int64) (*Batch, error) {
	data, err := readSized(r, length, MaxBatchBytes)
	if err != nil {
		return nil, err
	}
	return ParseBatch(data)
}

// ParseBatch is DecodeBatch over bytes already in memory.
func ParseBatch(data []byte) (*Batch, error) {
	if len(data) > MaxBatchBytes {
		return nil, Errorf(CodeTooLarge, "batch is over the %d-byte limit", MaxBatchBytes)
	}
	if !utf8.Valid(data) {
		return nil, Errorf(CodeInvalidUTF8, "body is not valid UTF-8")
	}
	b, ok := parseBatchFast(data)
	if !ok {
		// Not the usual shape: encoding/json decides, and words the error.
		b = Batch{}
		if err := unmarshalStrict(data, &b); err != nil {
			return nil, err
		}
	}
	return b.finish()
}

// finish checks a decoded batch and normalises its responses.
func (b *Batch) finish() (*Batch, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	for _, it := range b.Items {
		it.Response.Normalize()
	}
	return b, nil
}

// check enforces the batch-level rules.
func (b *Batch) check() error {
	if len(b.Items) == 0 {
		return Errorf(CodeInvalid, "batch has no items")
	}
	if len(b.Items) > MaxBatchItems {
		return Errorf(CodeInvalid, "batch has %d items, at most %d allowed", len(b.Items), MaxBatchItems)
	}
	for i, it := range b.Items {
		if it.Response == nil {
			return Errorf(CodeInvalid, "items[%d]: no response", i)
		}
		if strings.TrimSpace(it.Response.ID) == "" {
			return Errorf(CodeInvalid, "items[%d]: response has no id", i)
		}
	}
	return nil
}

// Encode returns the JSON encoding of b and checks it against the batch
// limits, so a client never sends what the hub must refuse.
func (b *Batch) Encode() ([]byte, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encode batch: %w", err)
	}
	if len(data) > MaxBatchBytes {
		return nil, Errorf(CodeTooLarge, "batch encodes to %d bytes, over the %d-byte limit", len(data), MaxBatchBytes)
	}
	return data, nil
}
