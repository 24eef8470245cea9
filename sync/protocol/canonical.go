package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"golang.org/x/text/unicode/norm"
)

// TimeFormat is how times appear in the canonical encoding: UTC with
// millisecond precision. Normalize truncates times to it, so a response read
// back from any store that keeps at least milliseconds encodes the same.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// signingDomain prefixes the canonical bytes before signing so a signature
// over a response can never be replayed as a signature over anything else.
const signingDomain = "hailong/response/v1\n"

// Normalize puts r in canonical form, in place: every text field NFC
// normalised, every answer list NFC normalised and sorted with empty lists
// removed, times in UTC truncated to milliseconds. Two responses with the
// same content are equal after Normalize. The decoders call it on every
// response they return; Sign and Canonical apply it to a copy.
func Normalize(r *survey.Response) {
	r.ID = norm.NFC.String(r.ID)
	r.SurveyID = norm.NFC.String(r.SurveyID)
	r.ServicePoint = norm.NFC.String(r.ServicePoint)
	r.DeviceID = norm.NFC.String(r.DeviceID)
	r.Lang = norm.NFC.String(r.Lang)
	r.Status = survey.Status(norm.NFC.String(string(r.Status)))
	r.MisuseReason = norm.NFC.String(r.MisuseReason)
	r.EventTag = norm.NFC.String(r.EventTag)
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Millisecond)
	r.FinishedAt = r.FinishedAt.UTC().Truncate(time.Millisecond)
	if len(r.Answers) == 0 {
		r.Answers = survey.Answers{}
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
			out[i] = norm.NFC.String(v)
		}
		slices.Sort(out)
		answers[norm.NFC.String(code)] = out
	}
	r.Answers = answers
}

// answersNormal reports whether a is already in normal form: NFC codes
// and values, every list non-empty and sorted. Normalize then keeps a as is.
func answersNormal(a survey.Answers) bool {
	for code, vals := range a {
		if len(vals) == 0 || !slices.IsSorted(vals) || !norm.NFC.IsNormalString(code) {
			return false
		}
		for _, v := range vals {
			if !norm.NFC.IsNormalString(v) {
				return false
			}
		}
	}
	return true
}

// canonicalResponse fixes the field order of the canonical encoding. It must
// name every field of survey.Response (a test checks this).
type canonicalResponse struct {
	ID            string              `json:"id"`
	SurveyID      string              `json:"survey_id"`
	SurveyVersion int                 `json:"survey_version"`
	Answers       map[string][]string `json:"answers"`
	StartedAt     string              `json:"started_at"`
	FinishedAt    string              `json:"finished_at"`
	ServicePoint  string              `json:"service_point"`
	DeviceID      string              `json:"device_id"`
	Lang          string              `json:"lang"`
	Status        string              `json:"status"`
	Misuse        bool                `json:"misuse"`
	MisuseReason  string              `json:"misuse_reason"`
	EventTag      string              `json:"event_tag"`
	Assisted      bool                `json:"assisted"`
}

// Canonical returns the canonical content encoding of r: compact JSON of a
// normalised copy of r, every field present in a fixed order, answer keys
// sorted, no HTML escaping, times in TimeFormat. Equal content gives equal
// bytes; the hub compares these bytes to tell duplicate from conflict, and
// devices sign them (behind a domain prefix). r is not modified.
func Canonical(r *survey.Response) ([]byte, error) {
	if r == nil {
		return nil, Errorf(CodeInvalid, "no response")
	}
	c := *r
	Normalize(&c)
	cr := canonicalResponse{
		ID:            c.ID,
		SurveyID:      c.SurveyID,
		SurveyVersion: c.SurveyVersion,
		Answers:       c.Answers,
		StartedAt:     c.StartedAt.Format(TimeFormat),
		FinishedAt:    c.FinishedAt.Format(TimeFormat),
		ServicePoint:  c.ServicePoint,
		DeviceID:      c.DeviceID,
		Lang:          c.Lang,
		Status:        string(c.Status),
		Misuse:        c.Misuse,
		MisuseReason:  c.MisuseReason,
		EventTag:      c.EventTag,
		Assisted:      c.Assisted,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(cr); err != nil {
		return nil, fmt.Errorf("canonical encoding of %s: %w", r.ID, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// SigningBytes returns what a device signs for r: a fixed domain prefix and
// the canonical encoding.
func SigningBytes(r *survey.Response) ([]byte, error) {
	c, err := Canonical(r)
	if err != nil {
		return nil, err
	}
	return append([]byte(signingDomain), c...), nil
}
