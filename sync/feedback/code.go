package feedback

import (
	"errors"
	"fmt"
	"io"

	"github.com/hailong-kiosk/hailong/sync/internal/checkcode"
)

// A case code is 8 symbols of Crockford's base32 (0-9 and A-Z without I,
// L, O, U: nothing to misread on a small thank-you screen or a phone): 7
// random symbols (35 bits) and a check symbol, printed "ABCD-EF12".
//
// The check symbol is a rating slip's (sync/internal/checkcode): every
// single wrong symbol and every swap of two different symbols is caught.
// With 35 random bits, codes are not guessed over the network (the public
// page also throttles nothing it need not: it shows no personal data).

const (
	// CodeLength is the number of symbols of a code, check included.
	CodeLength = 8
)

// Code is a valid case code. The zero Code is no code (IsZero); every
// other Code came from NewCode or ParseCode and is valid.
type Code [CodeLength]byte

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c == Code{} }

// Compact returns the 8 symbols without the hyphen: the form stored, sent
// and put in URLs; "" for the zero Code.
func (c Code) Compact() string {
	if c.IsZero() {
		return ""
	}
	return string(c[:])
}

// String returns the code grouped for reading, "ABCD-EF12"; "" for the
// zero Code.
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return string(c[:4]) + "-" + string(c[4:])
}

// NewCode returns a fresh random code, reading 5 bytes from r (crypto/rand
// when nil) and keeping 35 bits of them.
func NewCode(r io.Reader) (Code, error) {
	var c Code
	if err := checkcode.New(r, c[:]); err != nil {
		return Code{}, fmt.Errorf("random case code: %w", err)
	}
	return c, nil
}

// Errors of ParseCode.
var (
	ErrCodeEmpty  = errors.New("no case code")
	ErrCodeLength = errors.New("a case code has 8 symbols")
	ErrCodeSymbol = errors.New("a case code has only digits and letters other than I, L, O, U")
	ErrCodeCheck  = errors.New("the case code's check symbol does not match: a symbol is wrong")
)

// ParseCode returns the code written in s: lower case, spaces and hyphens
// are fine, and O reads as 0, I and L as 1.
func ParseCode(s string) (Code, error) {
	var c Code
	switch reason, _, r := checkcode.Parse(s, c[:]); reason {
	case checkcode.Empty:
		return Code{}, ErrCodeEmpty
	case checkcode.Length:
		return Code{}, ErrCodeLength
	case checkcode.Symbol:
		return Code{}, fmt.Errorf("%w: %q", ErrCodeSymbol, r)
	case checkcode.Check:
		return Code{}, ErrCodeCheck
	}
	return c, nil
}
