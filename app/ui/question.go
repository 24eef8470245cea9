package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
)

// QuestionScreen shows one question: its text, large answer targets (faces
// and words for rating scales), or a comment box, with progress, back and
// next/finish.
type QuestionScreen struct {
	Question *survey.Question
	Progress *widget.Label
	Text     *widget.Label
	Hint     *widget.Label
	// Choices are the answer targets, in option order; nil for comments.
	Choices []*choiceButton
	// Comment is the free-text box of a comment question, and Keyboard the
	// on-screen keyboard (Telex/VNI) that types into it on a touch screen.
	Comment  *widget.Entry
	Keyboard *osk.Keyboard
	// Privacy asks not to type personal details, under the comment box.
	Privacy *widget.Label
	// Speak reads the question and its answers aloud in Vietnamese; nil
	// when the kiosk has no speech engine.
	Speak *widget.Button
	Back  *widget.Button
	Next  *widget.Button
	root  fyne.CanvasObject

	k       *Kiosk
	ss      *survey.Session
	reading <-chan error // the reading under way, or nil
}

func newQuestionScreen(k *Kiosk, ss *survey.Session) *QuestionScreen {
	tr := k.tr
	q := ss.Current()
	s := &QuestionScreen{Question: q, k: k, ss: ss}
	s.Progress = label("", theme.SizeNameSubHeadingText, true)
	s.Text = label(k.text(q.Text), theme.SizeNameHeadingText, true)
	s.Hint = label("", theme.SizeNameText, false)
	s.Hint.Hide()
	s.Back = widget.NewButtonWithIcon(tr.T("question.back"), theme.NavigateBackIcon(), k.back)
	s.Next = widget.NewButtonWithIcon(tr.T("question.next"), theme.NavigateNextIcon(), k.next)
	s.Next.IconPlacement = widget.ButtonIconTrailingText
	s.Next.Importance = widget.HighImportance
	if !ss.CanBack() {
		s.Back.Disable()
	}

	var answers fyne.CanvasObject
	switch q.Type {
	case survey.Rating3, survey.Rating5, survey.YesNo:
		side := float32(150)
		if q.Type == survey.Rating5 {
			side = 120
		}
		opts := q.OptionsOf()
		if q.Type != survey.YesNo {
			// Faces read from the least to the most satisfied, left to right.
			opts = slices.Clone(opts)
			slices.Reverse(opts)
		}
		grid := container.NewGridWithColumns(len(opts))
		for _, o := range opts {
			c := newChoiceButton(o.Code, k.text(o.Label), k.icons.answer[o.Code], side, true, nil)
			if img := k.icons.faceImage(o.Code); img != nil {
				c.Icon.Resource, c.Icon.Image = nil, img // drawn once, not per layout
			}
			c.Button.OnTapped = s.choose(c.Code)
			s.Choices = append(s.Choices, c)
			grid.Add(c.root)
		}
		answers = grid
	case survey.Single, survey.Multi:
		if q.Type == survey.Multi {
			s.Hint.SetText(tr.T("question.multi"))
			s.Hint.Show()
		}
		cols := 1
		if len(q.OptionsOf()) > 4 {
			cols = 2
		}
		grid := container.NewGridWithColumns(cols)
		for _, o := range q.OptionsOf() {
			c := newChoiceButton(o.Code, k.text(o.Label), s.markIcon(false), 44, false, nil)
			c.Button.OnTapped = s.choose(c.Code)
			s.Choices = append(s.Choices, c)
			grid.Add(c.root)
		}
		answers = container.NewVScroll(grid)
	case survey.Comment:
		s.Comment = widget.NewMultiLineEntry()
		s.Comment.Wrapping = fyne.TextWrapWord
		s.Comment.SetMinRowsVisible(4)
		s.Comment.SetPlaceHolder(tr.T("question.placeholder"))
		if v := ss.Selected(q.Code); len(v) > 0 {
			s.Comment.SetText(v[0])
		}
		s.Comment.OnChanged = func(text string) {
			if err := ss.Answer(text); errors.Is(err, survey.ErrTooLong) {
				// The box holds no more than the answer saved (the hub
				// refuses longer comments): the last keystrokes are undone.
				prev := ""
				if v := ss.Selected(q.Code); len(v) > 0 {
					prev = v[0]
				}
				s.Comment.SetText(prev)
				return
			} else if err != nil {
				k.log.Warn("comment", "err", err)
			}
			k.touch()
			s.refresh()
		}
		s.Keyboard = k.keyboardFor(s.Comment)
		s.Keyboard.SetLang(k.tr.Lang())
		// Side by side, the privacy notice under the box: the screen has
		// width to spare, not height.
		s.Privacy = widget.NewLabel(tr.T("question.privacy"))
		s.Privacy.Wrapping = fyne.TextWrapWord
		s.Privacy.Importance = widget.WarningImportance
		answers = container.NewBorder(nil, nil, nil, s.Keyboard,
			container.NewBorder(nil, s.Privacy, nil, nil, s.Comment))
	}
	if q.Optional && q.Type != survey.Comment {
		s.Hint.SetText(s.Hint.Text + joinHint(s.Hint.Text) + tr.T("question.optional"))
		s.Hint.Show()
	}
	s.refresh()

	var speak fyne.CanvasObject
	if k.deps.Speaker != nil {
		s.Speak = widget.NewButtonWithIcon(tr.T("question.speak"), theme.VolumeUpIcon(), s.toggleSpeech)
		speak = s.Speak
	}
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, speak, s.Progress),
		widget.NewSeparator(), s.Text, s.Hint,
	)
	bottom := container.NewBorder(nil, nil, bigButton(s.Back, 80), bigButton(s.Next, 80))
	s.root = container.NewPadded(container.NewBorder(top, container.NewVBox(widget.NewSeparator(), bottom), nil, nil,
		container.NewPadded(answers)))
	return s
}

// spokenText is what the speaker button reads: the question, then each
// answer in the order the screen shows them (left to right, top to
// bottom), in Vietnamese (the engine's voice), one per sentence.
func (s *QuestionScreen) spokenText() string {
	q := s.Question
	parts := []string{q.Text.In("vi")}
	for _, c := range s.Choices {
		for _, o := range q.OptionsOf() {
			if o.Code == c.Code {
				parts = append(parts, o.Label.In("vi"))
			}
		}
	}
	return strings.Join(parts, ".\n")
}

// toggleSpeech starts reading the screen aloud, the button then showing
// that it reads and offering to stop; tapped again, it stops.
func (s *QuestionScreen) toggleSpeech() {
	k := s.k
	defer k.recoverPanic("read aloud")
	k.touch()
	if s.reading != nil {
		k.deps.Speaker.Stop()
		s.speechDone(s.reading)
		return
	}
	done := k.deps.Speaker.Speak(context.Background(), s.spokenText())
	s.reading = done
	s.Speak.SetText(k.tr.T("question.speak.stop"))
	s.Speak.SetIcon(theme.MediaStopIcon())
	s.Speak.Importance = widget.WarningImportance
	s.Speak.Refresh()
	select {
	case <-done: // nothing to read, or no engine after all
		s.speechDone(done)
	default:
		k.deps.Go(func() {
			<-done // the engine logs its own errors
			fyne.Do(func() { s.speechDone(done) })
		})
	}
}

// speechDone puts the speaker button back once reading done ended.
func (s *QuestionScreen) speechDone(done <-chan error) {
	if s.reading != done {
		return
	}
	s.reading = nil
	s.Speak.SetText(s.k.tr.T("question.speak"))
	s.Speak.SetIcon(theme.VolumeUpIcon())
	s.Speak.Importance = widget.MediumImportance
	s.Speak.Refresh()
}

// Reading reports whether the screen is being read aloud.
func (s *QuestionScreen) Reading() bool { return s.reading != nil }

// joinHint separates two hints on one label.
func joinHint(prev string) string {
	if prev == "" {
		return ""
	}
	return "\n"
}

func (s *QuestionScreen) choose(code string) func() {
	return func() {
		defer s.k.recoverPanic("answer")
		var err error
		if s.Question.Type == survey.Multi {
			err = s.ss.Toggle(code)
		} else {
			err = s.ss.Answer(code)
		}
		if err != nil {
			s.k.log.Warn("answer", "question", s.Question.Code, "err", err)
		}
		s.k.touch()
		s.refresh()
	}
}

// markIcon is the radio or check mark beside a list option.
func (s *QuestionScreen) markIcon(on bool) fyne.Resource {
	switch {
	case s.Question.Type == survey.Multi && on:
		return theme.CheckButtonCheckedIcon()
	case s.Question.Type == survey.Multi:
		return theme.CheckButtonIcon()
	case on:
		return theme.RadioButtonCheckedIcon()
	}
	return theme.RadioButtonIcon()
}

// refresh shows the chosen answers and the state of the next button (its
// label turns to "finish" on the last question; a follow-up may appear).
func (s *QuestionScreen) refresh() {
	n, total, followUp := s.ss.Progress()
	key := "question.progress"
	if followUp {
		key = "question.progress.followup"
	}
	s.Progress.SetText(s.k.tr.T(key, map[string]int{"N": n, "Total": total}))
	chosen := s.ss.Selected(s.Question.Code)
	for _, c := range s.Choices {
		on := slices.Contains(chosen, c.Code)
		c.SetSelected(on)
		if s.Question.Type == survey.Single || s.Question.Type == survey.Multi {
			c.Icon.Resource = s.markIcon(on)
			c.Icon.Refresh()
		}
	}
	if s.ss.IsLast() {
		s.Next.SetText(s.k.tr.T("question.finish"))
		s.Next.SetIcon(theme.ConfirmIcon())
	} else {
		s.Next.SetText(s.k.tr.T("question.next"))
		s.Next.SetIcon(theme.NavigateNextIcon())
	}
	if s.ss.CanNext() {
		s.Next.Enable()
	} else {
		s.Next.Disable()
	}
}
