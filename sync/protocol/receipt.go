package protocol

import (
	"crypto/sha256"
	"strings"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// ContentDigest is the SHA-256 of a response's canonical content (the
// bytes Canonical returns, which the device's signature covers behind its
// domain prefix and the hub stores). It names one content exactly: the
// hub's acceptance chain links it, and the receipt code is cut from it.
func ContentDigest(canonical []byte) [32]byte { return sha256.Sum256(canonical) }

// Receipt is a response's receipt code: ReceiptLen characters of Crockford
// base32 (digits and upper-case letters without I, L, O and U), the first
// ReceiptLen-1 the first 45 bits of the ContentDigest, the last a check
// character (Luhn mod 32) that catches every single mistyped character
// and most swaps of two neighbours. It says nothing about the answers: a
// digest cannot be turned back into content. Two responses share a code
// with probability 2^-45 per pair. Receipt holds the bare characters;
// String groups them for reading.
type Receipt string

// ReceiptLen is the number of characters of a receipt code.
const ReceiptLen = 10

// crockford is the Crockford base32 alphabet: the value of a character
// is its index.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// ReceiptFor returns the receipt code of a response's content as the hub
// stores it (ItemContent, any version). The code covers the response
// alone: the fields later versions add last — version 2's sequence number
// (appendSeq), version 3's slip code after it (appendSlip) — are left out,
// so the kiosk, which shows the code before the store has numbered the
// response for sending, and the hub agree.
func ReceiptFor(content []byte) Receipt { return ReceiptOfDigest(ContentDigest(responsePart(content))) }

// responsePart is content without the slip code appendSlip adds and the
// sequence number appendSeq adds: the version 1 canonical bytes of the
// response. Version 1 content ends in neither field (ResponseV1 is
// frozen), so it comes back unchanged.
func responsePart(content []byte) []byte {
	c := content
	// `,"slip":"CODE"}`: a compact slip code is digits and capitals only.
	if n := len(c); n >= 2 && c[n-1] == '}' && c[n-2] == '"' {
		i := n - 2
		for i > 0 && (c[i-1] >= '0' && c[i-1] <= '9' || c[i-1] >= 'A' && c[i-1] <= 'Z') {
			i--
		}
		const field = `,"slip":"`
		if i >= len(field) && string(c[i-len(field):i]) == field {
			c = append(c[:i-len(field):i-len(field)], '}')
		}
	}
	// `,"seq":N}`
	end := len(c) - 1
	if end < 0 || c[end] != '}' {
		return c
	}
	i := end
	for i > 0 && c[i-1] >= '0' && c[i-1] <= '9' {
		i--
	}
	const field = `,"seq":`
	if i == end || i < len(field) || string(c[i-len(field):i]) != field {
		return c
	}
	out := make([]byte, 0, i-len(field)+1)
	return append(append(out, c[:i-len(field)]...), '}')
}

// ReceiptOfDigest returns the receipt code of the content whose
// ContentDigest is d.
func ReceiptOfDigest(d [32]byte) Receipt {
	// The first 45 bits, big-endian, as nine 5-bit digits.
	bits := uint64(d[0])<<56 | uint64(d[1])<<48 | uint64(d[2])<<40 | uint64(d[3])<<32 |
		uint64(d[4])<<24 | uint64(d[5])<<16
	var b [ReceiptLen]byte
	for i := range ReceiptLen - 1 {
		b[i] = crockford[bits>>(64-5*(i+1))&31]
	}
	b[ReceiptLen-1] = crockford[luhn32(b[:ReceiptLen-1])]
	return Receipt(b[:])
}

// ReceiptOf returns the receipt code of r's content as Sign signs it, so
// that the code a kiosk shows when it saves r is the one the hub computes
// from the item it accepts. r is not modified.
func ReceiptOf(r *survey.Response) (Receipt, error) {
	if r == nil {
		return "", Errorf(CodeInvalid, "no response")
	}
	c, err := Canonical(NewResponseV1(r))
	if err != nil {
		return "", err
	}
	return ReceiptFor(c), nil
}

// String returns the code in two groups of five, "7Q2MX-4K9PA".
func (r Receipt) String() string {
	if len(r) != ReceiptLen {
		return string(r)
	}
	return string(r[:5]) + "-" + string(r[5:])
}

// ParseReceipt reads a receipt code as a person types it: case does not
// matter, spaces and dashes are ignored, and the letters Crockford reads
// as digits are read so (I and L as 1, O as 0). It returns an *Error with
// code CodeInvalid when the code has the wrong length, a character that
// is not in the alphabet, or a check character that does not match (a
// typing mistake, not an unknown receipt).
func ParseReceipt(s string) (Receipt, error) {
	var b []byte
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c == 'I' || c == 'L':
			c = '1'
		case c == 'O':
			c = '0'
		}
		if c > 0x7f || strings.IndexByte(crockford, byte(c)) < 0 {
			return "", Errorf(CodeInvalid, "receipt code holds %q, which is not a receipt character", c)
		}
		b = append(b, byte(c))
	}
	if len(b) != ReceiptLen {
		return "", Errorf(CodeInvalid, "receipt code has %d characters, want %d", len(b), ReceiptLen)
	}
	if crockford[luhn32(b[:ReceiptLen-1])] != b[ReceiptLen-1] {
		return "", Errorf(CodeInvalid, "receipt code's check character does not match")
	}
	return Receipt(b), nil
}

// luhn32 is the Luhn mod 32 check value of digits (Crockford characters):
// from the right, every other value is doubled and its base-32 digits
// summed.
func luhn32(digits []byte) int {
	sum, factor := 0, 2
	for i := len(digits) - 1; i >= 0; i-- {
		a := factor * strings.IndexByte(crockford, digits[i])
		sum += a/32 + a%32
		factor = 3 - factor
	}
	return (32 - sum%32) % 32
}
