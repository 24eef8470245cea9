package client

import (
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// batchEnvelope is the encoded size of a batch around its items.
const batchEnvelope = len(`{"items":[]}`)

// signItem signs r as this device's. Responses saved before enrollment (or
// under an earlier enrollment) carry another device id; they were collected
// by this kiosk, so they are stamped with its current id before signing.
func signItem(id Identity, r *survey.Response) (protocol.Item, error) {
	if r.DeviceID != id.DeviceID {
		c := *r
		c.DeviceID = id.DeviceID
		r = &c
	}
	it, err := protocol.Sign(id.Key, r)
	if err != nil {
		return protocol.Item{}, &Error{Kind: KindLocal, Op: "sign", Err: fmt.Errorf("response %s: %w", r.ID, err)}
	}
	return it, nil
}

// outgoingItem is the item to send for o: its signature made at save time
// when the kiosk's current identity made it (presigned), else a new one.
func outgoingItem(id Identity, o store.Outgoing) (it protocol.Item, presigned bool, err error) {
	if o.Signature != nil && o.Response.DeviceID == id.DeviceID {
		return protocol.Item{Response: o.Response, Signature: o.Signature}, true, nil
	}
	it, err = signItem(id, o.Response)
	return it, false, err
}

// encodeItem writes it as the JSON the hub decodes into a protocol.Item:
// the response in its canonical encoding (compact JSON naming every field)
// and the signature in standard base64.
func encodeItem(it protocol.Item) ([]byte, error) {
	content, err := protocol.Canonical(it.Response)
	if err != nil {
		return nil, &Error{Kind: KindLocal, Op: "encode", Err: fmt.Errorf("response %s: %w", it.Response.ID, err)}
	}
	enc := base64.StdEncoding
	out := make([]byte, 0, len(`{"response":,"signature":""}`)+len(content)+enc.EncodedLen(len(it.Signature)))
	out = append(out, `{"response":`...)
	out = append(out, content...)
	out = append(out, `,"signature":"`...)
	out = enc.AppendEncode(out, it.Signature)
	return append(out, `"}`...), nil
}

// encodedBatch is what encodeBatch makes of a page of the outbox.
type encodedBatch struct {
	body      []byte
	ids       []string        // the items in body, in order
	presigned map[string]bool // ids sent with the signature made at save time
	first     int64           // the cursor the batch was read after
	last      int64           // Seq of the last outbox row taken (sent or too big)
	tooBig    []*survey.Response
}

// encodeBatch encodes, in order, as many of os as fit in one batch
// (protocol.MaxBatchBytes), signing those without a usable stored
// signature. Responses that would not fit even alone are returned in
// tooBig.
func encodeBatch(id Identity, os []store.Outgoing) (*encodedBatch, error) {
	eb := &encodedBatch{presigned: map[string]bool{}}
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for _, o := range os {
		it, presigned, err := outgoingItem(id, o)
		if err != nil {
			return nil, err
		}
		enc, err := encodeItem(it)
		if err != nil {
			return nil, err
		}
		if batchEnvelope+len(enc) > protocol.MaxBatchBytes {
			eb.tooBig = append(eb.tooBig, o.Response)
			eb.last = o.Seq
			continue
		}
		sep := 0
		if len(eb.ids) > 0 {
			sep = 1
		}
		if buf.Len()+sep+len(enc)+2 > protocol.MaxBatchBytes {
			break // the rest go in the next batch
		}
		if sep == 1 {
			buf.WriteByte(',')
		}
		buf.Write(enc)
		eb.ids = append(eb.ids, o.Response.ID)
		if presigned {
			eb.presigned[o.Response.ID] = true
		}
		eb.last = o.Seq
	}
	buf.WriteString(`]}`)
	eb.body = buf.Bytes()
	return eb, nil
}
