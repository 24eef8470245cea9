package web

import (
	"context"
	"iter"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// SlipPrintCounts reads the slips printed per day and service point (see
// hub.Store.SlipPrints): with Files, the dashboard's slip figures.
type SlipPrintCounts interface {
	SlipPrints(ctx context.Context, fromDay, toDay string) ([]hub.SlipPrint, error)
}

// slipSource is what hub.SlipFigures reads, from the dashboard's parts.
type slipSource struct {
	Data
	files FileCounts
	SlipPrintCounts
}

func (s slipSource) FileTotals(ctx context.Context, fromDay, toDay string) ([]hub.FileCount, error) {
	return s.files.FileTotals(ctx, fromDay, toDay)
}

// slipRowView is one row of the slip figures table (docs/reports.md,
// "Rating slips").
type slipRowView struct {
	Name                                             string
	Files, Printed, Desk, Home, NoSlip, Flagged, Cov string
	Satisfied, Eq766, DeskSat, HomeSat, Gap          figureView
}

// tallying is Data whose Figures also tally the cells they yield.
type tallying struct {
	Data
	tally hub.SlipTally
}

func (t tallying) Figures(ctx context.Context, f hub.Filter) iter.Seq2[report.Cell, error] {
	return func(yield func(report.Cell, error) bool) {
		for c, err := range t.Data.Figures(ctx, f) {
			if err == nil {
				t.tally.AddCell(c)
			}
			if !yield(c, err) {
				return
			}
		}
	}
}

// slipTable is the slip figures of the responses matching f (day-aligned),
// whose cells tally holds, per service point and, without a point chosen,
// in total; and the table they come from.
func (d *Dashboard) slipTable(ctx context.Context, x *texts, tally hub.SlipTally, f hub.Filter) ([]slipRowView, report.SlipTable, error) {
	if err := tally.AddFilesAndPrints(ctx, slipSource{d.cfg.Data, d.cfg.Files, d.cfg.SlipPrints}, f); err != nil {
		return nil, report.SlipTable{}, err
	}
	tab := report.NewSlipTable(tally)
	var out []slipRowView
	for _, r := range tab.Points {
		out = append(out, slipRowViewOf(x, r.ServicePoint, r))
	}
	if f.ServicePoint == "" && len(out) > 0 {
		out = append(out, slipRowViewOf(x, x.T("web.total"), tab.Total))
	}
	return out, tab, nil
}

func slipRowViewOf(x *texts, name string, r report.SlipRow) slipRowView {
	v := slipRowView{Name: name, Files: x.T("web.coverage.not_recorded"), Printed: strconv.Itoa(r.Printed), Desk: strconv.Itoa(r.Desk.N),
		Home: strconv.Itoa(r.Home.N), NoSlip: strconv.Itoa(r.NoSlip.N), Flagged: strconv.Itoa(r.Flagged.N), Cov: "—",
		Satisfied: x.figureOf("", r.Satisfied, r.SlipRatings), Eq766: x.figureOf("", r.Equivalent766, r.Files),
		DeskSat: x.figureOf("", r.DeskSatisfied, r.Desk.N), HomeSat: x.figureOf("", r.HomeSatisfied, r.Home.N),
		Gap: x.figureOf("", r.Gap, r.Gap.N)}
	v.Gap.Value = report.FormatGap(r.Gap, x.lang)
	if r.FilesKnown {
		v.Files = strconv.Itoa(r.Files)
	}
	if r.HasCoverage {
		v.Cov = x.figureText(report.Figure{N: report.MinCell, Value: r.Coverage})
	}
	// A share never breaks before its % sign or inside "< 5".
	for _, f := range []*figureView{&v.Satisfied, &v.Eq766, &v.DeskSat, &v.HomeSat} {
		f.Value = strings.ReplaceAll(f.Value, " %", "\u00a0%")
		f.Value = strings.ReplaceAll(f.Value, "< ", "<\u00a0")
	}
	v.Cov = strings.ReplaceAll(v.Cov, " %", "\u00a0%")
	return v
}
