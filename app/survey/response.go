package survey

import (
	"maps"
	"slices"
	"time"
	"unicode/utf8"
)

// Limits of a response, in characters (runes of the NFC text). Longer text
// is refused, never cut. The kiosk's settings, its store, the sync protocol
// and the hub all apply them through CheckResponse, so a response the kiosk
// saves is one the hub can take.
const (
	MaxShortText  = 200  // service point, event tag, device id, survey id, lang, question codes
	MaxLongText   = 4000 // a comment answer, the misuse reason
	MaxAnswerKeys = 200  // questions answered in one response
	MaxAnswerVals = 100  // codes chosen for one question
)

// Times a response can hold: the years 1 to 9999, which every store and
// encoding can write.
var (
	minResponseTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxResponseTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// CheckServicePoint checks a service point name as it is stored on every
// response (NFC, trimmed by the caller). The error is a Problem.
func CheckServicePoint(s string) error { return checkText("service_point", s, MaxShortText) }

// CheckEventTag checks an outreach event tag as it is stored on every
// response. The error is a Problem.
func CheckEventTag(s string) error { return checkText("event_tag", s, MaxShortText) }

// CheckResponse checks the rules every response meets whatever its survey,
// on the kiosk when it is saved as at the hub when it arrives: a UUID id in
// canonical form, a survey id and a version ≥ 1, a language, a known status,
// start and finish times set, in order and within years 1–9999, valid UTF-8
// text within the limits above. The device id may be empty (a kiosk saves
// responses before it is enrolled; the uploader stamps its id when it
// signs). It returns the first problem found, as a Problem whose Path names
// the field. Text must already be NFC (the store and the protocol normalise
// before checking). CheckAnswers checks the answers against the survey.
func CheckResponse(r *Response) error {
	bad := func(path, key string, args map[string]any) error { return newProblem(path, key, args) }
	if r == nil {
		return bad("", "survey.problem.response_missing", nil)
	}
	if !canonicalUUID(r.ID) {
		return bad("id", "survey.problem.response_id", map[string]any{"ID": r.ID})
	}
	switch {
	case r.SurveyID == "":
		return bad("survey_id", "survey.problem.survey_id_missing", nil)
	case r.SurveyVersion < 1:
		return bad("survey_version", "survey.problem.survey_version", map[string]any{"SurveyVersion": r.SurveyVersion})
	case r.Lang == "":
		return bad("lang", "survey.problem.lang_missing", nil)
	case r.Status != StatusComplete && r.Status != StatusAbandoned:
		return bad("status", "survey.problem.status", map[string]any{"Status": r.Status, "Complete": StatusComplete, "Abandoned": StatusAbandoned})
	case r.StartedAt.IsZero() || r.FinishedAt.IsZero():
		return bad("started_at", "survey.problem.times_missing", nil)
	case r.StartedAt.Before(minResponseTime) || r.FinishedAt.After(maxResponseTime):
		return bad("started_at", "survey.problem.times_range", nil)
	case r.FinishedAt.Before(r.StartedAt):
		return bad("finished_at", "survey.problem.times_order", nil)
	case len(r.Answers) > MaxAnswerKeys:
		return bad("answers", "survey.problem.too_many_answers", map[string]any{"Count": len(r.Answers), "Max": MaxAnswerKeys})
	}
	for _, f := range []struct {
		path, val string
		max       int
	}{
		{"survey_id", r.SurveyID, MaxShortText}, {"device_id", r.DeviceID, MaxShortText},
		{"lang", r.Lang, MaxShortText}, {"service_point", r.ServicePoint, MaxShortText},
		{"event_tag", r.EventTag, MaxShortText}, {"misuse_reason", r.MisuseReason, MaxLongText},
	} {
		if err := checkText(f.path, f.val, f.max); err != nil {
			return err
		}
	}
	for code, vals := range r.Answers { // unsorted: this runs on every save and every upload
		switch {
		case code == "":
			return bad("answers", "survey.problem.answer_code", nil)
		case !utf8.ValidString(code):
			return bad("answers", "survey.problem.text_utf8.code", nil)
		}
		path := "answers[" + code + "]"
		if err := checkText(path, code, MaxShortText); err != nil {
			return err
		}
		if len(vals) > MaxAnswerVals {
			return bad(path, "survey.problem.too_many_values", map[string]any{"Code": code, "Count": len(vals), "Max": MaxAnswerVals})
		}
		for _, v := range vals {
			if err := checkText(path, v, MaxLongText); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckAnswers checks a response's answers against the survey version it
// names, with the rules a Session follows: every answered question exists
// and is visible under show_if (an info screen has no answer); rating, yes/no and single questions hold
// one known option code, multi questions distinct known codes, comments one
// text; and a complete response answers every visible question that is
// neither optional nor a comment. It returns the first problem found (in
// question-code order) as a Problem.
func CheckAnswers(s *Survey, r *Response) error {
	bad := func(code, key string, args map[string]any) error {
		return newProblem("answers["+code+"]", key, args)
	}
	if r.SurveyID != s.ID || r.SurveyVersion != s.Version {
		return newProblem("survey_id", "survey.problem.survey_mismatch", map[string]any{"Survey": r.SurveyID, "Version": r.SurveyVersion, "Want": s.ID, "WantVersion": s.Version})
	}
	for _, code := range slices.Sorted(maps.Keys(r.Answers)) {
		vals := r.Answers[code]
		q := s.Question(code)
		if q == nil {
			return bad(code, "survey.problem.answer_unknown_question", map[string]any{"ID": s.ID, "Version": s.Version, "Code": code})
		}
		if !q.IsQuestion() {
			return bad(code, "survey.problem.answer_info", map[string]any{"Code": code})
		}
		if !q.Visible(r.Answers) {
			return bad(code, "survey.problem.answer_hidden", nil)
		}
		if len(vals) == 0 {
			continue
		}
		switch q.Type {
		case Comment:
			if len(vals) != 1 {
				return bad(code, "survey.problem.answer_count.comment", map[string]any{"Count": len(vals)})
			}
			continue
		case Multi:
			for i, v := range vals {
				if slices.Contains(vals[:i], v) {
					return bad(code, "survey.problem.answer_repeated", map[string]any{"Value": v})
				}
			}
		default:
			if len(vals) != 1 {
				return bad(code, "survey.problem.answer_count", map[string]any{"Type": q.Type, "Count": len(vals)})
			}
		}
		for _, v := range vals {
			if !q.HasOption(v) {
				return bad(code, "survey.problem.answer_option", map[string]any{"Value": v})
			}
		}
	}
	if r.Status == StatusComplete {
		for i := range s.Questions {
			q := &s.Questions[i]
			if q.IsQuestion() && q.Visible(r.Answers) && !q.Optional && q.Type != Comment && len(r.Answers[q.Code]) == 0 {
				return bad(q.Code, "survey.problem."+ruleRequired, nil)
			}
		}
	}
	return nil
}

// ruleRequired is the Problem.Rule of a required question left unanswered.
const ruleRequired = "answer_required"

// Check is CheckResponse then CheckAnswers against s: everything a response
// to s must be.
func Check(s *Survey, r *Response) error {
	if err := CheckResponse(r); err != nil {
		return err
	}
	return CheckAnswers(s, r)
}

// checkText checks one text field: valid UTF-8 and at most max characters.
func checkText(path, v string, max int) error {
	if !utf8.ValidString(v) {
		return newProblem(path, "survey.problem.text_utf8", nil)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return newProblem(path, "survey.problem.text_too_long.answer", map[string]any{"N": n, "Max": max})
	}
	return nil
}

// canonicalUUID reports whether s is a UUID in its canonical text form,
// 8-4-4-4-12 lower-case hex digits, without allocating (it runs for every
// response saved and every response uploaded).
func canonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
