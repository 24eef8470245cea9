package protocol

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strings"
)

// EnrollRequest is what a kiosk sends once to join the hub: the one-time
// code an operator got from `hailong-hub device enroll`, and the public half
// of the Ed25519 key the kiosk just made. The private key never leaves the
// kiosk.
type EnrollRequest struct {
	// Code is the enrollment code; NormalizeCode is applied by the hub, so
	// spaces, dashes and lower case are fine.
	Code string `json:"code"`
	// PublicKey is the 32-byte Ed25519 public key, base64 in JSON.
	PublicKey []byte `json:"public_key"`
}

// EnrollResponse is the hub's answer to a good EnrollRequest.
type EnrollResponse struct {
	// DeviceID is the id the kiosk puts in every response's device_id.
	DeviceID string `json:"device_id"`
	// Token is the bearer token for every later request. The hub keeps only
	// its SHA-256 hash; the kiosk must store it, it is shown only once.
	Token string `json:"token"`
	// Name and ServicePoint are what the operator entered at enrollment;
	// the kiosk may offer them as its defaults.
	Name         string `json:"name"`
	ServicePoint string `json:"service_point"`
	// SlipKey is the hub's 32-byte Ed25519 public key for rating slips
	// (sync/slip), base64 in JSON: the kiosk keeps it to check a scanned
	// slip's signature offline. Absent from hubs older than slips; kiosks
	// older than slips ignore it.
	SlipKey []byte `json:"slip_key,omitempty"`
	// InspectionKey is the hub's 32-byte X25519 public key to which the
	// kiosk seals misconduct reports (sync/feedback.Seal), base64 in
	// JSON. Absent from hubs older than feedback; kiosks older than
	// feedback ignore it.
	InspectionKey []byte `json:"inspection_key,omitempty"`
	// ReceiptsURL is the hub's public page (no login) where a citizen
	// checks the receipt code the thank-you screen shows, absent when the
	// hub does not know the address citizens reach it at (no
	// --public-url). Kiosks older than it ignore it.
	ReceiptsURL string `json:"receipts_url,omitempty"`
}

// codeAlphabet is Crockford's base32: no I, L, O, U, so codes read aloud
// and typed on a touch screen are unambiguous.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is the number of symbols in an enrollment code (50 bits).
const CodeLength = 10

// NewCode returns a fresh random enrollment code, grouped for reading as
// "XXXXX-XXXXX".
func NewCode() (string, error) {
	var b [CodeLength]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random enrollment code: %w", err)
	}
	var sb strings.Builder
	for i, v := range b {
		if i == CodeLength/2 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(v)%len(codeAlphabet)])
	}
	return sb.String(), nil
}

// NormalizeCode returns code upper-cased without spaces or dashes, with the
// look-alikes O→0 and I, L→1 folded as Crockford's base32 does.
func NormalizeCode(code string) string {
	var sb strings.Builder
	for _, c := range strings.ToUpper(code) {
		switch c {
		case ' ', '-', '\t':
			continue
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// EnrollURIScheme is the scheme of the URI encoded in an enrollment QR code.
const EnrollURIScheme = "hailong-enroll"

// EnrollURI returns the text of an enrollment QR code:
// "hailong-enroll:?code=XXXXX-XXXXX&hub=https%3A%2F%2Fhub.example". hubURL
// may be empty when the operator did not give it.
func EnrollURI(hubURL, code string) string {
	q := url.Values{"code": {code}}
	if hubURL != "" {
		q.Set("hub", hubURL)
	}
	return EnrollURIScheme + ":?" + q.Encode()
}

// ParseEnrollURI returns the hub URL (possibly empty) and the code of an
// enrollment QR code's text.
func ParseEnrollURI(s string) (hubURL, code string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != EnrollURIScheme {
		return "", "", Errorf(CodeInvalid, "not an enrollment code: %q", s)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", "", Errorf(CodeInvalid, "enrollment code query: %v", err)
	}
	code = q.Get("code")
	if code == "" {
		return "", "", Errorf(CodeInvalid, "enrollment URI has no code")
	}
	return q.Get("hub"), code, nil
}
