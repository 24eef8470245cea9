package protocol

import (
	"slices"
	"time"

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
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isNFC reports whether s is in normalisation form C. QuickSpanString
// settles most text without allocating (IsNormalString allocates even when
// s is normal); by its contract s[:n] is normal, so n == len(s) means s is.
func isNFC(s string) bool {
	return norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
}
