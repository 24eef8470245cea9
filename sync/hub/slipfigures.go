package hub

import (
	"context"
	"fmt"
	"iter"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// SlipFigureSource is what SlipFigures reads (a Store is one): the figures
// rollup, the files returned and the slips printed, all sums the store
// keeps as it writes, never the responses or the slips themselves.
type SlipFigureSource interface {
	Figures(ctx context.Context, f Filter) iter.Seq2[report.Cell, error]
	FileTotals(ctx context.Context, fromDay, toDay string) ([]FileCount, error)
	SlipPrints(ctx context.Context, fromDay, toDay string) ([]SlipPrint, error)
}

// SlipFigures returns, per service point, the counts behind the slip
// figures (report.NewSlipTable) of the responses matching f: its counted
// ratings (complete, not flagged as misuse) by slip channel, the flagged
// ones by reason too (the dashboard's line under the table), and the files
// returned and slips printed in f's days at the point (f.ServicePoint, or
// every point), which know no survey, device or event. f must be
// day-aligned (ErrNotDayAligned otherwise), as for Store.Figures.
func SlipFigures(ctx context.Context, st SlipFigureSource, f Filter) (map[string]report.SlipCounts, error) {
	if _, _, err := FilterDays(f); err != nil {
		return nil, err
	}
	tally := SlipTally{}
	for c, err := range st.Figures(ctx, f) {
		if err != nil {
			return nil, fmt.Errorf("slip figures: %w", err)
		}
		tally.AddCell(c)
	}
	if err := tally.AddFilesAndPrints(ctx, st, f); err != nil {
		return nil, err
	}
	return tally, nil
}

// SlipTally sums the slip figures' counts by service point. A page that
// reads Figures anyway (the dashboard's report) tallies the same cells as
// they pass (AddCell) instead of reading them twice, then adds the files
// and slips printed (AddFilesAndPrints): the same as SlipFigures.
type SlipTally map[string]report.SlipCounts

// AddCell counts c's ratings, if it counts (complete, not misuse, rated;
// a PartDays cell is counted by its PartPoints twin), by channel and, for
// the flagged ones, by reason (Cell.SlipFlags).
func (t SlipTally) AddCell(c report.Cell) {
	if c.Part == report.PartDays || c.Status != survey.StatusComplete || c.Misuse || c.Rated == 0 {
		return
	}
	p := t[c.ServicePoint]
	desk, home, flagged := c.Slips[ChannelDesk], c.Slips[ChannelHome], c.Slips[ChannelFlagged]
	p.Add(report.SlipCounts{Desk: desk, Home: home, Flagged: flagged, NoSlip: report.Counter{
		N: c.Rated - desk.N - home.N - flagged.N, Sat: c.Satisfied - desk.Sat - home.Sat - flagged.Sat},
		Unknown: c.SlipFlags[string(SlipUnknown)], Reused: c.SlipFlags[string(SlipReused)], Elsewhere: c.SlipFlags[string(SlipElsewhere)]})
	t[c.ServicePoint] = p
}

// AddFilesAndPrints adds the files returned and the slips printed in f's
// days at f.ServicePoint (or every point). f must be day-aligned.
func (t SlipTally) AddFilesAndPrints(ctx context.Context, st SlipFigureSource, f Filter) error {
	from, to, err := FilterDays(f)
	if err != nil {
		return err
	}
	files, err := st.FileTotals(ctx, from, to)
	if err != nil {
		return fmt.Errorf("slip figures: %w", err)
	}
	for _, fc := range files {
		if f.ServicePoint == "" || fc.ServicePoint == f.ServicePoint {
			p := t[fc.ServicePoint]
			p.Add(report.SlipCounts{FilesKnown: true, Files: fc.Files})
			t[fc.ServicePoint] = p
		}
	}
	prints, err := st.SlipPrints(ctx, from, to)
	if err != nil {
		return fmt.Errorf("slip figures: %w", err)
	}
	for _, sp := range prints {
		if f.ServicePoint == "" || sp.ServicePoint == f.ServicePoint {
			p := t[sp.ServicePoint]
			p.Add(report.SlipCounts{Printed: sp.Printed})
			t[sp.ServicePoint] = p
		}
	}
	return nil
}
