package protocol

import (
	"crypto/ed25519"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Protocol version 3 adds the rating slip (issue #15: one rating per
// visit): a response given with a slip travels as a version 3 item, whose
// Slip is the slip's compact code ("ABCDE12345", slip.Code.Compact) and
// whose signed content is the version 2 content with `,"slip":"CODE"`
// added as its last field (CanonicalV3), behind the domain
// "hailong/response/v3\n". A version 3 item always carries its sequence
// number. The slip's own signature (by the hub's slip key) is checked by
// the kiosk when the slip is scanned and does not travel: the hub knows
// every slip it printed.
//
// Version 1 and 2 items (no Slip) are signed and checked exactly as before.

// signingDomainV3 is the domain of version 3 response signatures.
const signingDomainV3 = "hailong/response/v3\n"

// checkSlip returns the code of s, which must be a valid slip code in its
// compact form: a wire slip has exactly one spelling, so equal content
// gives equal bytes.
func checkSlip(s string) (slip.Code, error) {
	c, err := slip.ParseCode(s)
	if err != nil {
		return slip.Code{}, Errorf(CodeInvalid, "slip %q is not a slip code: %v", s, err)
	}
	if c.Compact() != s {
		return slip.Code{}, Errorf(CodeInvalid, "slip %q is not in compact form %q", s, c.Compact())
	}
	return c, nil
}

// CanonicalV3 returns the canonical content of a version 3 item: the
// version 2 content of r numbered seq (1 or more) with `,"slip":"CODE"` as
// its last field. code must be a slip code in compact form.
func CanonicalV3(r *ResponseV1, seq int64, code string) ([]byte, error) {
	c, err := CanonicalV2(r, seq)
	if err != nil {
		return nil, err
	}
	return appendSlip(c, code)
}

// appendSlip turns version 2 canonical bytes into version 3's.
func appendSlip(c []byte, code string) ([]byte, error) {
	if _, err := checkSlip(code); err != nil {
		return nil, err
	}
	c = append(c[:len(c)-1], `,"slip":`...)
	return append(appendString(c, code), '}'), nil
}

// SigningBytesV3 returns what a device signs for r numbered seq and given
// with the slip code.
func SigningBytesV3(r *ResponseV1, seq int64, code string) ([]byte, error) {
	c, err := CanonicalV3(r, seq, code)
	if err != nil {
		return nil, err
	}
	return domainMessage(signingDomainV3, c), nil
}

// SignV3 returns the version 3 item for r numbered seq (1 or more) and
// given with the slip code (compact form), signed with the device's private
// key. r is not modified.
func SignV3(priv ed25519.PrivateKey, r *survey.Response, seq int64, code string) (Item, error) {
	if _, err := checkSlip(code); err != nil {
		return Item{}, err
	}
	it, err := SignV2(priv, r, seq) // checks the key, r and seq, and normalises
	if err != nil {
		return Item{}, err
	}
	msg, err := SigningBytesV3(it.Response, seq, code)
	if err != nil {
		return Item{}, err
	}
	it.Slip, it.Signature = code, voi.Sign(voi.PrivateKey(priv), msg)
	return it, nil
}

// SignItem signs r as the item its kiosk sends: version 3 when it was
// given with a slip (r.Slip not empty; seq must then be 1 or more), else as
// SignNumbered does.
func SignItem(priv ed25519.PrivateKey, r *survey.Response, seq int64) (Item, error) {
	if r != nil && r.Slip != "" {
		return SignV3(priv, r, seq, r.Slip)
	}
	return SignNumbered(priv, r, seq)
}

// ToResponse returns the domain response the item carries, with its slip,
// or nil when it has none. It shares the item's answers map.
func (it Item) ToResponse() *survey.Response {
	r := it.Response.ToResponse()
	if r != nil {
		r.Slip = it.Slip
	}
	return r
}
