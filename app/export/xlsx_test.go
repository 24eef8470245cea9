package export

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
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

func TestXLSXRoundTrip(t *testing.T) {
	for _, labels := range []bool{false, true} {
		rs := fixtureResponses()
		f := openXLSX(t, writeXLSXBytes(t, rs, fixtureOptions(labels)))
		if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{SheetResponses, SheetSummary, SheetCodebook}) {
			t.Fatalf("sheets = %v", got)
		}
		// the Responses sheet holds exactly what the CSV holds, byte for byte
		csvRecs := readCSV(t, writeCSV(t, rs, fixtureOptions(labels)))
		got := rows(t, f, SheetResponses)
		if !reflect.DeepEqual(got, csvRecs) {
			t.Errorf("labels=%v: XLSX and CSV differ:\nxlsx %q\n csv %q", labels, got, csvRecs)
		}
		for i, r := range rs {
			row := got[i+1]
			for j := range row {
				row[j] = unguard(row[j])
			}
			if want := wantRow(r, labels); !reflect.DeepEqual(row, want) {
				t.Errorf("labels=%v row %d:\n got %q\nwant %q", labels, i, row, want)
			}
		}
		// numbers are numbers, so Excel can sum them
		for _, cell := range []string{"C2", "J2", "M2"} {
			typ, err := f.GetCellType(SheetResponses, cell)
			if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
				t.Errorf("%s type = %v, %v; want a number", cell, typ, err)
			}
		}
		if v, _ := f.GetCellValue(SheetResponses, "C2"); v != "2" {
			t.Errorf("version cell = %q", v)
		}
		// the formula-looking comment stays text, not a formula
		for i := 2; i <= len(rs)+1; i++ {
			for c := 1; c <= len(got[0]); c++ {
				if fm, _ := f.GetCellFormula(SheetResponses, cellName(c, i)); fm != "" {
					t.Errorf("cell %s holds formula %q", cellName(c, i), fm)
				}
			}
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
	f := openXLSX(t, writeXLSXBytes(t, rs[:5], fixtureOptions(false)))
	sum := rows(t, f, SheetSummary)
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
	sum = rows(t, f, SheetSummary)
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
	cb := rows(t, f, SheetCodebook)
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
	x := &xlsxWriter{f: f, l: newLayout(fixtureOptions(false)), t: loadTexts("vi"), opt: fixtureOptions(false), maxRows: 2}
	if err := x.run(context.Background(), &buf, seqOf(rs)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	g := openXLSX(t, buf.Bytes())
	want := []string{"Responses", "Responses 2", "Responses 3", "Summary", "Codebook"}
	if got := g.GetSheetList(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	var ids []string
	for _, s := range want[:3] {
		rs := rows(t, g, s)
		if rs[0][0] != "id" {
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
