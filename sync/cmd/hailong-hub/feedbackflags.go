package main

import (
	"flag"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// feedbackFlags are the feedback deadline rules: serve runs the inbox's
// clocks by them and export writes them in the workbook, so both take the
// same flags.
type feedbackFlags struct {
	answerDays int    // --feedback-answer-days
	holidays   string // --holidays as typed
	rules      hub.FeedbackRules
}

func (f *feedbackFlags) flags(fs *flag.FlagSet) {
	fs.IntVar(&f.answerDays, "feedback-answer-days", 10, "working days within which a citizen's feedback case is to be answered")
	fs.StringVar(&f.holidays, "holidays", "", "public holidays besides the fixed-date ones (Tết, Giỗ Tổ...): `DATES` YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, comma-separated")
}

// parse checks the flags and sets f.rules; name is the command's.
func (f *feedbackFlags) parse(name string) error {
	f.rules = hub.DefaultFeedbackRules()
	if f.answerDays < 1 || f.answerDays > 90 {
		return fmt.Errorf("%s: --feedback-answer-days must be from 1 to 90", name)
	}
	f.rules.AnswerDays = f.answerDays
	extra, err := feedback.ParseHolidays(f.holidays)
	if err != nil {
		return fmt.Errorf("%s: --holidays: %w", name, err)
	}
	for d := range extra {
		f.rules.Calendar.Holidays[d] = true
	}
	return nil
}
