package protocol

import (
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// ResponseV1 is a response as protocol version 1 carries and signs it. Its
// fields, their JSON names and their order in the canonical encoding are
// frozen: a kiosk signed these bytes, and the hub must encode them the same
// way for as long as it accepts version 1. It is not survey.Response: a new
// field of the domain type travels only once a protocol version says so
// (a new wire type, converted explicitly), so adding one never changes what
// version 1 signs (TestSigningBytesGoldenV1).
type ResponseV1 struct {
	ID            string              `json:"id"`
	SurveyID      string              `json:"survey_id"`
	SurveyVersion int                 `json:"survey_version"`
	Answers       map[string][]string `json:"answers"`
	StartedAt     time.Time           `json:"started_at"`
	FinishedAt    time.Time           `json:"finished_at"`
	ServicePoint  string              `json:"service_point"`
	DeviceID      string              `json:"device_id"`
	Lang          string              `json:"lang"`
	Status        string              `json:"status"`
	Misuse        bool                `json:"misuse,omitempty"`
	MisuseReason  string              `json:"misuse_reason,omitempty"`
	EventTag      string              `json:"event_tag,omitempty"`
	Assisted      bool                `json:"assisted,omitempty"`
}

// NewResponseV1 returns the version 1 wire form of r, or nil for nil. It
// shares r's answers map (and its lists); Normalize replaces a map that is
// not normal instead of changing it.
func NewResponseV1(r *survey.Response) *ResponseV1 {
	if r == nil {
		return nil
	}
	return &ResponseV1{
		ID:            r.ID,
		SurveyID:      r.SurveyID,
		SurveyVersion: r.SurveyVersion,
		Answers:       r.Answers,
		StartedAt:     r.StartedAt,
		FinishedAt:    r.FinishedAt,
		ServicePoint:  r.ServicePoint,
		DeviceID:      r.DeviceID,
		Lang:          r.Lang,
		Status:        string(r.Status),
		Misuse:        r.Misuse,
		MisuseReason:  r.MisuseReason,
		EventTag:      r.EventTag,
		Assisted:      r.Assisted,
	}
}

// ToResponse returns the domain response w carries, or nil for nil. Domain
// fields that version 1 does not carry are left zero. It shares w's answers
// map.
func (w *ResponseV1) ToResponse() *survey.Response {
	if w == nil {
		return nil
	}
	return &survey.Response{
		ID:            w.ID,
		SurveyID:      w.SurveyID,
		SurveyVersion: w.SurveyVersion,
		Answers:       w.Answers,
		StartedAt:     w.StartedAt,
		FinishedAt:    w.FinishedAt,
		ServicePoint:  w.ServicePoint,
		DeviceID:      w.DeviceID,
		Lang:          w.Lang,
		Status:        survey.Status(w.Status),
		Misuse:        w.Misuse,
		MisuseReason:  w.MisuseReason,
		EventTag:      w.EventTag,
		Assisted:      w.Assisted,
	}
}
