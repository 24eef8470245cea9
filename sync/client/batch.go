package client

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// batchEnvelope is the encoded size of a batch around its items.
const batchEnvelope = len(`{"items":[]}`)

// signItem signs r as this device's. Responses saved before enrollment (or
// under an earlier enrollment) carry another device id; they were collected
// by this kiosk, so they are stamped with its current id before signing.
// seq is its device sequence number (0: none, a version 1 item); a
// response given with a rating slip becomes a version 3 item.
func signItem(id Identity, r *survey.Response, seq int64) (protocol.Item, error) {
	if r.DeviceID != id.DeviceID {
		c := *r
		c.DeviceID = id.DeviceID
		r = &c
	}
	it, err := protocol.SignItem(id.Key, r, seq)
	if err != nil {
		return protocol.Item{}, &Error{Kind: KindLocal, Op: "sign", Err: fmt.Errorf("response %s: %w", r.ID, err)}
	}
	return it, nil
}

// outgoingItem is the item to send for o: its signature made at save time
// when the kiosk's current identity made it (presigned), else a new one.
func outgoingItem(id Identity, o Outgoing) (it protocol.Item, presigned bool, err error) {
	if o.Signature != nil && o.Response.DeviceID == id.DeviceID {
		return protocol.Item{Response: protocol.NewResponseV1(o.Response), Seq: o.DeviceSeq, Slip: o.Response.Slip, Signature: o.Signature}, true, nil
	}
	it, err = signItem(id, o.Response, o.DeviceSeq)
	return it, false, err
}

// appendItem appends it as the JSON the hub decodes into a protocol.Item:
// the response in its canonical encoding (compact JSON naming every field)
// and the signature in standard base64.
func appendItem(out []byte, it protocol.Item) ([]byte, error) {
	content, err := protocol.Canonical(it.Response)
	if err != nil {
		return out, &Error{Kind: KindLocal, Op: "encode", Err: fmt.Errorf("response %s: %w", it.Response.ID, err)}
	}
	out = append(out, `{"response":`...)
	out = append(out, content...)
	if it.Seq != 0 {
		out = append(out, `,"seq":`...)
		out = strconv.AppendInt(out, it.Seq, 10)
	}
	if it.Slip != "" {
		code, err := json.Marshal(it.Slip)
		if err != nil {
			return out, &Error{Kind: KindLocal, Op: "encode", Err: fmt.Errorf("response %s slip: %w", it.Response.ID, err)}
		}
		out = append(append(out, `,"slip":`...), code...)
	}
	out = append(out, `,"signature":"`...)
	out = base64.StdEncoding.AppendEncode(out, it.Signature)
	return append(out, `"}`...), nil
}

// encodedBatch is what encodeBatch makes of a page of the outbox.
type encodedBatch struct {
	body []byte
	ids  []string         // the items in body, in order
	seqs map[string]int64 // outbox row number of each id
	// presigned are the ids sent with a version 1 signature made at save
	// time: one the hub refuses is dropped and made again (the key may
	// have changed). A version 2 signature made at save time is not made
	// again: the Signer made it over the row as saved, under the same
	// device id and so the same key, so a refusal means the row was
	// changed after the save, and it is final.
	presigned map[string]bool
	first     int64 // the cursor the batch was read after
	last      int64 // Seq of the last outbox row taken (sent or too big)
	tooBig    []*survey.Response
}

// encodeBatch encodes, in order, as many of os as fit in one batch
// (protocol.MaxBatchBytes), signing those without a usable stored
// signature, with the device's signed high-water mark (nil: none).
// Responses that would not fit even alone are returned in tooBig.
func encodeBatch(id Identity, os []Outgoing, mark *protocol.Mark) (*encodedBatch, error) {
	eb := &encodedBatch{presigned: map[string]bool{}, seqs: make(map[string]int64, len(os))}
	tail := []byte(`]}`)
	if mark != nil {
		m, err := json.Marshal(mark)
		if err != nil {
			return nil, &Error{Kind: KindLocal, Op: "encode", Err: fmt.Errorf("high-water mark: %w", err)}
		}
		tail = append(append([]byte(`],"mark":`), m...), '}')
	}
	limit := protocol.MaxBatchBytes - (len(tail) - 2) // the mark takes room from the items
	var body, item []byte
	for _, o := range os {
		it, presigned, err := outgoingItem(id, o)
		if err != nil {
			return nil, err
		}
		if item, err = appendItem(item[:0], it); err != nil {
			return nil, err
		}
		if batchEnvelope+len(item) > limit {
			eb.tooBig = append(eb.tooBig, o.Response)
			eb.last = o.Seq
			continue
		}
		if body == nil {
			// Sized from the first item, so the body is not grown and
			// copied over and over.
			body = make([]byte, 0, min(protocol.MaxBatchBytes, len(tail)+batchEnvelope+(len(item)+len(item)/4+1)*len(os)))
			body = append(body, `{"items":[`...)
		}
		sep := 0
		if len(eb.ids) > 0 {
			sep = 1
		}
		if len(body)+sep+len(item)+2 > limit {
			break // the rest go in the next batch
		}
		if sep == 1 {
			body = append(body, ',')
		}
		body = append(body, item...)
		eb.ids = append(eb.ids, o.Response.ID)
		eb.seqs[o.Response.ID] = o.Seq
		if presigned && it.Seq == 0 {
			eb.presigned[o.Response.ID] = true
		}
		eb.last = o.Seq
	}
	if body == nil {
		body = []byte(`{"items":[`)
	}
	eb.body = append(body, tail...)
	return eb, nil
}
