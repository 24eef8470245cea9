package protocol

import (
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Text limits of a response, in characters. Longer text is refused, not cut.
const (
	MaxShortText  = 200  // service point, event tag, device id, survey id, lang, answer codes
	MaxLongText   = 4000 // a free-text comment answer, the misuse reason
	MaxAnswerKeys = 200  // questions answered in one response
	MaxAnswerVals = 100  // codes chosen for one question
)

// CheckResponse checks the rules a response must meet whatever its survey:
// a UUID id, a survey id and a version ≥ 1, times set and in order, a device
// id, a language, a known status, and text within the limits. It returns an
// *Error with code CodeInvalid naming the first problem. It does not check
// answers against the survey definition; the hub does that.
func CheckResponse(r *survey.Response) error {
	switch {
	case r == nil:
		return Errorf(CodeInvalid, "no response")
	case uuid.Validate(r.ID) != nil:
		return Errorf(CodeInvalid, "id %q is not a UUID", r.ID)
	case r.SurveyID == "":
		return Errorf(CodeInvalid, "survey_id is empty")
	case r.SurveyVersion < 1:
		return Errorf(CodeInvalid, "survey_version %d is below 1", r.SurveyVersion)
	case r.StartedAt.IsZero() || r.FinishedAt.IsZero():
		return Errorf(CodeInvalid, "started_at and finished_at must both be set")
	case r.FinishedAt.Before(r.StartedAt):
		return Errorf(CodeInvalid, "finished_at is before started_at")
	case r.DeviceID == "":
		return Errorf(CodeInvalid, "device_id is empty")
	case r.Lang == "":
		return Errorf(CodeInvalid, "lang is empty")
	case r.Status != survey.StatusComplete && r.Status != survey.StatusAbandoned:
		return Errorf(CodeInvalid, "status %q is neither complete nor abandoned", r.Status)
	case len(r.Answers) > MaxAnswerKeys:
		return Errorf(CodeInvalid, "%d answers, at most %d allowed", len(r.Answers), MaxAnswerKeys)
	}
	short := []struct{ name, val string }{
		{"survey_id", r.SurveyID}, {"device_id", r.DeviceID}, {"lang", r.Lang},
		{"service_point", r.ServicePoint}, {"event_tag", r.EventTag},
	}
	for _, f := range short {
		if utf8.RuneCountInString(f.val) > MaxShortText {
			return Errorf(CodeInvalid, "%s is longer than %d characters", f.name, MaxShortText)
		}
	}
	if utf8.RuneCountInString(r.MisuseReason) > MaxLongText {
		return Errorf(CodeInvalid, "misuse_reason is longer than %d characters", MaxLongText)
	}
	for code, vals := range r.Answers {
		if code == "" || utf8.RuneCountInString(code) > MaxShortText {
			return Errorf(CodeInvalid, "answer code %q is empty or too long", code)
		}
		if len(vals) > MaxAnswerVals {
			return Errorf(CodeInvalid, "answers[%s] has %d values, at most %d allowed", code, len(vals), MaxAnswerVals)
		}
		for _, v := range vals {
			if utf8.RuneCountInString(v) > MaxLongText {
				return Errorf(CodeInvalid, "answers[%s] is longer than %d characters", code, MaxLongText)
			}
		}
	}
	return nil
}
