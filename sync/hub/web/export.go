package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// export streams responses matching the query in the asked format. The body
// is written as rows are read, so a million rows need neither memory nor a
// write deadline. A failure after the first byte aborts the connection, so
// the admin's browser reports a failed download instead of saving a file
// that looks complete.
func (d *Dashboard) export(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	form, err := formOf(q, append([]string{"format", "labels", "lang"}, filterParams...)...)
	if err != nil {
		jsonError(w, http.StatusBadRequest, "bad_parameter", d.tr(r).text(err))
		return
	}
	format, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		d.fail(w, r, http.StatusBadRequest, "bad_format", "web.export.bad_format")
		return
	}
	opt := export.Options{}
	switch q.Get("labels") {
	case "", "0":
	case "1":
		opt.Labels = true
	default:
		d.fail(w, r, http.StatusBadRequest, "bad_parameter", "web.export.bad_labels")
		return
	}
	switch opt.Lang = q.Get("lang"); opt.Lang {
	case "", "vi", "en":
	default:
		d.fail(w, r, http.StatusBadRequest, "bad_parameter", "web.export.bad_lang")
		return
	}
	f, err := form.filter()
	if err != nil {
		jsonError(w, http.StatusBadRequest, "bad_filter", d.tr(r).text(err))
		return
	}
	defs, err := d.cfg.Surveys(r.Context())
	if err != nil {
		d.log.Error("export: load surveys", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
		return
	}
	devs, err := d.cfg.Data.Devices(r.Context())
	if err != nil {
		d.log.Error("export: load devices", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
		return
	}
	if f.SurveyID != "" { // the columns of the chosen survey only, as `hailong-hub export` does
		defs = slices.DeleteFunc(slices.Clone(defs), func(s *survey.Survey) bool { return s.ID != f.SurveyID })
	}
	opt.Surveys = defs
	opt.DeviceName = hub.DeviceNames(devs)
	if d.cfg.Files != nil && format == export.XLSX {
		if opt.Files, err = hub.FilesReturned(r.Context(), d.cfg.Files, f.From, f.To, f.ServicePoint); err != nil {
			d.log.Error("export: load files returned", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
			return
		}
	}
	if d.cfg.Files != nil && d.cfg.SlipPrints != nil && format == export.XLSX && hub.DayAligned(f) {
		counts, err := hub.SlipFigures(r.Context(), slipSource{d.cfg.Data, d.cfg.Files, d.cfg.SlipPrints}, f)
		if err != nil {
			d.log.Error("export: slip figures", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
			return
		}
		tab := report.NewSlipTable(counts)
		opt.Slips = &tab
	}
	if d.cfg.Feedback != nil && format == export.XLSX {
		if opt.Feedback, err = d.cfg.FeedbackRules.FeedbackExport(r.Context(), d.cfg.Feedback, f, d.now()); err != nil {
			d.log.Error("export: feedback figures", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
			return
		}
	}
	if d.cfg.Help != nil && format == export.XLSX {
		if opt.Help, err = hub.HelpExport(r.Context(), d.cfg.Help, f); err != nil {
			d.log.Error("export: help figures", "err", err)
			d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
			return
		}
	}
	var to time.Time
	if !f.To.IsZero() {
		to = f.To.AddDate(0, 0, -1)
	}
	details := url.Values{"format": {string(format)}}
	for k, v := range q {
		if k != "format" && len(v) > 0 && v[0] != "" {
			details[k] = v[:1]
		}
	}
	if !d.audit(r, sess.admin, hub.AuditExport, details) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.audit")
		return
	}
	name := export.FileName(f.ServicePoint, f.From, to, string(format))
	h := w.Header()
	h.Set("Content-Type", contentType[format])
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	h.Set("Cache-Control", "no-store")
	// No write deadline for a long export (the server's default may be short).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	start := d.now()
	rows, channel := hub.SlipChannels(r.Context(), d.cfg.Data, d.cfg.Data.Responses(r.Context(), f))
	opt.SlipChannel = channel
	n, err := export.Write(r.Context(), w, format, rows, opt)
	if err != nil {
		d.log.Error("export failed", "admin", sess.admin, "format", format, "written", n, "err", err)
		panic(http.ErrAbortHandler)
	}
	d.log.Info("export", "admin", sess.admin, "format", format, "rows", n, "took", d.now().Sub(start))
}

var contentType = map[export.Format]string{
	export.CSV:   "text/csv; charset=utf-8",
	export.XLSX:  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	export.JSONL: "application/x-ndjson; charset=utf-8",
}

func jsonError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, msg})
}
