package client

import (
	"bytes"
	"encoding/json"
	"fmt"

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

// encodeBatch signs rs in order and encodes as many as fit in one batch
// (protocol.MaxBatchBytes). It returns the body, the ids it holds, and the
// responses that would not fit even alone.
func encodeBatch(id Identity, rs []*survey.Response) (body []byte, ids []string, tooBig []*survey.Response, err error) {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for _, r := range rs {
		it, err := signItem(id, r)
		if err != nil {
			return nil, nil, nil, err
		}
		enc, err := json.Marshal(it)
		if err != nil {
			return nil, nil, nil, &Error{Kind: KindLocal, Op: "encode", Err: fmt.Errorf("response %s: %w", r.ID, err)}
		}
		if batchEnvelope+len(enc) > protocol.MaxBatchBytes {
			tooBig = append(tooBig, r)
			continue
		}
		sep := 0
		if len(ids) > 0 {
			sep = 1
		}
		if buf.Len()+sep+len(enc)+2 > protocol.MaxBatchBytes {
			break // the rest go in the next batch
		}
		if sep == 1 {
			buf.WriteByte(',')
		}
		buf.Write(enc)
		ids = append(ids, r.ID)
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), ids, tooBig, nil
}
