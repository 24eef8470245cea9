package slip

import (
	"errors"
	"fmt"
)

// Reason says why a text is not a slip. UIs choose their translated message
// by Reason (the values are stable and suit translation keys); the English
// Error text is for logs.
type Reason string

const (
	ReasonEmpty     Reason = "slip_empty"     // nothing but spaces and hyphens
	ReasonLength    Reason = "slip_length"    // not 10 symbols
	ReasonSymbol    Reason = "slip_symbol"    // a character outside Crockford's base32 (U, punctuation, …)
	ReasonCheck     Reason = "slip_check"     // the check symbol does not match: a typo
	ReasonNotSlip   Reason = "slip_not_slip"  // a URL, but not a slip's
	ReasonSignature Reason = "slip_signature" // a slip URL whose fragment is not a signature
)

// Error is every error ParseCode and ParseScan return.
type Error struct {
	Reason Reason
	// Input is the text given.
	Input string
	// Pos is the byte offset in Input and Symbol the character when Reason
	// is ReasonSymbol; otherwise they are 0.
	Pos    int
	Symbol rune
}

// Error implements error.
func (e *Error) Error() string {
	switch e.Reason {
	case ReasonSymbol:
		return fmt.Sprintf("%s: %q at byte %d of %q is not a slip code character", e.Reason, e.Symbol, e.Pos, e.Input)
	case ReasonLength:
		return fmt.Sprintf("%s: %q does not have %d symbols", e.Reason, e.Input, Length)
	case ReasonCheck:
		return fmt.Sprintf("%s: check symbol of %q does not match (typo?)", e.Reason, e.Input)
	}
	return fmt.Sprintf("%s: %q", e.Reason, e.Input)
}

// Is makes errors.Is(err, &slip.Error{Reason: r}) match any *Error with
// reason r.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Reason == e.Reason
}

// ReasonOf returns the Reason of the first *Error in err's chain, or "" when
// there is none.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
