package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
)

// Kind classifies a sync failure so that the admin panel can tell staff
// what to do. The client names the message by its key (Key); the admin
// panel translates it (assets/i18n/sync has "sync.error.<kind>").
type Kind string

// The kinds of sync failure.
const (
	// KindBadURL: the hub address cannot be parsed or is not http(s).
	KindBadURL Kind = "bad_url"
	// KindNotHub: something answered at the address, but not a Hài Lòng hub.
	KindNotHub Kind = "not_hub"
	// KindUnreachable: no connection to the hub (offline, DNS, refused).
	KindUnreachable Kind = "unreachable"
	// KindTimeout: the hub did not answer in time.
	KindTimeout Kind = "timeout"
	// KindBadCode: the enrollment code is wrong, expired or already used
	// (the hub does not say which, so a guesser learns nothing).
	KindBadCode Kind = "bad_code"
	// KindUnauthorized: the hub no longer accepts this device's token.
	KindUnauthorized Kind = "unauthorized"
	// KindRevoked: the hub revoked this device.
	KindRevoked Kind = "revoked"
	// KindServer: the hub failed (5xx).
	KindServer Kind = "server"
	// KindProtocol: the hub's answer could not be understood.
	KindProtocol Kind = "protocol"
	// KindLocal: the kiosk's own storage failed.
	KindLocal Kind = "local"
	// KindNotEnrolled: the kiosk is not connected to a hub yet.
	KindNotEnrolled Kind = "not_enrolled"
	// KindExport: writing a bundle file failed.
	KindExport Kind = "export"
	// KindTooLarge: one response is larger than a whole batch may be.
	KindTooLarge Kind = "too_large"
	// KindNotTLS: the address is https (typed so, or typed without a
	// scheme, which means https), but the hub there speaks plain HTTP; the
	// admin should type it with http:// or ask for the hub's https address.
	KindNotTLS Kind = "not_tls"
	// KindNeedsTLS: the address is http, but the hub there takes https
	// only; the admin should type it with https://.
	KindNeedsTLS Kind = "needs_tls"
	// KindCertificate: the hub's https certificate cannot be verified
	// (self-signed, expired, for another name): the kiosk will not talk to
	// it until the hub has a certificate this machine trusts.
	KindCertificate Kind = "certificate"
)

// Kinds lists every Kind, so that the UI can check it has a message for each.
func Kinds() []Kind {
	return []Kind{KindBadURL, KindNotHub, KindNotTLS, KindNeedsTLS, KindCertificate, KindUnreachable, KindTimeout,
		KindBadCode, KindUnauthorized, KindRevoked, KindServer, KindProtocol, KindLocal, KindNotEnrolled, KindExport,
		KindTooLarge}
}

// Error is a classified sync failure.
type Error struct {
	// Kind says what went wrong in terms staff can act on.
	Kind Kind
	// Op is what was being done ("enroll", "upload", "pull surveys").
	Op string
	// Err is the underlying error, for logs.
	Err error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s: %s", e.Op, e.Kind)
	}
	return fmt.Sprintf("%s: %s: %v", e.Op, e.Kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Key is the translation key of the message for e's kind.
func (e *Error) Key() string { return e.Kind.Key() }

// Key is the translation key of the message for k.
func (k Kind) Key() string { return "sync.error." + string(k) }

// KindOf returns the Kind of err, or "" when err is nil or unclassified.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// transportError classifies an error from an HTTP round trip.
func transportError(op string, err error) *Error {
	var ue *url.Error
	var ne net.Error
	switch {
	case isSchemeMismatch(err):
		return &Error{Kind: KindNotTLS, Op: op, Err: err}
	case isCertificateError(err):
		return &Error{Kind: KindCertificate, Op: op, Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindTimeout, Op: op, Err: err}
	case errors.As(err, &ue) && (ue.Op == "parse" || isUnsupportedScheme(ue)):
		return &Error{Kind: KindBadURL, Op: op, Err: err}
	}
	return &Error{Kind: KindUnreachable, Op: op, Err: err}
}

// isSchemeMismatch reports whether err says that an https request was
// answered in plain HTTP. http.Client turns the TLS client's
// RecordHeaderError into ErrSchemeMismatch; a bare RoundTripper leaves it.
func isSchemeMismatch(err error) bool {
	if errors.Is(err, http.ErrSchemeMismatch) {
		return true
	}
	var re tls.RecordHeaderError
	return errors.As(err, &re) && string(re.RecordHeader[:]) == "HTTP/"
}

// isCertificateError reports whether err is the TLS client refusing the
// hub's certificate.
func isCertificateError(err error) bool {
	var cve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var hn x509.HostnameError
	return errors.As(err, &cve) || errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &hn)
}

// httpToHTTPS holds what servers answer, with a 400, to plain HTTP sent to
// their https port: Go's net/http (the hub serving --tls-cert) and nginx.
var httpToHTTPS = []string{"Client sent an HTTP request to an HTTPS server", "The plain HTTP request was sent to HTTPS port"}

// isHTTPToHTTPS reports whether a non-hub 400 answer to an http request
// says the port speaks https.
func isHTTPToHTTPS(resp *http.Response, body []byte) bool {
	if resp.StatusCode != http.StatusBadRequest || resp.Request == nil || resp.Request.URL.Scheme != "http" {
		return false
	}
	for _, s := range httpToHTTPS {
		if bytes.Contains(body, []byte(s)) {
			return true
		}
	}
	return false
}

func isUnsupportedScheme(ue *url.Error) bool {
	u, err := url.Parse(ue.URL)
	return err == nil && u.Scheme != "http" && u.Scheme != "https"
}
