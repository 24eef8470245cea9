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
	Files     string // files returned, web.coverage.not_recorded's text when not recorded
	Coverage  string // ratings ÷ files, "—" without files
	// Feedback holds the feedback figures of the cases received in the
	// period; nil on a hub without the inbox, and the board shows "—"
	// (template "board-feedback").
	Feedback *boardFeedback
}

// boardFeedback is a point's feedback figures: cases received, how many
// of those answered were answered on time, and the median working time
// to the answer. Counts are never hidden; the on-time share and the
// median rest on the answered cases and are left out under
// report.MinCell of them, like every share (docs/feedback.md).
type boardFeedback struct {
	Received, OnTime, MedianAnswer string
}

func boardFeedbackOf(x *texts, f hub.FeedbackFigure) *boardFeedback {
	b := &boardFeedback{Received: strconv.Itoa(f.Received), OnTime: "—", MedianAnswer: "—"}
	switch {
	case f.Answered == 0:
	case f.Answered < report.MinCell:
		b.OnTime = strconv.Itoa(f.OnTime) + " / " + strconv.Itoa(f.Answered)
	default:
		b.OnTime = strconv.Itoa(f.OnTime) + " / " + strconv.Itoa(f.Answered) + " (" + strconv.Itoa(f.OnTime*100/f.Answered) + " %)"
		b.MedianAnswer = x.workingSpan(f.MedianAnswer)
	}
	return b
}

// boardFeedbackFigures returns the feedback figures per service point
// and over all points ("" key) of the cases received in [from, to), or
// nil on a hub without the inbox.
func (d *Dashboard) boardFeedbackFigures(r *http.Request, from, to time.Time, point string) (map[string]*boardFeedback, error) {
	if d.cfg.Feedback == nil {
		return nil, nil
	}
	points, total, err := d.cfg.FeedbackRules.FeedbackFiguresIn(r.Context(), d.cfg.Feedback, from, to, point, d.now())
	if err != nil {
		return nil, err
	}
	out := map[string]*boardFeedback{"": boardFeedbackOf(d.tr(r), total)}
	for _, f := range points {
		out[f.ServicePoint] = boardFeedbackOf(d.tr(r), f)
	}
	return out, nil
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
		v.Error = d.tr(r).T("board.error")
		d.render(w, r, http.StatusInternalServerError, "board.html", v)
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
	x := d.tr(r)
	fb, err := d.boardFeedbackFigures(r, f.From, f.To, point)
	if err != nil {
		fail("feedback figures", err)
		return
	}
	// feedbackOf is a point's figures: none received shows 0 on a hub
	// with the inbox, "—" on one without.
	feedbackOf := func(point string) *boardFeedback {
		if fb == nil {
			return nil
		}
		if x := fb[point]; x != nil {
			return x
		}
		return boardFeedbackOf(x, hub.FeedbackFigure{})
	}
	cov := rep.Coverage(files)
	for _, row := range cov.Points {
		b := boardRowOf(x, row.ServicePoint, row)
		b.Feedback = feedbackOf(row.ServicePoint)
		if point == "" {
			b.Link = PathBoard + "?point=" + url.QueryEscape(row.ServicePoint)
		}
		v.Rows = append(v.Rows, b)
	}
	if point == "" && len(cov.Points) > 1 {
		t := boardRowOf(x, x.T("board.all_points"), cov.Total)
		t.IsTotal = true
		t.Feedback = feedbackOf("")
		v.Total = &t
	}
	v.NoData = len(v.Rows) == 0
	d.render(w, r, http.StatusOK, "board.html", v)
}

func boardRowOf(x *texts, name string, r report.CoverageRow) boardRow {
	c := coverageViewOf(x, name, r)
	return boardRow{Name: name, Satisfied: c.Satisfied, Ratings: strconv.Itoa(r.Ratings), Files: c.Files, Coverage: c.Coverage}
}
