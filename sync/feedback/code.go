package feedback

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
)

// A case code is 8 symbols of Crockford's base32 (0-9 and A-Z without I,
// L, O, U: nothing to misread on a small thank-you screen or a phone): 7
// random symbols (35 bits) and a check symbol, printed "ABCD-EF12".
//
// The check symbol works as a rating slip's (sync/slip): symbols are
// elements of GF(32) = GF(2)[x] / (x⁵ + x² + 1); the data symbols d₀…d₆
// get the distinct non-zero weights α¹…α⁷ (α = x) and the check c makes
// c + Σ αⁱ⁺¹·dᵢ = 0. So every single wrong symbol and every swap of two
// different symbols is caught; a random wrong code passes with
// probability 1/32. With 35 random bits, codes are not guessed over the
// network (the public page also throttles nothing it need not: it shows
// no personal data).

// alphabet is Crockford's base32, symbol value = index.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	// CodeLength is the number of symbols of a code, check included.
	CodeLength = 8
	dataLength = CodeLength - 1
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
	if r == nil {
		r = rand.Reader
	}
	var b [5]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return Code{}, fmt.Errorf("random case code: %w", err)
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	var c Code
	var vals [dataLength]byte
	for i := range dataLength {
		vals[i] = byte(v>>(5*i)) & 31
		c[i] = alphabet[vals[i]]
	}
	c[dataLength] = alphabet[checkValue(vals)]
	return c, nil
}

// gfMul multiplies in GF(32) modulo x⁵ + x² + 1.
func gfMul(a, b byte) byte {
	var p byte
	for range 5 {
		if b&1 != 0 {
			p ^= a
		}
		b >>= 1
		a <<= 1
		if a&32 != 0 {
			a ^= 0b100101
		}
	}
	return p
}

// checkValue is the check symbol's value for the data symbols' values.
func checkValue(vals [dataLength]byte) byte {
	var sum byte
	w := byte(1)
	for _, d := range vals {
		w = gfMul(w, 2)
		sum ^= gfMul(w, d)
	}
	return sum
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
	var vals [CodeLength]byte
	n := 0
	for _, r := range s {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'o', 'O':
			r = '0'
		case 'i', 'I', 'l', 'L':
			r = '1'
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		v := -1
		if r < 128 {
			v = strings.IndexByte(alphabet, byte(r))
		}
		if v < 0 {
			return Code{}, fmt.Errorf("%w: %q", ErrCodeSymbol, r)
		}
		if n == CodeLength {
			return Code{}, ErrCodeLength
		}
		c[n], vals[n] = byte(r), byte(v)
		n++
	}
	switch {
	case n == 0:
		return Code{}, ErrCodeEmpty
	case n != CodeLength:
		return Code{}, ErrCodeLength
	}
	if checkValue([dataLength]byte(vals[:dataLength])) != vals[dataLength] {
		return Code{}, ErrCodeCheck
	}
	return c, nil
}
