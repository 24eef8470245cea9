package survey

import "unicode"

// MaskRune replaces each masked digit in MaskDigits.
const MaskRune = '•'

// maskMinDigits is the shortest digit run MaskDigits masks: Vietnamese
// mobile numbers have 10 digits, landlines 10 or 11 with the area code,
// citizen ID (CCCD) numbers 12, the old ID cards 9; the hotline 1022 with
// Hanoi's area code (024.1022) has 7.
const maskMinDigits = 6

// MaskDigits hides phone, ID and file numbers typed into a free-text
// comment: every run of 6 or more digits, counted across single spaces,
// dots and dashes between them ("0912 345 678", "024.1022", "001-085-012"),
// has each digit replaced by MaskRune. The separators stay, so a reader
// still sees that a number was there.
//
// Shorter runs stay ("3 lần", "năm 2025", "1022"), and so do sums of money
// written the Vietnamese way, groups of three after a first group of one to
// three digits not starting with 0, separated by dots ("1.500.000 đồng"),
// which complaints about fees quote. Everything else of s is unchanged.
func MaskDigits(s string) string {
	rs := []rune(s)
	changed := false
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		end, digits := digitRun(rs, i)
		if digits >= maskMinDigits && !isMoney(rs[i:end]) {
			for j := i; j < end; j++ {
				if unicode.IsDigit(rs[j]) {
					rs[j] = MaskRune
				}
			}
			changed = true
		}
		i = end
	}
	if !changed {
		return s
	}
	return string(rs)
}

// isNumberSeparator reports whether r may stand between the digit groups
// of one number.
func isNumberSeparator(r rune) bool {
	return r == ' ' || r == '.' || r == '-' || r == '\u00A0'
}

// digitRun returns the end of the number starting at rs[start] (a digit)
// and how many digits it has. A single separator between two digits keeps
// the number going.
func digitRun(rs []rune, start int) (end, digits int) {
	i := start
	for i < len(rs) {
		switch {
		case unicode.IsDigit(rs[i]):
			digits++
			i++
		case isNumberSeparator(rs[i]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			i++
		default:
			return i, digits
		}
	}
	return i, digits
}

// isMoney reports whether the number run looks like a sum of money with
// dots between thousands: "1.500.000", "25.000.000".
func isMoney(run []rune) bool {
	var groups []int
	n := 0
	for _, r := range run {
		switch {
		case unicode.IsDigit(r):
			n++
		case r == '.':
			groups = append(groups, n)
			n = 0
		default:
			return false
		}
	}
	groups = append(groups, n)
	if len(groups) < 2 || groups[0] > 3 || run[0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if g != 3 {
			return false
		}
	}
	return true
}
