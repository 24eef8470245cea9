package feedback

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/internal/checkcode"
)

func TestCodeRoundTrip(t *testing.T) {
	seen := map[Code]bool{}
	for i := range 200 {
		c, err := NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		if seen[c] {
			t.Fatalf("code %s twice in %d", c, i)
		}
		seen[c] = true
		for _, s := range []string{c.Compact(), c.String(), strings.ToLower(c.String()), " " + c.String()[:3] + " " + c.String()[3:]} {
			got, err := ParseCode(s)
			if err != nil || got != c {
				t.Fatalf("ParseCode(%q) = %v, %v; want %v", s, got, err, c)
			}
		}
	}
}

func TestParseCodeRefuses(t *testing.T) {
	c, err := NewCode(bytes.NewReader([]byte{1, 2, 3, 4, 5}))
	if err != nil {
		t.Fatal(err)
	}
	good := c.Compact()
	// Every single-symbol change and every swap of two different symbols
	// is caught by the check symbol.
	for i := range CodeLength {
		for _, r := range checkcode.Alphabet {
			if byte(r) == good[i] {
				continue
			}
			bad := good[:i] + string(r) + good[i+1:]
			if _, err := ParseCode(bad); !errors.Is(err, ErrCodeCheck) {
				t.Fatalf("ParseCode(%q) (one symbol changed from %q): %v, want ErrCodeCheck", bad, good, err)
			}
		}
		for j := i + 1; j < CodeLength; j++ {
			if good[i] == good[j] {
				continue
			}
			b := []byte(good)
			b[i], b[j] = b[j], b[i]
			if _, err := ParseCode(string(b)); !errors.Is(err, ErrCodeCheck) {
				t.Fatalf("ParseCode(%q) (swap %d, %d): %v, want ErrCodeCheck", b, i, j, err)
			}
		}
	}
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrCodeEmpty},
		{" - ", ErrCodeEmpty},
		{good[:7], ErrCodeLength},
		{good + "0", ErrCodeLength},
		{good[:3] + "U" + good[4:], ErrCodeSymbol},
		{good[:3] + "Đ" + good[4:], ErrCodeSymbol},
	} {
		if _, err := ParseCode(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParseCode(%q): %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestSealOpen(t *testing.T) {
	pub, priv, err := NewInspectionKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	text := "Cán bộ đòi 500.000 đồng ngoài quy định"
	sealed, err := Seal(pub[:], text)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("500")) || len(sealed) != len(text)+SealOverhead {
		t.Fatalf("sealed text shows its content or has %d bytes", len(sealed))
	}
	got, err := Open(pub[:], priv[:], sealed)
	if err != nil || got != text {
		t.Fatalf("Open = %q, %v", got, err)
	}
	otherPub, otherPriv, _ := NewInspectionKey(nil)
	if _, err := Open(otherPub[:], otherPriv[:], sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open with another key: %v, want ErrOpen", err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := Open(pub[:], priv[:], sealed); !errors.Is(err, ErrOpen) {
		t.Fatalf("Open of changed bytes: %v, want ErrOpen", err)
	}
	if _, err := Seal(pub[:5], text); err == nil {
		t.Fatal("Seal with a short key succeeded")
	}
}

func TestCategories(t *testing.T) {
	for _, tc := range []struct {
		c            Category
		valid, seals bool
	}{
		{CategoryProcedure, true, false},
		{CategoryMisconduct, true, true},
		{CategoryOther, true, false},
		{"", false, false},
		{"NHUNG_NHIEU", false, false},
	} {
		if tc.c.Valid() != tc.valid || tc.c.Sealed() != tc.seals {
			t.Errorf("%q: Valid %v Sealed %v, want %v %v", tc.c, tc.c.Valid(), tc.c.Sealed(), tc.valid, tc.seals)
		}
	}
}
