package reportui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/ui/internal/dropdown"
)

// Stats is the "Thống kê" tab: the satisfaction index for a choice of days,
// a bar per question and per SIPAS element, a line over the days, and the
// counts of abandoned and flagged responses. It keeps its widgets in fields
// so tests can reach them.
type Stats struct {
	ctx context.Context
	d   Deps
	tr  *i18n.Translator

	// Range picks the days (its options are the translated preset names).
	Range *dropdown.Select
	// Refresh recomputes.
	Refresh *widget.Button
	// Index is the overall figure; Counts the totals; Status shows
	// "computing" or an error.
	Index, Counts, Status *widget.Label
	// Questions, Elements and Trend hold the charts.
	Questions, Elements, Trend *fyne.Container

	// Report is the last report shown (nil before the first).
	Report *report.Report
	// Bars are the bars on screen, questions first, then elements.
	Bars []*bar

	presets map[string]preset
	content fyne.CanvasObject
	gen     int // counts loads, so that a slow earlier one cannot overwrite a later one
}

// NewStats builds the statistics tab and starts computing for the last 30
// days.
func NewStats(ctx context.Context, d Deps) *Stats {
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		d.Log.Error("stats tab: translations", "err", err)
	}
	s := &Stats{ctx: ctx, d: d, tr: tr, presets: map[string]preset{}}
	s.build()
	s.load()
	return s
}

// Content returns the tab's canvas object.
func (s *Stats) Content() fyne.CanvasObject { return s.content }

func (s *Stats) build() {
	var names []string
	for _, p := range []preset{preset7Days, preset30Days, presetMonth, presetLastMonth, presetAll} {
		name := s.tr.T("report.range." + string(p))
		s.presets[name] = p
		names = append(names, name)
	}
	s.Range = dropdown.New(names, func(string) { s.load() })
	s.Range.Selected = names[1] // the last 30 days; set without triggering a load
	s.Refresh = widget.NewButton(s.tr.T("report.stats.refresh"), s.load)
	s.Index = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.Index.SizeName = theme.SizeNameSubHeadingText
	s.Index.Wrapping = fyne.TextWrapWord
	s.Counts = widget.NewLabel("")
	s.Counts.Wrapping = fyne.TextWrapWord
	s.Status = widget.NewLabel("")
	s.Status.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel(s.tr.T("report.stats.note"))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	s.Questions, s.Elements, s.Trend = container.NewVBox(), container.NewVBox(), container.NewVBox()
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(s.tr.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.content = container.NewVScroll(container.NewVBox(
		container.NewBorder(nil, nil, bold("report.stats.title"), s.Refresh, s.Range),
		s.Status, s.Index, s.Counts, note,
		widget.NewSeparator(), s.Elements,
		bold("report.stats.questions"), s.Questions,
		widget.NewSeparator(), bold("report.stats.trend"), s.Trend,
	))
}

// load computes the report for the chosen days in the background.
func (s *Stats) load() {
	p := s.presets[s.Range.Selected]
	dd := presetDays(p, s.d.Now())
	s.Status.Show()
	s.Status.SetText(s.tr.T("report.stats.loading"))
	s.Status.Importance = widget.MediumImportance
	s.Status.Refresh()
	s.Refresh.Disable()
	s.gen++
	gen := s.gen
	s.d.Go(func() {
		rep, err := s.compute(dd)
		fyne.Do(func() {
			if gen != s.gen {
				return // a newer load is on its way
			}
			s.Refresh.Enable()
			if err != nil {
				s.d.Log.Error("stats tab: compute", "err", err)
				s.Status.SetText(s.tr.T("report.stats.error"))
				s.Status.Importance = widget.DangerImportance
				s.Status.Refresh()
				return
			}
			s.Status.SetText("")
			s.Status.Hide()
			s.show(rep, dd)
		})
	})
}

func (s *Stats) compute(dd days) (*report.Report, error) {
	defs, err := export.Definitions(s.ctx, s.d.Builtin, s.d.Store, "")
	if err != nil {
		return nil, err
	}
	return report.Compute(s.ctx, defs, s.d.Store.Responses(s.ctx, dd.filter()), report.Options{})
}

// show puts rep on screen. It runs on the UI goroutine.
func (s *Stats) show(rep *report.Report, dd days) {
	s.Report = rep
	lang := s.d.Lang
	switch {
	case rep.Overall.Index.NoData():
		s.Index.SetText(s.tr.T("report.stats.index_nodata"))
	case rep.Overall.Index.Suppressed:
		s.Index.SetText(s.tr.T("report.stats.index_suppressed"))
	default:
		s.Index.SetText(s.tr.T("report.stats.index", map[string]any{"Value": rep.Overall.Index.Format(lang), "N": number(rep.Overall.Index.N, lang)}))
	}
	t := rep.Totals
	s.Counts.SetText(s.tr.T("report.stats.counts", map[string]any{
		"Total": number(t.Responses, lang), "Complete": number(t.Complete, lang),
		"Abandoned": number(t.Abandoned, lang), "Flagged": number(t.Flagged, lang),
	}))
	text := func(f report.Figure) string {
		switch {
		case f.NoData():
			return s.tr.T("report.stats.nodata")
		case f.Secondary:
			return s.tr.T("report.stats.hidden")
		case f.Suppressed:
			return report.SuppressedText
		}
		return s.tr.T("report.stats.bar", map[string]any{"Value": f.Format(lang), "N": number(f.N, lang)})
	}
	s.Bars = nil
	var qs []barItem
	inUse := map[string]bool{} // SIPAS elements of the surveys answered
	for i, q := range rep.Questions {
		if t.BySurvey[q.SurveyID] == 0 {
			continue // a survey not used in these days
		}
		if q.Element != "" {
			inUse[q.Element] = true
		}
		qs = append(qs, barItem{Label: q.Text.In(lang), Figure: rep.Overall.Questions[i], Text: text(rep.Overall.Questions[i])})
	}
	s.Questions.RemoveAll()
	if len(qs) == 0 || t.Counted == 0 {
		s.Questions.Add(widget.NewLabel(s.tr.T("report.stats.none")))
	} else {
		chart, bars := barChart(qs)
		s.Bars = append(s.Bars, bars...)
		s.Questions.Add(chart)
	}
	s.Elements.RemoveAll()
	if len(inUse) > 0 {
		var es []barItem
		for i, e := range rep.Elements {
			if !inUse[e] {
				continue
			}
			label := e
			if key := "report.element." + e; s.tr.Has(key) {
				label = s.tr.T(key)
			}
			es = append(es, barItem{Label: label, Figure: rep.Overall.Elements[i], Text: text(rep.Overall.Elements[i])})
		}
		chart, bars := barChart(es)
		s.Bars = append(s.Bars, bars...)
		s.Elements.Add(widget.NewLabelWithStyle(s.tr.T("report.stats.elements"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		s.Elements.Add(chart)
	}
	s.Trend.RemoveAll()
	if len(rep.Days) > 0 && t.Counted > 0 {
		var pts []trendPoint
		for _, g := range rep.Days {
			pts = append(pts, trendPoint{Label: g.Start.Format("02/01"), Figure: g.Index, Mark: text(g.Index)})
		}
		chart, _ := trendChart(pts)
		s.Trend.Add(chart)
	}
	s.content.Refresh()
}
