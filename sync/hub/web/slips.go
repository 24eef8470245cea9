package web

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/slipsheet"
)

// Slips prints rating slips (hub.Hub is one): a print run stored at the
// hub, and the key that signs its slips.
type Slips interface {
	IssueSlips(ctx context.Context, servicePoint string, count int) ([]hub.Slip, error)
	SlipKey(ctx context.Context) (ed25519.PrivateKey, error)
}

// slipCountsView is the dashboard's line on slips, under the slip figures
// table and from its total row (so the two never disagree): the counted
// ratings given with a slip used for the first time (slip ratings),
// without a slip, and flagged, by why; Unsplit is the flagged ones whose
// reason the hub no longer knows (report.SlipCounts).
type slipCountsView struct {
	First, None, Unknown, Reused, Elsewhere, Flagged, Unsplit int
}

func slipCountsOf(c report.SlipCounts) *slipCountsView {
	return &slipCountsView{First: c.Desk.N + c.Home.N, None: c.NoSlip.N, Flagged: c.Flagged.N,
		Unknown: c.Unknown, Reused: c.Reused, Elsewhere: c.Elsewhere, Unsplit: c.Flagged.N - c.Unknown - c.Reused - c.Elsewhere}
}

// PathSlips is the page where an admin prints rating slips; the form posts
// to PathSlipsPrint, which answers the PDF.
const (
	PathSlips      = "/slips"
	PathSlipsPrint = "/slips/print"
)

// slipsView is the slips page.
type slipsView struct {
	Admin, CSRF  string
	Point, Count string
	Max          int
	Error        string
	Points       []string
}

// slipsPage shows the print form.
func (d *Dashboard) slipsPage(w http.ResponseWriter, r *http.Request, sess *session) {
	d.renderSlips(w, r, http.StatusOK, &slipsView{Admin: sess.admin, CSRF: sess.csrf, Count: "28"})
}

// printSlips checks the form, stores the run, draws it, records it in the
// audit log and answers the PDF as a download. A refused form stores
// nothing and shows the page again with the typed values and the reason.
func (d *Dashboard) printSlips(w http.ResponseWriter, r *http.Request, sess *session) {
	view := &slipsView{Admin: sess.admin, CSRF: sess.csrf,
		Point: strings.TrimSpace(r.PostForm.Get("service_point")), Count: strings.TrimSpace(r.PostForm.Get("count"))}
	point, err := hub.CheckServicePoint(view.Point)
	if err != nil {
		if view.Point == "" {
			view.Error = d.tr(r).T("web.slips.point_missing")
		} else {
			view.Error = d.tr(r).T("web.error.point_invalid")
		}
		d.renderSlips(w, r, http.StatusBadRequest, view)
		return
	}
	n, err := strconv.Atoi(view.Count)
	if err != nil || n < 1 || n > hub.MaxSlipBatch {
		view.Error = d.tr(r).T("web.slips.bad_count", "Typed", view.Count, "Max", hub.MaxSlipBatch)
		d.renderSlips(w, r, http.StatusBadRequest, view)
		return
	}
	ctx := r.Context()
	key, err := d.cfg.Slips.SlipKey(ctx)
	if err != nil {
		d.log.Error("print slips: slip key", "err", err)
		view.Error = d.tr(r).T("web.slips.print_failed")
		d.renderSlips(w, r, http.StatusInternalServerError, view)
		return
	}
	slips, err := d.cfg.Slips.IssueSlips(ctx, point, n)
	if err != nil {
		d.log.Error("print slips: issue", "err", err)
		view.Error = d.tr(r).T("web.slips.print_failed")
		d.renderSlips(w, r, http.StatusInternalServerError, view)
		return
	}
	var pdf bytes.Buffer
	if err := slipsheet.Write(&pdf, slips, slipsheet.Options{BaseURL: d.publicURL(r), Key: key}); err != nil {
		d.log.Error("print slips: draw", "err", err)
		view.Error = d.tr(r).T("web.slips.print_failed")
		d.renderSlips(w, r, http.StatusInternalServerError, view)
		return
	}
	first := slips[0]
	if !d.audit(r, sess.admin, hub.AuditSlipsPrint, url.Values{"batch": {first.BatchID}, "service_point": {first.ServicePoint}, "count": {strconv.Itoa(len(slips))}}) {
		view.Error = d.tr(r).T("web.slips.audit_failed")
		d.renderSlips(w, r, http.StatusInternalServerError, view)
		return
	}
	d.log.Info("slips printed from the dashboard", "admin", sess.admin, "batch", first.BatchID, "service_point", first.ServicePoint, "count", len(slips))
	name := "phieu-danh-gia-" + first.PrintedAt.In(survey.Location()).Format("2006-01-02") + "-" + strconv.Itoa(len(slips)) + ".pdf"
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(pdf.Len()))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(pdf.Bytes()); err != nil && !errors.Is(err, context.Canceled) {
		d.log.Warn("print slips: send", "err", err)
	}
}

func (d *Dashboard) renderSlips(w http.ResponseWriter, r *http.Request, status int, view *slipsView) {
	view.Max = hub.MaxSlipBatch
	if devices, err := d.cfg.Data.Devices(r.Context()); err == nil {
		seen := map[string]bool{}
		for _, dev := range devices {
			if dev.ServicePoint != "" && !seen[dev.ServicePoint] {
				seen[dev.ServicePoint] = true
				view.Points = append(view.Points, dev.ServicePoint)
			}
		}
	} else if !errors.Is(err, context.Canceled) {
		d.log.Error("slips page: read devices", "err", err)
	}
	d.render(w, r, status, "slips.html", view)
}

// publicURL is the address slips' QR codes open: PublicURL, else the
// kiosks' (hubURL).
func (d *Dashboard) publicURL(r *http.Request) string {
	if d.cfg.PublicURL != "" {
		return d.cfg.PublicURL
	}
	return d.hubURL(r)
}
