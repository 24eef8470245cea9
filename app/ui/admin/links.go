package admin

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// linksTab ("Mã QR") edits the portal links shown as QR codes.
type linksTab struct {
	p       *Panel
	rows    []*linkRow
	list    *fyne.Container
	scroll  *container.Scroll
	add     *widget.Button
	save    *widget.Button
	reset   *widget.Button
	status  *widget.Label
	content fyne.CanvasObject
}

// linkRow is one link being edited.
type linkRow struct {
	vi, en, url   *widget.Entry
	up, down, del *widget.Button
	num, err      *widget.Label
	box           fyne.CanvasObject
}

func newLinksTab(p *Panel) *linksTab {
	t := &linksTab{p: p}
	t.list = container.NewVBox()
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	t.add = widget.NewButtonWithIcon(p.l("admin.links.add"), theme.ContentAddIcon(), func() {
		p.touch()
		t.rows = append(t.rows, t.newRow(settings.Link{Title: survey.Text{}}))
		t.changed()
		t.scroll.ScrollToBottom()
	})
	t.reset = widget.NewButtonWithIcon(p.l("admin.links.defaults"), theme.HistoryIcon(), func() {
		p.touch()
		t.setLinks(settings.DefaultLinks())
		t.changed()
	})
	t.save = widget.NewButtonWithIcon(p.l("admin.save"), theme.DocumentSaveIcon(), t.onSave)
	t.save.Importance = widget.HighImportance
	intro := widget.NewLabel(p.l("admin.links.intro"))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(minSized(t.add, 0, 56), minSized(t.reset, 0, 56), minSized(t.save, 200, 56))
	bottom := container.NewBorder(nil, nil, nil, buttons, t.status)
	t.scroll = container.NewVScroll(container.NewPadded(t.list))
	t.content = container.NewBorder(container.NewPadded(intro), container.NewPadded(bottom), nil, nil, t.scroll)
	ctx, cancel := p.op()
	defer cancel()
	c, err := settings.Load(ctx, p.d.Store)
	if err != nil {
		p.d.Log.Error("admin: load settings", "err", err)
		t.showStatus(p.l("admin.error.load"), true)
		t.save.Disable()
	}
	t.setLinks(c.Links)
	return t
}

func (t *linksTab) setLinks(links []settings.Link) {
	t.rows = nil
	for _, k := range links {
		t.rows = append(t.rows, t.newRow(k))
	}
	t.relayout()
}

func (t *linksTab) newRow(k settings.Link) *linkRow {
	r := &linkRow{vi: widget.NewEntry(), en: widget.NewEntry(), url: widget.NewEntry()}
	r.vi.SetText(k.Title["vi"])
	r.en.SetText(k.Title["en"])
	r.url.SetText(k.URL)
	r.url.SetPlaceHolder("https://")
	for _, e := range []*widget.Entry{r.vi, r.en, r.url} {
		e.OnChanged = func(string) { t.p.touch() }
	}
	r.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { t.move(r, -1) })
	r.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { t.move(r, 1) })
	r.del = widget.NewButtonWithIcon(t.p.l("admin.links.remove"), theme.DeleteIcon(), func() { t.remove(r) })
	r.del.Importance = widget.DangerImportance
	r.num = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.err = widget.NewLabel("")
	r.err.Importance = widget.DangerImportance
	r.err.Wrapping = fyne.TextWrapWord
	r.err.Hide()
	form := widget.NewForm(
		widget.NewFormItem(t.p.l("admin.links.title_vi"), t.p.typed(r.vi, t.p.l("admin.links.title_vi"))),
		widget.NewFormItem(t.p.l("admin.links.title_en"), t.p.typed(r.en, t.p.l("admin.links.title_en"))),
		widget.NewFormItem(t.p.l("admin.links.url"), t.p.typed(r.url, t.p.l("admin.links.url"))),
	)
	tools := container.NewVBox(minSized(r.up, 64, 48), minSized(r.down, 64, 48), minSized(r.del, 64, 48))
	r.box = widget.NewCard("", "", container.NewBorder(r.num, r.err, nil, tools, form))
	return r
}

func (t *linksTab) index(r *linkRow) int {
	for i, x := range t.rows {
		if x == r {
			return i
		}
	}
	return -1
}

func (t *linksTab) move(r *linkRow, by int) {
	t.p.touch()
	i := t.index(r)
	j := i + by
	if i < 0 || j < 0 || j >= len(t.rows) {
		return
	}
	t.rows[i], t.rows[j] = t.rows[j], t.rows[i]
	t.changed()
}

func (t *linksTab) remove(r *linkRow) {
	t.p.touch()
	if i := t.index(r); i >= 0 {
		t.rows = append(t.rows[:i], t.rows[i+1:]...)
	}
	t.changed()
}

func (t *linksTab) changed() {
	t.relayout()
	t.status.Importance = widget.WarningImportance
	t.status.SetText(t.p.l("admin.unsaved"))
}

func (t *linksTab) relayout() {
	objs := make([]fyne.CanvasObject, len(t.rows))
	for i, r := range t.rows {
		r.num.SetText(t.p.l("admin.links.number", map[string]any{"N": i + 1}))
		if i == 0 {
			r.up.Disable()
		} else {
			r.up.Enable()
		}
		if i == len(t.rows)-1 {
			r.down.Disable()
		} else {
			r.down.Enable()
		}
		objs[i] = r.box
	}
	if len(objs) == 0 {
		empty := widget.NewLabel(t.p.l("admin.links.none"))
		empty.Wrapping = fyne.TextWrapWord
		objs = append(objs, empty)
	}
	t.list.Objects = objs
	t.list.Refresh()
	if len(t.rows) >= settings.MaxLinks {
		t.add.Disable()
	} else {
		t.add.Enable()
	}
}

// links returns what the rows hold.
func (t *linksTab) links() []settings.Link {
	out := make([]settings.Link, len(t.rows))
	for i, r := range t.rows {
		title := survey.Text{"vi": r.vi.Text}
		if r.en.Text != "" {
			title["en"] = r.en.Text
		}
		out[i] = settings.Link{Title: title, URL: r.url.Text}
	}
	return out
}

// onSave validates the list and stores it only when every link is valid;
// reading the other settings and saving run off the UI goroutine.
func (t *linksTab) onSave() {
	t.p.touch()
	for _, r := range t.rows {
		r.err.SetText("")
		r.err.Hide()
	}
	links := t.links()
	t.save.Disable()
	t.status.Importance = widget.MediumImportance
	t.status.SetText(t.p.l("admin.saving"))
	t.p.background(func(ctx context.Context) func() {
		c, err := settings.Load(ctx, t.p.d.Store)
		if err != nil {
			return func() {
				t.save.Enable()
				t.p.d.Log.Error("admin: load settings", "err", err)
				t.showStatus(t.p.l("admin.error.load"), true)
			}
		}
		c.Links = links
		if bad := problems(c.Validate()); len(bad) > 0 {
			return func() { t.save.Enable(); t.showProblems(bad) }
		}
		err = settings.Save(ctx, t.p.d.Store, c)
		return func() { t.saved(c, err) }
	})
}

// showProblems puts each problem under its link, the others in the status.
func (t *linksTab) showProblems(bad []settings.Problem) {
	var other []string
	rowErrs := map[int][]string{}
	for _, pr := range bad {
		i := -1
		for j := range t.rows {
			if pr.Field == fieldName(j) {
				i = j
			}
		}
		if i >= 0 {
			rowErrs[i] = append(rowErrs[i], t.p.problemText(pr))
		} else {
			other = append(other, t.p.problemText(pr))
		}
	}
	for i, msgs := range rowErrs {
		t.rows[i].err.SetText(joinLines(msgs))
		t.rows[i].err.Show()
	}
	msg := t.p.l("admin.not_saved", map[string]any{"Count": len(bad)})
	if len(other) > 0 {
		msg += "\n" + joinLines(other)
	}
	t.showStatus(msg, true)
}

// saved takes the outcome of saving c.
func (t *linksTab) saved(c settings.Config, err error) {
	t.save.Enable()
	if err != nil {
		t.p.d.Log.Error("admin: save links", "err", err)
		t.showStatus(t.p.l("admin.error.save"), true)
		return
	}
	t.setLinks(c.Links) // shows the cleaned-up text
	t.showStatus(t.p.l("admin.saved", map[string]any{"Time": t.p.d.Now().In(vietnam()).Format("15:04")}), false)
	if t.p.d.OnSaved != nil {
		t.p.d.OnSaved(c)
	}
}

func (t *linksTab) showStatus(s string, isErr bool) {
	t.status.Importance = widget.SuccessImportance
	if isErr {
		t.status.Importance = widget.DangerImportance
	}
	t.status.SetText(s)
}

// fieldName is the settings.Problem field of link i.
func fieldName(i int) string { return fmt.Sprintf("links[%d]", i) }

func joinLines(s []string) string { return strings.Join(s, "\n") }
