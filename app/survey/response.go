package survey

import (
	"fmt"
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
	bad := func(path, rule, vi, en string) error { return Problem{Path: path, Rule: rule, Vi: vi, En: en} }
	if r == nil {
		return bad("", "response_missing", "Không có phiếu trả lời.", "There is no response.")
	}
	if !canonicalUUID(r.ID) {
		return bad("id", "response_id",
			fmt.Sprintf("Mã phiếu %q không phải UUID viết thường.", r.ID),
			fmt.Sprintf("id %q is not a UUID in canonical lower-case form", r.ID))
	}
	switch {
	case r.SurveyID == "":
		return bad("survey_id", "survey_id_missing", "Phiếu không ghi mã khảo sát.", "survey_id is empty")
	case r.SurveyVersion < 1:
		return bad("survey_version", "survey_version",
			fmt.Sprintf("Phiên bản khảo sát %d không hợp lệ (phải từ 1 trở lên).", r.SurveyVersion),
			fmt.Sprintf("survey_version %d is below 1", r.SurveyVersion))
	case r.Lang == "":
		return bad("lang", "lang_missing", "Phiếu không ghi ngôn ngữ.", "lang is empty")
	case r.Status != StatusComplete && r.Status != StatusAbandoned:
		return bad("status", "status",
			fmt.Sprintf("Trạng thái phiếu %q không hợp lệ.", r.Status),
			fmt.Sprintf("status %q is neither %s nor %s", r.Status, StatusComplete, StatusAbandoned))
	case r.StartedAt.IsZero() || r.FinishedAt.IsZero():
		return bad("started_at", "times_missing", "Phiếu thiếu giờ bắt đầu hoặc giờ kết thúc.", "started_at and finished_at must both be set")
	case r.StartedAt.Before(minResponseTime) || r.FinishedAt.After(maxResponseTime):
		return bad("started_at", "times_range", "Giờ trên phiếu nằm ngoài các năm 1–9999.", "times outside years 1-9999")
	case r.FinishedAt.Before(r.StartedAt):
		return bad("finished_at", "times_order", "Giờ kết thúc trước giờ bắt đầu.", "finished_at is before started_at")
	case len(r.Answers) > MaxAnswerKeys:
		return bad("answers", "too_many_answers",
			fmt.Sprintf("Phiếu có %d câu trả lời, tối đa %d.", len(r.Answers), MaxAnswerKeys),
			fmt.Sprintf("%d answers, at most %d allowed", len(r.Answers), MaxAnswerKeys))
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
			return bad("answers", "answer_code", "Phiếu có câu trả lời không ghi mã câu hỏi.", "an answer code (question code) is empty")
		case !utf8.ValidString(code):
			return bad("answers", "text_utf8", "Phiếu có mã câu hỏi chứa ký tự lỗi (không phải UTF-8).", "a question code is not valid UTF-8")
		}
		path := "answers[" + code + "]"
		if err := checkText(path, code, MaxShortText); err != nil {
			return err
		}
		if len(vals) > MaxAnswerVals {
			return bad(path, "too_many_values",
				fmt.Sprintf("Câu %s có %d lựa chọn, tối đa %d.", code, len(vals), MaxAnswerVals),
				fmt.Sprintf("answers[%s] has %d values, at most %d allowed", code, len(vals), MaxAnswerVals))
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
	bad := func(code, rule, vi, en string) error {
		return Problem{Path: "answers[" + code + "]", Rule: rule, Vi: vi, En: en}
	}
	if r.SurveyID != s.ID || r.SurveyVersion != s.Version {
		return Problem{Path: "survey_id", Rule: "survey_mismatch",
			Vi: fmt.Sprintf("Phiếu thuộc khảo sát %s phiên bản %d, không phải %s phiên bản %d.", r.SurveyID, r.SurveyVersion, s.ID, s.Version),
			En: fmt.Sprintf("the response is for survey %s version %d, not %s version %d", r.SurveyID, r.SurveyVersion, s.ID, s.Version)}
	}
	for _, code := range slices.Sorted(maps.Keys(r.Answers)) {
		vals := r.Answers[code]
		q := s.Question(code)
		if q == nil {
			return bad(code, "answer_unknown_question",
				fmt.Sprintf("Khảo sát %s phiên bản %d không có câu hỏi %s.", s.ID, s.Version, code),
				fmt.Sprintf("survey %s version %d has no such question", s.ID, s.Version))
		}
		if q.Type == Info {
			return bad(code, "answer_info",
				fmt.Sprintf("%s là màn hình thông tin, không có câu trả lời.", code),
				"an info screen takes no answer")
		}
		if !q.Visible(r.Answers) {
			return bad(code, "answer_hidden",
				"Câu hỏi này bị ẩn theo điều kiện hiển thị nhưng vẫn có câu trả lời.",
				"the question is hidden by its show_if condition")
		}
		if len(vals) == 0 {
			continue
		}
		switch q.Type {
		case Comment:
			if len(vals) != 1 {
				return bad(code, "answer_count",
					fmt.Sprintf("Câu ý kiến chỉ có một đoạn chữ, phiếu có %d.", len(vals)),
					fmt.Sprintf("a comment holds one text, got %d", len(vals)))
			}
			continue
		case Multi:
			for i, v := range vals {
				if slices.Contains(vals[:i], v) {
					return bad(code, "answer_repeated",
						fmt.Sprintf("Lựa chọn %q được chọn hai lần.", v),
						fmt.Sprintf("option %q chosen twice", v))
				}
			}
		default:
			if len(vals) != 1 {
				return bad(code, "answer_count",
					fmt.Sprintf("Câu hỏi loại %s chỉ có một câu trả lời, phiếu có %d.", q.Type, len(vals)),
					fmt.Sprintf("a %s question takes one answer, got %d", q.Type, len(vals)))
			}
		}
		for _, v := range vals {
			if !q.HasOption(v) {
				return bad(code, "answer_option",
					fmt.Sprintf("%q không phải một lựa chọn của câu hỏi này.", v),
					fmt.Sprintf("%q is not an option of this question", v))
			}
		}
	}
	if r.Status == StatusComplete {
		for i := range s.Questions {
			q := &s.Questions[i]
			if q.IsQuestion() && q.Visible(r.Answers) && !q.Optional && q.Type != Comment && len(r.Answers[q.Code]) == 0 {
				return bad(q.Code, ruleRequired,
					"Phiếu hoàn thành nhưng bỏ trống một câu hỏi bắt buộc.",
					"required question not answered in a complete response")
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
		return Problem{Path: path, Rule: "text_utf8",
			Vi: "Nội dung có ký tự lỗi (không phải UTF-8).", En: "the text is not valid UTF-8"}
	}
	if n := utf8.RuneCountInString(v); n > max {
		return Problem{Path: path, Rule: "text_too_long",
			Vi: fmt.Sprintf("Nội dung dài %d ký tự, tối đa là %d: hãy viết ngắn lại.", n, max),
			En: fmt.Sprintf("the text is %d characters long, at most %d allowed", n, max)}
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
