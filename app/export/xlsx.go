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
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// Sheet is the role of a sheet in an XLSX export; SheetName gives its name
// in the export's language.
type Sheet string

// The sheets of an XLSX export, in order.
const (
	SheetResponses Sheet = "responses"
	SheetSummary   Sheet = "summary"
	SheetCodebook  Sheet = "codebook"
)

// SheetName is the name of sheet s in an export made in lang ("vi" unless
// "en"): "Phiếu trả lời", "Tổng hợp", "Bảng mã" in Vietnamese. When the
// responses do not fit on one sheet (excelize.TotalRows rows, header
// included), they continue on "Phiếu trả lời 2", "Phiếu trả lời 3"...
func SheetName(s Sheet, lang string) string {
	return texts(lang).T("export.sheet." + string(s))
}

// texts returns the report area's texts in lang ("vi" unless "en"): the
// sheet headings are its "export.*" keys, so the kiosk screens and the files
// use the same words. A catalog that does not load (its files are embedded,
// so a broken build) gives the keys themselves, never an empty heading.
func texts(lang string) *i18n.Translator {
	cat, _ := i18n.Shared("report")
	return cat.In(lang)
}

// DateTimeFormat is the number format of the XLSX date-time cells.
const DateTimeFormat = "yyyy-mm-dd hh:mm:ss"

// WriteXLSX writes an Excel workbook with three sheets: the responses (the
// same columns as WriteCSV, headed by their names in opt.Lang; version,
// misuse, assisted and with_slip as numbers; started and finished as date-time cells
// in Asia/Ho_Chi_Minh; slip_channel in words of opt.Lang; every other cell as text, which a spreadsheet never
// runs as a formula, so nothing is guarded), the Summary (response counts
// and the satisfaction index overall, per SIPAS element, per question, per
// service point and per month, with cells under report.MinCell responses
// shown as "< 5") and the Codebook (every question and answer code with its
// Vietnamese and English text). Every sheet prints landscape on A4, fitted
// to the page width, with its header row repeated on each page; the Summary
// fits on one page. The document properties name Hài Lòng and the export
// time (opt.Now). Rows are streamed through excelize's StreamWriter, which
// spills to a temporary file, so memory stays flat. It returns the number
// of responses written.
func WriteXLSX(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	x := newXLSXWriter(f, opt)
	err := x.run(ctx, w, rows)
	return x.n, err
}

func newXLSXWriter(f *excelize.File, opt Options) *xlsxWriter {
	lang := "vi"
	if opt.Lang == "en" {
		lang = "en"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	t := texts(lang)
	channels := map[string]string{}
	for _, c := range Channels {
		channels[c] = t.T("export.channel." + c)
	}
	return &xlsxWriter{
		f: f, l: newLayout(opt), t: t, lang: lang, opt: opt, maxRows: maxDataRows, channels: channels,
		names: map[Sheet]string{
			SheetResponses: t.T("export.sheet.responses"),
			SheetSummary:   t.T("export.sheet.summary"),
			SheetCodebook:  t.T("export.sheet.codebook"),
		},
	}
}

// run writes the workbook to w.
func (x *xlsxWriter) run(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error]) error {
	f := x.f
	var err error
	if err := x.styles(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := x.props(); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.SetSheetName(f.GetSheetName(0), x.names[SheetResponses]); err != nil {
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

// styles makes the cell styles.
func (x *xlsxWriter) styles() error {
	var err error
	if x.head, err = x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	}); err != nil {
		return err
	}
	if x.bold, err = x.f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
	}); err != nil {
		return err
	}
	if x.title, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}); err != nil {
		return err
	}
	if x.pct, err = x.f.NewStyle(&excelize.Style{NumFmt: 2}); err != nil { // 0.00
		return err
	}
	fmtDate := DateTimeFormat
	if x.date, err = x.f.NewStyle(&excelize.Style{CustomNumFmt: &fmtDate}); err != nil {
		return err
	}
	x.wrap, err = x.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return err
}

// props names Hài Lòng as the workbook's author and application and dates
// it with the export time.
func (x *xlsxWriter) props() error {
	now := x.opt.Now()
	local := now.In(survey.Location()).Format("2006-01-02 15:04:05")
	if err := x.f.SetDocProps(&excelize.DocProperties{
		Title:          x.t.T("export.props.title"),
		Subject:        x.t.T("export.props.subject"),
		Description:    x.t.T("export.props.description", map[string]any{"Time": local}),
		Creator:        "Hài Lòng",
		LastModifiedBy: "Hài Lòng",
		Language:       map[string]string{"vi": "vi-VN", "en": "en"}[x.lang],
		Created:        now.UTC().Format(time.RFC3339),
		Modified:       now.UTC().Format(time.RFC3339),
	}); err != nil {
		return err
	}
	return x.f.SetAppProps(&excelize.AppProperties{Application: "Hài Lòng"})
}

// printLayout sets sheet's page setup: landscape A4, one page wide, and
// one page tall when onePage; the first row repeats on every printed page.
// It must run before the sheet's stream writer is made (the stream writes
// the sheet properties first).
func (x *xlsxWriter) printLayout(sheet string, onePage bool) error {
	fit, a4, landscape, wide, tall := true, 9, "landscape", 1, 0
	if onePage {
		tall = 1
	}
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	return x.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1",
		Scope:    sheet,
	})
}

type xlsxWriter struct {
	f     *excelize.File
	l     *layout
	t     *i18n.Translator
	lang  string // "vi" or "en"
	names map[Sheet]string
	// channels are the slip_channel codes' words in lang.
	channels map[string]string
	opt      Options
	rep      *report.Builder
	// styles: the responses header (wrapped, in a tall row), the Summary and
	// Codebook headers (one line), the Summary's title, index percentages,
	// date-times, wrapped text
	head, bold, title, pct, date, wrap int
	// maxRows is how many responses go on one sheet (maxDataRows; less in tests).
	maxRows int
	// n counts the responses written.
	n int
}

// maxDataRows is how many responses fit on one sheet under its header.
const maxDataRows = excelize.TotalRows - 1

func (x *xlsxWriter) responses(ctx context.Context, rows iter.Seq2[*survey.Response, error]) error {
	sheet := 1
	name := x.names[SheetResponses]
	sw, err := x.startResponses(name)
	if err != nil {
		return err
	}
	wrapped := x.wrappedColumns()
	loc := survey.Location()
	rec := make([]string, len(x.l.header))
	cells := make([]any, len(x.l.header))
	row := 1
	n, err := each(ctx, rows, x.opt, func(r *survey.Response) error {
		if row > x.maxRows {
			if err := sw.Flush(); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
			sheet++
			name := x.names[SheetResponses] + " " + strconv.Itoa(sheet)
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
			case i == colMisuse || i == colAssisted || i == colWithSlip:
				cells[i] = int(s[0] - '0')
			case i == colSlipChannel:
				cells[i] = x.channelWords(s)
			case i == colStarted:
				cells[i] = excelize.Cell{StyleID: x.date, Value: r.StartedAt.In(loc)}
			case i == colFinished:
				cells[i] = excelize.Cell{StyleID: x.date, Value: r.FinishedAt.In(loc)}
			case wrapped[i]:
				cells[i] = excelize.Cell{StyleID: x.wrap, Value: s}
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

// channelWords is a slip_channel code in the sheet's language; a code the
// catalog does not know stays as it is.
func (x *xlsxWriter) channelWords(code string) string {
	if w, ok := x.channels[code]; ok {
		return w
	}
	return code
}

// wrappedColumns marks the comment columns, whose text may run over
// several lines.
func (x *xlsxWriter) wrappedColumns() []bool {
	w := make([]bool, len(x.l.header))
	for _, c := range x.l.qcols {
		if q := x.l.firstDef[c.code]; q != nil && q.Type == survey.Comment {
			w[c.col] = true
		}
	}
	w[x.l.other] = true
	return w
}

// Column widths of a responses sheet, in characters.
const (
	widthQuestion = 18
	widthLabel    = 24
	widthComment  = 48
)

// fixedWidths are the widths of the fixed columns, one per fixedColumns entry
// in its order (TestFixedWidths).
var fixedWidths = []float64{38, 14, 12, 24, 16, 18, 21, 21, 9, 12, 12, 16, 22, 12, 12, 26}

// startResponses opens a responses sheet with its print layout, frozen
// header row and column widths.
func (x *xlsxWriter) startResponses(name string) (*excelize.StreamWriter, error) {
	if err := x.printLayout(name, false); err != nil {
		return nil, fmt.Errorf("write xlsx %s: %w", name, err)
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	wrapped := x.wrappedColumns()
	for i, h := range x.l.header {
		var wd float64 = widthQuestion
		switch {
		case i < len(fixedColumns):
			wd = fixedWidths[i]
		case wrapped[i]:
			wd = widthComment
		case strings.HasSuffix(h, LabelSuffix):
			wd = widthLabel
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return nil, fmt.Errorf("write xlsx: %w", err)
		}
	}
	titles := x.l.titles(x.t, x.lang)
	head := make([]any, len(titles))
	for i, h := range titles {
		head[i] = excelize.Cell{StyleID: x.head, Value: h}
	}
	// Four lines: most question texts wrap once or twice in their column,
	// plus the bracketed column name.
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 62}); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return sw, nil
}

// sheetRows streams rows into a new sheet whose first row is its header.
func (x *xlsxWriter) sheetRows(name string, onePage bool, widths []float64, rows [][]any) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return fmt.Errorf("write xlsx %s: %w", name, err)
	}
	if err := x.printLayout(name, onePage); err != nil {
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
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
	rows := [][]any{
		{excelize.Cell{StyleID: x.title, Value: t.T("export.summary.title")}},
		{t.T("export.summary.note")},
		{},
		{t.T("export.summary.responses"), rep.Totals.Responses},
		{t.T("export.summary.complete"), rep.Totals.Complete},
		{t.T("export.summary.abandoned"), rep.Totals.Abandoned},
		{t.T("export.summary.flagged"), rep.Totals.Flagged},
		{t.T("export.summary.counted"), rep.Totals.Counted},
	}
	if rep.Totals.Unknown > 0 {
		rows = append(rows, []any{t.T("export.summary.unknown"), rep.Totals.Unknown})
	}
	rows = append(rows, []any{}, []any{
		h("export.summary.level"), h("export.summary.code"), h("export.summary.text"),
		h("export.summary.n"), h("export.summary.index"),
	})
	fig := func(level, code, text string, f report.Figure) []any {
		// The count is always given; a suppressed value says why ("< 5",
		// "ẩn", "chưa có dữ liệu"; docs/reports.md).
		r := []any{level, code, text, f.N, nil}
		if f.Suppressed {
			r[4] = f.Format(x.opt.Lang)
		} else {
			r[4] = excelize.Cell{StyleID: x.pct, Value: math.Round(f.Value*100) / 100}
		}
		return r
	}
	rows = append(rows, fig(t.T("export.summary.overall"), "", "", rep.Overall.Index))
	for i, e := range rep.Elements {
		rows = append(rows, fig(t.T("export.summary.element"), e, "", rep.Overall.Elements[i]))
	}
	for i, q := range rep.Questions {
		rows = append(rows, fig(t.T("export.summary.question"), q.SurveyID+"/"+q.Code, q.Text.In(x.lang), rep.Overall.Questions[i]))
	}
	for _, g := range rep.ServicePoints {
		rows = append(rows, fig(t.T("export.summary.service_point"), g.Key, "", g.Index))
	}
	for _, g := range rep.Months {
		rows = append(rows, fig(t.T("export.summary.month"), g.Key, "", g.Index))
	}
	switch {
	case x.opt.Slips != nil:
		rows = append(rows, x.slipRows(x.opt.Slips)...)
	case x.opt.Files != nil:
		rows = append(rows, x.coverage(rep)...)
	}
	if x.opt.Feedback != nil {
		rows = append(rows, x.feedbackRows(x.opt.Feedback)...)
	}
	if len(x.opt.Help) > 0 {
		rows = append(rows, x.helpRows(x.opt.Help)...)
	}
	return x.sheetRows(x.names[SheetSummary], true, []float64{22, 30, 70, 14, 20, 20}, rows)
}

// coverage is the Summary's coverage table: per service point and in
// total, files returned, ratings, coverage, the satisfied share and the
// 766-equivalent, suppressed as report.Coverage says.
func (x *xlsxWriter) coverage(rep *report.Report) [][]any {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
	cov := rep.Coverage(x.opt.Files)
	rows := [][]any{{}, {excelize.Cell{StyleID: x.title, Value: t.T("export.coverage.title")}}, {t.T("export.coverage.note")}, {
		h("export.summary.service_point"), h("export.coverage.files"), h("export.coverage.ratings"),
		h("export.coverage.coverage"), h("export.coverage.satisfied"), h("export.coverage.eq766"),
	}}
	pct := func(f report.Figure) any {
		if f.Suppressed || f.NoData() {
			return f.Format(x.opt.Lang)
		}
		return excelize.Cell{StyleID: x.pct, Value: math.Round(f.Value*100) / 100}
	}
	row := func(name string, r report.CoverageRow) []any {
		out := []any{name, t.T("export.coverage.files_unknown"), r.Ratings, "", pct(r.Satisfied), pct(r.Equivalent766)}
		if r.FilesKnown {
			out[1] = r.Files
		}
		if r.HasCoverage {
			out[3] = excelize.Cell{StyleID: x.pct, Value: math.Round(r.Coverage*100) / 100}
		}
		return out
	}
	for _, r := range cov.Points {
		rows = append(rows, row(r.ServicePoint, r))
	}
	return append(rows, row(t.T("export.coverage.total"), cov.Total))
}

// slipRows is the Summary's slip table (docs/reports.md, "Rating slips"):
// per service point and in total, files returned, slips handed out,
// ratings by how they were given, coverage, the satisfied shares, the
// 766-equivalent and the desk-vs-home gap, suppressed as
// report.NewSlipTable says.
func (x *xlsxWriter) slipRows(tab *report.SlipTable) [][]any {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
	rows := [][]any{{}, {excelize.Cell{StyleID: x.title, Value: t.T("export.slips.title")}}, {t.T("export.slips.note")}, {
		h("export.summary.service_point"), h("export.coverage.files"), h("export.slips.printed"), h("export.slips.desk"),
		h("export.slips.home"), h("export.slips.none"), h("export.slips.flagged"), h("export.coverage.coverage"),
		h("export.coverage.satisfied"), h("export.coverage.eq766"), h("export.slips.desk_satisfied"),
		h("export.slips.home_satisfied"), h("export.slips.gap"),
	}}
	pct := func(f report.Figure) any {
		if f.Suppressed || f.NoData() {
			return f.Format(x.opt.Lang)
		}
		return excelize.Cell{StyleID: x.pct, Value: math.Round(f.Value*100) / 100}
	}
	row := func(name string, r report.SlipRow) []any {
		out := []any{name, t.T("export.coverage.files_unknown"), r.Printed, r.Desk.N, r.Home.N, r.NoSlip.N, r.Flagged.N, "",
			pct(r.Satisfied), pct(r.Equivalent766), pct(r.DeskSatisfied), pct(r.HomeSatisfied), pct(r.Gap)}
		if r.FilesKnown {
			out[1] = r.Files
		}
		if r.HasCoverage {
			out[7] = excelize.Cell{StyleID: x.pct, Value: math.Round(r.Coverage*100) / 100}
		}
		return out
	}
	for _, r := range tab.Points {
		rows = append(rows, row(r.ServicePoint, r))
	}
	return append(rows, row(t.T("export.coverage.total"), tab.Total))
}

// feedbackRows is the Summary's feedback table: per service point and in
// total, cases received, answered, on time, the on-time share and the
// median working hours to the answer (FeedbackRow says what is left out).
func (x *xlsxWriter) feedbackRows(tab *FeedbackTable) [][]any {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
	rows := [][]any{{}, {excelize.Cell{StyleID: x.title, Value: t.T("export.feedback.title")}}, {t.T("export.feedback.note")}, {
		h("export.summary.service_point"), h("export.feedback.received"), h("export.feedback.answered"),
		h("export.feedback.on_time"), h("export.feedback.on_time_share"), h("export.feedback.median_hours"),
	}}
	row := func(name string, r FeedbackRow) []any {
		out := []any{name, r.Received, r.Answered, r.OnTime, "—", "—"}
		if r.Answered > 0 && r.Answered < report.MinCell {
			out[4], out[5] = "< 5", "< 5"
		} else if r.Answered > 0 {
			out[4] = excelize.Cell{StyleID: x.pct, Value: math.Round(float64(r.OnTime)*10000/float64(r.Answered)) / 100}
			out[5] = math.Round(r.MedianAnswer.Hours()*10) / 10
		}
		return out
	}
	for _, r := range tab.Points {
		rows = append(rows, row(r.ServicePoint, r))
	}
	return append(rows, row(t.T("export.coverage.total"), tab.Total))
}

// helpRows is the Summary's table of staff help requests per service
// point; the reasons are one cell ("label: n; ..."), the median in whole
// minutes (empty when no request was resolved).
func (x *xlsxWriter) helpRows(figs []HelpRow) [][]any {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
	rows := [][]any{{}, {excelize.Cell{StyleID: x.title, Value: t.T("export.help.title")}}, {t.T("export.help.note")}, {
		h("export.summary.service_point"), h("export.help.requests"), h("export.help.open"), h("export.help.helped"),
		h("export.help.not_possible"), h("export.help.reasons"), h("export.help.median"),
	}}
	for _, r := range figs {
		var parts []string
		for _, code := range helpReasons {
			if n := r.ByReason[code]; n > 0 {
				parts = append(parts, t.T("help.reason."+code)+": "+strconv.Itoa(n))
			}
		}
		var median any
		if r.Helped+r.NotPossible > 0 {
			median = int(r.MedianOutcome / time.Minute)
		}
		rows = append(rows, []any{r.ServicePoint, r.Requests, r.Open, r.Helped, r.NotPossible, strings.Join(parts, "; "), median})
	}
	return rows
}

// helpReasons are the reason codes in the order staff see them.
var helpReasons = func() []string {
	out := make([]string, len(help.Reasons))
	for i, r := range help.Reasons {
		out[i] = string(r)
	}
	return out
}()

func (x *xlsxWriter) codebook() error {
	t := x.t
	h := func(key string) any { return excelize.Cell{StyleID: x.bold, Value: t.T(key)} }
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
			if !q.IsQuestion() {
				continue // the codebook describes the data; info screens have none
			}
			showIf := ""
			if q.ShowIf != nil {
				showIf = q.ShowIf.Question + "=" + strings.Join(q.ShowIf.AnyOf, MultiSeparator)
			}
			opt := 0
			if q.Optional {
				opt = 1
			}
			base := []any{s.ID, s.Version, q.Code, string(q.Type), q.Index, opt, showIf, q.Text["vi"], q.Text["en"]}
			opts := q.OptionsOf()
			if len(opts) == 0 {
				rows = append(rows, base)
				continue
			}
			for _, o := range opts {
				r := append(append([]any(nil), base...), o.Code, o.Label["vi"], o.Label["en"])
				rows = append(rows, r)
			}
		}
	}
	return x.sheetRows(x.names[SheetCodebook], false, []float64{18, 11, 24, 10, 18, 16, 18, 60, 50, 14, 30, 30}, rows)
}

// cellName is "A1"-style for column col and row row (both from 1); the
// arguments are always in range here.
func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
