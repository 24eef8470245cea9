package survey

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
)

// Abandon policies of Survey.Abandoned.
const (
	// AbandonKeep saves partial answers with status abandoned (the default).
	AbandonKeep = "keep"
	// AbandonDiscard drops partial answers.
	AbandonDiscard = "discard"
)

// ErrUnanswered is returned when a required question is left without an answer.
var ErrUnanswered = errors.New("question not answered")

// ErrTooLong is returned when a comment is longer than MaxLongText
// characters; the earlier answer stays.
var ErrTooLong = errors.New("comment too long")

// Session walks one citizen through one survey: it holds the answers so far
// and the current question, and applies the skip logic. It is not safe for
// concurrent use; the kiosk drives it from the UI thread.
//
// Only visible questions (Question.Visible over the answers so far) are
// asked and counted. When an answer hides a later question, that question's
// answers are dropped, so a response never holds answers to questions the
// citizen was not shown. Comment questions are always optional: nobody is
// made to type.
type Session struct {
	survey  *Survey
	now     func() time.Time
	id      string
	started time.Time
	answers Answers
	cur     int // index into survey.Questions of the current question
}

// NewSession starts a session over s at now(). The response id (a UUIDv7)
// is made here, so it orders responses by start time.
func NewSession(s *Survey, now func() time.Time) (*Session, error) {
	if s == nil || len(s.Questions) == 0 {
		return nil, errors.New("start survey: it has no questions")
	}
	if now == nil {
		now = time.Now
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("start survey %s: new id: %w", s.ID, err)
	}
	ss := &Session{survey: s, now: now, id: id.String(), started: now().UTC(), answers: Answers{}, cur: -1}
	ss.cur = ss.nextVisible(-1)
	if ss.cur < 0 {
		return nil, fmt.Errorf("start survey %s: no question is visible without answers", s.ID)
	}
	return ss, nil
}

// Survey returns the survey being answered.
func (ss *Session) Survey() *Survey { return ss.survey }

// ID returns the response id.
func (ss *Session) ID() string { return ss.id }

// StartedAt returns when the session started, in UTC.
func (ss *Session) StartedAt() time.Time { return ss.started }

// Current returns the question on screen.
func (ss *Session) Current() *Question { return &ss.survey.Questions[ss.cur] }

// Selected returns the answer codes (or comment text) of the question code.
func (ss *Session) Selected(code string) []string { return slices.Clone(ss.answers[code]) }

// Answers returns a copy of the answers so far.
func (ss *Session) Answers() Answers { return cloneAnswers(ss.answers) }

// Answered reports whether anything has been answered.
func (ss *Session) Answered() bool { return len(ss.answers) > 0 }

// Answer sets the answer of the current question to codes, replacing any
// earlier answer. For a comment question the only element is the text,
// trimmed and NFC-normalised; empty text clears the answer, text over
// MaxLongText characters is refused with ErrTooLong. Choice codes
// must be options of the question; single-answer types take exactly one.
func (ss *Session) Answer(codes ...string) error {
	q := ss.Current()
	if !q.IsQuestion() {
		return fmt.Errorf("screen %s is an %s screen: it takes no answer", q.Code, q.Type)
	}
	if q.Type == Comment {
		text := ""
		if len(codes) > 0 {
			text = strings.TrimSpace(norm.NFC.String(strings.Join(codes, "\n")))
		}
		if n := utf8.RuneCountInString(text); n > MaxLongText {
			return fmt.Errorf("question %s: %d characters, at most %d: %w", q.Code, n, MaxLongText, ErrTooLong)
		}
		ss.set(q.Code, nil)
		if text != "" {
			ss.set(q.Code, []string{text})
		}
		return nil
	}
	if len(codes) == 0 {
		ss.set(q.Code, nil)
		return nil
	}
	if q.Type != Multi && len(codes) != 1 {
		return fmt.Errorf("question %s takes one answer, got %d", q.Code, len(codes))
	}
	var clean []string
	for _, c := range codes {
		if !hasOption(q, c) {
			return fmt.Errorf("question %s has no option %q", q.Code, c)
		}
		if !slices.Contains(clean, c) {
			clean = append(clean, c)
		}
	}
	ss.set(q.Code, clean)
	return nil
}

// Toggle adds code to or removes it from the answer of the current
// question, which must be a multiple choice. Codes keep the option order.
func (ss *Session) Toggle(code string) error {
	q := ss.Current()
	if q.Type != Multi {
		return fmt.Errorf("question %s is not a multiple choice", q.Code)
	}
	if !hasOption(q, code) {
		return fmt.Errorf("question %s has no option %q", q.Code, code)
	}
	have := ss.answers[q.Code]
	var next []string
	for _, o := range q.OptionsOf() {
		in := slices.Contains(have, o.Code)
		if o.Code == code {
			in = !in
		}
		if in {
			next = append(next, o.Code)
		}
	}
	ss.set(q.Code, next)
	return nil
}

// CanNext reports whether the current question may be left forwards: it is
// answered, optional, a comment or an info screen.
func (ss *Session) CanNext() bool {
	q := ss.Current()
	return len(ss.answers[q.Code]) > 0 || q.Optional || q.Type == Comment || !q.IsQuestion()
}

// Next moves to the next visible question. It returns done=true, staying
// on the current question, when there is none: the caller then Finishes.
// It returns ErrUnanswered when the current question needs an answer.
func (ss *Session) Next() (done bool, err error) {
	if !ss.CanNext() {
		return false, fmt.Errorf("question %s: %w", ss.Current().Code, ErrUnanswered)
	}
	n := ss.nextVisible(ss.cur)
	if n < 0 {
		return true, nil
	}
	ss.cur = n
	return false, nil
}

// Back moves to the previous visible question and reports whether there was one.
func (ss *Session) Back() bool {
	for i := ss.cur - 1; i >= 0; i-- {
		if ss.survey.Questions[i].Visible(ss.answers) {
			ss.cur = i
			return true
		}
	}
	return false
}

// IsLast reports whether the current question is the last visible one.
func (ss *Session) IsLast() bool { return ss.nextVisible(ss.cur) < 0 }

// Progress says where the citizen is without jumping when an answer
// brings in a follow-up: total counts the main questions (those asked
// whatever the answers, without ShowIf), n is the number of the current
// one, and a follow-up (a question with ShowIf) keeps the number of the
// main question before it, with followUp set. So "3/4" never turns into
// "3/5": a follow-up shows as "3/4, follow-up". Info screens are not
// questions: they are never counted, and on one n is the number of main
// questions before it (0 before the first); the kiosk shows no number there.
func (ss *Session) Progress() (n, total int, followUp bool) {
	for i := range ss.survey.Questions {
		if q := &ss.survey.Questions[i]; q.ShowIf != nil || !q.IsQuestion() {
			continue
		}
		total++
		if i <= ss.cur {
			n++
		}
	}
	if !ss.Current().IsQuestion() {
		return n, total, false
	}
	return max(n, 1), total, ss.Current().ShowIf != nil
}

// CanBack reports whether there is a question to go back to.
func (ss *Session) CanBack() bool {
	for i := ss.cur - 1; i >= 0; i-- {
		if ss.survey.Questions[i].Visible(ss.answers) {
			return true
		}
	}
	return false
}

// Finish ends the session as complete. Every visible required question must
// be answered (ErrUnanswered): the response must pass CheckAnswers, the
// hub's own check.
func (ss *Session) Finish() (*Response, error) {
	r := ss.response(StatusComplete)
	if err := CheckAnswers(ss.survey, r); err != nil {
		var p Problem
		if errors.As(err, &p) && p.Rule == ruleRequired {
			return nil, fmt.Errorf("finish survey %s: %s: %w", ss.survey.ID, p.Path, ErrUnanswered)
		}
		return nil, fmt.Errorf("finish survey %s: %w", ss.survey.ID, err)
	}
	return r, nil
}

// Abandon ends the session unfinished (idle reset). It returns the partial
// response with status abandoned, or nil when nothing was answered or the
// survey's policy is AbandonDiscard.
func (ss *Session) Abandon() *Response {
	if !ss.Answered() || ss.survey.Abandoned == AbandonDiscard {
		return nil
	}
	return ss.response(StatusAbandoned)
}

func (ss *Session) response(st Status) *Response {
	return &Response{
		ID:            ss.id,
		SurveyID:      ss.survey.ID,
		SurveyVersion: ss.survey.Version,
		Answers:       cloneAnswers(ss.answers),
		StartedAt:     ss.started,
		FinishedAt:    ss.now().UTC(),
		Status:        st,
	}
}

// set stores or clears one answer, then drops the answers of every question
// the new answers hide (repeating, since hiding one can hide another).
func (ss *Session) set(code string, v []string) {
	if len(v) == 0 {
		delete(ss.answers, code)
	} else {
		ss.answers[code] = v
	}
	for changed := true; changed; {
		changed = false
		for i := range ss.survey.Questions {
			q := &ss.survey.Questions[i]
			if _, ok := ss.answers[q.Code]; ok && !q.Visible(ss.answers) {
				delete(ss.answers, q.Code)
				changed = true
			}
		}
	}
}

func (ss *Session) nextVisible(from int) int {
	for i := from + 1; i < len(ss.survey.Questions); i++ {
		if ss.survey.Questions[i].Visible(ss.answers) {
			return i
		}
	}
	return -1
}

func hasOption(q *Question, code string) bool {
	return slices.ContainsFunc(q.OptionsOf(), func(o Option) bool { return o.Code == code })
}

func cloneAnswers(a Answers) Answers {
	out := make(Answers, len(a))
	for k, v := range a {
		out[k] = slices.Clone(v)
	}
	return out
}
