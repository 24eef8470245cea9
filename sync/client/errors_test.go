package client

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestTransportErrorNotTLS(t *testing.T) {
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transportError("enroll", tt.err).Kind; got != tt.want {
				t.Errorf("kind = %s, want %s", got, tt.want)
			}
		})
	}
}
