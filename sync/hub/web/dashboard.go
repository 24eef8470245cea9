package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// elementNames are the keys of the SIPAS elements' names as the city
// writes them.
var elementNames = map[string]string{
	"tiep-can":  "web.element.tiep_can",
	"thu-tuc":   "web.element.thu_tuc",
	"cong-chuc": "web.element.cong_chuc",
	"ket-qua":   "web.element.ket_qua",
	"phan-anh":  "web.element.phan_anh",
}

type option struct {
	Value, Label string
	Selected     bool
}

type surveyOption = option

type figureView struct {
	Name  string
	Value string // "86,5 %", "< 5", "ẩn" or "chưa có dữ liệu"
	Count string // responses: always a count
	// State is "ok", "suppressed", "hidden" or "nodata", for the page's styles.
	State string
}

type deviceRow struct {
	Name, ID, ServicePoint string
	Count                  int
}

type dashView struct {
	Admin, CSRF string
	// Alerting are the service points with an active dissatisfied share
	// alert (the banner that links /alerts); HelpLate counts the help
	// requests with an active wait alert (the banner that links /help).
	Alerting []string
	// AlertingList is Alerting as the banner lists it.
	AlertingList string
	HelpLate     int
	// Role names the admin's role, in words.
	Role  hub.Role
	Form  filterForm
	Error string
	// Choices are the known service points matching what was typed, when
	// more than one does; each with the dashboard URL choosing it.
	Choices []option
	Surveys []surveyOption
	// Points are the service points the hub knows, for the search list.
	Points  []string
	Devices []option
	Periods []option
	// PeriodLinks switch the trend's period keeping the filters.
	PeriodLinks []option
	Period      string // "day", "week" or "month"
	Totals      report.Totals
	Overall     figureView
	// Elements, Bars and ServicePoints are the figure tables; Bars grouped
	// by survey.
	Elements      []figureView
	Bars          []barGroup
	Trend         lineChart
	ServicePoints []figureView
	// Coverage is the coverage table; HasFiles says whether the hub
	// records files returned at all (Config.Files).
	Coverage []coverageView
	HasFiles bool
	// SlipRows is the slip figures table (Config.SlipPrints set), shown
	// in place of Coverage.
	SlipRows []slipRowView
	// CanPrintSlips shows the button to the slips page (Config.Slips set,
	// role admin).
	CanPrintSlips bool
	// SlipCounts is the line on slip ratings, from SlipRows' total; nil
	// without the slip figures.
	SlipCounts *slipCountsView
	DeviceRows []deviceRow
	// Gaps lists the devices with numbers the hub never received, in
	// the texts of GapTexts.
	Gaps     []gapRow
	GapTexts map[string]string
	Export   map[string]string // format → export URL with the filters
	// Feedback are the feedback figures per service point, every case
	// so far (Config.Feedback); nil without one.
	Feedback []figureRow
	// Help are the help figures per service point and the open count
	// (Config.Help); nil without one.
	Help *dashHelp
}

// dashHelp is the dashboard's help section.
type dashHelp struct {
	T       map[string]string
	Figures []helpFigureRow
	Open    int
}

// gapRow is one device with missing numbers.
type gapRow struct {
	Name, ID, ServicePoint  string
	Mark, Received, Missing int64
	Numbers                 string // "3-4, 8, 10", the first maxGapRuns runs
	More                    string // how many runs more, in words, or ""
}

// maxGapRuns is how many runs of missing numbers a row shows.
const maxGapRuns = 20

// gapTextKeys are the texts of the gaps section (assets/i18n/sync).
var gapTextKeys = []string{"title", "note", "device", "mark", "received", "missing", "numbers"}

// gapRows lists the devices of gs that have missing numbers, in the
// translator's language, by device name.
func gapRows(gs []hub.DeviceGaps, devices []*hub.Device, tr *i18n.Translator) []gapRow {
	byID := map[string]*hub.Device{}
	for _, d := range devices {
		byID[d.ID] = d
	}
	var out []gapRow
	for _, g := range gs {
		if len(g.Missing) == 0 {
			continue
		}
		row := gapRow{ID: g.DeviceID, Name: g.DeviceID, Mark: g.Mark, Received: g.Received, Missing: g.MissingCount()}
		if d := byID[g.DeviceID]; d != nil {
			row.Name, row.ServicePoint = d.Name, d.ServicePoint
		}
		runs := g.Missing[:min(len(g.Missing), maxGapRuns)]
		parts := make([]string, len(runs))
		for i, r := range runs {
			parts[i] = r.String()
		}
		row.Numbers = strings.Join(parts, ", ")
		if n := len(g.Missing) - len(runs); n > 0 {
			row.More = tr.T("sync.gaps.more", map[string]any{"Count": n})
		}
		out = append(out, row)
	}
	coll := collate.New(language.Vietnamese)
	slices.SortFunc(out, func(a, b gapRow) int {
		return cmp.Or(coll.CompareString(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// periods are the trend's periods, their labels keys of the web area.
var periods = []option{{Value: "day", Label: "web.period.day"}, {Value: "week", Label: "web.period.week"}, {Value: "month", Label: "web.period.month"}}

func (d *Dashboard) dashboard(w http.ResponseWriter, r *http.Request, sess *session) {
	x := d.tr(r)
	view := dashView{Admin: sess.admin, Role: sess.role, CSRF: sess.csrf, Export: map[string]string{}, Period: "day"}
	if d.cfg.Alerts != nil {
		as, err := d.cfg.Alerts.Alerts(r.Context())
		if err != nil {
			d.log.Error("dashboard: alerts", "err", err)
		}
		for _, a := range as {
			switch {
			case !a.Active:
			case a.Rule == hub.RuleHelpWait:
				view.HelpLate++
			default:
				view.Alerting = append(view.Alerting, a.ServicePoint)
			}
		}
	}
	view.AlertingList = strings.Join(view.Alerting, ", ")
	q := r.URL.Query()
	form, formErr := formOf(q, append([]string{"period", langParam}, filterParams...)...)
	view.Form = form
	if p := q.Get("period"); p != "" {
		view.Period = p
	}
	for _, p := range periods {
		p.Selected, p.Label = p.Value == view.Period, x.T(p.Label)
		view.Periods = append(view.Periods, p)
	}
	defs, err := d.cfg.Surveys(r.Context())
	if err != nil {
		d.log.Error("dashboard: load surveys", "err", err)
		view.Error = d.tr(r).T("web.error.surveys")
		d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	devices, err := d.cfg.Data.Devices(r.Context())
	if err != nil {
		d.log.Error("dashboard: load devices", "err", err)
		view.Error = d.tr(r).T("web.error.devices")
		d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	view.Surveys = surveyOptions(x, defs, form.Survey)
	view.Devices = deviceOptions(x, devices, form.Device)
	if formErr == nil && !slices.ContainsFunc(periods, func(p option) bool { return p.Value == view.Period }) {
		formErr = problem("web.filter.period", "Period", strconv.Quote(view.Period))
	}
	f, err := form.filter()
	if formErr != nil {
		err = formErr
	}
	if err != nil {
		view.Error = x.text(err)
		d.render(w, r, http.StatusBadRequest, "dashboard.html", view)
		return
	}
	// The responses per service point and device matching every filter
	// but the service point, from the store's rollup: they list the points
	// seen, so the typed text is matched against every known point, and
	// fill the device table.
	typed := f.ServicePoint
	f.ServicePoint = ""
	counts, err := d.cfg.Data.DeviceCounts(r.Context(), f)
	if err != nil {
		d.log.Error("dashboard: device counts", "err", err)
		view.Error = d.tr(r).T("web.dashboard.error_figures")
		d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	known := map[string]bool{}
	for _, dev := range devices {
		if dev.ServicePoint != "" {
			known[dev.ServicePoint] = true
		}
	}
	for _, c := range counts {
		known[c.ServicePoint] = true
	}
	for p := range known {
		view.Points = append(view.Points, p)
	}
	coll := collate.New(language.Vietnamese)
	slices.SortFunc(view.Points, func(a, b string) int { return coll.CompareString(a, b) })
	chosen, choices := matchPoint(typed, view.Points)
	if typed != "" && chosen == "" {
		if len(choices) == 0 {
			view.Error = x.T("web.dashboard.no_point", "Typed", typed)
			d.render(w, r, http.StatusBadRequest, "dashboard.html", view)
			return
		}
		view.Error = x.T("web.dashboard.points", "Count", len(choices), "Typed", typed)
		for _, c := range choices {
			cq := form.query()
			cq.Set("service_point", c)
			if view.Period != "day" {
				cq.Set("period", view.Period)
			}
			view.Choices = append(view.Choices, option{Value: "/dashboard?" + cq.Encode(), Label: c})
		}
		d.render(w, r, http.StatusOK, "dashboard.html", view)
		return
	}
	form.ServicePoint = chosen
	view.Form = form
	for _, p := range view.Periods {
		pq := form.query()
		pq.Set("period", p.Value)
		view.PeriodLinks = append(view.PeriodLinks, option{Value: "/dashboard?" + pq.Encode(), Label: p.Label, Selected: p.Selected})
	}
	for _, format := range []string{"xlsx", "csv", "jsonl"} {
		eq := form.query()
		eq.Set("format", format)
		if x.lang != "vi" { // the files' headings in the page's language
			eq.Set("lang", x.lang)
		}
		view.Export[format] = "/api/v1/export?" + eq.Encode()
	}
	f.ServicePoint = chosen
	// The slip figures tally the report's own cells as they pass.
	var src hub.ReportSource = d.cfg.Data
	var tally hub.SlipTally
	if d.cfg.Files != nil && d.cfg.SlipPrints != nil && hub.DayAligned(f) {
		tally = hub.SlipTally{}
		src = tallying{d.cfg.Data, tally}
	}
	rep, err := hub.Report(r.Context(), src, defs, f, report.Options{})
	if err != nil {
		d.log.Error("dashboard: compute report", "err", err)
		view.Error = d.tr(r).T("web.dashboard.error_figures")
		d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	view.Totals = rep.Totals
	view.Overall = x.figureOf("", rep.Overall.Index, rep.Overall.Responses)
	inUse := map[string]bool{}
	for _, q := range rep.Questions {
		if rep.Totals.BySurvey[q.SurveyID] > 0 && q.Element != "" {
			inUse[q.Element] = true
		}
	}
	for i, el := range rep.Elements {
		if !inUse[el] {
			continue
		}
		name := el
		if k, ok := elementNames[el]; ok {
			name = x.T(k)
		}
		fig := rep.Overall.Elements[i]
		view.Elements = append(view.Elements, x.figureOf(name, fig, fig.N))
	}
	view.Bars = barGroups(x, rep, defs)
	var groups []report.Group
	label := func(g report.Group) string { return g.Start.Format("02/01") }
	switch view.Period {
	case "day":
		groups = rep.Days
	case "week":
		groups = rep.Weeks
		label = func(g report.Group) string { _, wk := g.Start.ISOWeek(); return x.T("web.trend.week", "Week", wk) }
	case "month":
		groups = rep.Months
		label = func(g report.Group) string { return g.Start.Format("01/2006") }
	}
	var points []figureBar
	for _, g := range groups {
		points = append(points, figureBar{Label: label(g), Figure: g.Index})
	}
	view.Trend = newLineChart(x, points, 7)
	for _, g := range rep.ServicePoints {
		view.ServicePoints = append(view.ServicePoints, x.figureOf(g.Key, g.Index, g.Responses))
	}
	if d.cfg.Files != nil {
		view.HasFiles = true
		view.CanPrintSlips = d.cfg.Slips != nil && sess.role == hub.RoleAdmin
		if tally != nil {
			var tab report.SlipTable
			if view.SlipRows, tab, err = d.slipTable(r.Context(), x, tally, f); err != nil {
				d.log.Error("dashboard: slip figures", "err", err)
				view.Error = d.tr(r).T("web.dashboard.error_slip_figures")
				d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
				return
			}
			view.SlipCounts = slipCountsOf(tab.Total.SlipCounts)
		}
		// The coverage table is shown only in place of the slip figures.
		if view.SlipRows == nil {
			if view.Coverage, err = d.coverageRows(r.Context(), x, rep, f, chosen); err != nil {
				d.log.Error("dashboard: coverage", "err", err)
				view.Error = d.tr(r).T("web.dashboard.error_files")
				d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
				return
			}
		}
	}
	view.DeviceRows = deviceRows(devices, countsOf(counts, chosen))
	tr := x.sync
	view.GapTexts = map[string]string{}
	for _, k := range gapTextKeys {
		view.GapTexts[k] = tr.T("sync.gaps." + k)
	}
	gaps, err := d.cfg.Data.Gaps(r.Context())
	if err != nil {
		d.log.Error("dashboard: gaps", "err", err)
		view.Error = tr.T("sync.gaps.error")
		d.render(w, r, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	view.Gaps = gapRows(gaps, devices, tr)
	if d.cfg.Feedback != nil {
		cases, err := d.cfg.Feedback.FeedbackCases(r.Context(), hub.FeedbackFilter{})
		if err != nil {
			d.log.Error("dashboard: feedback figures", "err", err)
		}
		for _, fig := range d.cfg.FeedbackRules.FeedbackFigures(cases, d.now()) {
			view.Feedback = append(view.Feedback, figureRowOf(x, fig))
		}
	}
	if d.cfg.Help != nil {
		reqs, err := d.cfg.Help.HelpRequests(r.Context(), hub.HelpFilter{})
		if err != nil {
			d.log.Error("dashboard: help figures", "err", err)
		}
		open, figs := helpRows(tr, reqs, d.now())
		view.Help = &dashHelp{T: helpTexts(tr), Figures: figs, Open: len(open)}
		view.Help.T["link"] = tr.T("sync.help.link")
	}
	d.render(w, r, http.StatusOK, "dashboard.html", view)
}

// countsOf is the responses per device of counts, from the given service
// point ("" for every point).
func countsOf(counts []hub.DeviceCount, point string) map[string]int {
	out := map[string]int{}
	for _, c := range counts {
		if point == "" || c.ServicePoint == point {
			out[c.DeviceID] += c.Responses
		}
	}
	return out
}

// figureOf is a figure with the number of responses of its group.
func (x *texts) figureOf(name string, f report.Figure, responses int) figureView {
	v := figureView{Name: name, Value: x.figureText(f), Count: strconv.Itoa(responses), State: "ok"}
	switch {
	case f.NoData():
		v.State = "nodata"
	case f.Secondary:
		v.State = "hidden"
	case f.Suppressed:
		v.State = "suppressed"
	}
	return v
}

// barGroups is one group of bars per survey answered, titled, in survey
// order, each bar a rating question.
func barGroups(x *texts, rep *report.Report, defs []*survey.Survey) []barGroup {
	titles := map[string]survey.Text{}
	newest := map[string]int{}
	for _, s := range defs {
		if s.Version >= newest[s.ID] {
			titles[s.ID], newest[s.ID] = s.Title, s.Version
		}
	}
	var out []barGroup
	for i, q := range rep.Questions {
		if rep.Totals.BySurvey[q.SurveyID] == 0 {
			continue // a survey nobody answered in this range
		}
		if title := titleOf(x, titles[q.SurveyID], q.SurveyID); len(out) == 0 || out[len(out)-1].Title != title {
			out = append(out, barGroup{Title: title})
		}
		g := &out[len(out)-1]
		g.Bars = append(g.Bars, newBars(x, []figureBar{{Label: q.Text.In(x.lang), Figure: rep.Overall.Questions[i]}})...)
	}
	return out
}

func titleOf(x *texts, t survey.Text, id string) string {
	if s := t.In(x.lang); s != "" {
		return s
	}
	return id
}

// deviceRows lists the devices that sent responses in the range, with
// their names, by name.
func deviceRows(devices []*hub.Device, counts map[string]int) []deviceRow {
	byID := map[string]*hub.Device{}
	for _, d := range devices {
		byID[d.ID] = d
	}
	var out []deviceRow
	for id, n := range counts {
		row := deviceRow{ID: id, Name: id, Count: n}
		if d := byID[id]; d != nil {
			row.Name, row.ServicePoint = d.Name, d.ServicePoint
		}
		out = append(out, row)
	}
	coll := collate.New(language.Vietnamese)
	slices.SortFunc(out, func(a, b deviceRow) int {
		return cmp.Or(coll.CompareString(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// deviceOptions lists every device by name for the device filter.
func deviceOptions(x *texts, devices []*hub.Device, selected string) []option {
	opts := []option{{Value: "", Label: x.T("web.dashboard.all_devices"), Selected: selected == ""}}
	found := selected == ""
	for _, d := range devices {
		label := d.Name
		if d.ServicePoint != "" {
			label += " — " + d.ServicePoint
		}
		opts = append(opts, option{Value: d.ID, Label: label, Selected: d.ID == selected})
		found = found || d.ID == selected
	}
	if !found { // a device id typed in the URL that the hub does not list
		opts = append(opts, option{Value: selected, Label: selected, Selected: true})
	}
	return opts
}

// surveyOptions lists each survey, then each of its versions, newest first.
func surveyOptions(x *texts, defs []*survey.Survey, selected string) []surveyOption {
	sorted := slices.Clone(defs)
	slices.SortFunc(sorted, func(a, b *survey.Survey) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), b.Version-a.Version)
	})
	opts := []surveyOption{{Value: "", Label: x.T("web.dashboard.all_surveys"), Selected: selected == ""}}
	for i, s := range sorted {
		if i == 0 || sorted[i-1].ID != s.ID {
			opts = append(opts, surveyOption{Value: s.ID, Label: s.Title.In(x.lang), Selected: selected == s.ID})
		}
		v := s.ID + "@" + strconv.Itoa(s.Version)
		opts = append(opts, surveyOption{Value: v, Label: "    " + x.T("web.dashboard.survey_version", "Title", s.Title.In(x.lang), "Version", s.Version), Selected: selected == v})
	}
	return opts
}
