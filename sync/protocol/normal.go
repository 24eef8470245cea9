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
// same content are equal after Normalize. The decoders call it on every
// response they return; Sign and Canonical apply it to a copy. A response
// that is already normal is left as it is, without allocating.
func Normalize(r *survey.Response) {
	r.ID = nfc(r.ID)
	r.SurveyID = nfc(r.SurveyID)
	r.ServicePoint = nfc(r.ServicePoint)
	r.DeviceID = nfc(r.DeviceID)
	r.Lang = nfc(r.Lang)
	r.Status = survey.Status(nfc(string(r.Status)))
	r.MisuseReason = nfc(r.MisuseReason)
	r.EventTag = nfc(r.EventTag)
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Millisecond)
	r.FinishedAt = r.FinishedAt.UTC().Truncate(time.Millisecond)
	if len(r.Answers) == 0 {
		if r.Answers == nil {
			r.Answers = survey.Answers{}
		}
		return
	}
	if answersNormal(r.Answers) {
		return
	}
	answers := make(survey.Answers, len(r.Answers))
	for code, vals := range r.Answers {
		if len(vals) == 0 {
			continue
		}
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = nfc(v)
		}
		slices.Sort(out)
		answers[nfc(code)] = out
	}
	r.Answers = answers
}

// answersNormal reports whether a is already in normal form: NFC codes
// and values, every list non-empty and sorted. Normalize then keeps a as is.
func answersNormal(a survey.Answers) bool {
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

// textNormal reports whether every text field and answer of r is in
// normal form, so that Normalize would change at most r's times (which
// the canonical encoding formats the same either way).
func textNormal(r *survey.Response) bool {
	return isNFC(r.ID) && isNFC(r.SurveyID) && isNFC(r.ServicePoint) &&
		isNFC(r.DeviceID) && isNFC(r.Lang) && isNFC(string(r.Status)) &&
		isNFC(r.MisuseReason) && isNFC(r.EventTag) && answersNormal(r.Answers)
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
