package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestTransportErrorKinds(t *testing.T) {
	header := func(s string) tls.RecordHeaderError {
		var re tls.RecordHeaderError
		copy(re.RecordHeader[:], s)
		re.Msg = "first record does not look like a TLS handshake"
		return re
	}
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"http.Client's scheme mismatch", &url.Error{Op: "Post", URL: "https://hub:8080/api/v1/enroll", Err: http.ErrSchemeMismatch}, KindNotTLS},
		{"a bare transport's record header", fmt.Errorf("dial: %w", header("HTTP/")), KindNotTLS},
		// Something that is neither TLS nor HTTP says nothing about the scheme.
		{"another record header", header("SSH-2"), KindUnreachable},
		{"refused", errors.New("connect: connection refused"), KindUnreachable},
		{"unknown authority", &url.Error{Op: "Post", URL: "https://hub:8443/", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, KindCertificate},
		{"certificate for another name", fmt.Errorf("handshake: %w", x509.HostnameError{Host: "hub.phuong.vn"}), KindCertificate},
		{"expired certificate", x509.CertificateInvalidError{Reason: x509.Expired}, KindCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transportError("enroll", tt.err).Kind; got != tt.want {
				t.Errorf("kind = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestStatusErrorNeedsTLS: plain HTTP sent to an https port gets a 400 in
// the server's words; the same words over https, or another 400, say
// nothing about the scheme.
func TestStatusErrorNeedsTLS(t *testing.T) {
	answer := func(scheme string, status int, body string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodPost, scheme+"://hub:8443/api/v1/enroll", nil)
		return &http.Response{StatusCode: status, Header: http.Header{}, Request: req}, []byte(body)
	}
	tests := []struct {
		name   string
		scheme string
		status int
		body   string
		want   Kind
	}{
		{"Go's https server", "http", 400, "Client sent an HTTP request to an HTTPS server.\n", KindNeedsTLS},
		{"nginx's https port", "http", 400, "<html><center>The plain HTTP request was sent to HTTPS port</center></html>", KindNeedsTLS},
		{"over https already", "https", 400, "Client sent an HTTP request to an HTTPS server.\n", KindNotHub},
		{"another 400", "http", 400, "<html>bad request</html>", KindNotHub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := answer(tt.scheme, tt.status, tt.body)
			if got := statusError("enroll", resp, body).Kind; got != tt.want {
				t.Errorf("kind = %s, want %s", got, tt.want)
			}
		})
	}
}
