package hub_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

func TestParseFileCountsCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []hub.FileCount
		errs []string // substrings of the error, one per bad line
	}{
		{name: "header and BOM", in: "\uFEFFngày,điểm phục vụ,số hồ sơ trả\n2026-11-25,Phường Hoàn Kiếm,40\n25/11/2026,Xã Sóc Sơn,0\n",
			want: []hub.FileCount{{Day: "2026-11-25", ServicePoint: "Phường Hoàn Kiếm", Files: 40}, {Day: "2026-11-25", ServicePoint: "Xã Sóc Sơn", Files: 0}}},
		{name: "semicolons, quotes, blank lines", in: "2026-11-25;\"Chi nhánh số 1; Hà Nội\";7\r\n\r\n2026-11-26;Chi nhánh số 1; Hà Nội;8\n",
			errs: []string{"line 3: 4 columns"}},
		{name: "no header", in: "2026-11-25,P,3\n", want: []hub.FileCount{{Day: "2026-11-25", ServicePoint: "P", Files: 3}}},
		{name: "every bad line named", in: "date,point,files\n2026-13-01,P,1\n2026-11-25,P,x\n2026-11-25,,1\n2026-11-25,P,-2\n2026-11-25,P,1\n2026-11-25, P ,2\n",
			errs: []string{"line 2: date", "line 3: files returned \"x\"", "line 4:", "line 5:", "line 7: 2026-11-25 \"P\" is already on line 6"}},
		{name: "empty", in: "date,point,files\n", errs: []string{"no counts"}},
		{name: "not UTF-8", in: "2026-11-25,Ph\xb0\xeeng,1\n", errs: []string{"not UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hub.ParseFileCountsCSV(strings.NewReader(tt.in))
			if len(tt.errs) == 0 {
				if err != nil || !slices.Equal(got, tt.want) {
					t.Fatalf("got %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			if err == nil || got != nil {
				t.Fatalf("got %v, %v; want an error", got, err)
			}
			for _, e := range tt.errs {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q does not say %q", err, e)
				}
			}
		})
	}
}

func FuzzParseFileCountsCSV(f *testing.F) {
	f.Add("date,point,files\n2026-11-25,Phường Hoàn Kiếm,40\n")
	f.Add("25/11/2026;P;1\n")
	f.Add("2026-11-25,\"P,1\n") // an unterminated quote
	f.Fuzz(func(t *testing.T, in string) {
		got, err := hub.ParseFileCountsCSV(strings.NewReader(in))
		if err != nil {
			if got != nil {
				t.Fatal("counts beside an error")
			}
			return
		}
		seen := map[[2]string]bool{}
		for _, c := range got {
			if cc, err := hub.CheckFileCount(c); err != nil || cc != c {
				t.Fatalf("%+v not checked: %v", c, err)
			}
			if seen[[2]string{c.Day, c.ServicePoint}] {
				t.Fatalf("%+v twice", c)
			}
			seen[[2]string{c.Day, c.ServicePoint}] = true
		}
	})
}
