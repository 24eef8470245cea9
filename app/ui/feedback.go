package ui

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// FeedbackStore saves feedback cases (phản ánh, kiến nghị) and tells where
// they go (app/launch/syncstore implements it over the kiosk store).
type FeedbackStore interface {
	// SaveFeedback durably saves f in one transaction.
	SaveFeedback(ctx context.Context, f *store.Feedback) error
	// FeedbackTarget returns the hub's base URL, for the case's public
	// page ("" before enrollment), and the hub's inspection public key,
	// to which misconduct reports are sealed (nil when the kiosk has
	// none: it then does not offer that category).
	FeedbackTarget(ctx context.Context) (hubURL string, inspectionKey []byte, err error)
}

// FeedbackSourceWelcome is the source of a case given from the welcome
// screen's button.
const FeedbackSourceWelcome = "welcome"

// FeedbackScreen is the feedback flow's first step, the category, and its
// second, the text: one screen whose body changes. No contact data is
// asked: the citizen leaves with a case code.
type FeedbackScreen struct {
	Title *widget.Label
	Hint  *widget.Label
	// Categories are the category targets, in feedback.Categories order
	// (misconduct only when the kiosk holds the inspection key); nil on the
	// text step.
	Categories []*choiceButton
	// Category is the category chosen, "" on the first step.
	Category feedback.Category
	// Text, Keyboard, Privacy and Sealed are the text step's box, its
	// on-screen keyboard, the privacy notice (as under a comment) and,
	// for a misconduct report, the note that it is sealed.
	Text     *widget.Entry
	Keyboard *osk.Keyboard
	Privacy  *widget.Label
	Sealed   *widget.Label
	// Problem says why the case was not sent (empty text, a failed save).
	Problem *widget.Label
	Back    *widget.Button
	Send    *widget.Button
	root    fyne.CanvasObject

	k      *Kiosk
	source string
	hubURL string
	key    []byte
	// resume goes back to the survey that opened the flow (a feedback
	// screen); nil for the welcome screen's button, whose flow ends home.
	resume func()
}

// openFeedback starts the feedback flow from the welcome screen.
func (k *Kiosk) openFeedback() { k.openFeedbackFrom(FeedbackSourceWelcome, nil) }

// openFeedbackFrom starts the feedback flow for source; resume, when not
// nil, takes the citizen back where they came from afterwards.
func (k *Kiosk) openFeedbackFrom(source string, resume func()) {
	defer k.recoverPanic("feedback")
	if k.busy > 0 || k.deps.Feedback == nil {
		return
	}
	k.background(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		hubURL, key, err := k.deps.Feedback.FeedbackTarget(ctx)
		if err != nil {
			k.log.Error("feedback target", "err", err)
		}
		return func() { k.showFeedback(source, hubURL, key, resume) }
	})
}

// showFeedback shows the category step.
func (k *Kiosk) showFeedback(source, hubURL string, key []byte, resume func()) {
	f := &FeedbackScreen{k: k, source: source, hubURL: hubURL, key: key, resume: resume}
	f.buildCategories()
	k.setFeedback(f)
}

// setFeedback puts f on screen and arms the idle reset: a case not sent
// when the citizen walks away is dropped, never saved half-written.
func (k *Kiosk) setFeedback(f *FeedbackScreen) {
	k.setScreen(f.root)
	k.Feedback = f
	k.after(k.cfg.IdleTimeout, k.home)
}

func (f *FeedbackScreen) buildCategories() {
	k := f.k
	k.fitScale()
	tr := k.tr
	sc := scale()
	f.Category, f.Text, f.Privacy, f.Sealed = "", nil, nil, nil
	f.Title = label(tr.T("feedback.title"), theme.SizeNameHeadingText, true)
	f.Hint = label(tr.T("feedback.choose"), theme.SizeNameSubHeadingText, false)
	grid := container.NewGridWithColumns(2)
	if k.area.Width < 700 {
		grid = container.NewGridWithColumns(1)
	}
	f.Categories = nil
	for _, c := range feedback.Categories {
		if c.Sealed() && len(f.key) != feedback.KeySize {
			continue // it could not be sealed: not offered
		}
		b := newChoiceButton(string(c), tr.T(c.Key()), nil, 0, false, nil)
		b.Label.SizeName = theme.SizeNameText
		b.Button.OnTapped = k.guard("feedback category", func() { f.choose(c) })
		f.Categories = append(f.Categories, b)
		grid.Add(b.root)
	}
	if f.resume != nil {
		f.Back = widget.NewButtonWithIcon(tr.T("question.back"), theme.NavigateBackIcon(), k.guard("feedback back to survey", f.resume))
	} else {
		f.Back = widget.NewButtonWithIcon(tr.T("feedback.cancel"), theme.HomeIcon(), k.guard("feedback cancel", k.home))
	}
	f.Send = nil
	bottom := container.NewBorder(nil, nil, bigButton(f.Back, 80*sc), nil)
	f.root = container.NewPadded(column(3,
		f.Title, f.Hint, widget.NewSeparator(),
		grid,
		widget.NewSeparator(), bottom,
	))
}

// choose goes on to the text step for category c.
func (f *FeedbackScreen) choose(c feedback.Category) {
	if f.k.busy > 0 {
		return
	}
	f.Category = c
	f.buildText("")
	f.k.setFeedback(f)
}

func (f *FeedbackScreen) buildText(text string) {
	k := f.k
	k.fitScale()
	tr := k.tr
	sc := scale()
	f.Categories = nil
	size := theme.SizeNameSubHeadingText
	if k.area.Height < 700 {
		size = theme.SizeNameText
	}
	f.Title = label(tr.T(f.Category.Key()), size, true)
	f.Hint = label(tr.T("feedback.write"), theme.SizeNameText, false)
	f.Text = widget.NewMultiLineEntry()
	f.Text.Wrapping = fyne.TextWrapWord
	f.Text.SetMinRowsVisible(2)
	f.Text.SetPlaceHolder(tr.T("question.placeholder"))
	f.Text.SetText(text)
	f.Text.OnChanged = func(s string) {
		if utf8.RuneCountInString(s) > feedback.MaxText {
			f.Text.SetText(string([]rune(s)[:feedback.MaxText])) // the box holds no more than is sent
			return
		}
		f.Problem.Hide()
		k.after(k.cfg.IdleTimeout, k.home)
	}
	kb := k.keyboardFor(f.Text)
	kb.SetLang(tr.Lang())
	f.Keyboard = kb
	f.Privacy = widget.NewLabel(tr.T("question.privacy") + " " + tr.T("feedback.anonymous"))
	f.Privacy.Wrapping = fyne.TextWrapWord
	f.Privacy.Importance = widget.WarningImportance
	f.Privacy.SizeName = theme.SizeNameCaptionText
	notes := container.NewVBox(f.Privacy)
	if f.Category.Sealed() {
		f.Sealed = widget.NewLabel(tr.T("feedback.sealed"))
		f.Sealed.Wrapping = fyne.TextWrapWord
		f.Sealed.SizeName = theme.SizeNameCaptionText
		f.Sealed.TextStyle.Bold = true
		notes.Add(f.Sealed)
	}
	hint := kb.TakeHint()
	hint.SizeName = theme.SizeNameCaptionText
	notes.Add(hint)
	box := container.NewBorder(nil, notes, nil, nil, f.Text)
	kbShare := float32(0.64)
	if k.area.Width < 900 {
		kbShare = 0.7
	}
	answers := container.New(&sideLayout{fraction: kbShare}, box, kb)
	f.Problem = label("", theme.SizeNameText, true)
	f.Problem.Importance = widget.DangerImportance
	f.Problem.Hide()
	f.Back = widget.NewButtonWithIcon(tr.T("question.back"), theme.NavigateBackIcon(), k.guard("feedback back", func() {
		if k.busy > 0 {
			return
		}
		f.buildCategories()
		k.setFeedback(f)
	}))
	f.Send = widget.NewButtonWithIcon(tr.T("feedback.send"), theme.MailSendIcon(), k.guard("feedback send", f.send))
	f.Send.IconPlacement = widget.ButtonIconTrailingText
	f.Send.Importance = widget.HighImportance
	bottom := container.NewBorder(nil, nil, bigButton(f.Back, 80*sc), bigButton(f.Send, 80*sc), f.Problem)
	f.root = container.NewPadded(column(3,
		f.Title, f.Hint, widget.NewSeparator(),
		answers,
		widget.NewSeparator(), bottom,
	))
}

// send masks digits as comments are masked, seals a misconduct report to
// the inspection key, saves the case off the UI goroutine and shows its
// code. The text in clear of a sealed case never reaches the store.
func (f *FeedbackScreen) send() {
	k := f.k
	if k.busy > 0 || f.Text == nil {
		return
	}
	text := strings.TrimSpace(f.Text.Text)
	if text == "" {
		f.Problem.SetText(k.tr.T("feedback.empty"))
		f.Problem.Show()
		return
	}
	if k.cfg.MaskDigits {
		text = survey.MaskDigits(text)
	}
	code, err := feedback.NewCode(nil)
	if err != nil {
		k.log.Error("feedback code", "err", err)
		f.failed()
		return
	}
	id, err := uuid.NewV7()
	if err != nil {
		k.log.Error("feedback id", "err", err)
		f.failed()
		return
	}
	c := &store.Feedback{
		ID: id.String(), Code: code, Category: f.Category, Text: text, Source: f.source, Lang: k.tr.Lang(),
		ServicePoint: k.cfg.ServicePoint, DeviceID: k.deps.DeviceID, CreatedAt: k.clock.Now().UTC(),
	}
	if f.Category.Sealed() {
		sealed, err := feedback.Seal(f.key, text)
		if err != nil {
			k.log.Error("seal feedback", "err", err)
			f.failed()
			return
		}
		c.Text, c.Sealed = "", sealed
	}
	k.cancelTimer()
	k.background(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		err := k.deps.Feedback.SaveFeedback(ctx, c)
		return func() {
			if err != nil {
				k.log.Error("save feedback", "id", c.ID, "err", err)
				f.failed()
				return
			}
			k.log.Info("feedback saved", "id", c.ID, "category", c.Category)
			k.showFeedbackThanks(c.Code, f.hubURL, f.resume)
		}
	})
}

// failed keeps the text on screen with the save problem.
func (f *FeedbackScreen) failed() {
	f.Problem.SetText(f.k.tr.T("feedback.saveError"))
	f.Problem.Show()
	f.k.after(f.k.cfg.IdleTimeout, f.k.home)
}

// FeedbackThanks shows a saved case's code and, on an enrolled kiosk, a QR
// code of its public page at the hub.
type FeedbackThanks struct {
	Title *widget.Label
	Code  *canvas.Text
	Body  *widget.Label
	QR    *qrPanel
	Done  *widget.Button
	root  fyne.CanvasObject
}

func (k *Kiosk) showFeedbackThanks(code feedback.Code, hubURL string, resume func()) {
	t, err := newFeedbackThanks(k, code, hubURL, resume)
	if err != nil {
		k.log.Error("feedback thank-you screen", "err", err)
		k.home()
		return
	}
	k.setScreen(t.root)
	k.FeedbackThanks = t
	k.after(ScanTime, k.home) // time to write the code down or scan it
}

func newFeedbackThanks(k *Kiosk, code feedback.Code, hubURL string, resume func()) (*FeedbackThanks, error) {
	k.fitScale()
	tr := k.tr
	sc := scale()
	t := &FeedbackThanks{}
	t.Title = label(tr.T("feedback.thanks.title"), theme.SizeNameHeadingText, true)
	t.Title.Alignment = fyne.TextAlignCenter
	t.Code = canvas.NewText(tr.T("feedback.thanks.code", map[string]any{"Code": code.String()}), theme.Color(theme.ColorNameForeground))
	t.Code.TextSize = theme.Size(theme.SizeNameHeadingText) * 1.2
	t.Code.TextStyle = fyne.TextStyle{Bold: true}
	t.Code.Alignment = fyne.TextAlignCenter
	t.Body = label(tr.T("feedback.thanks.body"), theme.SizeNameText, false)
	t.Body.Alignment = fyne.TextAlignCenter
	var qr fyne.CanvasObject = layout.NewSpacer()
	if hubURL != "" {
		var err error
		if t.QR, err = newQRPanel(feedback.PublicURL(hubURL, code), tr.T("feedback.thanks.qr"), 240*sc); err != nil {
			return nil, err
		}
		qr = container.NewCenter(fixedWidth(t.QR.root, 460*sc))
	}
	if resume != nil {
		t.Done = widget.NewButtonWithIcon(tr.T("feedback.continue"), theme.NavigateNextIcon(), k.guard("feedback continue", resume))
		t.Done.IconPlacement = widget.ButtonIconTrailingText
	} else {
		t.Done = widget.NewButtonWithIcon(tr.T("thanks.done"), theme.HomeIcon(), k.guard("done", k.Home))
	}
	t.root = container.NewPadded(column(-1,
		layout.NewSpacer(), t.Title, t.Code, t.Body,
		qr,
		layout.NewSpacer(),
		container.NewCenter(bigButton(t.Done, 80*sc)),
	))
	return t, nil
}

// feedbackBody is a survey's feedback screen (survey.Feedback): a button
// into the feedback flow, which comes back to this screen; or, on a kiosk
// without a feedback store, a note that Next goes on.
func (s *QuestionScreen) feedbackBody() fyne.CanvasObject {
	k := s.k
	if k.deps.Feedback == nil {
		note := label(k.tr.T("feedback.unavailable"), theme.SizeNameText, false)
		return container.NewCenter(note)
	}
	ss := s.ss
	source := "survey:" + ss.Survey().ID + "@" + strconv.Itoa(ss.Survey().Version)
	s.GiveFeedback = widget.NewButtonWithIcon(k.tr.T("welcome.feedback"), theme.MailComposeIcon(), k.guard("survey feedback", func() {
		k.openFeedbackFrom(source, func() {
			if k.session == ss {
				k.showQuestion()
			} else {
				k.home()
			}
		})
	}))
	s.GiveFeedback.Importance = widget.HighImportance
	return container.NewCenter(bigButton(s.GiveFeedback, 80*scale()))
}
