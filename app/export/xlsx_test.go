package export

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func writeXLSXBytes(t *testing.T, rs []*survey.Response, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := WriteXLSX(context.Background(), &buf, seqOf(rs), opt)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(rs) {
		t.Fatalf("wrote %d, want %d", n, len(rs))
	}
	return buf.Bytes()
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rows reads a sheet, padding every row to the header's width (excelize
// trims empty trailing cells).
func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rs, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	width := 0
	for _, r := range rs {
		width = max(width, len(r))
	}
	for i := range rs {
		for len(rs[i]) < width {
			rs[i] = append(rs[i], "")
		}
	}
	return rs
}

// localTime is how an XLSX date-time cell shows t: the wall clock in Hà Nội.
func localTime(t time.Time) string {
	return t.In(survey.Location()).Format("2006-01-02 15:04:05")
}

func TestXLSXRoundTrip(t *testing.T) {
	for _, labels := range []bool{false, true} {
		rs := fixtureResponses()
		opt := fixtureOptions(labels)
		f := openXLSX(t, writeXLSXBytes(t, rs, opt))
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"Phiếu trả lời", "Tổng hợp", "Bảng mã"}) {
			t.Fatalf("sheets = %v", got)
		}
		sheet := SheetName(SheetResponses, "vi")
		csvRecs := readCSV(t, writeCSV(t, rs, opt))
		// shown as a spreadsheet shows them (number formats applied)
		shown, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		raw := rows(t, f, sheet)
		for i, h := range raw[0] {
			if !strings.HasSuffix(h, "["+csvRecs[0][i]+"]") {
				t.Errorf("labels=%v: header %q does not end in the CSV column [%s]", labels, h, csvRecs[0][i])
			}
		}
		for i, r := range rs {
			want := wantRow(r, labels)
			want[colStarted], want[colFinished] = localTime(r.StartedAt), localTime(r.FinishedAt)
			want[colSlipChannel] = channelWords[want[colSlipChannel]]
			row := append(shown[i+1], make([]string, len(want)-len(shown[i+1]))...)
			if !reflect.DeepEqual(row, want) {
				t.Errorf("labels=%v row %d:\n got %q\nwant %q", labels, i, row, want)
			}
			// the same cells as the CSV, without its formula guard (the
			// slip channel in words)
			for j, c := range csvRecs[i+1] {
				if j != colStarted && j != colFinished && j != colSlipChannel && unguard(c) != raw[i+1][j] {
					t.Errorf("labels=%v row %d col %d: xlsx %q, csv %q", labels, i, j, raw[i+1][j], c)
				}
			}
		}
		// numbers are numbers, so Excel can sum them
		for _, cell := range []string{"C2", "K2", "N2"} {
			typ, err := f.GetCellType(sheet, cell)
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("%s type = %v, %v; want a number", cell, typ, err)
			}
		}
		if v, _ := f.GetCellValue(sheet, "C2"); v != "2" {
			t.Errorf("version cell = %q", v)
		}
		// times are date-time serial numbers holding the wall clock in Hà Nội
		for i, r := range rs {
			for col, at := range map[int]time.Time{colStarted: r.StartedAt, colFinished: r.FinishedAt} {
				v, err := strconv.ParseFloat(raw[i+1][col], 64)
				if err != nil {
					t.Fatalf("row %d col %d: %q is not a number", i, col, raw[i+1][col])
				}
				got, err := excelize.ExcelDateToTime(v, false)
				if err != nil {
					t.Fatal(err)
				}
				wall := at.In(survey.Location())
				want := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, time.UTC)
				if d := got.Sub(want); d < -time.Millisecond || d > time.Millisecond {
					t.Errorf("row %d col %d: serial %v is %v, want %v", i, col, v, got, want)
				}
			}
		}
		// text that looks like a formula is a text cell, shown as typed
		cell := cellName(len(fixedColumns)+1+slices.Index(csvRecs[0][len(fixedColumns):], "gop_y"), 3)
		if v, _ := f.GetCellValue(sheet, cell); v != `=HYPERLINK("http://x","bấm")` {
			t.Errorf("formula-looking comment %s = %q, want it as typed, without an apostrophe", cell, v)
		}
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeInlineString {
			t.Errorf("comment %s type = %v, want text", cell, typ)
		}
		for i := 1; i <= len(rs)+1; i++ {
			for c := 1; c <= len(raw[0]); c++ {
				if fm, _ := f.GetCellFormula(sheet, cellName(c, i)); fm != "" {
					t.Errorf("cell %s holds formula %q", cellName(c, i), fm)
				}
				if v, _ := f.GetCellValue(sheet, cellName(c, i)); strings.HasPrefix(v, "'") {
					t.Errorf("cell %s shows an apostrophe: %q", cellName(c, i), v)
				}
			}
		}
	}
}

func TestXLSXTitles(t *testing.T) {
	for _, tt := range []struct {
		lang           string
		sheets         []string
		id, start, q   string
		label, comment string
	}{
		{"vi", []string{"Phiếu trả lời", "Tổng hợp", "Bảng mã"}, "Mã phiếu\n[id]", "Bắt đầu (giờ Việt Nam, UTC+7)\n[started_at]",
			"Ông/Bà có hài lòng không?\n[hai_long]", "Ông/Bà có hài lòng không? (nhãn)\n[hai_long.label]", "Góp ý thêm\n[gop_y]"},
		{"en", []string{"Responses", "Summary", "Codebook"}, "Response ID\n[id]", "Started (Vietnam time, UTC+7)\n[started_at]",
			"Are you satisfied?\n[hai_long]", "Are you satisfied? (label)\n[hai_long.label]", "Comments\n[gop_y]"},
	} {
		opt := fixtureOptions(true)
		opt.Lang = tt.lang
		f := openXLSX(t, writeXLSXBytes(t, fixtureResponses(), opt))
		if got := f.GetSheetList(); !reflect.DeepEqual(got, tt.sheets) {
			t.Errorf("%s: sheets %q, want %q", tt.lang, got, tt.sheets)
		}
		head := rows(t, f, tt.sheets[0])[0]
		for _, want := range []string{tt.id, tt.start, tt.q, tt.label, tt.comment} {
			if !slices.Contains(head, want) {
				t.Errorf("%s: no header %q in %q", tt.lang, want, head)
			}
		}
		for _, h := range head {
			if strings.Contains(h, "export.") {
				t.Errorf("%s: header %q is a missing translation", tt.lang, h)
			}
		}
		if got := SheetName(SheetSummary, tt.lang); got != tt.sheets[1] {
			t.Errorf("SheetName(summary, %s) = %q", tt.lang, got)
		}
	}
}

func TestXLSXPrintLayout(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, fixtureResponses(), fixtureOptions(false)))
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		onePage := sheet == SheetName(SheetSummary, "vi")
		if pl.Orientation == nil || *pl.Orientation != "landscape" {
			t.Errorf("%s: orientation %v, want landscape", sheet, pl.Orientation)
		}
		if pl.Size == nil || *pl.Size != 9 {
			t.Errorf("%s: paper %v, want A4 (9)", sheet, pl.Size)
		}
		tall := 0 // as many pages down as needed
		if onePage {
			tall = 1
		}
		if pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != tall {
			t.Errorf("%s: fit to %v wide × %v tall, want 1 × %d", sheet, pl.FitToWidth, pl.FitToHeight, tall)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page is off (%v)", sheet, err)
		}
		if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
			t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
		}
	}
}

func TestXLSXProperties(t *testing.T) {
	for lang, title := range map[string]string{"vi": "Phiếu khảo sát mức độ hài lòng", "en": "Satisfaction survey responses"} {
		opt := fixtureOptions(false)
		opt.Lang = lang
		f := openXLSX(t, writeXLSXBytes(t, nil, opt))
		p, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if p.Creator != "Hài Lòng" || p.LastModifiedBy != "Hài Lòng" || p.Title != title {
			t.Errorf("%s: creator %q, modified by %q, title %q", lang, p.Creator, p.LastModifiedBy, p.Title)
		}
		if p.Created != "2026-11-30T01:30:00Z" || p.Modified != p.Created {
			t.Errorf("%s: created %q, modified %q, want the export time", lang, p.Created, p.Modified)
		}
		if !strings.Contains(p.Description, "2026-11-30 08:30:00") {
			t.Errorf("%s: description %q does not give the export time in Hà Nội", lang, p.Description)
		}
		a, err := f.GetAppProps()
		if err != nil || a.Application != "Hài Lòng" {
			t.Errorf("%s: application %q, %v", lang, a.Application, err)
		}
	}
}

func TestXLSXGolden(t *testing.T) {
	f := openXLSX(t, writeXLSXBytes(t, fixtureResponses(), fixtureOptions(true)))
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		fmt.Fprintf(&b, "== %s\n", sheet)
		for _, r := range rows(t, f, sheet) {
			b.WriteString(strings.Join(r, "\t"))
			b.WriteByte('\n')
		}
	}
	golden(t, "workbook.xlsx.golden", []byte(b.String()))
}

func TestXLSXSummarySuppression(t *testing.T) {
	// 5 complete responses at Ba Đình (4 satisfied on hai_long), 4 at Sóc Sơn.
	var rs []*survey.Response
	for i := range 9 {
		r := fixtureResponses()[0]
		r.ID = fmt.Sprintf("r%d", i)
		r.StartedAt = r.StartedAt.Add(time.Duration(i) * time.Hour)
		if i == 4 {
			r.Answers = survey.Answers{"hai_long": {"khl"}}
		}
		if i >= 5 {
			r.ServicePoint = "Xã Sóc Sơn"
		}
		rs = append(rs, r)
	}
	summary := SheetName(SheetSummary, "vi")
	f := openXLSX(t, writeXLSXBytes(t, rs[:5], fixtureOptions(false)))
	sum := rows(t, f, summary)
	find := func(sum [][]string, level, code string) []string {
		for _, r := range sum {
			if r[0] == level && r[1] == code {
				return r
			}
		}
		t.Fatalf("no summary row %s %s in %q", level, code, sum)
		return nil
	}
	if r := find(sum, "Câu hỏi", "mot-cua/hai_long"); r[3] != "5" || r[4] != "80" {
		t.Errorf("5 responses: %q, want 5 and 80", r)
	}
	f = openXLSX(t, writeXLSXBytes(t, rs, fixtureOptions(false)))
	sum = rows(t, f, summary)
	if r := find(sum, "Điểm phục vụ", "Xã Sóc Sơn"); r[3] != "4" || r[4] != "< 5" {
		t.Errorf("4 responses: %q, want the count and a suppressed index", r)
	}
	// Shown, Ba Đình's index would give Sóc Sơn's away (overall − Ba Đình).
	if r := find(sum, "Điểm phục vụ", "Phường Ba Đình"); r[3] != "5" || r[4] != "ẩn" {
		t.Errorf("5 responses: %q, want the count and a secondary suppression", r)
	}
	if r := sum[3]; r[0] != "Số phản hồi" || r[1] != "9" {
		t.Errorf("total row = %q", r)
	}
}

func TestXLSXCodebook(t *testing.T) {
	opt := fixtureOptions(false)
	opt.Lang = "en"
	f := openXLSX(t, writeXLSXBytes(t, nil, opt))
	cb := rows(t, f, "Codebook")
	if cb[0][0] != "Survey" {
		t.Errorf("English heading = %q", cb[0][0])
	}
	want := []string{"mot-cua", "2", "ly_do", "multi", "", "1", "hai_long=khl", "Vì sao chưa hài lòng?", "Why not satisfied?", "giay-to", "Giấy tờ phức tạp", "Complicated papers"}
	if !slices.ContainsFunc(cb, func(r []string) bool { return reflect.DeepEqual(r, want) }) {
		t.Errorf("codebook lacks %q:\n%q", want, cb)
	}
	// 3 + 5 + 3 + 2 + 2 option rows and 1 comment row, plus the header
	if len(cb) != 1+3+5+3+2+2+1 {
		t.Errorf("codebook rows = %d", len(cb))
	}
}

func TestXLSXSheetOverflow(t *testing.T) {
	rs := fixtureResponses()
	var buf bytes.Buffer
	f := excelize.NewFile()
	x := newXLSXWriter(f, fixtureOptions(false))
	x.maxRows = 2
	if err := x.run(context.Background(), &buf, seqOf(rs)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g := openXLSX(t, buf.Bytes())
	want := []string{"Phiếu trả lời", "Phiếu trả lời 2", "Phiếu trả lời 3", "Tổng hợp", "Bảng mã"}
	if got := g.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	var ids []string
	for _, s := range want[:3] {
		rs := rows(t, g, s)
		if rs[0][0] != "Mã phiếu\n[id]" {
			t.Errorf("%s has no header", s)
		}
		for _, r := range rs[1:] {
			ids = append(ids, r[0])
		}
	}
	if len(ids) != len(rs) || ids[4] != rs[4].ID {
		t.Errorf("ids across sheets = %v", ids)
	}
}

func TestFixedWidths(t *testing.T) {
	if len(fixedWidths) != len(fixedColumns) {
		t.Errorf("%d widths for %d fixed columns", len(fixedWidths), len(fixedColumns))
	}
}

// TestXLSXSummaryCoverage: with files returned given, the Summary ends
// with the coverage table, suppressed as the dashboard's.
func TestXLSXSummaryCoverage(t *testing.T) {
	var rs []*survey.Response
	for i := range 9 {
		r := fixtureResponses()[0] // every rating answer satisfied
		r.ID = fmt.Sprintf("r%d", i)
		r.StartedAt = r.StartedAt.Add(time.Duration(i) * time.Hour)
		if i == 4 {
			r.Answers = survey.Answers{"hai_long": {"khl"}}
		}
		if i >= 5 {
			r.ServicePoint = "Xã Sóc Sơn"
		}
		rs = append(rs, r)
	}
	opt := fixtureOptions(false)
	opt.Files = map[string]int{"Phường Ba Đình": 20, "Xã Sóc Sơn": 8}
	tests := []struct {
		name string
		rs   []*survey.Response
		want [][]string
	}{
		{"small point hidden with its neighbour", rs, [][]string{
			{"Điểm phục vụ", "Hồ sơ trả", "Phiếu đánh giá", "Độ phủ (%)", "Hài lòng (%)", "Kiểu 766 (%)"},
			{"Phường Ba Đình", "20", "5", "25", "ẩn", "ẩn"},
			{"Xã Sóc Sơn", "8", "4", "50", "< 5", "< 5"},
			{"Tổng", "28", "9", "32.14", "88.89", "96.43"}, // (28 − 1) ÷ 28
		}},
		{"files without ratings", rs[:5], [][]string{
			{"Điểm phục vụ", "Hồ sơ trả", "Phiếu đánh giá", "Độ phủ (%)", "Hài lòng (%)", "Kiểu 766 (%)"},
			{"Phường Ba Đình", "20", "5", "25", "80", "95"},
			{"Xã Sóc Sơn", "8", "0", "0", "chưa có dữ liệu", "100"},
			{"Tổng", "28", "5", "17.86", "80", "96.43"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum := rows(t, openXLSX(t, writeXLSXBytes(t, tt.rs, opt)), SheetName(SheetSummary, "vi"))
			at := -1
			for i, r := range sum {
				if len(r) > 1 && r[1] == "Hồ sơ trả" {
					at = i
				}
			}
			if at < 0 || len(sum) != at+len(tt.want) {
				t.Fatalf("no coverage table at the end of %q", sum)
			}
			for i, w := range tt.want {
				if got := sum[at+i]; fmt.Sprint(got) != fmt.Sprint(w) {
					t.Errorf("row %d: %q, want %q", i, got, w)
				}
			}
		})
	}
	// Without files (the kiosk), no coverage table.
	sum := rows(t, openXLSX(t, writeXLSXBytes(t, rs, fixtureOptions(false))), SheetName(SheetSummary, "vi"))
	for _, r := range sum {
		if len(r) > 1 && r[1] == "Hồ sơ trả" {
			t.Fatalf("coverage table without files: %q", sum)
		}
	}
}
