package admin

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/ui/internal/dropdown"
)

// generalTab ("Chung") edits the kiosk's place, survey and timeouts.
type generalTab struct {
	p *Panel

	agency, servicePoint, eventTag *widget.Entry
	maskDigits                     *widget.Check
	survey                         *dropdown.Select
	surveyIDs                      []string // parallel to survey.Options
	idle, thanks, misuse           *secondsField
	keepSynced                     *secondsField    // days, not seconds
	rt                             *i18n.Translator // the retention area's texts
	// errs holds the error label under each field, by settings.Problem.Field.
	errs    map[string]*widget.Label
	status  *widget.Label
	save    *widget.Button
	scroll  *container.Scroll
	loaded  settings.Config
	content fyne.CanvasObject
}

// secondsField is a number of seconds with big − and + buttons.
type secondsField struct {
	entry       *widget.Entry
	minus, plus *widget.Button
	step        int
}

func newSecondsField(step int, touch func()) *secondsField {
	f := &secondsField{entry: widget.NewEntry(), step: step}
	f.entry.OnChanged = func(string) { touch() }
	f.minus = widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() { touch(); f.add(-f.step) })
	f.plus = widget.NewButtonWithIcon("", theme.ContentAddIcon(), func() { touch(); f.add(f.step) })
	return f
}

func (f *secondsField) set(d time.Duration) { f.entry.SetText(strconv.Itoa(int(d / time.Second))) }

func (f *secondsField) add(n int) {
	v, err := strconv.Atoi(strings.TrimSpace(f.entry.Text))
	if err != nil {
		v = 0
	}
	f.entry.SetText(strconv.Itoa(max(0, v+n)))
}

// value parses the entry; ok is false when it is not a whole number.
func (f *secondsField) value() (time.Duration, bool) {
	n, ok := f.number()
	return time.Duration(n) * time.Second, ok
}

// number parses the entry as a whole number, 0 or more.
func (f *secondsField) number() (int, bool) {
	s := strings.TrimSpace(norm.NFC.String(f.entry.Text))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func (f *secondsField) object(unit string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, minSized(f.minus, 64, 48),
		container.NewHBox(minSized(f.plus, 64, 48), widget.NewLabel(unit)), f.entry)
}

func newGeneralTab(p *Panel) *generalTab {
	g := &generalTab{p: p, errs: map[string]*widget.Label{}}
	touch := func(string) { p.touch() }
	g.agency = widget.NewEntry()
	g.agency.OnChanged = touch
	g.servicePoint = widget.NewEntry()
	g.servicePoint.OnChanged = touch
	g.eventTag = widget.NewEntry()
	g.eventTag.OnChanged = touch
	g.eventTag.SetPlaceHolder(p.l("admin.general.event_tag.placeholder"))
	g.maskDigits = widget.NewCheck(p.l("admin.general.mask_digits"), func(bool) { p.touch() })
	g.survey = dropdown.New(nil, touch)
	g.survey.PlaceHolder = p.l("admin.general.survey.placeholder")
	g.idle = newSecondsField(5, p.touch)
	g.thanks = newSecondsField(1, p.touch)
	g.misuse = newSecondsField(1, p.touch)
	g.keepSynced = newSecondsField(30, p.touch)
	var err error
	if g.rt, err = i18n.New("retention", p.tr.Lang()); err != nil {
		p.d.Log.Error("admin: retention texts", "err", err)
		g.rt = p.tr // shows the keys: better than no field
	}
	g.status = widget.NewLabel("")
	g.status.Wrapping = fyne.TextWrapWord
	g.save = widget.NewButtonWithIcon(p.l("admin.save"), theme.DocumentSaveIcon(), g.onSave)
	g.save.Importance = widget.HighImportance

	field := func(name, label, help string, input fyne.CanvasObject) fyne.CanvasObject {
		e := widget.NewLabel("")
		e.Importance = widget.DangerImportance
		e.Wrapping = fyne.TextWrapWord
		e.Hide()
		g.errs[name] = e
		title := widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord // fields share rows
		objs := []fyne.CanvasObject{title, input}
		if help != "" {
			h := widget.NewLabel(help)
			h.Wrapping = fyne.TextWrapWord
			h.Importance = widget.LowImportance
			objs = append(objs, h)
		}
		return container.NewVBox(append(objs, e)...)
	}
	form := container.NewVBox(
		container.NewGridWithColumns(2,
			field("agency", p.l("admin.general.agency"), "", p.typed(g.agency, p.l("admin.general.agency"))),
			field("service_point", p.l("admin.general.service_point"), p.l("admin.general.service_point.help"), p.typed(g.servicePoint, p.l("admin.general.service_point"))),
		),
		container.NewGridWithColumns(2,
			field("active_survey", p.l("admin.general.survey"), "", g.survey),
			field("event_tag", p.l("admin.general.event_tag"), p.l("admin.general.event_tag.help"), p.typed(g.eventTag, p.l("admin.general.event_tag"))),
		),
		container.NewGridWithColumns(3,
			field("idle_timeout", p.l("admin.general.idle"), p.l("admin.general.idle.help"), g.idle.object(p.l("admin.general.seconds"))),
			field("thank_you_timeout", p.l("admin.general.thanks"), p.l("admin.general.thanks.help"), g.thanks.object(p.l("admin.general.seconds"))),
			field("misuse_interval", p.l("admin.general.misuse"), p.l("admin.general.misuse.help"), g.misuse.object(p.l("admin.general.seconds"))),
		),
		field("mask_digits", p.l("admin.general.comments"), p.l("admin.general.mask_digits.help"), g.maskDigits),
		field("keep_synced_days", g.rt.T("retention.keep_synced"), g.rt.T("retention.keep_synced.help"), g.keepSynced.object(g.rt.T("retention.days"))),
	)
	bottom := container.NewBorder(nil, nil, nil, minSized(g.save, 200, 56), g.status)
	g.scroll = container.NewVScroll(container.NewPadded(form))
	g.content = container.NewBorder(nil, container.NewPadded(bottom), nil, nil, g.scroll)
	g.load()
	return g
}

// load fills the form from the stored configuration, read off the UI
// goroutine; Save waits for it.
func (g *generalTab) load() {
	g.save.Disable()
	g.p.background(func(ctx context.Context) func() {
		c, err := settings.Load(ctx, g.p.d.Store)
		return func() { g.fill(c, err) }
	})
}

// fill shows c, or the error that kept it from being read.
func (g *generalTab) fill(c settings.Config, err error) {
	if err != nil {
		g.p.d.Log.Error("admin: load settings", "err", err)
		g.showStatus(g.p.l("admin.error.load"), true)
		c = settings.Default() // Save stays disabled: it would overwrite what could not be read
	} else {
		g.save.Enable()
	}
	g.loaded = c
	g.agency.SetText(c.Agency)
	g.servicePoint.SetText(c.ServicePoint)
	g.eventTag.SetText(c.EventTag)
	g.maskDigits.SetChecked(c.MaskDigits)
	g.idle.set(c.IdleTimeout)
	g.thanks.set(c.ThankYouTimeout)
	g.misuse.set(c.MisuseInterval)
	g.keepSynced.entry.SetText(strconv.Itoa(c.KeepSyncedDays))
	g.fillSurveys(c.ActiveSurvey)
}

// fillSurveys lists the available surveys and selects active; an active
// survey missing from the list is shown so the admin sees what is wrong.
func (g *generalTab) fillSurveys(active string) {
	var opts []string
	g.surveyIDs = nil
	sel := -1
	for _, s := range g.p.d.Surveys() {
		title := s.Title.In("vi")
		if g.p.english() {
			title = s.Title.In("en")
		}
		opts = append(opts, g.p.l("admin.general.survey.option", map[string]any{"Title": title, "ID": s.ID, "Version": s.Version}))
		if s.ID == active {
			sel = len(g.surveyIDs)
		}
		g.surveyIDs = append(g.surveyIDs, s.ID)
	}
	if sel < 0 && active != "" {
		opts = append(opts, g.p.l("admin.general.survey.missing", map[string]any{"ID": active}))
		sel = len(g.surveyIDs)
		g.surveyIDs = append(g.surveyIDs, active)
	}
	g.survey.SetOptions(opts)
	if sel >= 0 {
		g.survey.SetSelectedIndex(sel)
	}
}

func (g *generalTab) available(id string) bool {
	for _, s := range g.p.d.Surveys() {
		if s.ID == id {
			return true
		}
	}
	return false
}

// onSave checks the form and stores it only when every field is valid.
func (g *generalTab) onSave() {
	g.p.touch()
	for _, e := range g.errs {
		e.SetText("")
		e.Hide()
	}
	c := g.loaded
	c.Agency = g.agency.Text
	c.ServicePoint = g.servicePoint.Text
	c.EventTag = g.eventTag.Text
	c.MaskDigits = g.maskDigits.Checked
	c.ActiveSurvey = ""
	if i := g.survey.SelectedIndex(); i >= 0 && i < len(g.surveyIDs) {
		c.ActiveSurvey = g.surveyIDs[i]
	}
	bad := map[string]string{}
	secs := func(f *secondsField, name string, dst *time.Duration) {
		d, ok := f.value()
		if !ok {
			bad[name] = g.p.l("admin.general.not_seconds")
			return
		}
		*dst = d
	}
	secs(g.idle, "idle_timeout", &c.IdleTimeout)
	secs(g.thanks, "thank_you_timeout", &c.ThankYouTimeout)
	secs(g.misuse, "misuse_interval", &c.MisuseInterval)
	if n, ok := g.keepSynced.number(); ok {
		c.KeepSyncedDays = n
	} else {
		bad["keep_synced_days"] = g.rt.T("retention.not_days")
	}
	var other []string
	for _, pr := range problems(c.Validate()) {
		if _, seen := bad[pr.Field]; seen {
			continue // "not a number" says more than the range
		}
		if _, ok := g.errs[pr.Field]; ok {
			bad[pr.Field] = g.p.problemText(pr)
		} else {
			other = append(other, g.p.problemText(pr))
		}
	}
	if c.ActiveSurvey != "" && !g.available(c.ActiveSurvey) {
		if _, seen := bad["active_survey"]; !seen {
			bad["active_survey"] = g.p.l("admin.general.survey.unavailable", map[string]any{"ID": c.ActiveSurvey})
		}
	}
	if len(bad) > 0 || len(other) > 0 {
		for name, msg := range bad {
			g.errs[name].SetText(msg)
			g.errs[name].Show()
		}
		// Bring the first problem into view, in the form's order.
		for _, name := range []string{"agency", "service_point", "active_survey", "event_tag",
			"idle_timeout", "thank_you_timeout", "misuse_interval", "keep_synced_days"} {
			if _, ok := bad[name]; ok {
				scrollTo(g.scroll, g.errs[name])
				break
			}
		}
		msg := g.p.l("admin.not_saved", map[string]any{"Count": len(bad) + len(other)})
		if len(other) > 0 {
			msg += "\n" + strings.Join(other, "\n")
		}
		g.showStatus(msg, true)
		return
	}
	// Saved off the UI goroutine; the button says so at once.
	g.save.Disable()
	g.status.Importance = widget.MediumImportance
	g.status.SetText(g.p.l("admin.saving"))
	g.p.background(func(ctx context.Context) func() {
		// Only what the form changed: the links tab, or enrollment taking
		// the hub's service point, may have saved other fields since.
		cur, err := settings.Load(ctx, g.p.d.Store)
		if err == nil {
			c = settings.Edits(g.loaded, c, cur)
			err = settings.Save(ctx, g.p.d.Store, c)
		}
		return func() { g.saved(c, err) }
	})
}

// saved takes the outcome of saving c.
func (g *generalTab) saved(c settings.Config, err error) {
	g.save.Enable()
	if err != nil {
		g.p.d.Log.Error("admin: save settings", "err", err)
		g.showStatus(g.p.l("admin.error.save"), true)
		return
	}
	g.loaded = c
	g.load()
	g.showStatus(g.p.l("admin.saved", map[string]any{"Time": g.p.d.Now().In(vietnam()).Format("15:04")}), false)
	if g.p.d.OnSaved != nil {
		g.p.d.OnSaved(c)
	}
}

func (g *generalTab) showStatus(s string, isErr bool) {
	g.status.Importance = widget.SuccessImportance
	if isErr {
		g.status.Importance = widget.DangerImportance
	}
	g.status.SetText(s)
}
