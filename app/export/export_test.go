package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func fixtureOptions(labels bool) Options {
	return Options{Surveys: []*survey.Survey{fixtureSurvey()}, Labels: labels, DeviceName: fixtureDeviceName,
		SlipChannel: fixtureSlipChannel, Now: func() time.Time { return exportTime }}
}

// fixtureSlipChannel is the hub's view of the fixture's slips: the first
// response's slip was used before, the third one's was given on the phone.
func fixtureSlipChannel(r *survey.Response) string {
	switch {
	case r.Slip == "":
		return ChannelNone
	case strings.HasSuffix(r.ID, "-000000000000"):
		return ChannelFlaggedReused
	case strings.HasSuffix(r.ID, "-000000000002"):
		return ChannelHome
	}
	return ChannelDesk
}

// channelWords are the slip_channel codes as the Vietnamese XLSX writes them.
var channelWords = map[string]string{ChannelDesk: "Có phiếu, tại quầy", ChannelHome: "Có phiếu, tại nhà (điện thoại)",
	ChannelNone: "Không có phiếu", ChannelFlaggedUnknown: "Bị gắn cờ: mã không do máy chủ in",
	ChannelFlaggedReused: "Bị gắn cờ: phiếu đã dùng trước đó", ChannelFlaggedElsewhere: "Bị gắn cờ: phiếu in cho điểm phục vụ khác"}

// exportTime is when the fixture exports are made: 08:30 in Hà Nội.
var exportTime = time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)

// fixtureDeviceName knows kiosk-01 only.
func fixtureDeviceName(id string) string {
	if id == "kiosk-01" {
		return "Ki-ốt quầy 1"
	}
	return ""
}

func writeCSV(t *testing.T, rs []*survey.Response, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := WriteCSV(context.Background(), &buf, seqOf(rs), opt)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(rs) {
		t.Fatalf("wrote %d, want %d", n, len(rs))
	}
	return buf.Bytes()
}

// readCSV parses an export after checking and dropping its BOM.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(BOM)) {
		t.Fatalf("no UTF-8 BOM at the start: % x", data[:min(len(data), 8)])
	}
	recs, err := csv.NewReader(bytes.NewReader(data[len(BOM):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// unguard undoes Guard for comparisons.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// wantRow is the row the export should hold for r, built independently of
// the layout code: the fixed columns, then the fixture's question columns.
func wantRow(r *survey.Response, labels bool) []string {
	loc := survey.Location()
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	row := []string{r.ID, r.SurveyID, "2", r.ServicePoint, r.DeviceID, fixtureDeviceName(r.DeviceID),
		r.StartedAt.In(loc).Format("2006-01-02T15:04:05+07:00"), r.FinishedAt.In(loc).Format("2006-01-02T15:04:05+07:00"),
		r.Lang, string(r.Status), b(r.Misuse), r.MisuseReason, r.EventTag, b(r.Assisted), b(r.Slip != ""), fixtureSlipChannel(r)}
	s := fixtureSurvey()
	for _, q := range s.Questions {
		row = append(row, strings.Join(r.Answers[q.Code], "|"))
		if labels && q.Type != survey.Comment {
			var ls []string
			for _, code := range r.Answers[q.Code] {
				for _, o := range q.OptionsOf() {
					if o.Code == code {
						ls = append(ls, o.Label["vi"])
					}
				}
			}
			row = append(row, strings.Join(ls, "|"))
		}
	}
	other := ""
	if v, ok := r.Answers["cau_cu"]; ok {
		other = "cau_cu=" + strings.Join(v, "|")
	}
	return append(row, other)
}

func TestCSVRoundTrip(t *testing.T) {
	for _, labels := range []bool{false, true} {
		rs := fixtureResponses()
		recs := readCSV(t, writeCSV(t, rs, fixtureOptions(labels)))
		if len(recs) != len(rs)+1 {
			t.Fatalf("labels=%v: %d records, want %d", labels, len(recs), len(rs)+1)
		}
		head := recs[0]
		if head[0] != "id" || head[5] != "device_name" || head[6] != "started_at" || head[len(head)-1] != OtherColumn {
			t.Errorf("header = %v", head)
		}
		if labels && !reflect.DeepEqual(head[len(fixedColumns):len(fixedColumns)+3], []string{"hai_long", "hai_long.label", "cong_chuc"}) {
			t.Errorf("label header = %v", head[len(fixedColumns):len(fixedColumns)+3])
		}
		for i, r := range rs {
			got := recs[i+1]
			for j := range got {
				got[j] = unguard(got[j])
			}
			if want := wantRow(r, labels); !reflect.DeepEqual(got, want) {
				t.Errorf("labels=%v row %d:\n got %q\nwant %q", labels, i, got, want)
			}
			for _, f := range got {
				if !norm.NFC.IsNormalString(f) {
					t.Errorf("row %d: %q is not NFC", i, f)
				}
			}
		}
	}
}

func TestCSVGolden(t *testing.T) {
	golden(t, "responses.csv.golden", writeCSV(t, fixtureResponses(), fixtureOptions(false)))
	golden(t, "responses-labels.csv.golden", writeCSV(t, fixtureResponses(), fixtureOptions(true)))
}

func TestCSVFormulaGuard(t *testing.T) {
	recs := readCSV(t, writeCSV(t, fixtureResponses(), fixtureOptions(false)))
	col := -1
	for i, h := range recs[0] {
		if h == "gop_y" {
			col = i
		}
	}
	if got := recs[2][col]; got != `'=HYPERLINK("http://x","bấm")` {
		t.Errorf("formula comment = %q, want it defused with a leading apostrophe", got)
	}
	if got := recs[5][col]; got != "'-5 điểm @admin" {
		t.Errorf("comment = %q", got)
	}
	if got := recs[1][col]; got != "Cán bộ rất nhiệt tình, chu đáo. Cảm ơn!" {
		t.Errorf("plain comment changed: %q", got)
	}
	for _, rec := range recs {
		for _, f := range rec {
			if f != "" && strings.ContainsRune("=+-@", rune(f[0])) {
				t.Errorf("cell %q would run as a formula", f)
			}
		}
	}
}

func TestCSVKeepsLineBreaks(t *testing.T) {
	for _, comment := range []string{"Dòng 1\nDòng 2", "Dòng 1\r\nDòng 2", "Dòng 1\rDòng 2", "\n\n", "cuối dòng\n"} {
		r := fixtureResponses()[0]
		r.Answers = survey.Answers{"gop_y": {comment}}
		out := string(writeCSV(t, []*survey.Response{r}, fixtureOptions(false)))
		want := `,"` + comment + `",` + "\r\n" // gop_y, then an empty _other_answers
		if !strings.HasSuffix(out, want) {
			t.Errorf("comment %q: the row ends %q, want %q", comment, out[max(0, len(out)-40):], want)
		}
		// every record ends in CRLF: two records, two CRLFs outside the cell
		if n := strings.Count(out, "\r\n") - strings.Count(comment, "\r\n"); n != 2 {
			t.Errorf("comment %q: %d record ends, want 2", comment, n)
		}
	}
}

func TestGuard(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"=1+1", "'=1+1"},
		{"+84 912", "'+84 912"},
		{"-", "'-"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=x", "'\t=x"},
		{"\r=x", "'\r=x"},
		{"Rất tốt = 10", "Rất tốt = 10"},
		{"'already", "'already"},
		{" =x", " =x"},
	}
	for _, tt := range tests {
		if got := Guard(tt.in); got != tt.want {
			t.Errorf("Guard(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJSONLRoundTrip(t *testing.T) {
	rs := fixtureResponses()
	var buf bytes.Buffer
	n, err := WriteJSONL(context.Background(), &buf, seqOf(rs), fixtureOptions(false))
	if err != nil || n != len(rs) {
		t.Fatalf("n=%d err=%v", n, err)
	}
	golden(t, "responses.jsonl.golden", buf.Bytes())
	sc := bufio.NewScanner(&buf)
	i := 0
	for sc.Scan() {
		var line struct {
			survey.Response
			WithSlip    bool    `json:"with_slip"`
			SlipChannel string  `json:"slip_channel"`
			DeviceName  *string `json:"device_name"`
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&line); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		got, want := line.Response, *rs[i]
		switch name := fixtureDeviceName(want.DeviceID); {
		case name == "" && line.DeviceName != nil:
			t.Errorf("line %d: device_name %q for an unknown device", i+1, *line.DeviceName)
		case name != "" && (line.DeviceName == nil || *line.DeviceName != name):
			t.Errorf("line %d: device_name %v, want %q", i+1, line.DeviceName, name)
		}
		if !got.StartedAt.Equal(want.StartedAt) || !got.FinishedAt.Equal(want.FinishedAt) {
			t.Errorf("line %d: times %v %v", i+1, got.StartedAt, got.FinishedAt)
		}
		if got.Slip != "" || line.WithSlip != (want.Slip != "") {
			t.Errorf("line %d: slip %q, with_slip %v; want no code and with_slip %v", i+1, got.Slip, line.WithSlip, want.Slip != "")
		}
		if ch := fixtureSlipChannel(&want); line.SlipChannel != ch {
			t.Errorf("line %d: slip_channel %q, want %q", i+1, line.SlipChannel, ch)
		}
		got.StartedAt, got.FinishedAt, want.Slip = want.StartedAt, want.FinishedAt, ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("line %d:\n got %+v\nwant %+v", i+1, got, want)
		}
		i++
	}
	if i != len(rs) {
		t.Errorf("%d lines, want %d", i, len(rs))
	}
	if strings.Contains(buf.String(), `\u003c`) {
		t.Error("HTML escaping in JSONL")
	}
}

func TestIteratorErrorAndCancel(t *testing.T) {
	boom := errors.New("database is locked")
	rows := func(yield func(*survey.Response, error) bool) {
		for _, r := range fixtureResponses()[:2] {
			if !yield(r, nil) {
				return
			}
		}
		yield(nil, boom)
	}
	for _, f := range Formats {
		var buf bytes.Buffer
		n, err := Write(context.Background(), &buf, f, rows, fixtureOptions(false))
		if !errors.Is(err, boom) || n != 2 {
			t.Errorf("%s: n=%d err=%v, want 2 and %v", f, n, err, boom)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, f := range Formats {
		if _, err := Write(ctx, &bytes.Buffer{}, f, seqOf(fixtureResponses()), Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want cancelled", f, err)
		}
	}
}

func TestProgress(t *testing.T) {
	rs := make([]*survey.Response, 0, 1234)
	for len(rs) < cap(rs) {
		rs = append(rs, fixtureResponses()...)
	}
	rs = rs[:1234]
	var calls []int
	opt := fixtureOptions(false)
	opt.Progress = func(n int) { calls = append(calls, n) }
	if _, err := WriteCSV(context.Background(), &bytes.Buffer{}, seqOf(rs), opt); err != nil {
		t.Fatal(err)
	}
	if want := []int{500, 1000, 1234}; !reflect.DeepEqual(calls, want) {
		t.Errorf("progress calls = %v, want %v", calls, want)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"csv": CSV, "XLSX": XLSX, " jsonl ": JSONL} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "xls", "json"} {
		if _, err := ParseFormat(in); err == nil {
			t.Errorf("ParseFormat(%q) accepted", in)
		}
	}
}

// TestSlipChannelColumn: the slip_channel column carries Options.SlipChannel's
// code in CSV and JSONL and its words in XLSX (Vietnamese or English), and
// without the option the kiosk's view (desk with a slip, none without).
func TestSlipChannelColumn(t *testing.T) {
	rs := fixtureResponses()
	for i, ch := range Channels {
		r := *rs[0]
		r.ID, r.Slip = fmt.Sprintf("019a0000-0000-7000-8000-1000000000%02d", i), "K7M2Q9XP4H"
		if ch == ChannelNone {
			r.Slip = ""
		}
		rs = append(rs, &r)
	}
	want := map[string]string{}
	for i, ch := range Channels {
		want[rs[5+i].ID] = ch
	}
	opt := fixtureOptions(false)
	opt.SlipChannel = func(r *survey.Response) string {
		if ch, ok := want[r.ID]; ok {
			return ch
		}
		return fixtureSlipChannel(r)
	}
	csvRecs := readCSV(t, writeCSV(t, rs, opt))
	if csvRecs[0][colSlipChannel] != "slip_channel" {
		t.Fatalf("header %q", csvRecs[0])
	}
	var buf bytes.Buffer
	if _, err := WriteJSONL(context.Background(), &buf, seqOf(rs), opt); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	words := map[string]map[string]string{"vi": channelWords, "en": {ChannelDesk: "With slip, at the desk", ChannelHome: "With slip, at home (phone)",
		ChannelNone: "Without slip", ChannelFlaggedUnknown: "Flagged: a code the hub never printed", ChannelFlaggedReused: "Flagged: a slip used before",
		ChannelFlaggedElsewhere: "Flagged: a slip printed for another service point"}}
	sheets := map[string][][]string{}
	for lang := range words {
		o := opt
		o.Lang = lang
		f := openXLSX(t, writeXLSXBytes(t, rs, o))
		sheets[lang] = rows(t, f, SheetName(SheetResponses, lang))
	}
	if h := sheets["en"][0][colSlipChannel]; h != "Rating channel (one-time rating slip)\n[slip_channel]" {
		t.Errorf("English header %q", h)
	}
	for i, r := range rs {
		code := opt.SlipChannel(r)
		if got := csvRecs[i+1][colSlipChannel]; got != code {
			t.Errorf("row %d: csv %q, want %q", i, got, code)
		}
		var line struct {
			SlipChannel string `json:"slip_channel"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &line); err != nil || line.SlipChannel != code {
			t.Errorf("row %d: jsonl %q, %v; want %q", i, line.SlipChannel, err, code)
		}
		for lang, w := range words {
			if got := sheets[lang][i+1][colSlipChannel]; got != w[code] {
				t.Errorf("row %d: xlsx (%s) %q, want %q", i, lang, got, w[code])
			}
		}
	}
	// The kiosk's view.
	opt.SlipChannel = nil
	csvRecs = readCSV(t, writeCSV(t, rs, opt))
	for i, r := range rs {
		want := ChannelNone
		if r.Slip != "" {
			want = ChannelDesk
		}
		if got := csvRecs[i+1][colSlipChannel]; got != want {
			t.Errorf("kiosk row %d: %q, want %q", i, got, want)
		}
	}
}

// TestFixedColumnsReserved: no question code can take a fixed column's
// name (survey.ReservedCodes).
func TestFixedColumnsReserved(t *testing.T) {
	for _, c := range fixedColumns {
		if !slices.Contains(survey.ReservedCodes(), c) {
			t.Errorf("fixed column %q is not in survey.ReservedCodes", c)
		}
	}
}
