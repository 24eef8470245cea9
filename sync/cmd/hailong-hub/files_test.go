package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// TestFilesImport imports the agency's CSV into a real hub file: a good
// file is stored whole, a file with bad lines names each of them, exits 1
// and stores nothing, and importing a day again replaces it.
func TestFilesImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stored := func() []hub.FileCount {
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		got, err := st.FileCounts(context.Background(), "", "")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	good := write("good.csv", "ngày,điểm phục vụ,số hồ sơ trả\n2026-11-25,Phường Hoàn Kiếm,40\n26/11/2026,Phường Hoàn Kiếm,12\n")
	if out := mustRun(t, "files", "import", good, "--db", db); !strings.Contains(out, "Imported 2 day counts (52 files returned)") {
		t.Errorf("import output: %s", out)
	}
	want := []hub.FileCount{{Day: "2026-11-25", ServicePoint: "Phường Hoàn Kiếm", Files: 40}, {Day: "2026-11-26", ServicePoint: "Phường Hoàn Kiếm", Files: 12}}
	if got := stored(); !slices.Equal(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}

	bad := write("bad.csv", "2026-11-27,Xã Sóc Sơn,9\n2026-11-28,Xã Sóc Sơn,chín\n2026-11-29,,3\n")
	out, errs, code := runCmd(t, "files", "import", bad, "--db", db)
	if code != 1 || !strings.Contains(errs, "2 bad line(s), nothing imported") || !strings.Contains(errs, "line 2: files returned \"chín\"") || !strings.Contains(errs, "line 3:") {
		t.Errorf("bad import: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if got := stored(); !slices.Equal(got, want) {
		t.Fatalf("after a refused import %v, want %v", got, want)
	}

	fix := write("fix.csv", "2026-11-25,Phường Hoàn Kiếm,41\n")
	mustRun(t, "files", "import", fix, "--db", db)
	want[0].Files = 41
	if got := stored(); !slices.Equal(got, want) {
		t.Fatalf("after a correction %v, want %v", got, want)
	}

	// The XLSX Summary's coverage table counts the files of the exported days.
	more := write("more.csv", "2026-11-25,Xã Sóc Sơn,7\n")
	mustRun(t, "files", "import", more, "--db", db)
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"--from", "2026-11-25", "--to", "2026-11-25"}, []string{"Phường Hoàn Kiếm 41", "Xã Sóc Sơn 7", "Tổng 48"}},
		{[]string{"--from", "2026-11-26"}, []string{"Phường Hoàn Kiếm 12", "Tổng 12"}},
		{[]string{"--service-point", "Xã Sóc Sơn"}, []string{"Xã Sóc Sơn 7", "Tổng 7"}},
	} {
		xl := filepath.Join(t.TempDir(), "x.xlsx")
		mustRun(t, append([]string{"export", "--db", db, "--out", xl}, tt.args...)...)
		f, err := excelize.OpenFile(xl)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := f.GetRows("Tổng hợp")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		inTable := false
		for _, r := range sum {
			if len(r) > 1 && r[1] == "Hồ sơ trả" {
				inTable = true
				continue
			}
			if inTable && len(r) > 1 {
				got = append(got, r[0]+" "+r[1])
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("export %v: coverage rows %q, want %q", tt.args, got, tt.want)
		}
	}

	if _, errs, code := runCmd(t, "files", "import", filepath.Join(dir, "missing.csv"), "--db", db); code != 1 || !strings.Contains(errs, "open file counts") {
		t.Errorf("missing file: exit %d, %s", code, errs)
	}
}
