package export

import (
	"archive/zip"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Sheet names of an XLSX export. When the responses do not fit on one sheet
// (excelize.TotalRows rows, header included), they continue on
// "Responses 2", "Responses 3"...
const (
	SheetResponses = "Responses"
	SheetSummary   = "Summary"
	SheetCodebook  = "Codebook"
)

// WriteXLSX writes an Excel workbook with three sheets: Responses (the same
// columns as WriteCSV; version, misuse and assisted as numbers), Summary
// (response counts and the satisfaction index overall, per SIPAS element,
// per question, per service point and per month, with cells under
// report.MinCell responses shown as "< 5") and Codebook (every question and
// answer code with its Vietnamese and English text). Rows are streamed
// through excelize's StreamWriter, which spills to a temporary file, so
// memory stays flat. It returns the number of responses written.
func WriteXLSX(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, l: newLayout(opt), t: loadTexts(opt.Lang), opt: opt, maxRows: maxDataRows}
	err := x.run(ctx, w, rows)
	return x.n, err
}

// run writes the workbook to w.
func (x *xlsxWriter) run(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error]) error {
	f := x.f
	var err error
	if x.bold, err = f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
	}); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if x.pct, err = f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), SheetResponses); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	x.rep = report.NewBuilder(x.opt.Surveys, report.Options{})
	if err := x.responses(ctx, rows); err != nil {
		return err
	}
	if err := x.summary(); err != nil {
		return err
	}
	if err := x.codebook(); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	// excelize's Write builds the whole zip in a bytes.Buffer before copying
	// it out (hundreds of MB for a million rows). Its zip writer hook lets the
	// archive go straight to w instead; the buffer then stays empty.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	n, err := f.WriteTo(io.Discard)
	if err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("write xlsx: %d bytes left in excelize's buffer", n)
	}
	return nil
}

type xlsxWriter struct {
	f    *excelize.File
	l    *layout
	t    texts
	opt  Options
	rep  *report.Builder
	bold int
	pct  int
	// maxRows is how many responses go on one sheet (maxDataRows; less in tests).
	maxRows int
	// n counts the responses written.
	n int
}

// maxDataRows is how many responses fit on one sheet under its header.
const maxDataRows = excelize.TotalRows - 1

func (x *xlsxWriter) responses(ctx context.Context, rows iter.Seq2[*survey.Response, error]) error {
	sheet := 1
	sw, err := x.startResponses(SheetResponses)
	if err != nil {
		return err
	}
	rec := make([]string, len(x.l.header))
	cells := make([]any, len(x.l.header))
	row := 1
	n, err := each(ctx, rows, x.opt, func(r *survey.Response) error {
		if row > x.maxRows {
			if err := sw.Flush(); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
			sheet++
			name := SheetResponses + " " + strconv.Itoa(sheet)
			if _, err := x.f.NewSheet(name); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
			if sw, err = x.startResponses(name); err != nil {
				return err
			}
			row = 1
		}
		row++
		x.rep.Add(r)
		x.l.row(r, rec)
		for i, s := range rec {
			switch {
			case s == "":
				cells[i] = nil
			case i == colVersion:
				cells[i] = r.SurveyVersion
			case i == colMisuse || i == colAssisted:
				cells[i] = int(s[0] - '0')
			default:
				cells[i] = s
			}
		}
		if err := sw.SetRow(cellName(1, row), cells); err != nil {
			return fmt.Errorf("write xlsx row %d: %w", row, err)
		}
		return nil
	})
	x.n = n
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// startResponses opens a Responses sheet with its frozen header row.
func (x *xlsxWriter) startResponses(name string) (*excelize.StreamWriter, error) {
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetColWidth(1, 1, 38); err != nil { // UUIDs
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetColWidth(6, 7, 26); err != nil { // times
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	head := make([]any, len(x.l.header))
	for i, h := range x.l.header {
		head[i] = excelize.Cell{StyleID: x.bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return sw, nil
}

// sheetRows streams rows into a new sheet.
func (x *xlsxWriter) sheetRows(name string, widths []float64, rows [][]any) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return fmt.Errorf("write xlsx %s: %w", name, err)
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("write xlsx %s: %w", name, err)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("write xlsx %s: %w", name, err)
		}
	}
	for i, r := range rows {
		if err := sw.SetRow(cellName(1, i+1), r); err != nil {
			return fmt.Errorf("write xlsx %s: %w", name, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write xlsx %s: %w", name, err)
	}
	return nil
}

func (x *xlsxWriter) summary() error {
	rep := x.rep.Report()
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.get(key)} }
	rows := [][]any{
		{h("export.summary.title")},
		{t.get("export.summary.note")},
		{},
		{t.get("export.summary.responses"), rep.Totals.Responses},
		{t.get("export.summary.complete"), rep.Totals.Complete},
		{t.get("export.summary.abandoned"), rep.Totals.Abandoned},
		{t.get("export.summary.flagged"), rep.Totals.Flagged},
		{t.get("export.summary.counted"), rep.Totals.Counted},
	}
	if rep.Totals.Unknown > 0 {
		rows = append(rows, []any{t.get("export.summary.unknown"), rep.Totals.Unknown})
	}
	rows = append(rows, []any{}, []any{
		h("export.summary.level"), h("export.summary.code"), h("export.summary.text"),
		h("export.summary.n"), h("export.summary.index"),
	})
	fig := func(level, code, text string, f report.Figure) []any {
		// The count is always given; a suppressed value says why ("< 5",
		// "ẩn", "chưa có dữ liệu"; docs/reports.md).
		r := []any{level, Guard(code), Guard(text), f.N, nil}
		if f.Suppressed {
			r[4] = f.Format(x.opt.Lang)
		} else {
			r[4] = excelize.Cell{StyleID: x.pct, Value: math.Round(f.Value*100) / 100}
		}
		return r
	}
	rows = append(rows, fig(t.get("export.summary.overall"), "", "", rep.Overall.Index))
	for i, e := range rep.Elements {
		rows = append(rows, fig(t.get("export.summary.element"), e, "", rep.Overall.Elements[i]))
	}
	for i, q := range rep.Questions {
		rows = append(rows, fig(t.get("export.summary.question"), q.SurveyID+"/"+q.Code, q.Text.In(x.opt.Lang), rep.Overall.Questions[i]))
	}
	for _, g := range rep.ServicePoints {
		rows = append(rows, fig(t.get("export.summary.service_point"), g.Key, "", g.Index))
	}
	for _, g := range rep.Months {
		rows = append(rows, fig(t.get("export.summary.month"), g.Key, "", g.Index))
	}
	return x.sheetRows(SheetSummary, []float64{22, 30, 70, 14, 20}, rows)
}

func (x *xlsxWriter) codebook() error {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.get(key)} }
	rows := [][]any{{
		h("export.codebook.survey"), h("export.codebook.version"), h("export.codebook.question"),
		h("export.codebook.type"), h("export.codebook.index"), h("export.codebook.optional"),
		h("export.codebook.show_if"), h("export.codebook.text_vi"), h("export.codebook.text_en"),
		h("export.codebook.option"), h("export.codebook.label_vi"), h("export.codebook.label_en"),
	}}
	for _, s := range x.opt.Surveys {
		if s == nil {
			continue
		}
		for i := range s.Questions {
			q := &s.Questions[i]
			showIf := ""
			if q.ShowIf != nil {
				showIf = q.ShowIf.Question + "=" + strings.Join(q.ShowIf.AnyOf, MultiSeparator)
			}
			opt := 0
			if q.Optional {
				opt = 1
			}
			base := []any{s.ID, s.Version, q.Code, string(q.Type), q.Index, opt, showIf, Guard(q.Text["vi"]), Guard(q.Text["en"])}
			opts := q.OptionsOf()
			if len(opts) == 0 {
				rows = append(rows, base)
				continue
			}
			for _, o := range opts {
				r := append(append([]any(nil), base...), Guard(o.Code), Guard(o.Label["vi"]), Guard(o.Label["en"]))
				rows = append(rows, r)
			}
		}
	}
	return x.sheetRows(SheetCodebook, []float64{18, 9, 24, 10, 18, 10, 18, 60, 50, 14, 30, 30}, rows)
}

// cellName is "A1"-style for column col and row row (both from 1); the
// arguments are always in range here.
func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
