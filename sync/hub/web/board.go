package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// PathBoard is the public board: per service point the satisfied share,
// coverage and feedback figures of the last BoardDays days, for a
// waiting-room screen or a phone, without login. ?point= shows one point.
const PathBoard = "/board"

// BoardDays is the period the board covers, ending today.
const BoardDays = 30

// boardRefresh is how often the board reloads itself, in seconds.
const boardRefresh = 300

// boardRow is one service point (or the total) on the board. Every share
// obeys the dashboard's suppression (report.MinCell, secondary
// suppression across the points against the total); counts and coverage
// are never hidden (docs/reports.md).
type boardRow struct {
	Name string
	// Link is the point's own board, "" for the total.
	Link      string
	IsTotal   bool
	Satisfied figureView // share of ratings all satisfied, its Count the ratings
	Ratings   string
	Files     string // files returned, "chưa ghi" when not recorded
	Coverage  string // ratings ÷ files, "—" without files
	// Feedback holds the feedback figures once the hub records feedback;
	// nil until then, and the board shows "—" (template "board-feedback").
	Feedback *boardFeedback
}

// boardFeedback is the spot for the feedback figures (received, answered
// on time, median time to answer) of issue #11's feedback inbox; nothing
// fills it yet.
type boardFeedback struct {
	Received, OnTime, MedianAnswer string
}

type boardView struct {
	Point    string // the one point shown, or ""
	Period   string // "04/11/2026 – 03/12/2026"
	Updated  string // "14:05"
	Refresh  int
	Rows     []boardRow
	Total    *boardRow
	HasFiles bool
	Error    string
	NoData   bool
}

// board serves the public board from the store's rollup (hub.Report, as
// the dashboard), never from the responses themselves.
func (d *Dashboard) board(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	point := r.URL.Query().Get("point")
	now := d.now().In(survey.Location())
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, survey.Location())
	f := hub.Filter{From: today.AddDate(0, 0, 1-BoardDays), To: today.AddDate(0, 0, 1), ServicePoint: point}
	v := boardView{Point: point, Refresh: boardRefresh, Updated: now.Format("15:04"),
		Period: f.From.Format("02/01/2006") + " – " + today.Format("02/01/2006"), HasFiles: d.cfg.Files != nil}
	fail := func(what string, err error) {
		d.log.Error("board: "+what, "err", err)
		v.Error = "Bảng tạm thời không hiển thị được số liệu; xin thử lại sau."
		d.render(w, http.StatusInternalServerError, "board.html", v)
	}
	defs, err := d.cfg.Surveys(ctx)
	if err != nil {
		fail("load surveys", err)
		return
	}
	rep, err := hub.Report(ctx, d.cfg.Data, defs, f, report.Options{})
	if err != nil {
		fail("compute report", err)
		return
	}
	var files map[string]int
	if d.cfg.Files != nil {
		if files, err = hub.FilesReturned(ctx, d.cfg.Files, f.From, f.To, point); err != nil {
			fail("files returned", err)
			return
		}
	}
	cov := rep.Coverage(files)
	for _, row := range cov.Points {
		b := boardRowOf(row.ServicePoint, row)
		if point == "" {
			b.Link = PathBoard + "?point=" + url.QueryEscape(row.ServicePoint)
		}
		v.Rows = append(v.Rows, b)
	}
	if point == "" && len(cov.Points) > 1 {
		t := boardRowOf("Tất cả điểm phục vụ", cov.Total)
		t.IsTotal = true
		v.Total = &t
	}
	v.NoData = len(v.Rows) == 0
	d.render(w, http.StatusOK, "board.html", v)
}

func boardRowOf(name string, r report.CoverageRow) boardRow {
	c := coverageViewOf(name, r)
	return boardRow{Name: name, Satisfied: c.Satisfied, Ratings: strconv.Itoa(r.Ratings), Files: c.Files, Coverage: c.Coverage}
}
