package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// FileCounts records and reads the files returned per day and service
// point (see hub.Store).
type FileCounts interface {
	PutFileCounts(ctx context.Context, counts []hub.FileCount, now time.Time) error
	FileCounts(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error)
	FileTotals(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error)
}

// coverageView is one row of the dashboard's coverage table.
type coverageView struct {
	Name, Files, Ratings, Coverage string
	Satisfied, Equivalent766       figureView
}

// coverageRows renders the coverage table of rep, the report of the
// responses in f's range at point ("" for every point).
func (d *Dashboard) coverageRows(ctx context.Context, x *texts, rep *report.Report, f hub.Filter, point string) ([]coverageView, error) {
	files, err := hub.FilesReturned(ctx, d.cfg.Files, f.From, f.To, point)
	if err != nil {
		return nil, err
	}
	cov := rep.Coverage(files)
	var out []coverageView
	for _, r := range cov.Points {
		out = append(out, coverageViewOf(x, r.ServicePoint, r))
	}
	if point == "" {
		out = append(out, coverageViewOf(x, x.T("web.total"), cov.Total))
	}
	return out, nil
}

func coverageViewOf(x *texts, name string, r report.CoverageRow) coverageView {
	v := coverageView{Name: name, Files: x.T("web.coverage.not_recorded"), Ratings: strconv.Itoa(r.Ratings), Coverage: "—",
		Satisfied: x.figureOf("", r.Satisfied, r.Ratings), Equivalent766: x.figureOf("", r.Equivalent766, r.Files)}
	if r.FilesKnown {
		v.Files = strconv.Itoa(r.Files)
	}
	if r.HasCoverage {
		v.Coverage = x.figureText(report.Figure{N: report.MinCell, Value: r.Coverage})
	}
	return v
}

// PathFiles is the page where an admin records files returned.
const PathFiles = "/files"

// filesView is the page where an admin records files returned.
type filesView struct {
	Admin, CSRF string
	Day, Point  string
	Files       string
	Error       string
	Saved       string
	Points      []string
	Recent      []hub.FileCount
}

// filesPage shows the form and the counts of the last 31 days.
func (d *Dashboard) filesPage(w http.ResponseWriter, r *http.Request, sess *session) {
	view := filesView{Admin: sess.admin, CSRF: sess.csrf, Day: d.now().In(survey.Location()).Format("2006-01-02")}
	if r.Method == http.MethodPost {
		d.recordFiles(w, r, &view)
		return
	}
	d.renderFiles(w, r, http.StatusOK, &view)
}

func (d *Dashboard) recordFiles(w http.ResponseWriter, r *http.Request, view *filesView) {
	view.Day = strings.TrimSpace(r.PostForm.Get("day"))
	view.Point = strings.TrimSpace(r.PostForm.Get("service_point"))
	view.Files = strings.TrimSpace(r.PostForm.Get("files"))
	day, err := hub.ParseDay(view.Day)
	if err != nil {
		view.Error = d.tr(r).T("web.files.bad_day", "Day", view.Day)
		d.renderFiles(w, r, http.StatusBadRequest, view)
		return
	}
	n, err := strconv.Atoi(view.Files)
	if err != nil {
		view.Error = d.tr(r).T("web.files.bad_files", "Files", view.Files)
		d.renderFiles(w, r, http.StatusBadRequest, view)
		return
	}
	c, err := hub.CheckFileCount(hub.FileCount{Day: day, ServicePoint: view.Point, Files: n})
	if err != nil {
		switch {
		case c.ServicePoint == "":
			view.Error = d.tr(r).T("web.files.point_missing")
		case n < 0 || n > hub.MaxFiles:
			view.Error = d.tr(r).T("web.files.files_range", "Max", hub.MaxFiles)
		default:
			view.Error = d.tr(r).T("web.error.point_invalid")
		}
		d.renderFiles(w, r, http.StatusBadRequest, view)
		return
	}
	if err := d.cfg.Files.PutFileCounts(r.Context(), []hub.FileCount{c}, d.now()); err != nil {
		d.log.Error("record files returned", "err", err)
		view.Error = d.tr(r).T("web.files.save_failed")
		d.renderFiles(w, r, http.StatusInternalServerError, view)
		return
	}
	d.log.Info("files returned recorded", "day", c.Day, "service_point", c.ServicePoint, "files", c.Files)
	// Sending the form again (a reload) records the same count again: no
	// redirect is needed to keep it from counting twice.
	view.Saved = d.tr(r).T("web.files.saved", "Files", c.Files, "Day", c.Day, "Point", c.ServicePoint)
	view.Files = ""
	d.renderFiles(w, r, http.StatusOK, view)
}

func (d *Dashboard) renderFiles(w http.ResponseWriter, r *http.Request, status int, view *filesView) {
	ctx := r.Context()
	from := d.now().In(survey.Location()).AddDate(0, 0, -31).Format("2006-01-02")
	recent, err := d.cfg.Files.FileCounts(ctx, from, "")
	if err != nil {
		d.log.Error("files page: read counts", "err", err)
		status, view.Error = http.StatusInternalServerError, d.tr(r).T("web.files.read_failed")
	}
	slices.Reverse(recent) // newest day first
	view.Recent = recent
	if devices, err := d.cfg.Data.Devices(ctx); err == nil {
		seen := map[string]bool{}
		for _, dev := range devices {
			if dev.ServicePoint != "" && !seen[dev.ServicePoint] {
				seen[dev.ServicePoint] = true
				view.Points = append(view.Points, dev.ServicePoint)
			}
		}
	} else if !errors.Is(err, context.Canceled) {
		d.log.Error("files page: read devices", "err", err)
	}
	d.render(w, r, status, "files.html", view)
}
