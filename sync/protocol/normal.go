package protocol

import (
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/app/survey"
	"golang.org/x/text/unicode/norm"
)

// Normalize puts r in canonical form, in place: every text field NFC
// normalised, every answer list NFC normalised and sorted with empty lists
// removed, times in UTC truncated to milliseconds. Two responses with the
// same content are equal after Normalize. The hub's stores keep responses
// in this form. A response that is already normal is left as it is,
// without allocating.
func Normalize(r *survey.Response) {
	for _, s := range []*string{&r.ID, &r.SurveyID, &r.ServicePoint, &r.DeviceID, &r.Lang, &r.MisuseReason, &r.EventTag} {
		*s = nfc(*s)
	}
	r.Status = survey.Status(nfc(string(r.Status)))
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Millisecond)
	r.FinishedAt = r.FinishedAt.UTC().Truncate(time.Millisecond)
	r.Answers = normalAnswers(r.Answers)
}

// Normalize puts w in canonical form, in place, by the rules of the
// package's Normalize. The decoders call it on every response they return;
// Sign and Canonical apply it to a copy.
func (w *ResponseV1) Normalize() {
	for _, s := range w.texts() {
		*s = nfc(*s)
	}
	w.StartedAt = w.StartedAt.UTC().Truncate(time.Millisecond)
	w.FinishedAt = w.FinishedAt.UTC().Truncate(time.Millisecond)
	w.Answers = normalAnswers(w.Answers)
}

// texts are w's text fields, answers aside.
func (w *ResponseV1) texts() [8]*string {
	return [8]*string{&w.ID, &w.SurveyID, &w.ServicePoint, &w.DeviceID, &w.Lang, &w.Status, &w.MisuseReason, &w.EventTag}
}

// textNormal reports whether every text field and answer of w is in
// normal form, so that Normalize would change at most w's times (which
// the canonical encoding formats the same either way).
func (w *ResponseV1) textNormal() bool {
	for _, s := range w.texts() {
		if !isNFC(*s) {
			return false
		}
	}
	return answersNormal(w.Answers)
}

// normalAnswers returns a in normal form: NFC codes and values, every list
// sorted, empty lists dropped, never nil. A map already normal is returned
// as it is; otherwise a new map is made and a is not changed.
func normalAnswers(a map[string][]string) map[string][]string {
	if a == nil {
		return map[string][]string{}
	}
	if answersNormal(a) {
		return a
	}
	out := make(map[string][]string, len(a))
	for code, vals := range a {
		if len(vals) == 0 {
			continue
		}
		list := make([]string, len(vals))
		for i, v := range vals {
			list[i] = nfc(v)
		}
		slices.Sort(list)
		out[nfc(code)] = list
	}
	return out
}

// answersNormal reports whether a is already in normal form: NFC codes
// and values, every list non-empty and sorted.
func answersNormal(a map[string][]string) bool {
	for code, vals := range a {
		if len(vals) == 0 || !slices.IsSorted(vals) || !isNFC(code) {
			return false
		}
		for _, v := range vals {
			if !isNFC(v) {
				return false
			}
		}
	}
	return true
}

// nfc returns s in Unicode normalisation form C: s itself when it is
// already normal.
func nfc(s string) string {
	if quickNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isNFC reports whether s is in normalisation form C. quickNFC settles
// ASCII and Vietnamese text; QuickSpanString most of the rest without
// allocating (IsNormalString allocates even when s is normal). By its
// contract s[:n] is normal, so n == len(s) means s is.
func isNFC(s string) bool {
	return quickNFC(s) || norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
}

// quickNFC reports true only for text that is surely NFC: valid UTF-8 of
// ASCII and of runes below stableLimit that the stable table marks. False
// means "ask the normaliser".
func quickNFC(s string) bool {
	var table *[stableLimit / 64]uint64
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			if w&0x8080808080808080 == 0 {
				i += 8
				continue
			}
		}
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		if table == nil {
			table = stableRunes()
		}
		r, size := utf8.DecodeRuneInString(s[i:]) // invalid UTF-8: RuneError, above the limit
		if r >= stableLimit || table[r/64]&(1<<(r%64)) == 0 {
			return false
		}
		i += size
	}
	return true
}

// stableLimit bounds the runes stableRunes covers: Latin, Vietnamese
// (Latin Extended Additional, U+1EA0-U+1EF9) and general punctuation.
const stableLimit = 0x2100

// stableRunes marks each rune below stableLimit that is NFC on its own and
// a boundary before it: canonical combining class 0 and never composed with
// a rune before it. Text made only of such runes (and ASCII) is NFC: each
// rune is a segment of its own, already normal. The table is built once
// and never changed.
var stableRunes = sync.OnceValue(func() *[stableLimit / 64]uint64 {
	var t [stableLimit / 64]uint64
	for r := rune(0); r < stableLimit; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		s := string(r)
		if norm.NFC.PropertiesString(s).BoundaryBefore() && norm.NFC.String(s) == s {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return &t
})
