package export

import (
	"strings"
	"testing"
	"time"
)

// TestXLSXHelpTable: the Summary ends with the help figures per service
// point, reasons in one cell, the median in whole minutes (empty when no
// request was resolved); without Options.Help there is no such table.
func TestXLSXHelpTable(t *testing.T) {
	opt := fixtureOptions(false)
	opt.Help = []HelpRow{
		{ServicePoint: "Phường Ba Đình", Requests: 4, Open: 1, Helped: 1, NotPossible: 2,
			ByReason: map[string]int{"left": 1, "no_account": 1}, MedianOutcome: 7*time.Minute + 40*time.Second},
		{ServicePoint: "Phường Cửa Nam", Requests: 1, Open: 1},
	}
	f := openXLSX(t, writeXLSXBytes(t, fixtureResponses(), opt))
	rs := rows(t, f, SheetName(SheetSummary, "vi"))
	at := -1
	for i, r := range rs {
		if r[0] == "Hỗ trợ dịch vụ công trực tuyến" {
			at = i
		}
	}
	if at < 0 || at+4 >= len(rs) {
		t.Fatalf("no help table in the summary:\n%v", rs)
	}
	head, ba, cn := rs[at+2], rs[at+3], rs[at+4]
	if head[1] != "Yêu cầu" || head[6] != "Phút đến kết quả (trung vị)" {
		t.Errorf("header %q", head)
	}
	if strings.Join(ba[:7], "|") != "Phường Ba Đình|4|1|1|2|Chưa có tài khoản định danh điện tử (VNeID): 1; Người dân đã rời đi trước khi cán bộ đến: 1|7" {
		t.Errorf("Ba Đình row %q", ba)
	}
	if strings.Join(cn[:7], "|") != "Phường Cửa Nam|1|1|0|0||" {
		t.Errorf("Cửa Nam row %q", cn)
	}
	without := openXLSX(t, writeXLSXBytes(t, fixtureResponses(), fixtureOptions(false)))
	for _, r := range rows(t, without, SheetName(SheetSummary, "vi")) {
		if r[0] == "Hỗ trợ dịch vụ công trực tuyến" {
			t.Fatal("a help table without Options.Help")
		}
	}
}
