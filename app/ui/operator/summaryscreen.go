package operator

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// SummaryScreen is "Tổng kết sự kiện", the event summary shown over the
// kiosk window at the end of the day: counts per survey and how they ended,
// and each survey's index per question, with figures resting on fewer than
// five responses shown as "< 5". It keeps its widgets in fields so that
// tests can reach them.
type SummaryScreen struct {
	p *Panel

	// Summary is the summary on show; nil until computed.
	Summary *Summary
	// Event names the event; Period says when it ran and how many
	// responses it got; Status says "computing", that there is nothing to
	// show, or what went wrong.
	Event, Period, Status *widget.Label
	// Rows are the per-survey counts; Questions the per-question figures.
	Rows      []*SurveyRow
	Questions []*QuestionRow
	// Refresh recomputes; Close returns to the kiosk.
	Refresh, Close *widget.Button
	// Scroll holds the tables.
	Scroll *container.Scroll

	body   *fyne.Container
	themed *container.ThemeOverride
	popup  *widget.PopUp
	width  float32 // of the body, for the table's first column
	seq    int
}

// SurveyRow is one survey's line in the counts table.
type SurveyRow struct {
	ID                                                          string
	Title, Total, Complete, Abandoned, Flagged, Assisted, Index *widget.Label
}

// QuestionRow is one rating question's line.
type QuestionRow struct {
	SurveyID, Code     string
	Text, Value, Count *widget.Label
}

// The summary's table: fixed number columns after a wide text column.
const (
	numberColumn = 124
	columnGap    = 8
	margin       = 16
)

// openSummary shows the summary of the saved event over the kiosk window.
func (p *Panel) openSummary() {
	if p.Summary != nil {
		p.Summary.compute()
		return
	}
	t := p.tr.T
	s := &SummaryScreen{p: p}
	title := widget.NewLabelWithStyle(t("operator.summary.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	s.Event = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Event.SizeName = theme.SizeNameSubHeadingText
	s.Event.Wrapping = fyne.TextWrapWord
	s.Period = wrapped("")
	s.Status = wrapped("")
	s.Refresh = widget.NewButtonWithIcon(t("operator.summary.refresh"), theme.ViewRefreshIcon(), s.compute)
	s.Close = widget.NewButtonWithIcon(t("operator.summary.close"), theme.CancelIcon(), s.close)
	s.Close.Importance = widget.HighImportance
	s.body = container.NewVBox()

	c := p.k.Window().Canvas()
	size := c.Size().Subtract(fyne.NewSquareSize(2 * margin))
	s.width = size.Width - 2*margin - 16 // the popup's padding and the scroll bar
	header := container.NewBorder(nil, nil, nil,
		container.NewHBox(container.NewCenter(s.Refresh), container.NewCenter(s.Close)),
		title)
	top := container.NewVBox(header, fixedWidth(s.Event, s.width), fixedWidth(s.Period, s.width), widget.NewSeparator())
	s.Scroll = container.NewVScroll(container.NewVBox(fixedWidth(s.Status, s.width), s.body))
	content := container.NewBorder(top, nil, nil, nil, s.Scroll)
	s.themed = container.NewThemeOverride(container.New(layout.NewCustomPaddedLayout(margin, margin, margin, margin), content), newCompactTheme())
	s.popup = widget.NewModalPopUp(s.themed, c)
	s.popup.Resize(size)
	p.Summary = s
	s.popup.Show()
	s.compute()
}

// close hides the summary.
func (s *SummaryScreen) close() {
	s.popup.Hide()
	s.p.Summary = nil
}

// compute summarises the saved event off the UI goroutine and shows it.
func (s *SummaryScreen) compute() {
	p := s.p
	event := p.event
	s.seq++
	seq := s.seq
	s.Event.SetText(event)
	s.Period.SetText("")
	s.Rows, s.Questions, s.Summary = nil, nil, nil
	s.body.Objects = nil
	s.body.Refresh()
	if event == "" {
		s.Event.SetText(p.tr.T("operator.summary.no_event"))
		s.Status.SetText(p.tr.T("operator.summary.no_event.hint"))
		return
	}
	s.Status.SetText(p.tr.T("operator.summary.computing"))
	s.Refresh.Disable()
	p.d.Go(func() {
		ctx, cancel := p.op()
		defer cancel()
		defs, err := export.Definitions(ctx, p.d.Builtin, p.d.Store, "")
		var sum *Summary
		if err == nil {
			sum, err = Summarize(ctx, event, defs, p.d.Store.Responses(ctx, store.Filter{EventTag: event}))
		}
		fyne.Do(func() {
			if seq != s.seq {
				return
			}
			s.Refresh.Enable()
			if err != nil {
				p.d.Log.Error("operator: event summary", "event", event, "err", err)
				s.Status.SetText(p.tr.T("operator.summary.error"))
				return
			}
			s.show(sum)
		})
	})
}

// show fills the screen from sum.
func (s *SummaryScreen) show(sum *Summary) {
	t, lang := s.p.tr.T, s.p.tr.Lang()
	s.Summary = sum
	tot := sum.Totals
	if tot.Total == 0 {
		s.Status.SetText(t("operator.summary.empty"))
		return
	}
	s.Status.SetText(t("operator.summary.note"))
	loc := survey.Location()
	when := func(at time.Time) string { return at.In(loc).Format("15:04 02/01/2006") }
	s.Period.SetText(t("operator.summary.period", map[string]any{
		"From": when(sum.First), "To": when(sum.Last), "Count": tot.Total,
	}))

	// Six number columns and the survey's title share the width: on a
	// narrow window the numbers give up some of theirs first.
	numW := max(90, min(numberColumn, (s.width-180)/6-columnGap))
	first := max(180, s.width-6*(numW+columnGap))
	row := func(cells ...fyne.CanvasObject) fyne.CanvasObject {
		ws := make([]float32, len(cells)-1)
		for i := range ws {
			ws[i] = numW
		}
		return container.New(columnsLayout{first: first, widths: ws, gap: columnGap}, cells...)
	}
	head := func(key string) *widget.Label {
		l := widget.NewLabelWithStyle(t(key), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	num := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignTrailing, fyne.TextStyle{})
	}
	itoa := strconv.Itoa
	surveyHead := head("operator.summary.col.survey")
	surveyHead.Alignment = fyne.TextAlignLeading
	objs := []fyne.CanvasObject{
		row(surveyHead, head("operator.summary.col.total"), head("operator.summary.col.complete"),
			head("operator.summary.col.abandoned"), head("operator.summary.col.flagged"),
			head("operator.summary.col.assisted"), head("operator.summary.col.index")),
		widget.NewSeparator(),
	}
	for _, sv := range sum.Surveys {
		title := sv.Title.In(lang)
		if title == "" {
			title = t("operator.summary.unknown_survey", map[string]any{"ID": sv.ID})
		}
		c := sv.Counts
		r := &SurveyRow{ID: sv.ID, Title: wrapped(title),
			Total: num(itoa(c.Total)), Complete: num(itoa(c.Complete)), Abandoned: num(itoa(c.Abandoned)),
			Flagged: num(itoa(c.Flagged)), Assisted: num(itoa(c.Assisted)), Index: num(sv.Index.Format(lang))}
		r.Index.TextStyle.Bold = true
		s.Rows = append(s.Rows, r)
		objs = append(objs, row(r.Title, r.Total, r.Complete, r.Abandoned, r.Flagged, r.Assisted, r.Index))
	}
	c := tot
	totalLabel := widget.NewLabelWithStyle(t("operator.summary.all"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bold := func(n int) *widget.Label {
		l := num(itoa(n))
		l.TextStyle.Bold = true
		return l
	}
	objs = append(objs, widget.NewSeparator(),
		row(totalLabel, bold(c.Total), bold(c.Complete), bold(c.Abandoned), bold(c.Flagged), bold(c.Assisted), widget.NewLabel("")))

	// Per question: text, share of satisfied answers, answers behind it.
	qrow := func(cells ...fyne.CanvasObject) fyne.CanvasObject {
		return container.New(columnsLayout{first: max(200, s.width-2*(numberColumn+40+columnGap)),
			widths: []float32{numberColumn + 40, numberColumn + 40}, gap: columnGap}, cells...)
	}
	idxTitle := widget.NewLabelWithStyle(t("operator.summary.questions"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	idxTitle.SizeName = theme.SizeNameSubHeadingText
	objs = append(objs, spacer(12), idxTitle)
	qHead := head("operator.summary.col.question")
	qHead.Alignment = fyne.TextAlignLeading
	objs = append(objs, qrow(qHead, head("operator.summary.col.share"), head("operator.summary.col.answers")))
	for _, sv := range sum.Surveys {
		if len(sv.Questions) == 0 {
			continue
		}
		title := sv.Title.In(lang)
		if title == "" {
			title = sv.ID
		}
		st := widget.NewLabelWithStyle(t("operator.summary.survey_index", map[string]any{
			"Title": title, "Index": sv.Index.Format(lang),
		}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		st.Wrapping = fyne.TextWrapWord
		objs = append(objs, widget.NewSeparator(), fixedWidth(st, s.width))
		for _, q := range sv.Questions {
			r := &QuestionRow{SurveyID: sv.ID, Code: q.Code, Text: wrapped(q.Text.In(lang)),
				Value: num(q.Figure.Format(lang)), Count: num(q.Figure.Count())}
			r.Value.TextStyle.Bold = true
			s.Questions = append(s.Questions, r)
			objs = append(objs, qrow(r.Text, r.Value, r.Count))
		}
	}
	s.body.Objects = objs
	s.themed.Refresh() // themes the new rows too
	s.Scroll.Refresh() // and sizes the tables in that theme
}

// spacer is an empty gap of the given height.
func spacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}
