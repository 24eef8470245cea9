package slip_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/slip"
)

// mustCode returns a code made from six fixed random bytes.
func mustCode(t testing.TB, seed string) slip.Code {
	t.Helper()
	c, err := slip.New(strings.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewIsValidAndDeterministic(t *testing.T) {
	a := mustCode(t, "abcdef")
	if b := mustCode(t, "abcdef"); a != b {
		t.Fatalf("same bytes gave %s and %s", a, b)
	}
	if b := mustCode(t, "abcdeg"); a == b {
		t.Fatalf("different bytes gave the same code %s", a)
	}
	got, err := slip.ParseCode(a.String())
	if err != nil || got != a {
		t.Fatalf("ParseCode(%q) = %v, %v", a.String(), got, err)
	}
	if _, err := slip.New(strings.NewReader("short")); err == nil {
		t.Fatal("New accepted a reader with 5 bytes")
	}
	for range 200 {
		c, err := slip.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := slip.ParseCode(c.Compact()); err != nil {
			t.Fatalf("fresh code %s does not parse: %v", c, err)
		}
	}
}

// TestNewUsesAll45Bits: the nine data symbols are the low 45 bits of the six
// bytes read, five bits each, least significant first.
func TestNewUsesAll45Bits(t *testing.T) {
	zero := mustCode(t, "\x00\x00\x00\x00\x00\x00")
	if got := zero.Compact()[:9]; got != "000000000" {
		t.Fatalf("all-zero bytes gave data %q", got)
	}
	ones := mustCode(t, "\x1f\xff\xff\xff\xff\xff")
	if got := ones.Compact()[:9]; got != "ZZZZZZZZZ" {
		t.Fatalf("45 one bits gave data %q", got)
	}
}

func TestFormats(t *testing.T) {
	c := mustCode(t, "abcdef")
	s := c.String()
	if len(s) != 11 || s[5] != '-' || strings.ReplaceAll(s, "-", "") != c.Compact() {
		t.Fatalf("String %q, Compact %q", s, c.Compact())
	}
	var zero slip.Code
	if !zero.IsZero() || zero.String() != "" || zero.Compact() != "" || c.IsZero() {
		t.Fatal("zero Code is not reported as zero")
	}
}

func TestParseCode(t *testing.T) {
	c := mustCode(t, "abcdef")
	compact := c.Compact()
	// lookalike writes compact with its 0s as O and 1s as l, as a person
	// copying from paper might.
	lookalike := strings.NewReplacer("0", "O", "1", "l").Replace(strings.ToLower(compact))
	bad := []byte(compact)
	bad[3] = slip.Alphabet[(strings.IndexByte(slip.Alphabet, bad[3])+1)%32]
	tests := []struct {
		in     string
		reason slip.Reason
	}{
		{compact, ""},
		{c.String(), ""},
		{strings.ToLower(c.String()), ""},
		{" " + compact[:2] + " " + compact[2:7] + "--" + compact[7:] + "\t", ""},
		{lookalike, ""},
		{"", slip.ReasonEmpty},
		{" - -", slip.ReasonEmpty},
		{compact[:9], slip.ReasonLength},
		{compact + "0", slip.ReasonLength},
		{compact[:4] + "U" + compact[5:], slip.ReasonSymbol},
		{compact[:4] + "*" + compact[5:], slip.ReasonSymbol},
		{compact[:4] + "Đ" + compact[5:], slip.ReasonSymbol},
		{compact[:4] + "\n" + compact[5:], slip.ReasonSymbol},
		{string(bad), slip.ReasonCheck},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := slip.ParseCode(tt.in)
			if tt.reason == "" {
				if err != nil || got != c {
					t.Fatalf("ParseCode = %v, %v; want %v", got, err, c)
				}
				return
			}
			if slip.ReasonOf(err) != tt.reason || !errors.Is(err, &slip.Error{Reason: tt.reason}) {
				t.Fatalf("ParseCode err = %v; want reason %s", err, tt.reason)
			}
			if !got.IsZero() {
				t.Fatalf("ParseCode returned %v with an error", got)
			}
		})
	}
}

func TestParseCodeSymbolPosition(t *testing.T) {
	_, err := slip.ParseCode("AB-CU")
	var e *slip.Error
	if !errors.As(err, &e) || e.Pos != 4 || e.Symbol != 'U' {
		t.Fatalf("err = %#v; want U at byte 4", err)
	}
}

// TestCheckCatchesEveryTypoAndSwap tries, on many codes, every single-symbol
// substitution and every transposition of two different symbols (adjacent or
// not): none may parse.
func TestCheckCatchesEveryTypoAndSwap(t *testing.T) {
	for n := range 300 {
		seed := []byte{byte(n), byte(n * 7), byte(n * 13), byte(n >> 2), 0x5a, byte(n * 31)}
		c := mustCode(t, string(seed))
		s := c.Compact()
		for i := range slip.Length {
			for _, r := range slip.Alphabet {
				if byte(r) == s[i] {
					continue
				}
				typo := s[:i] + string(r) + s[i+1:]
				if _, err := slip.ParseCode(typo); slip.ReasonOf(err) != slip.ReasonCheck {
					t.Fatalf("typo %s of %s: err %v", typo, s, err)
				}
			}
			for j := i + 1; j < slip.Length; j++ {
				if s[i] == s[j] {
					continue
				}
				b := []byte(s)
				b[i], b[j] = b[j], b[i]
				if _, err := slip.ParseCode(string(b)); slip.ReasonOf(err) != slip.ReasonCheck {
					t.Fatalf("swap %d,%d %s of %s: err %v", i, j, b, s, err)
				}
			}
		}
	}
}

func TestSignVerify(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 32)))
	c := mustCode(t, "abcdef")
	d := mustCode(t, "ghijkl")
	sig := slip.Sign(priv, c)
	if !slip.Verify(pub, c, sig) {
		t.Fatal("own signature does not verify")
	}
	if !bytes.HasPrefix(slip.SignedMessage(c), []byte("hailong/slip/v1\n")) ||
		!bytes.HasSuffix(slip.SignedMessage(c), []byte(c.Compact())) {
		t.Fatalf("signed message %q", slip.SignedMessage(c))
	}
	// A signature over the bare code (no domain) must not verify.
	if slip.Verify(pub, c, ed25519.Sign(priv, []byte(c.Compact()))) {
		t.Fatal("a signature without the domain verifies")
	}
	flipped := bytes.Clone(sig)
	flipped[10] ^= 1
	tests := []struct {
		name string
		pub  ed25519.PublicKey
		code slip.Code
		sig  []byte
	}{
		{"other code", pub, d, sig},
		{"other key", otherPub, c, sig},
		{"flipped bit", pub, c, flipped},
		{"nil sig", pub, c, nil},
		{"short sig", pub, c, sig[:63]},
		{"short key", pub[:31], c, sig},
		{"nil key", nil, c, sig},
		{"zero code", pub, slip.Code{}, sig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if slip.Verify(tt.pub, tt.code, tt.sig) {
				t.Fatal("verified")
			}
		})
	}
}

func TestParseScan(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(bytes.NewReader(make([]byte, 32)))
	c := mustCode(t, "abcdef")
	sig := slip.Sign(priv, c)
	b64 := base64.RawURLEncoding.EncodeToString(sig)
	tests := []struct {
		name    string
		in      string
		wantSig bool
		reason  slip.Reason
	}{
		{"url with sig", slip.ScanURL("https://hub.example.vn", c, sig), true, ""},
		{"base with slash", slip.ScanURL("https://hub.example.vn/", c, sig), true, ""},
		{"base path", slip.ScanURL("http://10.0.0.2:8443/hailong", c, sig), true, ""},
		{"url without sig", slip.ScanURL("https://hub.example.vn", c, nil), false, ""},
		{"grouped lower code in url", "https://h.vn/s/" + strings.ToLower(c.String()) + "#" + b64, true, ""},
		{"trailing slash", "https://h.vn/s/" + c.Compact() + "/#" + b64, true, ""},
		{"padded sig", "https://h.vn/s/" + c.Compact() + "#" + base64.URLEncoding.EncodeToString(sig), true, ""},
		{"scanner enter", slip.ScanURL("https://h.vn", c, sig) + "\r\n", true, ""},
		{"bare code", c.String(), false, ""},
		{"bare code spaces", "  " + strings.ToLower(c.Compact()) + "\n", false, ""},
		{"empty", "", false, slip.ReasonEmpty},
		{"bare typo", c.Compact()[:9] + "U", false, slip.ReasonSymbol},
		{"other scheme", "ftp://h.vn/s/" + c.Compact(), false, slip.ReasonNotSlip},
		{"no host", "https:///s/" + c.Compact(), false, slip.ReasonNotSlip},
		{"other path", "https://h.vn/x/" + c.Compact(), false, slip.ReasonNotSlip},
		{"no code", "https://h.vn/s/", false, slip.ReasonNotSlip},
		{"extra segment", "https://h.vn/s/" + c.Compact() + "/more", false, slip.ReasonNotSlip},
		{"bad url", "https://h.vn/%zz/s/" + c.Compact(), false, slip.ReasonNotSlip},
		{"url code typo", "https://h.vn/s/" + c.Compact()[:9] + "0" + "#" + b64, false, slip.ReasonCheck},
		{"short sig", "https://h.vn/s/" + c.Compact() + "#" + b64[:40], false, slip.ReasonSignature},
		{"not base64", "https://h.vn/s/" + c.Compact() + "#" + strings.Repeat("*", 86), false, slip.ReasonSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotSig, err := slip.ParseScan(tt.in)
			if tt.reason != "" {
				if slip.ReasonOf(err) != tt.reason {
					t.Fatalf("err = %v; want reason %s", err, tt.reason)
				}
				if !got.IsZero() || gotSig != nil {
					t.Fatalf("returned %v, %x with an error", got, gotSig)
				}
				return
			}
			if err != nil || got != c {
				t.Fatalf("ParseScan = %v, %v; want %v", got, err, c)
			}
			if tt.wantSig != (gotSig != nil) || (gotSig != nil && !bytes.Equal(gotSig, sig)) {
				t.Fatalf("sig = %x; want present=%v", gotSig, tt.wantSig)
			}
		})
	}
}

func TestScanURL(t *testing.T) {
	c := mustCode(t, "abcdef")
	if got, want := slip.ScanURL("https://h.vn/", c, nil), "https://h.vn/s/"+c.Compact(); got != want {
		t.Fatalf("ScanURL = %q; want %q", got, want)
	}
	u := slip.ScanURL("https://h.vn", c, make([]byte, 64))
	if !strings.HasPrefix(u, "https://h.vn/s/"+c.Compact()+"#") || strings.ContainsAny(u, "=+") {
		t.Fatalf("ScanURL = %q", u)
	}
}
