package operator

import (
	"context"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
)

// PanelWidth is the operator panel's width in points. On a 1366-point-wide
// laptop screen it leaves the kiosk's screens about 1080×690, the 16:10
// shape they are designed for (1280×800): a 16:9 laptop has width to spare
// and no height, so the panel goes beside the screens, not above them.
const PanelWidth = 270

// MaxEventTag is the longest event tag, in characters (survey.CheckEventTag:
// the store and the hub refuse longer ones).
const MaxEventTag = survey.MaxShortText

// Panel is the operator's column beside the kiosk's screens. It keeps its
// widgets in fields so that tests can reach them. Its methods run on the UI
// goroutine.
type Panel struct {
	ctx context.Context
	k   *ui.Kiosk
	d   Deps
	tr  *i18n.Translator

	// Event is the event tag being typed; SaveEvent (or Enter) stores it.
	Event     *widget.Entry
	SaveEvent *widget.Button
	// EventStatus says that the tag was saved, or what is wrong with it.
	EventStatus *widget.Label
	// Count is the running count of responses for the saved event;
	// CountDetail splits it by outcome.
	Count       *widget.Label
	CountDetail *widget.Label
	// Surveys are the quick-switch targets, one per survey.
	Surveys []*SurveyChoice
	// Confirm asks before a switch that would end a citizen's survey
	// (ConfirmText, ConfirmYes, ConfirmNo); hidden otherwise.
	Confirm     *fyne.Container
	ConfirmText *widget.Label
	ConfirmYes  *widget.Button
	ConfirmNo   *widget.Button
	// Assisted marks the response being collected as read aloud by staff;
	// it clears itself once that response is saved.
	Assisted *widget.Check
	// ShowSummary opens the event summary.
	ShowSummary *widget.Button
	// Summary is the open event summary; nil when closed.
	Summary *SummaryScreen

	event    string // the saved event tag
	active   string // the active survey's id
	switchTo string // the survey a pending confirmation switches to
	seq      int    // the newest count request; older answers are dropped

	surveyBox  *fyne.Container
	panelTheme *container.ThemeOverride
	bottom     *fyne.Container // the per-citizen controls
}

// SurveyChoice is one survey in the quick-switch list.
type SurveyChoice struct {
	// ID is the survey's id.
	ID string
	// Button switches to the survey; Label shows its title.
	Button *widget.Button
	Label  *widget.Label
	icon   *widget.Icon
	border *canvas.Rectangle
}

// Active reports whether the choice is shown as the running survey.
func (c *SurveyChoice) Active() bool { return c.border.Visible() }

func newPanel(ctx context.Context, k *ui.Kiosk, d Deps) (*Panel, error) {
	tr, err := newTranslator(d.Lang)
	if err != nil {
		return nil, err
	}
	p := &Panel{ctx: ctx, k: k, d: d, tr: tr}
	p.build()
	p.load()
	op, cancel := p.op()
	defer cancel()
	p.setSurveys(p.surveys(op))
	return p, nil
}

// load shows the stored event tag and active survey.
func (p *Panel) load() {
	op, cancel := p.op()
	defer cancel()
	cfg, err := settings.Load(op, p.d.Store)
	if err != nil {
		p.d.Log.Error("operator: load settings", "err", err)
		p.status(p.tr.T("operator.error.load"), true)
		return
	}
	p.event, p.active = cfg.EventTag, cfg.ActiveSurvey
	p.Event.SetText(p.event)
	p.SaveEvent.Disable()
	p.markActive()
}

// Reload shows the settings as stored now and recounts: call it when they
// may have changed elsewhere (the admin panel has an event tag field and
// chooses the active survey too).
func (p *Panel) Reload() {
	p.load()
	p.refresh()
}

// op returns a context for one storage call.
func (p *Panel) op() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, opTimeout)
}

// inner is the width inside the panel's padding.
const inner = PanelWidth - 2*8

func (p *Panel) build() {
	t := p.tr.T
	p.Event = widget.NewMultiLineEntry() // a long tag stays readable
	p.Event.Wrapping = fyne.TextWrapWord
	p.Event.SetMinRowsVisible(2)
	p.Event.SetPlaceHolder(t("operator.event.placeholder"))
	p.Event.OnChanged = func(s string) {
		if cleanTag(s) == p.event {
			p.SaveEvent.Disable()
		} else {
			p.SaveEvent.Enable()
		}
	}
	p.Event.OnSubmitted = func(string) { p.saveEvent() }
	p.SaveEvent = widget.NewButton(t("operator.event.save"), p.saveEvent)
	p.SaveEvent.Importance = widget.HighImportance
	p.EventStatus = wrapped("")
	p.EventStatus.SizeName = theme.SizeNameCaptionText
	p.EventStatus.Hide()

	p.Count = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	p.Count.SizeName = theme.SizeNameSubHeadingText
	p.CountDetail = wrapped("")
	p.CountDetail.SizeName = theme.SizeNameCaptionText

	p.surveyBox = container.NewVBox()
	p.ConfirmText = wrapped("")
	p.ConfirmText.TextStyle.Bold = true
	p.ConfirmYes = widget.NewButton(t("operator.switch.yes"), p.confirmSwitch)
	p.ConfirmYes.Importance = widget.DangerImportance
	p.ConfirmNo = widget.NewButton(t("operator.switch.no"), p.cancelSwitch)
	p.Confirm = container.NewVBox(p.ConfirmText, p.ConfirmNo, p.ConfirmYes)
	p.Confirm.Hide()

	p.Assisted = widget.NewCheck(t("operator.assisted"), nil)

	p.ShowSummary = widget.NewButtonWithIcon(t("operator.summary.open"), theme.ListIcon(), p.openSummary)

	section := func(key string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(t(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	// The per-citizen controls stay in sight at the bottom; the rest
	// scrolls if a long survey list needs it.
	column := container.NewVBox(
		section("operator.event"), container.NewBorder(nil, nil, nil, p.SaveEvent, p.Event), p.EventStatus,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, section("operator.count"), p.Count), p.CountDetail,
		widget.NewSeparator(),
		section("operator.surveys"), p.surveyBox,
	)
	p.bottom = container.NewVBox(
		p.Confirm,
		widget.NewSeparator(),
		p.Assisted,
		widget.NewSeparator(),
		p.ShowSummary,
	)
	pad := func(o fyne.CanvasObject) fyne.CanvasObject {
		return container.New(layout.NewCustomPaddedLayout(8, 8, 8, 8), fixedWidth(o, inner))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	p.panelTheme = container.NewThemeOverride(container.NewStack(bg,
		container.NewBorder(nil, pad(p.bottom), nil, nil, container.NewVScroll(pad(column)))), newCompactTheme())
}

// wrapped returns a word-wrapped label.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// frameScreen puts the kiosk's stage beside the panel (ui.Hooks.Frame),
// once: the frame stays in the window, the kiosk's screens change inside
// the stage.
func (p *Panel) frameScreen(stage fyne.CanvasObject) fyne.CanvasObject {
	// The kiosk's screens keep the kiosk theme: they scale it to the
	// room the panel leaves them (no theme override of their own, which
	// would also make Fyne parse its fonts again at every screen).
	return container.NewBorder(nil, nil, container.NewHBox(p.panelTheme, widget.NewSeparator()), nil, stage)
}

// stamp marks the response about to be saved as assisted when the
// operator ticked the box (ui.Hooks.BeforeSave).
func (p *Panel) stamp(r *survey.Response) { r.Assisted = p.Assisted.Checked }

// status shows a message under the event tag, as an error or not.
func (p *Panel) status(text string, bad bool) {
	p.EventStatus.Importance = widget.SuccessImportance
	if bad {
		p.EventStatus.Importance = widget.DangerImportance
	}
	p.EventStatus.SetText(text)
	p.EventStatus.Show()
}

// saveEvent stores the typed event tag through settings, so that the
// kiosk stamps it on every response from the next welcome screen on. An
// empty tag ends outreach tagging.
func (p *Panel) saveEvent() {
	tag := cleanTag(p.Event.Text)
	if survey.CheckEventTag(tag) != nil { // the rule every response's tag meets
		p.status(p.tr.T("operator.event.too_long", map[string]any{"Max": MaxEventTag, "Len": utf8.RuneCountInString(tag)}), true)
		return
	}
	p.SaveEvent.Disable() // until the save is done
	p.update(func(c *settings.Config) { c.EventTag = tag }, func(ok bool) {
		if !ok {
			p.SaveEvent.Enable()
			return
		}
		p.event = tag
		p.Event.SetText(tag)
		p.SaveEvent.Disable()
		switch {
		case tag == "":
			p.status(p.tr.T("operator.event.cleared"), false)
		case p.k.Question != nil || p.k.SaveError != nil:
			// The citizen's response keeps the tag it started under.
			p.status(p.tr.T("operator.event.saved_next"), false)
		default:
			p.status(p.tr.T("operator.event.saved"), false)
		}
		if p.k.Welcome != nil {
			p.k.Home() // the welcome screen reloads the settings
		}
		p.refresh()
	})
}

// cleanTag is the event tag as stored: NFC, with runs of spaces and line
// breaks made one space, so that the same event typed twice is one tag.
func cleanTag(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// update changes the stored settings with change off the UI goroutine
// (Deps.Go), then calls done on it with whether they were saved; failures
// are reported on the panel.
func (p *Panel) update(change func(*settings.Config), done func(ok bool)) {
	p.d.Go(func() {
		ctx, cancel := p.op()
		defer cancel()
		cfg, err := settings.Load(ctx, p.d.Store)
		loaded := err == nil
		if loaded {
			change(&cfg)
			err = settings.Save(ctx, p.d.Store, cfg)
		}
		fyne.Do(func() {
			if err != nil {
				p.reportUpdate(loaded, err)
			}
			done(err == nil)
		})
	})
}

// reportUpdate shows why the settings could not be loaded or saved.
func (p *Panel) reportUpdate(loaded bool, err error) {
	if !loaded {
		p.d.Log.Error("operator: load settings", "err", err)
		p.status(p.tr.T("operator.error.load"), true)
		return
	}
	p.d.Log.Error("operator: save settings", "err", err)
	var pr settings.Problem
	switch {
	case asProblem(err, &pr):
		p.status(p.tr.T("operator.error.invalid", map[string]any{"Problem": pr.Text(p.tr.Lang())}), true)
	default:
		p.status(p.tr.T("operator.error.save"), true)
	}
}

// asProblem finds the first settings.Problem in err (settings.Validate
// joins them).
func asProblem(err error, pr *settings.Problem) bool {
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range m.Unwrap() {
			if asProblem(e, pr) {
				return true
			}
		}
		return false
	}
	if p, ok := err.(settings.Problem); ok {
		*pr = p
		return true
	}
	return false
}

// surveys returns the newest version of every survey the kiosk can run:
// the built-in ones and those pulled from the hub.
func (p *Panel) surveys(ctx context.Context) []*survey.Survey {
	defs, err := export.Definitions(ctx, p.d.Builtin, p.d.Store, "")
	if err != nil {
		p.d.Log.Error("operator: survey definitions", "err", err)
		defs = p.d.Builtin
	}
	return newest(defs)
}

// newest keeps the newest version of each survey, in first-seen order.
func newest(defs []*survey.Survey) []*survey.Survey {
	var out []*survey.Survey
	at := map[string]int{}
	for _, s := range defs {
		if s == nil {
			continue
		}
		i, seen := at[s.ID]
		switch {
		case !seen:
			at[s.ID] = len(out)
			out = append(out, s)
		case s.Version > out[i].Version:
			out[i] = s
		}
	}
	return out
}

// setSurveys shows the quick-switch list, unless it already shows the same
// surveys.
func (p *Panel) setSurveys(list []*survey.Survey) {
	same := len(list) == len(p.Surveys)
	for i := 0; same && i < len(list); i++ {
		same = list[i].ID == p.Surveys[i].ID && p.title(list[i]) == p.Surveys[i].Label.Text
	}
	if same {
		return
	}
	p.Surveys = nil
	var rows []fyne.CanvasObject
	for _, s := range list {
		c := p.newChoice(s)
		p.Surveys = append(p.Surveys, c)
		rows = append(rows, c.root())
	}
	p.surveyBox.Objects = rows
	p.panelTheme.Refresh() // themes the new rows too
	p.markActive()
}

func (p *Panel) title(s *survey.Survey) string { return s.Title.In(p.tr.Lang()) }

func (p *Panel) newChoice(s *survey.Survey) *SurveyChoice {
	id := s.ID
	c := &SurveyChoice{ID: id, Label: wrapped(p.title(s))}
	c.Label.SizeName = theme.SizeNameCaptionText
	c.Button = widget.NewButton("", func() { p.switchSurvey(id) })
	c.Button.Importance = widget.LowImportance
	c.icon = widget.NewIcon(theme.RadioButtonIcon())
	c.border = canvas.NewRectangle(nil)
	c.border.StrokeColor = theme.Color(theme.ColorNamePrimary)
	c.border.StrokeWidth = 3
	c.border.CornerRadius = 4
	c.border.Hide()
	return c
}

// root is the choice's canvas object: the button under the icon and the
// wrapped title.
func (c *SurveyChoice) root() fyne.CanvasObject {
	const icon = 20
	text := fixedWidth(c.Label, inner-icon-4*4)
	return container.NewStack(c.Button, c.border,
		container.NewBorder(nil, nil, container.NewCenter(c.icon), nil, text))
}

// markActive shows which survey runs.
func (p *Panel) markActive() {
	for _, c := range p.Surveys {
		on := c.ID == p.active
		c.border.Hidden = !on
		c.Label.TextStyle.Bold = on
		if on {
			c.icon.SetResource(theme.RadioButtonCheckedIcon())
		} else {
			c.icon.SetResource(theme.RadioButtonIcon())
		}
		c.border.Refresh()
		c.Label.Refresh()
	}
}

// switchSurvey makes id the active survey. When a citizen is answering,
// it asks first: switching ends their survey (saved as abandoned or
// discarded, per the survey's policy).
func (p *Panel) switchSurvey(id string) {
	if id == p.active && p.k.Question == nil {
		return
	}
	if p.k.Question != nil {
		p.switchTo = id
		title := id
		for _, c := range p.Surveys {
			if c.ID == id {
				title = c.Label.Text
			}
		}
		p.ConfirmText.SetText(p.tr.T("operator.switch.confirm", map[string]any{"Title": title}))
		p.Confirm.Show()
		p.bottom.Refresh() // a container's Show does not relayout
		return
	}
	p.doSwitch(id)
}

func (p *Panel) confirmSwitch() {
	id := p.switchTo
	p.cancelSwitch()
	if id != "" {
		p.doSwitch(id)
	}
}

func (p *Panel) cancelSwitch() {
	p.switchTo = ""
	p.Confirm.Hide()
	p.bottom.Refresh()
}

func (p *Panel) doSwitch(id string) {
	p.update(func(c *settings.Config) { c.ActiveSurvey = id }, func(ok bool) {
		if !ok {
			return
		}
		p.active = id
		p.markActive()
		p.k.Home() // ends a survey in progress, then shows the new one's welcome
	})
}

// saved runs after the kiosk saved a response (ui.Hooks.AfterSave): the
// assisted mark belongs to that response only, and the count moves on.
func (p *Panel) saved(*survey.Response) {
	p.Assisted.SetChecked(false)
	p.refresh()
}

// refresh counts the saved event's responses off the UI goroutine and
// shows the count; it also picks up surveys pulled from the hub since.
func (p *Panel) refresh() {
	p.seq++
	seq, event := p.seq, p.event
	if event == "" {
		p.Count.SetText(p.tr.T("operator.count.none"))
		p.CountDetail.SetText(p.tr.T("operator.count.none.hint"))
	}
	p.d.Go(func() {
		ctx, cancel := p.op()
		defer cancel()
		list := p.surveys(ctx)
		var c Counts
		var err error
		if event != "" {
			for r, e := range p.d.Store.Responses(ctx, store.Filter{EventTag: event}) {
				if e != nil {
					err = e
					break
				}
				count(&c, r)
			}
		}
		fyne.Do(func() {
			if seq != p.seq {
				return // a newer count is on its way
			}
			p.setSurveys(list)
			switch {
			case event == "":
			case err != nil:
				p.d.Log.Error("operator: count event responses", "event", event, "err", err)
				p.Count.SetText("—")
				p.CountDetail.SetText(p.tr.T("operator.error.count"))
			default:
				p.Count.SetText(p.tr.T("operator.count.total", map[string]any{"Count": c.Total}))
				p.CountDetail.SetText(p.tr.T("operator.count.detail", map[string]any{
					"Complete": c.Complete, "Abandoned": c.Abandoned, "Assisted": c.Assisted, "Flagged": c.Flagged,
				}))
			}
		})
	})
}

// EventTag returns the saved event tag.
func (p *Panel) EventTag() string { return p.event }
