package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

func receiptResponse() *survey.Response {
	start := time.Date(2026, 12, 1, 2, 3, 4, 567_891_000, time.UTC)
	return &survey.Response{
		ID: "019abcde-f012-7345-8678-000000000001", SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers:   survey.Answers{"q1": {"hl"}, "why": {"Nha\u0300n vie\u0302n ta\u0323\u0302n ti\u0300nh"}}, // NFD
		StartedAt: start, FinishedAt: start.Add(40 * time.Second),
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-a", Lang: "vi", Status: survey.StatusComplete,
	}
}

// The code a kiosk shows (ReceiptOf on the response it saved) is the one
// the hub computes from the item it receives and stores.
func TestReceiptKioskEqualsHub(t *testing.T) {
	r := receiptResponse()
	kiosk, err := protocol.ReceiptOf(r)
	if err != nil {
		t.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	it, err := protocol.Sign(priv, r)
	if err != nil {
		t.Fatal(err)
	}
	content, err := protocol.NormalizeCanonical(it.Response)
	if err != nil {
		t.Fatal(err)
	}
	if hubCode := protocol.ReceiptFor(content); hubCode != kiosk {
		t.Fatalf("kiosk shows %s, hub computes %s", kiosk, hubCode)
	}
	if err := protocol.VerifyCanonical(priv.Public().(ed25519.PublicKey), content, it.Signature); err != nil {
		t.Fatalf("the receipt's content is not what was signed: %v", err)
	}
	// Any change of content changes the code.
	r.Answers["q1"] = []string{"khl"}
	if changed, _ := protocol.ReceiptOf(r); changed == kiosk {
		t.Errorf("changed answers keep receipt %s", kiosk)
	}
	if _, err := protocol.ReceiptOf(nil); err == nil {
		t.Error("ReceiptOf(nil) succeeded")
	}
}

// A version 2 item carries the device's sequence number in its content;
// the receipt is the response's alone, so the code the kiosk showed at the
// thank-you screen (before the response was numbered for sending) is the
// one the hub computes from the v2 content it stores, whatever the number.
func TestReceiptIgnoresSequenceNumber(t *testing.T) {
	r := receiptResponse()
	kiosk, err := protocol.ReceiptOf(r)
	if err != nil {
		t.Fatal(err)
	}
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	for _, seq := range []int64{1, 9, 10, 12345} {
		it, err := protocol.SignV2(priv, r, seq)
		if err != nil {
			t.Fatal(err)
		}
		content, err := protocol.ItemContent(it)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(content), fmt.Sprintf(`,"seq":%d}`, seq)) {
			t.Fatalf("v2 content %s does not end in its sequence number", content)
		}
		if hubCode := protocol.ReceiptFor(content); hubCode != kiosk {
			t.Errorf("seq %d: kiosk shows %s, hub computes %s from v2 content", seq, kiosk, hubCode)
		}
	}
}

// A version 3 item adds the slip code after the sequence number; the
// receipt still covers the response alone, so a citizen who gave a slip
// finds the code the kiosk showed on the hub's receipt page. The v1 and v3
// contents of one response, with and without its slip, share one code.
func TestReceiptIgnoresSlip(t *testing.T) {
	r := receiptResponse()
	code, err := slip.New(bytes.NewReader(make([]byte, 64)))
	if err != nil {
		t.Fatal(err)
	}
	r.Slip = code.Compact()
	kiosk, err := protocol.ReceiptOf(r)
	if err != nil {
		t.Fatal(err)
	}
	plain := *r
	plain.Slip = ""
	if again, _ := protocol.ReceiptOf(&plain); again != kiosk {
		t.Fatalf("the kiosk's code depends on the slip: %s and %s", kiosk, again)
	}
	priv := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	for _, seq := range []int64{1, 10, 12345} {
		it, err := protocol.SignV3(priv, r, seq, r.Slip)
		if err != nil {
			t.Fatal(err)
		}
		content, err := protocol.ItemContent(it)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(content), fmt.Sprintf(`,"seq":%d,"slip":"%s"}`, seq, r.Slip)) {
			t.Fatalf("v3 content %s does not end in its number and slip", content)
		}
		if hubCode := protocol.ReceiptFor(content); hubCode != kiosk {
			t.Errorf("seq %d: kiosk shows %s, hub computes %s from v3 content", seq, kiosk, hubCode)
		}
	}
}

// The code is the first 45 bits of the SHA-256 of the content in Crockford
// base32, then its check character: anyone can recompute it.
func TestReceiptForBits(t *testing.T) {
	content := []byte(`{"id":"x"}`)
	d := sha256.Sum256(content)
	bits := binary.BigEndian.Uint64(d[:8]) >> (64 - 45)
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var want []byte
	for i := 8; i >= 0; i-- {
		want = append(want, alphabet[bits>>(5*i)&31])
	}
	got := protocol.ReceiptFor(content)
	if string(got[:9]) != string(want) {
		t.Fatalf("ReceiptFor = %s, want data %s", got, want)
	}
	if _, err := protocol.ParseReceipt(string(got)); err != nil {
		t.Fatalf("own code does not parse: %v", err)
	}
	if s := got.String(); len(s) != 11 || s[5] != '-' || strings.ReplaceAll(s, "-", "") != string(got) {
		t.Errorf("String = %q", s)
	}
}

func TestParseReceipt(t *testing.T) {
	code := protocol.ReceiptFor([]byte("content"))
	lower := strings.ToLower(code.String())
	tests := []struct {
		name, in string
		want     protocol.Receipt // "" means refused
	}{
		{"bare", string(code), code},
		{"grouped", code.String(), code},
		{"lower case, spaces", " " + lower[:3] + " " + lower[3:] + " ", code},
		{"three groups", string(code[:3]) + "-" + string(code[3:6]) + "-" + string(code[6:]), code},
		{"empty", "", ""},
		{"too short", string(code[:9]), ""},
		{"too long", string(code) + "0", ""},
		{"U is not a character", "UUUUU-UUUUU", ""},
		{"punctuation", string(code[:9]) + "!", ""},
		{"non-ASCII", string(code[:9]) + "Đ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := protocol.ParseReceipt(tt.in)
			if tt.want == "" {
				if err == nil || protocol.ErrorCode(err) != protocol.CodeInvalid {
					t.Fatalf("ParseReceipt(%q) = %q, %v; want a CodeInvalid error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseReceipt(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	// O, I and L are read as 0, 1 and 1.
	for _, c := range []string{"0000000000", "1111111111"} {
		r := []byte(c)
		// Find the check character that makes the data valid.
		for _, check := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
			r[9] = byte(check)
			if _, err := protocol.ParseReceipt(string(r)); err == nil {
				break
			}
		}
		alias := strings.NewReplacer("0", "o", "1", "l").Replace(string(r[:9])) + string(r[9:])
		if got, err := protocol.ParseReceipt(alias); err != nil || string(got) != string(r) {
			t.Errorf("ParseReceipt(%q) = %q, %v; want %q", alias, got, err, r)
		}
	}
}

// Every single mistyped character, and every swap of two different
// neighbours but a few, is refused by the check character rather than
// looked up as another receipt.
func TestReceiptCheckCatchesTypos(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	swapsMissed, swaps := 0, 0
	for n := range 200 {
		code := []byte(protocol.ReceiptFor([]byte{byte(n), byte(n >> 8)}))
		for i := range code {
			for _, c := range []byte(alphabet) {
				if c == code[i] {
					continue
				}
				typo := append([]byte(nil), code...)
				typo[i] = c
				if _, err := protocol.ParseReceipt(string(typo)); err == nil {
					t.Fatalf("typo %s of %s accepted", typo, code)
				}
			}
			if i+1 < len(code) && code[i] != code[i+1] {
				swap := append([]byte(nil), code...)
				swap[i], swap[i+1] = swap[i+1], swap[i]
				swaps++
				if _, err := protocol.ParseReceipt(string(swap)); err == nil {
					swapsMissed++
				}
			}
		}
	}
	// Luhn mod N misses only swaps of two values that sum to N-1 in the
	// doubled position's way: a small share.
	if swapsMissed*20 > swaps {
		t.Errorf("%d of %d neighbour swaps accepted", swapsMissed, swaps)
	}
}

func FuzzParseReceipt(f *testing.F) {
	f.Add(protocol.ReceiptFor([]byte("a")).String())
	f.Add("oooo-llll-ii")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := protocol.ParseReceipt(s)
		if err != nil {
			return
		}
		if len(r) != protocol.ReceiptLen {
			t.Fatalf("parsed %q to %q", s, r)
		}
		again, err := protocol.ParseReceipt(r.String())
		if err != nil || again != r {
			t.Fatalf("%q → %q does not parse back: %q, %v", s, r, again, err)
		}
	})
}
