package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// elementNames are the SIPAS elements' names as the city writes them.
var elementNames = map[string]string{
	"tiep-can":  "Tiếp cận dịch vụ",
	"thu-tuc":   "Thủ tục hành chính",
	"cong-chuc": "Công chức",
	"ket-qua":   "Kết quả giải quyết",
	"phan-anh":  "Tiếp nhận, xử lý góp ý, phản ánh",
}

type surveyOption struct {
	Value, Label string
	Selected     bool
}

type figureView struct {
	Name  string
	Value string // "86,5 %" or "< 5"
	Count string // "123" or "< 5"
}

type dashView struct {
	Admin, CSRF   string
	Form          filterForm
	Error         string
	Surveys       []surveyOption
	Totals        report.Totals
	Overall       figureView
	Elements      []figureView
	Bars          barChart
	Trend         lineChart
	ServicePoints []figureView
	Export        map[string]string // format → export URL with the filters
}

func (d *Dashboard) dashboard(w http.ResponseWriter, r *http.Request, sess *session) {
	form := formOf(r.URL.Query())
	view := dashView{Admin: sess.admin, CSRF: sess.csrf, Form: form, Export: map[string]string{}}
	for _, format := range []string{"xlsx", "csv", "jsonl"} {
		q := form.query()
		q.Set("format", format)
		view.Export[format] = "/api/v1/export?" + q.Encode()
	}
	defs, err := d.cfg.Surveys(r.Context())
	if err != nil {
		d.log.Error("dashboard: load surveys", "err", err)
		view.Error = "Lỗi máy chủ: không đọc được danh sách khảo sát."
		d.render(w, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	view.Surveys = surveyOptions(defs, form.Survey)
	f, err := form.filter()
	if err != nil {
		view.Error = err.Error()
		d.render(w, http.StatusBadRequest, "dashboard.html", view)
		return
	}
	rep, err := hub.Report(r.Context(), d.cfg.Data, defs, f, report.Options{})
	if err != nil {
		d.log.Error("dashboard: compute report", "err", err)
		view.Error = "Lỗi máy chủ: không tính được chỉ số."
		d.render(w, http.StatusInternalServerError, "dashboard.html", view)
		return
	}
	view.Totals = rep.Totals
	view.Overall = figureOf("", rep.Overall.Index)
	for i, el := range rep.Elements {
		name := elementNames[el]
		if name == "" {
			name = el
		}
		view.Elements = append(view.Elements, figureOf(name, rep.Overall.Elements[i]))
	}
	var bars []figureBar
	for i, q := range rep.Questions {
		bars = append(bars, figureBar{Label: q.Text.In("vi"), Figure: rep.Overall.Questions[i]})
	}
	view.Bars = newBarChart(bars)
	var points []figureBar
	for _, g := range rep.Days {
		points = append(points, figureBar{Label: g.Start.Format("02/01"), Figure: g.Index})
	}
	view.Trend = newLineChart(points)
	for _, g := range rep.ServicePoints {
		view.ServicePoints = append(view.ServicePoints, figureOf(g.Key, g.Index))
	}
	d.render(w, http.StatusOK, "dashboard.html", view)
}

func figureOf(name string, f report.Figure) figureView {
	return figureView{Name: name, Value: f.Format("vi"), Count: f.Count()}
}

// surveyOptions lists each survey, then each of its versions, newest first.
func surveyOptions(defs []*survey.Survey, selected string) []surveyOption {
	sorted := slices.Clone(defs)
	slices.SortFunc(sorted, func(a, b *survey.Survey) int {
		if a.ID != b.ID {
			if a.ID < b.ID {
				return -1
			}
			return 1
		}
		return b.Version - a.Version
	})
	opts := []surveyOption{{Value: "", Label: "Tất cả khảo sát", Selected: selected == ""}}
	for i, s := range sorted {
		if i == 0 || sorted[i-1].ID != s.ID {
			opts = append(opts, surveyOption{Value: s.ID, Label: s.Title.In("vi"), Selected: selected == s.ID})
		}
		v := s.ID + "@" + strconv.Itoa(s.Version)
		opts = append(opts, surveyOption{Value: v, Label: "    " + s.Title.In("vi") + " — phiên bản " + strconv.Itoa(s.Version), Selected: selected == v})
	}
	return opts
}
