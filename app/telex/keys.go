package telex

import "unicode"

// uHorn is the letter ư (Ư when upper).
func uHorn(upper bool) letter { return letter{base: 'u', upper: upper, mark: horn} }

// onlyConsonants reports whether w has no vowel.
func onlyConsonants(w []letter) bool {
	for _, l := range w {
		if isVowel(l.base) {
			return false
		}
	}
	return true
}

// telexKey applies the Telex key r to the word w. bareW tells that the
// previous key was a w that typed ư on its own.
func telexKey(w []letter, r rune, bareW bool) (outcome, []letter) {
	switch unicode.ToLower(r) {
	case 's':
		return toneKey(w, acute), w
	case 'f':
		return toneKey(w, grave), w
	case 'r':
		return toneKey(w, hook), w
	case 'x':
		return toneKey(w, tilde), w
	case 'j':
		return toneKey(w, dot), w
	case 'z':
		return clearTone(w), w
	case 'a':
		return hatKey(w, 'a'), w
	case 'e':
		return hatKey(w, 'e'), w
	case 'o':
		return hatKey(w, 'o'), w
	case 'd':
		return strokeKey(w), w
	case 'w':
		if bareW && len(w) > 0 {
			// "ww" gives "w": drop the ư the first w typed.
			return undone, w[:len(w)-1]
		}
		if out := hornKey(w, true, true); out != ignored {
			return out, w
		}
		if s, ok := analyse(w); ok && s.nucleus == len(w) && onlyConsonants(w) {
			// A w after consonants only (or alone) types ư: "tw" → "tư".
			return applied, append(w, uHorn(unicode.IsUpper(r)))
		}
	}
	return ignored, w
}

// vniKey applies the VNI key r to the word w.
func vniKey(w []letter, r rune) (outcome, []letter) {
	switch r {
	case '1':
		return toneKey(w, acute), w
	case '2':
		return toneKey(w, grave), w
	case '3':
		return toneKey(w, hook), w
	case '4':
		return toneKey(w, tilde), w
	case '5':
		return toneKey(w, dot), w
	case '0':
		return clearTone(w), w
	case '6':
		return hatKey(w, 0), w
	case '7':
		return hornKey(w, true, false), w
	case '8':
		return hornKey(w, false, true), w
	case '9':
		return strokeKey(w), w
	}
	return ignored, w
}

// toneKey puts tone t on w, or takes it off when w already has it.
func toneKey(w []letter, t tone) outcome {
	n, cur := tones(w)
	if n > 1 {
		return ignored
	}
	if cur == t {
		if setTone(w, noTone) {
			return undone
		}
		return ignored
	}
	if setTone(w, t) {
		return applied
	}
	return ignored
}

// clearTone takes the tone off w.
func clearTone(w []letter) outcome {
	if n, _ := tones(w); n != 1 {
		return ignored
	}
	if setTone(w, noTone) {
		return applied
	}
	return ignored
}

// vowels returns w's syllable when w is spelled like one and has vowels.
func vowels(w []letter) (syllable, bool) {
	if n, _ := tones(w); n > 1 {
		return syllable{}, false
	}
	s, ok := analyse(w)
	if !ok || s.nucleus == s.final {
		return syllable{}, false
	}
	return s, true
}

// tryMarks applies the first candidate that gives a valid vowel group
// different from the current one. Each candidate maps the vowel group to a
// changed copy, or nil when it does not apply.
func tryMarks(w []letter, s syllable, cands []func(v []letter) []letter) bool {
	v := w[s.nucleus:s.final]
	for _, cand := range cands {
		nv := cand(append([]letter(nil), v...))
		if nv == nil || !validNucleus(nv) {
			continue
		}
		copy(v, nv)
		return true
	}
	return false
}

// setMarkAt returns a candidate putting m on the i-th vowel when fits says so.
func setMarkAt(i int, m mark, fits func(l letter) bool) func(v []letter) []letter {
	return func(v []letter) []letter {
		if i >= len(v) || !fits(v[i]) || v[i].mark == m {
			return nil
		}
		v[i].mark = m
		return v
	}
}

// hatKey puts a circumflex on an a, e or o of w's vowels (only on base when
// base is not 0), or takes it off when no vowel can take one.
func hatKey(w []letter, base rune) outcome {
	s, ok := vowels(w)
	if !ok {
		return ignored
	}
	fits := func(l letter) bool {
		return (base == 0 || l.base == base) && markFits(l.base, hat)
	}
	var cands []func([]letter) []letter
	for i := 0; i < s.final-s.nucleus; i++ {
		cands = append(cands, setMarkAt(i, hat, fits))
	}
	if tryMarks(w, s, cands) {
		return applied
	}
	return undoMark(w, s, func(l letter) bool { return l.mark == hat && fits(l) })
}

// hornKey puts a horn on o or u (when horns) or a breve on a (when breves),
// "uo" taking two horns, or takes them off when no vowel can take one.
func hornKey(w []letter, horns, breves bool) outcome {
	s, ok := vowels(w)
	if !ok {
		return ignored
	}
	var cands []func([]letter) []letter
	if horns {
		open := s.final == len(w)
		cands = append(cands, func(v []letter) []letter {
			for i := 0; i+1 < len(v); i++ {
				if v[i].base == 'u' && v[i+1].base == 'o' && (v[i].mark != horn || v[i+1].mark != horn) {
					if open && i+2 == len(v) && v[i].mark == noMark {
						// "uơ" ends a word ("thuở"); completeHorn makes
						// it "ươ" when a letter follows ("hương").
						v[i+1].mark = horn
						return v
					}
					v[i].mark, v[i+1].mark = horn, horn
					return v
				}
			}
			return nil
		})
	}
	for i := 0; i < s.final-s.nucleus; i++ {
		if horns {
			cands = append(cands, setMarkAt(i, horn, func(l letter) bool { return markFits(l.base, horn) }))
		}
		if breves {
			cands = append(cands, setMarkAt(i, breve, func(l letter) bool { return l.base == 'a' }))
		}
	}
	if tryMarks(w, s, cands) {
		return applied
	}
	return undoMark(w, s, func(l letter) bool {
		return (horns && l.mark == horn) || (breves && l.mark == breve)
	})
}

// undoMark takes off the marks of w's vowels that match, reporting undone,
// or ignored when none matches.
func undoMark(w []letter, s syllable, match func(l letter) bool) outcome {
	out := ignored
	for i := s.nucleus; i < s.final; i++ {
		if match(w[i]) {
			w[i].mark = noMark
			out = undone
		}
	}
	return out
}

// strokeKey turns an initial d of w into đ, or back.
func strokeKey(w []letter) outcome {
	if len(w) == 0 || w[0].base != 'd' {
		return ignored
	}
	if n, _ := tones(w); n > 1 {
		return ignored
	}
	if _, ok := analyse(w); !ok {
		return ignored
	}
	if w[0].mark == stroke {
		w[0].mark = noMark
		return undone
	}
	w[0].mark = stroke
	return applied
}
