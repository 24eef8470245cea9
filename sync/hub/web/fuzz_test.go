package web

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// FuzzClientAddr: whatever X-Forwarded-For says, the client address is the
// peer itself or an address the header names, and never one of the
// trusted proxies unless the peer is the only one left.
func FuzzClientAddr(f *testing.F) {
	for _, s := range []string{"", "198.51.100.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", "rác, 1.2.3.4", "::1", ",,,", "2001:db8::1, 127.0.0.1"} {
		f.Add("127.0.0.1:5000", s)
		f.Add("192.0.2.1:80", s)
	}
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := &http.Request{RemoteAddr: remote, Header: http.Header{"X-Forwarded-For": {xff}}}
		got := clientAddr(r, trusted)
		peer := remote
		if h, _, err := net.SplitHostPort(remote); err == nil {
			peer = h
		}
		if got == peer {
			return
		}
		a, err := netip.ParseAddr(got)
		if err != nil {
			t.Fatalf("clientAddr(%q, %q) = %q: neither the peer nor an address", remote, xff, got)
		}
		found := false
		for _, hop := range strings.Split(xff, ",") {
			if h, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && h.Unmap() == a {
				found = true
			}
		}
		if !found {
			t.Fatalf("clientAddr(%q, %q) = %q: not named in the header", remote, xff, got)
		}
	})
}

// FuzzFormOf: any query either gives a form whose query() reads back to
// the same form, or an error; fold is idempotent.
func FuzzFormOf(f *testing.F) {
	for _, s := range []string{"", "from=2026-11-01&to=2026-11-30", "service-point=x", "service_point=Ph%C6%B0%E1%BB%9Dng&device=d&device=e", "event=%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		form, err := formOf(q, filterParams...)
		if err != nil {
			return
		}
		back, err := formOf(form.query(), filterParams...)
		if err != nil || back != form {
			t.Fatalf("%q: %+v read back as %+v (%v)", raw, form, back, err)
		}
		for _, s := range []string{form.ServicePoint, form.Event} {
			if fold(fold(s)) != fold(s) {
				t.Fatalf("fold not idempotent on %q", s)
			}
		}
	})
}
