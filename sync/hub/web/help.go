package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// HelpRequests reads the kiosks' staff help requests (hub.Hub implements
// it): the live /help page, its JSON and the dashboard's figures.
type HelpRequests interface {
	HelpRequests(ctx context.Context, f hub.HelpFilter) ([]hub.HelpRequest, error)
}

// Paths of the help pages (login): the live page, which reloads itself
// every HelpRefresh, the same as JSON for a desk display to poll, and the
// figures per service point as CSV.
const (
	PathHelp     = "/help"
	PathHelpJSON = "/help.json"
	PathHelpCSV  = "/help.csv"
)

// HelpRefresh is how often the live page reloads itself.
const HelpRefresh = 30 * time.Second

// helpOpenRow is an open request on the live page.
type helpOpenRow struct {
	ServicePoint, DeviceID, Source, Since, Waited string
	// Long marks a wait over 15 minutes (shown in red).
	Long bool
}

// helpFigureRow is one service point's figures, ready to show.
type helpFigureRow struct {
	ServicePoint                        string
	Requests, Open, Helped, NotPossible int
	Reasons, MedianOutcome              string
}

type helpView struct {
	Admin, CSRF string
	Role        hub.Role
	Title       string
	T           map[string]string
	Open        []helpOpenRow
	Figures     []helpFigureRow
	Refresh     int
	Updated     string
}

// helpLongWait is the wait after which an open request shows in red.
const helpLongWait = 15 * time.Minute

// helpKeys are the texts of the help page and section (sync area).
var helpKeys = []string{"title", "open", "none", "point", "device", "source", "since", "waited", "figures", "requests",
	"still_open", "helped", "not_possible", "reasons", "median", "no_figures", "note", "live", "updated", "source.welcome", "source.survey", "csv"}

func helpTexts(tr *i18n.Translator) map[string]string {
	m := map[string]string{}
	for _, k := range helpKeys {
		m[k] = tr.T("sync.help." + k)
	}
	return m
}

// minutes reads a duration in whole minutes ("12 phút").
func minutes(tr *i18n.Translator, d time.Duration) string {
	return tr.T("sync.help.minutes", map[string]any{"N": int(d / time.Minute)})
}

// helpRows builds the open rows and the figures of reqs as of now.
func helpRows(tr *i18n.Translator, reqs []hub.HelpRequest, now time.Time) ([]helpOpenRow, []helpFigureRow) {
	var open []helpOpenRow
	for i := range reqs {
		r := &reqs[i]
		if !r.Open() {
			continue
		}
		w := help.Waited(r.CreatedAt, now)
		src := tr.T("sync.help.source.welcome")
		if strings.HasPrefix(r.Source, "survey:") {
			src = tr.T("sync.help.source.survey")
		}
		open = append(open, helpOpenRow{ServicePoint: r.ServicePoint, DeviceID: r.DeviceID, Source: src,
			Since: localTime(r.CreatedAt), Waited: minutes(tr, w), Long: w >= helpLongWait})
	}
	var figs []helpFigureRow
	for _, f := range hub.HelpFigures(reqs) {
		row := helpFigureRow{ServicePoint: f.ServicePoint, Requests: f.Requests, Open: f.Open, Helped: f.Helped,
			NotPossible: f.NotPossible, Reasons: "—", MedianOutcome: "—"}
		var parts []string
		for _, rc := range f.Reasons() {
			parts = append(parts, tr.T("help.reason."+string(rc.Reason))+": "+strconv.Itoa(rc.N))
		}
		if len(parts) > 0 {
			row.Reasons = strings.Join(parts, "; ")
		}
		if f.Helped+f.NotPossible > 0 {
			row.MedianOutcome = minutes(tr, f.MedianOutcome)
		}
		figs = append(figs, row)
	}
	return open, figs
}

// helpPage is the live page: the open requests per service point with
// their wait, and the figures; it reloads itself every HelpRefresh.
func (d *Dashboard) helpPage(w http.ResponseWriter, r *http.Request, sess *session) {
	reqs, err := d.cfg.Help.HelpRequests(r.Context(), hub.HelpFilter{})
	if err != nil {
		d.log.Error("help page", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.help.read_failed")
		return
	}
	tr := d.tr(r).sync
	now := d.now()
	v := helpView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, T: helpTexts(tr),
		Refresh: int(HelpRefresh / time.Second), Updated: now.In(survey.Location()).Format("15:04:05")}
	v.Title = v.T["title"]
	v.Open, v.Figures = helpRows(tr, reqs, now)
	d.render(w, r, http.StatusOK, "support.html", v)
}

// helpJSONOpen is an open request in the JSON answer.
type helpJSONOpen struct {
	ID            string    `json:"id"`
	ServicePoint  string    `json:"service_point"`
	DeviceID      string    `json:"device_id"`
	Source        string    `json:"source"`
	CreatedAt     time.Time `json:"created_at"`
	WaitedMinutes int       `json:"waited_minutes"`
}

// helpJSON answers the open requests, oldest first, and the figures per
// service point.
func (d *Dashboard) helpJSON(w http.ResponseWriter, r *http.Request, _ *session) {
	reqs, err := d.cfg.Help.HelpRequests(r.Context(), hub.HelpFilter{})
	if err != nil {
		d.log.Error("help json", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.help.read_failed")
		return
	}
	now := d.now()
	type figure struct {
		ServicePoint         string         `json:"service_point"`
		Requests             int            `json:"requests"`
		Open                 int            `json:"open"`
		Helped               int            `json:"helped_online"`
		NotPossible          int            `json:"not_possible"`
		ByReason             map[string]int `json:"not_possible_by_reason"`
		MedianOutcomeSeconds int64          `json:"median_outcome_seconds"`
	}
	out := struct {
		Now     time.Time      `json:"now"`
		Open    []helpJSONOpen `json:"open"`
		Figures []figure       `json:"figures"`
	}{Now: now.UTC(), Open: []helpJSONOpen{}, Figures: []figure{}}
	for i := range reqs {
		q := &reqs[i]
		if q.Open() {
			out.Open = append(out.Open, helpJSONOpen{ID: q.ID, ServicePoint: q.ServicePoint, DeviceID: q.DeviceID, Source: q.Source,
				CreatedAt: q.CreatedAt.UTC(), WaitedMinutes: int(help.Waited(q.CreatedAt, now) / time.Minute)})
		}
	}
	for _, f := range hub.HelpFigures(reqs) {
		by := map[string]int{}
		for _, rc := range f.Reasons() {
			by[string(rc.Reason)] = rc.N
		}
		out.Figures = append(out.Figures, figure{ServicePoint: f.ServicePoint, Requests: f.Requests, Open: f.Open, Helped: f.Helped,
			NotPossible: f.NotPossible, ByReason: by, MedianOutcomeSeconds: int64(f.MedianOutcome / time.Second)})
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}

// helpCSV answers the help figures per service point, every request so
// far, as CSV (figuresCSV): the counts, one column per reason a request
// was not possible, and the median minutes to an outcome. The counts are
// always given; the median rests on the resolved requests (report.SmallCell).
func (d *Dashboard) helpCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	reqs, err := d.cfg.Help.HelpRequests(r.Context(), hub.HelpFilter{})
	if err != nil {
		d.log.Error("help figures csv", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.help.read_failed")
		return
	}
	tr := d.tr(r).sync
	t := figuresTable{Report: "help", File: "ho-tro-truc-tuyen", AuditFailed: "web.help.export_audit_failed",
		Header: []string{tr.T("sync.help.point"), tr.T("sync.help.requests"), tr.T("sync.help.still_open"),
			tr.T("sync.help.helped"), tr.T("sync.help.not_possible")}}
	for _, rs := range help.Reasons {
		t.Header = append(t.Header, tr.T("sync.help.csv.reason", map[string]any{"Reason": tr.T("help.reason." + string(rs))}))
	}
	t.Header = append(t.Header, tr.T("sync.help.csv.median"))
	for _, f := range hub.HelpFigures(reqs) {
		row := []string{f.ServicePoint, strconv.Itoa(f.Requests), strconv.Itoa(f.Open), strconv.Itoa(f.Helped), strconv.Itoa(f.NotPossible)}
		for _, rs := range help.Reasons {
			row = append(row, strconv.Itoa(f.ByReason[rs]))
		}
		median := report.SmallCell(f.Helped+f.NotPossible, func() string { return strconv.Itoa(int(f.MedianOutcome / time.Minute)) })
		t.Rows = append(t.Rows, append(row, median))
	}
	d.figuresCSV(w, r, sess, t)
}
