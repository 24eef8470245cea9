package hub

import (
	"fmt"
	"slices"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// CheckAnswers checks a response's answers against the survey version it
// names, with the rules the kiosk's survey.Session follows: every answered
// question exists and is visible under show_if; rating, yes/no and single
// questions hold exactly one known option code, multi questions distinct
// known codes, comments exactly one text; and a complete response answers
// every visible question that is neither optional nor a comment. It returns
// the first problem found.
func CheckAnswers(s *survey.Survey, r *survey.Response) error {
	codes := make([]string, 0, len(r.Answers))
	for code := range r.Answers {
		codes = append(codes, code)
	}
	slices.Sort(codes) // deterministic first problem
	for _, code := range codes {
		vals := r.Answers[code]
		q := s.Question(code)
		if q == nil {
			return fmt.Errorf("answers[%s]: survey %s version %d has no such question", code, s.ID, s.Version)
		}
		if !q.Visible(r.Answers) {
			return fmt.Errorf("answers[%s]: the question is hidden by its show_if condition", code)
		}
		if len(vals) == 0 {
			continue
		}
		switch q.Type {
		case survey.Comment:
			if len(vals) != 1 {
				return fmt.Errorf("answers[%s]: a comment holds one text, got %d", code, len(vals))
			}
			continue
		case survey.Multi:
			for i := 1; i < len(vals); i++ {
				if vals[i] == vals[i-1] { // answers are sorted by protocol.Normalize
					return fmt.Errorf("answers[%s]: option %q chosen twice", code, vals[i])
				}
			}
		default:
			if len(vals) != 1 {
				return fmt.Errorf("answers[%s]: a %s question takes one answer, got %d", code, q.Type, len(vals))
			}
		}
		for _, v := range vals {
			if !q.HasOption(v) {
				return fmt.Errorf("answers[%s]: %q is not an option of this question", code, v)
			}
		}
	}
	if r.Status == survey.StatusComplete {
		for i := range s.Questions {
			q := &s.Questions[i]
			if q.Visible(r.Answers) && !q.Optional && q.Type != survey.Comment && len(r.Answers[q.Code]) == 0 {
				return fmt.Errorf("answers[%s]: required question not answered in a complete response", q.Code)
			}
		}
	}
	return nil
}
