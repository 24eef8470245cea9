// Package checkcode is the short code shared by rating slips (sync/slip)
// and feedback cases (sync/feedback): symbols of Crockford's base32 (0-9
// and A-Z without I, L, O, U), all random but the last, which is a check
// symbol.
//
// The check symbol. Symbols are taken as elements of GF(32) = GF(2)[x] /
// (x⁵ + x² + 1), whose generator α = x has order 31. The data symbols
// d₀…dₙ₋₂ get the weights α¹…αⁿ⁻¹ and the check c is chosen so that
//
//	c + Σ αⁱ⁺¹·dᵢ = 0   (addition in GF(32) is XOR)
//
// Every weight is non-zero and, for codes of at most 31 symbols, the
// weights are distinct, so every single wrong symbol and every swap of two
// different symbols is caught; a random wrong code passes with
// probability 1/32.
package checkcode

import (
	"crypto/rand"
	"io"
	"strings"
)

// Alphabet is Crockford's base32, symbol value = index.
const Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// New fills code (2 to 13 symbols) with random data symbols and their
// check symbol, reading ⌈5·(len(code)−1)/8⌉ bytes from r (crypto/rand's
// Reader when r is nil) and keeping 5 bits per data symbol.
func New(r io.Reader, code []byte) error {
	if r == nil {
		r = rand.Reader
	}
	data := len(code) - 1
	b := make([]byte, (5*data+7)/8)
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	vals := make([]byte, data)
	for i := range data {
		vals[i] = byte(v>>(5*i)) & 31
		code[i] = Alphabet[vals[i]]
	}
	code[data] = Alphabet[checkValue(vals)]
	return nil
}

// Reason says why Parse refused a text.
type Reason int

// Reasons of Parse.
const (
	OK     Reason = iota
	Empty         // nothing but spaces and hyphens
	Length        // not len(code) symbols
	Symbol        // a character outside the alphabet
	Check         // the check symbol does not match: a symbol is wrong
)

// Parse reads the code written in s into code, len(code) symbols. Lower
// case, spaces, tabs and hyphens anywhere are fine, and the look-alikes O
// read as 0, I and L as 1. On Symbol, pos is the byte offset in s of the
// character r refused.
func Parse(s string, code []byte) (reason Reason, pos int, r rune) {
	vals := make([]byte, len(code))
	n := 0
	for i, c := range s {
		switch c {
		case ' ', '-', '\t':
			continue
		case 'o', 'O':
			c = '0'
		case 'i', 'I', 'l', 'L':
			c = '1'
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		v := -1
		if c < 128 {
			v = strings.IndexByte(Alphabet, byte(c))
		}
		if v < 0 {
			return Symbol, i, c
		}
		if n == len(code) {
			return Length, 0, 0
		}
		code[n], vals[n] = byte(c), byte(v)
		n++
	}
	switch {
	case n == 0:
		return Empty, 0, 0
	case n != len(code):
		return Length, 0, 0
	case checkValue(vals[:n-1]) != vals[n-1]:
		return Check, 0, 0
	}
	return OK, 0, 0
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
func checkValue(vals []byte) byte {
	var sum byte
	w := byte(1)
	for _, d := range vals {
		w = gfMul(w, 2) // αⁱ⁺¹
		sum ^= gfMul(w, d)
	}
	return sum
}
