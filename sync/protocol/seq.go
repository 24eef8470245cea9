package protocol

import (
	"crypto/ed25519"
	"strconv"
	"time"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Protocol version 2 adds the device's sequence numbers, so that the hub can
// tell which responses a device saved and never delivered (deleted or lost
// on the kiosk before sync):
//
//   - every response a device saves gets the next number of the device
//     (1, 2, 3, ..., never reused), carried in its item (Item.Seq) and signed
//     with it: the content is the version 1 canonical encoding with
//     `,"seq":N` added as its last field (CanonicalV2), signed behind the
//     domain "hailong/response/v2\n";
//   - every upload and bundle carries the device's high-water mark, the
//     highest number it has assigned, signed over device id, mark and time
//     (Mark).
//
// A version 1 item (Seq 0) is signed and checked exactly as before.

// Domains of the version 2 signatures.
const (
	signingDomainV2 = "hailong/response/v2\n"
	markDomain      = "hailong/mark/v2\n"
)

// domainOf is the signing domain of a response of the given item version.
func domainOf(version int) string {
	switch version {
	case 2:
		return signingDomainV2
	case 3:
		return signingDomainV3
	}
	return signingDomain
}

// Version is the protocol version of the item's signed content: 3 when it
// carries a slip, 2 when it carries a sequence number, else 1.
func (it Item) Version() int {
	switch {
	case it.Slip != "":
		return 3
	case it.Seq != 0:
		return 2
	}
	return 1
}

// CanonicalV2 returns the canonical content of a version 2 item: the
// version 1 canonical encoding of r with `,"seq":N` as its last field.
// seq must be 1 or more.
func CanonicalV2(r *ResponseV1, seq int64) ([]byte, error) {
	c, err := Canonical(r)
	if err != nil {
		return nil, err
	}
	return appendSeq(c, seq)
}

// appendSeq turns version 1 canonical bytes into version 2's.
func appendSeq(c []byte, seq int64) ([]byte, error) {
	if seq < 1 {
		return nil, Errorf(CodeInvalid, "sequence number %d, want 1 or more", seq)
	}
	c = append(c[:len(c)-1], `,"seq":`...)
	return append(strconv.AppendInt(c, seq, 10), '}'), nil
}

// SigningBytesV2 returns what a device signs for r numbered seq.
func SigningBytesV2(r *ResponseV1, seq int64) ([]byte, error) {
	c, err := CanonicalV2(r, seq)
	if err != nil {
		return nil, err
	}
	return domainMessage(signingDomainV2, c), nil
}

// ItemContent returns the canonical content of it by its version
// (Canonical, CanonicalV2 or CanonicalV3): the bytes the hub verifies,
// compares and stores. it is not modified. A negative Seq, a version 3 item
// without a sequence number and a slip that is not a compact slip code are
// refused.
func ItemContent(it Item) ([]byte, error) {
	if it.Response == nil {
		return nil, Errorf(CodeInvalid, "item has no response")
	}
	if it.Seq < 0 || (it.Slip != "" && it.Seq == 0) {
		return nil, Errorf(CodeInvalid, "sequence number %d, want 1 or more", it.Seq)
	}
	c, err := Canonical(it.Response)
	if err != nil || it.Seq == 0 {
		return c, err
	}
	if c, err = appendSeq(c, it.Seq); err != nil || it.Slip == "" {
		return c, err
	}
	return appendSlip(c, it.Slip)
}

// SignV2 returns the version 2 item for r numbered seq (1 or more), signed
// with the device's private key. r is not modified.
func SignV2(priv ed25519.PrivateKey, r *survey.Response, seq int64) (Item, error) {
	if seq < 1 {
		return Item{}, Errorf(CodeInvalid, "sequence number %d, want 1 or more", seq)
	}
	it, err := Sign(priv, r) // checks the key and r, and normalises
	if err != nil {
		return Item{}, err
	}
	msg, err := SigningBytesV2(it.Response, seq)
	if err != nil {
		return Item{}, err
	}
	it.Seq, it.Signature = seq, voi.Sign(voi.PrivateKey(priv), msg)
	return it, nil
}

// SignNumbered signs r as a version 2 item when seq is 1 or more, else as
// a version 1 item (a response saved before its kiosk numbered them).
func SignNumbered(priv ed25519.PrivateKey, r *survey.Response, seq int64) (Item, error) {
	if seq > 0 {
		return SignV2(priv, r, seq)
	}
	return Sign(priv, r)
}

// Mark is a device's high-water mark: the highest sequence number it has
// assigned (Seq) at a time (At), and the first number it answers for
// under this device id (From: 1, or for a kiosk enrolled again, the number
// after the highest it had assigned under its earlier id), signed by the
// device. Numbers from From to Seq that the hub never received are
// responses the device saved and did not deliver.
type Mark struct {
	DeviceID  string    `json:"device_id"`
	From      int64     `json:"from"`
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Signature []byte    `json:"signature"`
}

// markBytes is what a device signs for a mark: the domain, then device id,
// first number, mark and time (TimeFormat), one per line.
func markBytes(deviceID string, from, seq int64, at time.Time) []byte {
	b := append([]byte(markDomain), deviceID...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, from, 10)
	b = append(b, '\n')
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, '\n')
	return at.UTC().Truncate(time.Millisecond).AppendFormat(b, TimeFormat)
}

// SignMark returns the device's signed mark seq at time at, answering for
// the numbers from..seq (1 <= from <= seq).
func SignMark(priv ed25519.PrivateKey, deviceID string, from, seq int64, at time.Time) (*Mark, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, Errorf(CodeInvalid, "private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	if err := checkMarkFields(deviceID, from, seq, at); err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Millisecond)
	return &Mark{DeviceID: deviceID, From: from, Seq: seq, At: at,
		Signature: voi.Sign(voi.PrivateKey(priv), markBytes(deviceID, from, seq, at))}, nil
}

// VerifyMark checks that m is pub's signature of a valid mark.
func VerifyMark(pub ed25519.PublicKey, m *Mark) error {
	if m == nil {
		return Errorf(CodeInvalid, "no mark")
	}
	if err := checkMarkFields(m.DeviceID, m.From, m.Seq, m.At); err != nil {
		return err
	}
	if err := checkSizes(pub, m.Signature); err != nil {
		return err
	}
	if !voi.VerifyWithOptions(voi.PublicKey(pub), markBytes(m.DeviceID, m.From, m.Seq, m.At), m.Signature, VerifyOptions()) {
		return Errorf(CodeInvalid, "mark signature does not verify")
	}
	return nil
}

func checkMarkFields(deviceID string, from, seq int64, at time.Time) error {
	switch {
	case deviceID == "":
		return Errorf(CodeInvalid, "mark has no device id")
	case seq < 1:
		return Errorf(CodeInvalid, "mark %d, want 1 or more", seq)
	case from < 1 || from > seq:
		return Errorf(CodeInvalid, "mark answers from number %d, want 1 to the mark %d", from, seq)
	case at.IsZero():
		return Errorf(CodeInvalid, "mark has no time")
	}
	return nil
}
