package protocol

import (
	"errors"
	"fmt"
)

// Error codes carried in an Error body. The hub maps each to one HTTP status
// (listed beside it); clients branch on the code, never on the message.
const (
	CodeMalformed    = "malformed"     // 400: not JSON, wrong types, trailing data
	CodeInvalidUTF8  = "invalid_utf8"  // 400: body is not valid UTF-8
	CodeUnknownField = "unknown_field" // 400: a field the protocol does not define
	CodeInvalid      = "invalid"       // 400: well-formed but breaks a rule (e.g. > 500 items)
	CodeTooLarge     = "too_large"     // 413: body over the limit
	CodeUnauthorized = "unauthorized"  // 401: missing or unknown token
	CodeForbidden    = "forbidden"     // 403: device revoked
	CodeBadCode      = "bad_code"      // 403: enrollment code unknown, used or expired
	CodeNotFound     = "not_found"     // 404
	CodeMethod       = "method"        // 405
	CodeUnsupported  = "unsupported"   // 415: not application/json
	CodeInternal     = "internal"      // 500: the hub failed; nothing was written, retry
	CodeUnavailable  = "unavailable"   // 503: the hub is shutting down or busy; retry
)

// Error is the body of every non-2xx answer from the hub and the error the
// decoders return. Message is English, for logs and operators; kiosks show
// their own translated text chosen by Code.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal when there is none.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
