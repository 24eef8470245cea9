// Package surveytest makes responses the way a citizen does, through a
// survey.Session, for property tests of every side that checks responses
// (the survey package, the kiosk's store, the hub). It is for tests only.
package surveytest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// maxSteps bounds one walk; a citizen who is still tapping after this many
// steps walks away (the response is abandoned).
const maxSteps = 60

// Walk runs one random citizen through s: random answers (valid and not),
// changes of mind, going back, long and NFD comments, and either finishing
// or walking away. It returns what the Session ends with (Finish, or
// Abandon when the walk stops early), stamped as the kiosk stamps it
// (service point, language, device), or nil when the Session gives nothing
// to save. Every Session error on the way is a citizen's mistake the kiosk
// absorbs, except errors from Finish after Next said done, which fail.
func Walk(rng *rand.Rand, s *survey.Survey, start time.Time) (*survey.Response, error) {
	now := start
	clock := func() time.Time { return now }
	ss, err := survey.NewSession(s, clock)
	if err != nil {
		return nil, err
	}
	var r *survey.Response
	for step := 0; ; step++ {
		now = now.Add(time.Duration(rng.IntN(20_000)) * time.Millisecond)
		if step == maxSteps || rng.IntN(40) == 0 { // walks away
			r = ss.Abandon()
			break
		}
		q := ss.Current()
		switch a := rng.IntN(10); {
		case a < 5:
			answer(rng, ss, q)
		case a == 5:
			ss.Answer() // clears
		case a == 6:
			ss.Back()
		default:
			done, err := ss.Next()
			if errors.Is(err, survey.ErrUnanswered) {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("next: %w", err)
			}
			if done {
				if r, err = ss.Finish(); err != nil {
					return nil, fmt.Errorf("finish after the last question: %w", err)
				}
			}
		}
		if r != nil {
			break
		}
	}
	if r == nil {
		return nil, nil
	}
	r.ServicePoint = setting(rng, survey.MaxShortText)
	r.Lang = []string{"vi", "en"}[rng.IntN(2)]
	r.EventTag = ""
	if rng.IntN(3) == 0 {
		r.EventTag = setting(rng, survey.MaxShortText)
	}
	r.DeviceID = "dev-walk"
	return r, nil
}

// answer gives the current question a random answer: mostly options of the
// question, sometimes codes it does not have (which the Session refuses).
func answer(rng *rand.Rand, ss *survey.Session, q *survey.Question) {
	opts := q.OptionsOf()
	switch {
	case q.Type == survey.Info:
		ss.Answer("da-doc") // an info screen takes no answer: refused
	case q.Type == survey.Comment:
		n := rng.IntN(60)
		if rng.IntN(8) == 0 {
			n = survey.MaxLongText - 20 + rng.IntN(40) // at the limit, over it sometimes
		}
		ss.Answer(Text(rng, n))
	case rng.IntN(12) == 0:
		ss.Answer("khong-co") // not an option: refused
	case q.Type == survey.Multi && rng.IntN(2) == 0:
		ss.Toggle(opts[rng.IntN(len(opts))].Code)
	case q.Type == survey.Multi:
		var codes []string
		for range 1 + rng.IntN(len(opts)) {
			codes = append(codes, opts[rng.IntN(len(opts))].Code) // repeats are folded
		}
		ss.Answer(codes...)
	default:
		ss.Answer(opts[rng.IntN(len(opts))].Code)
	}
}

// pieces are what random text is made of: Vietnamese in NFC and NFD,
// spaces, line breaks, digits and ASCII.
var pieces = []string{"Hài lòng", "nhanh", " ", "\n", "0912345678", "ok", "Phường ",
	norm.NFD.String("Thủ tục"), "ư", "ệ", "a", "-", ".", "đ"}

// Text returns random text, partly NFD, of at most n characters once
// NFC-normalised.
func Text(rng *rand.Rand, n int) string {
	var b strings.Builder
	count := 0
	for count < n {
		p := pieces[rng.IntN(len(pieces))]
		c := utf8.RuneCountInString(norm.NFC.String(p))
		if count+c > n {
			break
		}
		b.WriteString(p)
		count += c
	}
	return b.String()
}

// setting is text as the kiosk's settings keep it: NFC, trimmed.
func setting(rng *rand.Rand, n int) string {
	return strings.TrimSpace(norm.NFC.String(Text(rng, n)))
}
