// Package slip is the rating slip: a one-time random code the hub prints,
// signs with its slip key and hands out through the desk, so that one visit
// gives at most one rating. Kiosks and the hub share it; it imports neither
// Fyne, SQL nor net/http.
//
// A code is 10 symbols of Crockford's base32 (0-9 and A-Z without I, L, O,
// U): 9 random symbols (45 bits) and one check symbol. It is printed as
// "XXXXX-XXXXX" and read back leniently (ParseCode). A slip carries no link
// to any file or person: it is random, and the hub records only where and
// when it was printed and whether it was used.
//
// The check symbol (sync/internal/checkcode) catches every single typo and
// every swap of two different symbols; a random wrong code passes with
// probability 1/32.
//
// A slip's signature is Ed25519 by the hub's slip key over
// "hailong/slip/v1\n" followed by the code's 10 symbols without the hyphen
// (SignedMessage), so a slip signature can never be mistaken for a response
// signature or anything else the key might sign.
//
// The QR code on a slip holds a URL on the hub (ScanURL):
//
//	<hub base URL>/s/<CODE>#<signature, base64url without padding>
//
// Opened on a phone, the path brings up the survey for that slip; the
// signature sits in the fragment, which browsers never send, so it stays out
// of server and proxy logs: the hub knows every slip it printed and needs no
// signature, while a kiosk scanning the QR offline checks the signature with
// the slip key it received at enrollment. A code typed by hand carries no
// signature; ParseScan accepts both.
package slip

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/hailong-kiosk/hailong/sync/internal/checkcode"
)

// Alphabet is Crockford's base32, symbol value = index.
const Alphabet = checkcode.Alphabet

// Length is the number of symbols in a code, check symbol included.
const Length = 10

// Domain prefixes the signed message of every slip signature.
const Domain = "hailong/slip/v1\n"

// PathPrefix is the path, under the hub's base URL, of a slip's phone page.
const PathPrefix = "/s/"

// Code is a valid slip code: 10 symbols of Alphabet whose check symbol
// holds. The zero Code is not a valid code (IsZero); every other Code came
// from New or ParseCode and is valid.
type Code [Length]byte

// IsZero reports whether c is the zero Code (no code).
func (c Code) IsZero() bool { return c == Code{} }

// Compact returns the 10 symbols without the hyphen, "ABCDE12345": the form
// stored by the hub, signed, and placed in URLs. The zero Code gives "".
func (c Code) Compact() string {
	if c.IsZero() {
		return ""
	}
	return string(c[:])
}

// String returns the code grouped for reading, "ABCDE-12345". The zero Code
// gives "".
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return string(c[:5]) + "-" + string(c[5:])
}

// New returns a fresh random code, reading 6 bytes from r (crypto/rand's
// Reader when r is nil) and keeping 45 bits of them.
func New(r io.Reader) (Code, error) {
	var c Code
	if err := checkcode.New(r, c[:]); err != nil {
		return Code{}, fmt.Errorf("random slip code: %w", err)
	}
	return c, nil
}

// ParseCode returns the code written in s. It accepts lower case, spaces and
// hyphens anywhere, and Crockford's look-alikes O → 0, I and L → 1. Errors
// are *Error with a Reason a UI can translate: ReasonEmpty, ReasonLength,
// ReasonSymbol or ReasonCheck.
func ParseCode(s string) (Code, error) {
	var c Code
	switch reason, pos, r := checkcode.Parse(s, c[:]); reason {
	case checkcode.Empty:
		return Code{}, &Error{Reason: ReasonEmpty, Input: s}
	case checkcode.Length:
		return Code{}, &Error{Reason: ReasonLength, Input: s}
	case checkcode.Symbol:
		return Code{}, &Error{Reason: ReasonSymbol, Input: s, Pos: pos, Symbol: r}
	case checkcode.Check:
		return Code{}, &Error{Reason: ReasonCheck, Input: s}
	}
	return c, nil
}

// SignedMessage returns the bytes a slip signature covers: Domain followed
// by the compact code.
func SignedMessage(c Code) []byte {
	return append([]byte(Domain), c[:]...)
}

// Sign returns the slip key's signature of c. It panics, as ed25519.Sign
// does, when priv is not an Ed25519 private key.
func Sign(priv ed25519.PrivateKey, c Code) []byte {
	return ed25519.Sign(priv, SignedMessage(c))
}

// Verify reports whether sig is the slip key pub's signature of c. A key or
// signature of the wrong length, or the zero Code, is simply not valid.
func Verify(pub ed25519.PublicKey, c Code, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize || c.IsZero() {
		return false
	}
	return ed25519.Verify(pub, SignedMessage(c), sig)
}

// ScanURL returns the text of a slip's QR code: base (the hub's public base
// URL, any trailing slash dropped) + "/s/" + the compact code, and, when sig
// is not empty, "#" + sig in unpadded base64url.
func ScanURL(base string, c Code, sig []byte) string {
	u := strings.TrimRight(base, "/") + PathPrefix + c.Compact()
	if len(sig) > 0 {
		u += "#" + base64.RawURLEncoding.EncodeToString(sig)
	}
	return u
}

// ParseScan returns the code and signature in text read from a scanner or
// typed: either a ScanURL (http or https, any host and base path, the code
// in the last path segment after "/s/", the signature, if any, in the
// fragment) or a bare code as ParseCode reads it, whose sig is nil. Text
// around the content (a scanner's trailing Enter) is trimmed. A URL's
// signature is only decoded here, not verified: call Verify. Errors are
// *Error: ParseCode's reasons, ReasonNotSlip for a URL that is not a slip's
// and ReasonSignature for a fragment that is not a 64-byte signature.
func ParseScan(text string) (Code, []byte, error) {
	text = strings.TrimSpace(text)
	if !strings.Contains(text, "://") {
		c, err := ParseCode(text)
		return c, nil, err
	}
	u, err := url.Parse(text)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Code{}, nil, &Error{Reason: ReasonNotSlip, Input: text}
	}
	path := strings.TrimSuffix(u.Path, "/")
	i := strings.LastIndex(path, PathPrefix)
	if i < 0 || strings.Contains(path[i+len(PathPrefix):], "/") {
		return Code{}, nil, &Error{Reason: ReasonNotSlip, Input: text}
	}
	seg := path[i+len(PathPrefix):]
	if seg == "" {
		return Code{}, nil, &Error{Reason: ReasonNotSlip, Input: text}
	}
	c, err := ParseCode(seg)
	if err != nil {
		return Code{}, nil, err
	}
	if u.Fragment == "" {
		return c, nil, nil
	}
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(u.Fragment, "="))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return Code{}, nil, &Error{Reason: ReasonSignature, Input: text}
	}
	return c, sig, nil
}
