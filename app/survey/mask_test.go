package survey

import (
	"testing"
	"unicode"
)

func TestMaskDigits(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"Cán bộ rất nhiệt tình", "Cán bộ rất nhiệt tình"},
		{"gọi 0912345678 nhé", "gọi •••••••••• nhé"},
		{"gọi 0912 345 678 nhé", "gọi •••• ••• ••• nhé"},
		{"SĐT: 0912.345.678.", "SĐT: ••••.•••.•••."},
		{"0912-345-678", "••••-•••-•••"},
		{"+84 912 345 678", "+•• ••• ••• •••"},
		{"đường dây nóng 024.1022", "đường dây nóng •••.••••"},
		{"024.1022.xxx", "•••.••••.xxx"},
		{"CCCD 001085012345", "CCCD ••••••••••••"},
		{"hồ sơ số 123456", "hồ sơ số ••••••"},
		// fewer than 6 digits stay
		{"12345", "12345"},
		{"gọi 1022", "gọi 1022"},
		{"chờ 3 lần, 45 phút", "chờ 3 lần, 45 phút"},
		{"ngày 12/05/2025", "ngày 12/05/2025"},
		{"năm 2025", "năm 2025"},
		// separators: one between digits; two in a row split the number
		{"123  456", "123  456"},
		{"123 456", "••• •••"},
		{"123, 456", "123, 456"},
		{"0912\n345678", "0912\n••••••"},
		{"123456.", "••••••."},
		{".123456", ".••••••"},
		// sums of money with thousands dots stay; other dotted numbers do not
		{"phí 1.500.000 đồng", "phí 1.500.000 đồng"},
		{"25.000.000đ", "25.000.000đ"},
		{"0.500.000", "•.•••.•••"},
		{"1.5000.000", "•.••••.•••"},
		{"1 500 000", "• ••• •••"},
		// digits from other scripts count
		{"０９１２３４５６７８", "••••••••••"},
		// Vietnamese text around is untouched byte for byte
		{"Tôi 0912345678 rất hài lòng", "Tôi •••••••••• rất hài lòng"},
	}
	for _, tc := range cases {
		if got := MaskDigits(tc.in); got != tc.want {
			t.Errorf("MaskDigits(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMaskDigitsIdempotent(t *testing.T) {
	for _, s := range []string{"0912 345 678", "phí 1.500.000", "a 123456 b 7"} {
		once := MaskDigits(s)
		if twice := MaskDigits(once); twice != once {
			t.Errorf("MaskDigits not idempotent on %q: %q then %q", s, once, twice)
		}
	}
}

func FuzzMaskDigits(f *testing.F) {
	f.Add("gọi 0912 345 678")
	f.Add("phí 1.500.000 đồng")
	f.Add("\xff12345678")
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskDigits(s)
		if len([]rune(got)) != len([]rune(s)) {
			t.Fatalf("MaskDigits(%q) = %q changed the length", s, got)
		}
		// Sums of money keep at most 3 digits together, and shorter runs
		// fewer than 6, so 6 digits in a row never survive.
		digits := 0
		for _, r := range got {
			if unicode.IsDigit(r) {
				digits++
				if digits >= maskMinDigits {
					t.Fatalf("MaskDigits(%q) = %q left %d digits in a row", s, got, digits)
				}
			} else {
				digits = 0
			}
		}
	})
}
