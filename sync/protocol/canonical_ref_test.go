package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"golang.org/x/text/unicode/norm"
)

// This file keeps the encoding/json implementation of Canonical and
// Normalize as they were before the hand-written fast paths, as the
// reference the tests and fuzzers compare the fast paths with. Signatures
// made by every kiosk in the field depend on these exact bytes.

// canonicalResponse fixes the field order of the reference encoding.
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

// canonicalRef is Canonical through encoding/json.
func canonicalRef(r *ResponseV1) ([]byte, error) {
	if r == nil {
		return nil, Errorf(CodeInvalid, "no response")
	}
	c := *r
	normalizeRef(&c)
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

// normalizeRef is Normalize calling the normaliser on every string.
func normalizeRef(r *ResponseV1) {
	r.ID = norm.NFC.String(r.ID)
	r.SurveyID = norm.NFC.String(r.SurveyID)
	r.ServicePoint = norm.NFC.String(r.ServicePoint)
	r.DeviceID = norm.NFC.String(r.DeviceID)
	r.Lang = norm.NFC.String(r.Lang)
	r.Status = norm.NFC.String(r.Status)
	r.MisuseReason = norm.NFC.String(r.MisuseReason)
	r.EventTag = norm.NFC.String(r.EventTag)
	r.StartedAt = r.StartedAt.UTC().Truncate(time.Millisecond)
	r.FinishedAt = r.FinishedAt.UTC().Truncate(time.Millisecond)
	if len(r.Answers) == 0 {
		r.Answers = map[string][]string{}
		return
	}
	if answersNormalRef(r.Answers) {
		return
	}
	answers := make(map[string][]string, len(r.Answers))
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

func answersNormalRef(a map[string][]string) bool {
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
