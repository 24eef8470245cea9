package ui

import (
	"context"
	"errors"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
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
	// Title, Image and QR are an info screen's heading, picture and QR
	// code with its caption; nil when it has none, and on questions.
	Title *widget.Label
	Image *canvas.Image
	QR    *qrPanel
	// Choices are the answer targets, in option order; nil for comments.
	Choices []*choiceButton
	// Comment is the free-text box of a comment question, and Keyboard the
	// on-screen keyboard (Telex/VNI) that types into it on a touch screen.
	Comment  *widget.Entry
	Keyboard *osk.Keyboard
	// Privacy asks not to type personal details, under the comment box.
	Privacy *widget.Label
	// GiveFeedback opens the feedback flow from a feedback screen
	// (feedback.go); nil on other screens.
	GiveFeedback *widget.Button
	// Speak reads the question and its answers aloud in Vietnamese; nil
	// when the kiosk has no speech engine.
	Speak *widget.Button
	Back  *widget.Button
	Next  *widget.Button
	// PrevPage and NextPage turn the pages of a list of options too long
	// for the screen, PageInfo says which page is shown; hidden when the
	// list fits.
	PrevPage, NextPage *widget.Button
	PageInfo           *widget.Label
	pager              *fyne.Container
	pages              *pagedLayout
	grid               *fyne.Container // the options, laid out by pages
	answers            *fyne.Container // the options and the page buttons
	root               fyne.CanvasObject

	k       *Kiosk
	ss      *survey.Session
	reading <-chan error // the reading under way, or nil
}

func newQuestionScreen(k *Kiosk, ss *survey.Session) *QuestionScreen {
	k.fitScale()
	tr := k.tr
	sc := scale()
	q := ss.Current()
	s := &QuestionScreen{Question: q, k: k, ss: ss}
	s.Progress = label("", theme.SizeNameSubHeadingText, true)
	textSize := questionSize(k.text(q.Text), k.area)
	if q.Type == survey.Comment && k.area.Height < 700 && textSize == theme.SizeNameHeadingText {
		textSize = theme.SizeNameSubHeadingText // the keys need the height
	}
	s.Text = label(k.text(q.Text), textSize, true)
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
		opts := q.OptionsOf()
		if q.Type != survey.YesNo {
			// Faces read from the least to the most satisfied, left to right.
			opts = slices.Clone(opts)
			slices.Reverse(opts)
		}
		// The faces share the width; each word fits its column on at
		// most two lines broken between words, never inside one.
		// The width of a word: the area less the screen's, the answers'
		// and each target's padding, and the gaps between targets.
		pad, n := theme.Padding(), float32(len(opts))
		colW := ((k.area.Width-4*pad-(n-1)*pad)/n - 2*pad - 2*theme.InnerPadding()) * 0.97
		grid := container.NewGridWithColumns(len(opts))
		for _, o := range opts {
			text, size := fitWords(k.text(o.Label), colW)
			c := newChoiceButton(o.Code, text, k.icons.answer[o.Code], 48, true, nil)
			c.Label.SizeName = size
			if src := k.icons.faceImage(o.Code); src != nil {
				c.Icon.Resource, c.Icon.Image = nil, src.src // drawn once, not per layout
				c.iconBox.src, c.iconBox.scale = src, k.pixelScale
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
		// A short list reads down one column; a longer one takes up to
		// three, as wide as the screen allows.
		cols := 3
		if len(q.OptionsOf()) <= 4 {
			cols = 1
		}
		s.pages = &pagedLayout{maxCols: cols, minColWidth: 340}
		grid := container.New(s.pages)
		s.grid = grid
		for _, o := range q.OptionsOf() {
			c := newChoiceButton(o.Code, k.text(o.Label), s.markIcon(false), 44*sc, false, nil)
			c.Button.OnTapped = s.choose(c.Code)
			s.Choices = append(s.Choices, c)
			grid.Add(c.root)
		}
		// Options that do not fit go on further pages, turned by two
		// large buttons (never a thin scroll bar).
		s.PrevPage = widget.NewButtonWithIcon(tr.T("question.page.prev"), theme.MoveUpIcon(), func() { s.turn(-1) })
		s.NextPage = widget.NewButtonWithIcon(tr.T("question.page.next"), theme.MoveDownIcon(), func() { s.turn(1) })
		s.PageInfo = label("", theme.SizeNameText, false)
		s.PageInfo.Alignment = fyne.TextAlignCenter
		s.pager = container.NewGridWithColumns(3, bigButton(s.PrevPage, MinTarget), s.PageInfo, bigButton(s.NextPage, MinTarget))
		s.pager.Hide()
		s.pages.onPages = func(int) { s.showPage() }
		s.answers = container.NewBorder(nil, s.pager, nil, nil, grid)
		answers = s.answers
	case survey.Info:
		if t := k.text(q.Title); t != "" {
			s.Title = label(t, theme.SizeNameHeadingText, true)
		}
		answers = s.infoBody()
	case survey.Feedback:
		answers = s.feedbackBody()
	case survey.Comment:
		s.Comment = widget.NewMultiLineEntry()
		s.Comment.Wrapping = fyne.TextWrapWord
		s.Comment.SetMinRowsVisible(2)
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
		s.Privacy = widget.NewLabel(tr.T("question.privacy"))
		s.Privacy.Wrapping = fyne.TextWrapWord
		s.Privacy.Importance = widget.WarningImportance
		s.Privacy.SizeName = theme.SizeNameCaptionText
		// The keyboard's hint goes under the box: the keys need the
		// height.
		hint := s.Keyboard.TakeHint()
		hint.SizeName = theme.SizeNameCaptionText
		box := container.NewBorder(nil, container.NewVBox(s.Privacy, hint), nil, nil, s.Comment)
		// The box beside the keyboard, not above it: screens have width
		// to spare, not height. A narrow one gives the keys more of it.
		kbShare := float32(0.64)
		if k.area.Width < 900 {
			kbShare = 0.7
		}
		answers = container.New(&sideLayout{fraction: kbShare}, box, s.Keyboard)
	}
	if q.Optional && q.Type != survey.Comment {
		s.Hint.SetText(s.Hint.Text + joinHint(s.Hint.Text) + tr.T("question.optional"))
		s.Hint.Show()
	}
	s.refresh()

	var speak fyne.CanvasObject
	if k.deps.Speaker != nil {
		s.Speak = widget.NewButtonWithIcon(tr.T("question.speak"), theme.VolumeUpIcon(), s.toggleSpeech)
		speak = bigButton(s.Speak, MinTarget)
	}
	bottom := container.NewBorder(nil, nil, bigButton(s.Back, 80*sc), bigButton(s.Next, 80*sc))
	if q.Type != survey.Comment { // the keys need the height
		answers = container.NewPadded(answers)
	}
	if q.Type == survey.Info { // the heading above, the text in the body
		s.root = container.NewPadded(column(3,
			container.NewBorder(nil, nil, nil, speak, s.Progress),
			widget.NewSeparator(), s.titleOrSpace(),
			answers,
			widget.NewSeparator(), bottom,
		))
		return s
	}
	s.root = container.NewPadded(column(4,
		container.NewBorder(nil, nil, nil, speak, s.Progress),
		widget.NewSeparator(), s.Text, s.Hint,
		answers,
		widget.NewSeparator(), bottom,
	))
	return s
}

// questionSize is the text size of a question: the heading size, smaller
// for a long question on a small screen, so that the answers keep most of
// the height.
func questionSize(text string, area fyne.Size) fyne.ThemeSizeName {
	// Characters a line holds at the heading size, roughly.
	perLine := area.Width / (theme.Size(theme.SizeNameHeadingText) * 0.55)
	switch lines := float32(len([]rune(text))) / max(perLine, 1); {
	case lines > 3.5:
		return theme.SizeNameText
	case lines > 2:
		return theme.SizeNameSubHeadingText
	}
	return theme.SizeNameHeadingText
}

// fitWords returns an answer's words and text size for a column width w:
// on one line at the largest size that fits, else on two lines broken
// before the last two words ("Rất không / hài lòng", "Không / hài lòng":
// Vietnamese words such as "hài lòng" are two syllables, and a break
// inside one reads as nonsense), at the largest size where both fit.
func fitWords(text string, w float32) (string, fyne.ThemeSizeName) {
	sizes := []fyne.ThemeSizeName{theme.SizeNameSubHeadingText, theme.SizeNameText, theme.SizeNameCaptionText}
	style := fyne.TextStyle{Bold: true}
	fits := func(t string, size fyne.ThemeSizeName) bool {
		for _, line := range strings.Split(t, "\n") {
			if fyne.MeasureText(line, theme.Size(size), style).Width > w {
				return false
			}
		}
		return true
	}
	two := text
	if words := strings.Fields(text); len(words) >= 3 {
		two = strings.Join(words[:len(words)-2], " ") + "\n" + strings.Join(words[len(words)-2:], " ")
	}
	for _, size := range sizes {
		if fits(text, size) {
			return text, size
		}
		if fits(two, size) {
			return two, size
		}
	}
	return two, sizes[len(sizes)-1]
}

// turn shows the next (+1) or previous (-1) page of options.
func (s *QuestionScreen) turn(by int) {
	s.k.touch()
	s.pages.page = max(0, min(s.pages.page+by, s.pages.pages-1))
	s.showPage()
	s.grid.Refresh() // lays the page out
}

// showPage shows the page buttons when the options take more than one
// page, and which page is on show.
func (s *QuestionScreen) showPage() {
	p := s.pages
	if p.pages <= 1 {
		if s.pager.Visible() {
			s.pager.Hide()
			s.answers.Refresh()
		}
		return
	}
	s.PageInfo.SetText(s.k.tr.T("question.page", map[string]int{"N": p.page + 1, "Total": p.pages}))
	if p.page > 0 {
		s.PrevPage.Enable()
	} else {
		s.PrevPage.Disable()
	}
	if p.page < p.pages-1 {
		s.NextPage.Enable()
	} else {
		s.NextPage.Disable()
	}
	if !s.pager.Visible() {
		s.pager.Show()
		s.answers.Refresh() // lays the page buttons out
	}
}

// sideLayout puts its first object left of its second, the first taking
// fraction of the width less what the second needs at least.
type sideLayout struct{ fraction float32 }

func (l *sideLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, MinTarget)
}

func (l *sideLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	left := size.Width * (1 - l.fraction)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(left-gap, size.Height))
	objs[1].Move(fyne.NewPos(left, 0))
	objs[1].Resize(fyne.NewSize(size.Width-left, size.Height))
}

// spokenText is what the speaker button reads: the question, then each
// answer in the order the screen shows them (left to right, top to
// bottom), in Vietnamese (the engine's voice), one per sentence.
func (s *QuestionScreen) spokenText() string {
	q := s.Question
	if q.Type == survey.Info { // the heading, the text, what the QR code opens
		var parts []string
		for _, t := range []survey.Text{q.Title, q.Text} {
			if v := t.In("vi"); v != "" {
				parts = append(parts, v)
			}
		}
		if q.QR != nil {
			parts = append(parts, q.QR.Caption.In("vi"))
		}
		return strings.Join(parts, ".\n")
	}
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
	switch {
	case !s.Question.IsQuestion():
		key = "question.info" // not counted: no number
	case followUp:
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
