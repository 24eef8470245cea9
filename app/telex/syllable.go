package telex

// syllable locates the parts of a word: the initial consonant is
// w[:nucleus], the vowel group w[nucleus:final] and the final consonant
// w[final:].
type syllable struct {
	nucleus, final int
}

// onsets are the initial consonants of Vietnamese syllables ("" for none).
var onsets = map[string]bool{
	"": true, "b": true, "c": true, "ch": true, "d": true, "đ": true,
	"g": true, "gh": true, "gi": true, "h": true, "k": true, "kh": true,
	"l": true, "m": true, "n": true, "ng": true, "ngh": true, "nh": true,
	"p": true, "ph": true, "qu": true, "r": true, "s": true, "t": true,
	"th": true, "tr": true, "v": true, "x": true,
}

// finals are the final consonants of Vietnamese syllables ("" for none).
var finals = map[string]bool{
	"": true, "c": true, "ch": true, "m": true, "n": true, "ng": true,
	"nh": true, "p": true, "t": true,
}

// nuclei are the vowel groups of Vietnamese syllables, with their marks.
var nuclei = func() [][]letter {
	groups := []string{
		"a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
		"ai", "ao", "au", "âu", "ay", "ây", "eo", "êu", "ia", "iê", "iu",
		"oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ", "uê", "ui", "uô",
		"uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê",
		"iêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu",
		"ươi", "ươu", "yêu",
	}
	out := make([][]letter, len(groups))
	for i, g := range groups {
		out[i] = parseWord([]rune(g))
	}
	return out
}()

// consonants spells w's letters as lower-case text.
func consonants(w []letter) string {
	rs := make([]rune, len(w))
	for i, l := range w {
		rs[i] = letter{base: l.base, mark: l.mark}.rune()
	}
	return string(rs)
}

// analyse splits w into initial, vowel group and final. It reports false
// when the initial or the final is not Vietnamese, or when vowels follow the
// final. The vowel group may be empty (a word of consonants only) and is not
// checked here: see validNucleus.
func analyse(w []letter) (syllable, bool) {
	n := len(w)
	i := 0
	for i < n && !isVowel(w[i].base) {
		i++
	}
	on := consonants(w[:i])
	switch {
	case on == "q" && i < n && w[i].base == 'u' && w[i].mark == noMark:
		i++
		on = "qu"
	case on == "g" && i+1 < n && w[i].base == 'i' && w[i].mark == noMark && isVowel(w[i+1].base):
		i++
		on = "gi"
	}
	if !onsets[on] {
		return syllable{}, false
	}
	j := i
	for j < n && isVowel(w[j].base) {
		j++
	}
	for _, l := range w[j:] {
		if isVowel(l.base) {
			return syllable{}, false
		}
	}
	if !finals[consonants(w[j:])] {
		return syllable{}, false
	}
	return syllable{nucleus: i, final: j}, true
}

// validNucleus reports whether v is a Vietnamese vowel group, or one whose
// marks are still to be typed: "ie" and "ưo" pass, on their way to "iê" and
// "ươ".
func validNucleus(v []letter) bool {
	if len(v) == 0 {
		return false
	}
next:
	for _, g := range nuclei {
		if len(g) != len(v) {
			continue
		}
		for i := range g {
			if g[i].base != v[i].base || (v[i].mark != noMark && v[i].mark != g[i].mark) {
				continue next
			}
		}
		return true
	}
	return false
}

// toneIndex returns the index in w of the vowel that carries the tone of
// the syllable s (see the package doc for the rules).
func toneIndex(w []letter, s syllable) int {
	v := w[s.nucleus:s.final]
	for i := len(v) - 1; i >= 0; i-- {
		if v[i].mark != noMark {
			return s.nucleus + i
		}
	}
	if s.final < len(w) {
		return s.final - 1
	}
	switch len(v) {
	case 1:
		return s.nucleus
	case 2:
		switch string([]rune{v[0].base, v[1].base}) {
		case "oa", "oe", "uy":
			return s.nucleus + 1
		}
		return s.nucleus
	}
	return s.nucleus + 1
}

// tones counts the letters of w that carry a tone and returns the last one.
func tones(w []letter) (int, tone) {
	n, t := 0, noTone
	for _, l := range w {
		if l.tone != noTone {
			n++
			t = l.tone
		}
	}
	return n, t
}

// setTone removes every tone from w and, unless t is noTone, puts t where
// it belongs. It reports false, leaving w unchanged, when w is not spelled
// like a syllable.
func setTone(w []letter, t tone) bool {
	s, ok := analyse(w)
	if !ok || !validNucleus(w[s.nucleus:s.final]) {
		return false
	}
	for i := range w {
		w[i].tone = noTone
	}
	if t != noTone {
		w[toneIndex(w, s)].tone = t
	}
	return true
}

// completeHorn completes the horns of ươ: "ưo" becomes "ươ" once anything
// follows the o or a tone is on the word ("ưo" is never a Vietnamese vowel
// group, so "dduwocj" gives "được" as "dduwowcj" does), and "uơ" becomes
// "ươ" once a letter follows it ("uơ" only ends a word, as in "thuở").
func completeHorn(w []letter) {
	s, ok := analyse(w)
	if !ok {
		return
	}
	n, _ := tones(w)
	for i := s.nucleus; i+1 < s.final; i++ {
		u, o := &w[i], &w[i+1]
		if u.base != 'u' || o.base != 'o' {
			continue
		}
		switch {
		case u.mark == horn && o.mark == noMark && (i+2 < len(w) || n > 0):
			o.mark = horn
		case u.mark == noMark && o.mark == horn && i+2 < len(w):
			u.mark = horn
		}
	}
}

// placeTone moves w's one tone to where it belongs, after a letter or a mark
// changed. Words with several tones, or not spelled like a syllable, keep
// their tones where they are.
func placeTone(w []letter) {
	completeHorn(w)
	if n, t := tones(w); n == 1 {
		setTone(w, t)
	}
}
