package checkcode

import (
	"bytes"
	"testing"
)

// TestCheckCatches: at every length the kiosk uses and the longest one,
// every code New makes parses back, every single wrong symbol and every
// swap of two different symbols is refused with Check, and the same
// random bytes give the same code (slips and cases already printed stay
// valid).
func TestCheckCatches(t *testing.T) {
	for _, tc := range []struct {
		n    int
		seed []byte
		want string
	}{
		{8, []byte{1, 2, 3, 4, 5}, "5016014X"},       // a feedback case
		{10, []byte{1, 2, 3, 4, 5, 6}, "6818G1801E"}, // a rating slip
		{13, []byte{9, 8, 7, 6, 5, 4, 3, 2}, ""},
	} {
		code := make([]byte, tc.n)
		if err := New(bytes.NewReader(tc.seed), code); err != nil {
			t.Fatal(err)
		}
		if tc.want != "" && string(code) != tc.want {
			t.Errorf("New over %v = %s, want %s as before", tc.seed, code, tc.want)
		}
		got := make([]byte, tc.n)
		if reason, _, _ := Parse(string(code), got); reason != OK || !bytes.Equal(got, code) {
			t.Fatalf("Parse(%s) = %v, %s", code, reason, got)
		}
		for i := range code {
			for j := range len(Alphabet) {
				if Alphabet[j] == code[i] {
					continue
				}
				bad := bytes.Clone(code)
				bad[i] = Alphabet[j]
				if reason, _, _ := Parse(string(bad), got); reason != Check {
					t.Fatalf("%s (symbol %d changed in %s): %v, want Check", bad, i, code, reason)
				}
			}
			for k := i + 1; k < len(code); k++ {
				if code[i] == code[k] {
					continue
				}
				bad := bytes.Clone(code)
				bad[i], bad[k] = bad[k], bad[i]
				if reason, _, _ := Parse(string(bad), got); reason != Check {
					t.Fatalf("%s (swap %d, %d in %s): %v, want Check", bad, i, k, code, reason)
				}
			}
		}
	}
}

func TestParseReasons(t *testing.T) {
	code := make([]byte, 8)
	if err := New(bytes.NewReader([]byte{1, 2, 3, 4, 5}), code); err != nil {
		t.Fatal(err)
	}
	lenient := "  " + string(bytes.ToLower(code[:4])) + " - " + string(code[4:]) + "\t"
	for _, tc := range []struct {
		in     string
		reason Reason
		pos    int
	}{
		{lenient, OK, 0},
		{" - ", Empty, 0},
		{string(code[:7]), Length, 0},
		{string(code) + "0", Length, 0},
		{"AB#", Symbol, 2},
		{"ABCU", Symbol, 3},
	} {
		got := make([]byte, 8)
		reason, pos, _ := Parse(tc.in, got)
		if reason != tc.reason || pos != tc.pos {
			t.Errorf("Parse(%q) = %v at %d, want %v at %d", tc.in, reason, pos, tc.reason, tc.pos)
		}
		if reason == OK && !bytes.Equal(got, code) {
			t.Errorf("Parse(%q) read %s, want %s", tc.in, got, code)
		}
	}
	// O reads as 0, I and L as 1.
	if reason, _, _ := Parse("oil", make([]byte, 3)); reason == Symbol {
		t.Error("look-alikes refused")
	}
}
