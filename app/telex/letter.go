package telex

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// mark is the vowel or consonant modifier of a Vietnamese letter.
type mark uint8

const (
	noMark mark = iota
	hat         // â ê ô (circumflex)
	breve       // ă
	horn        // ơ ư
	stroke      // đ
)

// tone is one of the five Vietnamese tone marks, or none (thanh ngang).
type tone uint8

const (
	noTone tone = iota
	acute       // sắc
	grave       // huyền
	hook        // hỏi
	tilde       // ngã
	dot         // nặng
)

// letter is one Vietnamese letter split into its ASCII base, case, mark and
// tone, so that keys can change one part and leave the others.
type letter struct {
	base  rune // lower-case ASCII a–z
	upper bool
	mark  mark
	tone  tone
}

// Combining characters of the marks and tones, as NFD spells them.
const (
	combHat    = '\u0302'
	combBreve  = '\u0306'
	combHorn   = '\u031B'
	combAcute  = '\u0301'
	combGrave  = '\u0300'
	combHook   = '\u0309'
	combTilde  = '\u0303'
	combDotBel = '\u0323'
)

func isVowel(base rune) bool {
	switch base {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// markFits reports whether m may sit on base.
func markFits(base rune, m mark) bool {
	switch m {
	case noMark:
		return true
	case hat:
		return base == 'a' || base == 'e' || base == 'o'
	case breve:
		return base == 'a'
	case horn:
		return base == 'o' || base == 'u'
	case stroke:
		return base == 'd'
	}
	return false
}

// parseLetter splits r into a letter. It reports false for anything that is
// not a Vietnamese letter (a–z, with at most one fitting mark and, on
// vowels, at most one tone).
func parseLetter(r rune) (letter, bool) {
	switch r {
	case 'đ':
		return letter{base: 'd', mark: stroke}, true
	case 'Đ':
		return letter{base: 'd', upper: true, mark: stroke}, true
	}
	if r < 0x80 {
		switch {
		case r >= 'a' && r <= 'z':
			return letter{base: r}, true
		case r >= 'A' && r <= 'Z':
			return letter{base: r + 'a' - 'A', upper: true}, true
		}
		return letter{}, false
	}
	if !unicode.IsLetter(r) {
		return letter{}, false
	}
	var l letter
	for i, c := range norm.NFD.String(string(r)) {
		if i == 0 {
			switch {
			case c >= 'a' && c <= 'z':
				l.base = c
			case c >= 'A' && c <= 'Z':
				l.base, l.upper = c+'a'-'A', true
			default:
				return letter{}, false
			}
			continue
		}
		m, t := noMark, noTone
		switch c {
		case combHat:
			m = hat
		case combBreve:
			m = breve
		case combHorn:
			m = horn
		case combAcute:
			t = acute
		case combGrave:
			t = grave
		case combHook:
			t = hook
		case combTilde:
			t = tilde
		case combDotBel:
			t = dot
		default:
			return letter{}, false
		}
		if m != noMark {
			if l.mark != noMark || !markFits(l.base, m) {
				return letter{}, false
			}
			l.mark = m
		}
		if t != noTone {
			if l.tone != noTone || !isVowel(l.base) {
				return letter{}, false
			}
			l.tone = t
		}
	}
	if l.base == 0 {
		return letter{}, false
	}
	return l, true
}

// rune composes l back into one precomposed (NFC) character.
func (l letter) rune() rune {
	if l.mark == stroke {
		if l.upper {
			return 'Đ'
		}
		return 'đ'
	}
	b := l.base
	if l.upper {
		b = unicode.ToUpper(b)
	}
	s := []rune{b}
	switch l.mark {
	case hat:
		s = append(s, combHat)
	case breve:
		s = append(s, combBreve)
	case horn:
		s = append(s, combHorn)
	}
	switch l.tone {
	case acute:
		s = append(s, combAcute)
	case grave:
		s = append(s, combGrave)
	case hook:
		s = append(s, combHook)
	case tilde:
		s = append(s, combTilde)
	case dot:
		s = append(s, combDotBel)
	}
	if len(s) == 1 {
		return b
	}
	for _, c := range norm.NFC.String(string(s)) {
		return c // every Vietnamese letter has a precomposed form
	}
	return b
}

// parseWord splits runes, all of which parseLetter accepts, into letters.
func parseWord(rs []rune) []letter {
	w := make([]letter, 0, len(rs))
	for _, r := range rs {
		l, _ := parseLetter(r)
		w = append(w, l)
	}
	return w
}

// renderWord composes w into runes.
func renderWord(w []letter) []rune {
	rs := make([]rune, len(w))
	for i, l := range w {
		rs[i] = l.rune()
	}
	return rs
}
