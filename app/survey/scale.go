package survey

// StandardOptions returns the fixed answer options of a rating or yes/no
// question type, ordered from the most positive to the least, and nil for
// the types whose options come from the definition.
func StandardOptions(t QuestionType) []Option {
	switch t {
	case Rating3:
		return []Option{
			{Code: CodeVerySatisfied, Label: Text{"vi": "Rất hài lòng", "en": "Very satisfied"}},
			{Code: CodeSatisfied, Label: Text{"vi": "Hài lòng", "en": "Satisfied"}},
			{Code: CodeNotSatisfied, Label: Text{"vi": "Không hài lòng", "en": "Not satisfied"}},
		}
	case Rating5:
		return []Option{
			{Code: CodeVerySatisfied, Label: Text{"vi": "Rất hài lòng", "en": "Very satisfied"}},
			{Code: CodeSatisfied, Label: Text{"vi": "Hài lòng", "en": "Satisfied"}},
			{Code: CodeNeutral, Label: Text{"vi": "Bình thường", "en": "Neutral"}},
			{Code: CodeNotSatisfied, Label: Text{"vi": "Không hài lòng", "en": "Not satisfied"}},
			{Code: CodeVeryDissatisfied, Label: Text{"vi": "Rất không hài lòng", "en": "Very dissatisfied"}},
		}
	case YesNo:
		return []Option{
			{Code: CodeYes, Label: Text{"vi": "Có", "en": "Yes"}},
			{Code: CodeNo, Label: Text{"vi": "Không", "en": "No"}},
		}
	}
	return nil
}

// IsRating reports whether t is a satisfaction scale that feeds the indices.
func (t QuestionType) IsRating() bool { return t == Rating3 || t == Rating5 }

// Satisfied reports whether an answer code on a rating scale counts towards
// the satisfaction index (Hài lòng or Rất hài lòng).
func Satisfied(code string) bool { return code == CodeSatisfied || code == CodeVerySatisfied }

// OptionsOf returns the answer options of q: its own for single and multi
// questions, the standard scale otherwise, with a yes/no question's own
// Labels when it has them.
func (q *Question) OptionsOf() []Option {
	if std := StandardOptions(q.Type); std != nil {
		if q.Type == YesNo && q.Labels != nil {
			std[0].Label, std[1].Label = q.Labels.Yes, q.Labels.No
		}
		return std
	}
	return q.Options
}

// HasOption reports whether code is one of q's answer options (the
// standard ones for rating and yes/no questions), without building the
// option list: the hub asks it for every answer it receives.
func (q *Question) HasOption(code string) bool {
	switch q.Type {
	case Rating3:
		return code == CodeVerySatisfied || code == CodeSatisfied || code == CodeNotSatisfied
	case Rating5:
		return code == CodeVerySatisfied || code == CodeSatisfied || code == CodeNeutral ||
			code == CodeNotSatisfied || code == CodeVeryDissatisfied
	case YesNo:
		return code == CodeYes || code == CodeNo
	}
	for i := range q.Options {
		if q.Options[i].Code == code {
			return true
		}
	}
	return false
}

// Visible reports whether q is asked given the answers so far.
func (q *Question) Visible(a Answers) bool {
	if q.ShowIf == nil {
		return true
	}
	for _, got := range a[q.ShowIf.Question] {
		for _, want := range q.ShowIf.AnyOf {
			if got == want {
				return true
			}
		}
	}
	return false
}

// Question returns the question with the given code, or nil.
func (s *Survey) Question(code string) *Question {
	for i := range s.Questions {
		if s.Questions[i].Code == code {
			return &s.Questions[i]
		}
	}
	return nil
}
