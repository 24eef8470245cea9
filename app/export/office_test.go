package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// office runs LibreOffice headless conversions for a test, with a profile
// of its own (two soffice processes sharing one profile wait for each other).
type office struct {
	t       *testing.T
	bin     string
	profile string
}

// newOffice finds soffice, or skips the test; with HAILONG_REQUIRE_OFFICE=1
// (`make test` sets it, scripts/setup.sh --test installs
// libreoffice-calc-nogui) a missing soffice fails it instead.
func newOffice(t *testing.T) *office {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("HAILONG_REQUIRE_OFFICE") == "1" {
			t.Fatalf("soffice not installed (apt-get install libreoffice-calc-nogui): %v", err)
		}
		t.Skip("LibreOffice (soffice) not installed; `make test` installs it")
	}
	return &office{t: t, bin: bin, profile: (&url.URL{Scheme: "file", Path: filepath.Join(t.TempDir(), "profile")}).String()}
}

// convert converts in to the filter spec `to` into outdir, reading in with
// infilter when not empty.
func (o *office) convert(in, to, infilter, outdir string) {
	o.t.Helper()
	args := []string{"--headless", "--norestore", "-env:UserInstallation=" + o.profile}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", to, "--outdir", outdir, in)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, o.bin, args...).CombinedOutput()
	if err != nil {
		o.t.Fatalf("soffice %q: %v\n%s", args, err, out)
	}
}

// officeCSV is LibreOffice's CSV export filter: comma, double quotes,
// UTF-8 (76), cells as shown (so a date-time shows its number format and
// a formula would show its result), every sheet to its own file (-1).
const officeCSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"

// officeCSVImport is the import that docs/exports.md tells LibreOffice
// users to choose: comma, double quotes, Unicode (UTF-8), from line 1.
const officeCSVImport = "CSV:44,34,76,1"

// TestLibreOfficeOpensXLSX opens an XLSX export in LibreOffice and saves
// every sheet as CSV: Vietnamese text, line breaks, the date-times in Hà
// Nội and text that looks like a formula all come out as written.
func TestLibreOfficeOpensXLSX(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	rs := fixtureResponses()
	xlsx := filepath.Join(dir, "w.xlsx")
	if err := os.WriteFile(xlsx, writeXLSXBytes(t, rs, fixtureOptions(true)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	o.convert(xlsx, officeCSV, "", out)
	sheet := func(name string) [][]string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, "w-"+name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	got := sheet("Phiếu trả lời")
	csvRecs := readCSV(t, writeCSV(t, rs, fixtureOptions(true)))
	if len(got) != len(rs)+1 {
		t.Fatalf("%d rows, want %d", len(got), len(rs)+1)
	}
	if got[0][colStarted] != "Bắt đầu (giờ Việt Nam, UTC+7)\n[started_at]" || got[0][len(fixedColumns)] != "Ông/Bà có hài lòng không?\n[hai_long]" ||
		got[0][colSlipChannel] != "Kênh đánh giá (phiếu đánh giá một lần)\n[slip_channel]" {
		t.Errorf("header = %q", got[0])
	}
	for i, r := range rs {
		want := wantRow(r, true)
		want[colStarted], want[colFinished] = localTime(r.StartedAt), localTime(r.FinishedAt)
		want[colSlipChannel] = channelWords[want[colSlipChannel]]
		if !slices.Equal(got[i+1], want) {
			t.Errorf("row %d as LibreOffice shows it:\n got %q\nwant %q", i, got[i+1], want)
		}
	}
	gop := slices.Index(csvRecs[0], "gop_y")
	if v := got[2][gop]; v != `=HYPERLINK("http://x","bấm")` {
		t.Errorf("formula-looking comment shows %q, want it as typed (a formula would show its result)", v)
	}
	sum := sheet("Tổng hợp")
	if sum[0][0] != "Tổng hợp mức độ hài lòng" || !slices.ContainsFunc(sum, func(r []string) bool {
		return r[1] == "mot-cua/hai_long" && r[2] == "Ông/Bà có hài lòng không?"
	}) {
		t.Errorf("summary = %q", sum)
	}
	cb := sheet("Bảng mã")
	if !slices.ContainsFunc(cb, func(r []string) bool { return slices.Contains(r, "Giấy tờ phức tạp") }) {
		t.Errorf("codebook = %q", cb)
	}
}

// TestLibreOfficeImportsCSV imports a CSV export into LibreOffice with the
// options docs/exports.md gives and reads the sheet back: every cell as in
// the CSV, the line break inside a comment kept, nothing turned into a
// formula.
func TestLibreOfficeImportsCSV(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	rs := fixtureResponses()
	r := fixtureResponses()[0]
	r.ID, r.Answers = "019a0000-0000-7000-8000-000000000009", survey.Answers{"gop_y": {"Dòng 1\nDòng 2\nDòng 3"}}
	rs = append(rs, r)
	data := writeCSV(t, rs, fixtureOptions(true))
	in := filepath.Join(dir, "r.csv")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	o.convert(in, "xlsx", officeCSVImport, out)
	f, err := excelize.OpenFile(filepath.Join(out, "r.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	name := f.GetSheetList()[0]
	got, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	want := readCSV(t, data)
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		row := append(got[i], make([]string, len(want[i])-len(got[i]))...)
		if !slices.Equal(row, want[i]) {
			t.Errorf("row %d:\n got %q\nwant %q", i, row, want[i])
		}
		for c := range want[i] {
			cell := cellName(c+1, i+1)
			if fm, _ := f.GetCellFormula(name, cell); fm != "" {
				t.Errorf("cell %s became formula %q", cell, fm)
			}
		}
	}
	gop := slices.Index(want[0], "gop_y")
	if v := got[len(got)-1][gop]; v != "Dòng 1\nDòng 2\nDòng 3" || strings.Contains(v, "\r") {
		t.Errorf("multi-line comment = %q", v)
	}
}
