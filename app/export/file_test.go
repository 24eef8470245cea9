package export

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestFileName(t *testing.T) {
	loc := survey.Location()
	nov1 := time.Date(2026, 11, 1, 0, 0, 0, 0, loc)
	nov30 := time.Date(2026, 11, 30, 0, 0, 0, 0, loc)
	tests := []struct {
		point    string
		from, to time.Time
		ext      string
		want     string
	}{
		{"Phường Ba Đình", nov1, nov30, "xlsx", "hailong-phuong-ba-dinh-2026-11-01-2026-11-30.xlsx"},
		{"ĐỐNG ĐA – Điểm 2", nov1, nov30, "csv", "hailong-dong-da-diem-2-2026-11-01-2026-11-30.csv"},
		{"Xã Sóc Sơn", nov1, nov30, "jsonl", "hailong-xa-soc-son-2026-11-01-2026-11-30.jsonl"},
		// NFD input (macOS) folds the same way
		{"Ph\u01b0\u01a1\u0300ng Ba \u0110i\u0300nh", nov1, nov30, "csv", "hailong-phuong-ba-dinh-2026-11-01-2026-11-30.csv"},
		{`a<b>c:"d"/e\f|g?h*i`, nov1, nov30, "csv", "hailong-a-b-c-d-e-f-g-h-i-2026-11-01-2026-11-30.csv"},
		{"  ...  ", nov1, nov30, "csv", "hailong-2026-11-01-2026-11-30.csv"},
		{"", time.Time{}, time.Time{}, "csv", "hailong.csv"},
		{"CON", nov1, nov30, "csv", "hailong-con-2026-11-01-2026-11-30.csv"},
		// a UTC instant is named by its day in Hà Nội
		{"Kiosk", time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC), ".CSV", "hailong-kiosk-2026-11-01-2026-11-30.csv"},
		{strings.Repeat("Trung tâm Phục vụ hành chính công ", 10), nov1, nov30, "xlsx",
			"hailong-trung-tam-phuc-vu-hanh-chinh-cong-trung-tam-phuc-vu-hanh-chi-2026-11-01-2026-11-30.xlsx"},
	}
	for _, tt := range tests {
		got := FileName(tt.point, tt.from, tt.to, tt.ext)
		if got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.point, got, tt.want)
		}
		for _, r := range got {
			if r > 127 || strings.ContainsRune(`<>:"/\|?* `, r) {
				t.Errorf("%q holds %q", got, r)
			}
		}
	}
}

func TestWindowsSafe(t *testing.T) {
	for in, want := range map[string]string{"con.csv": "_con.csv", "LPT1": "_LPT1", "nul.tar.gz": "_nul.tar.gz", "console.csv": "console.csv", "hailong.csv": "hailong.csv"} {
		if got := windowsSafe(in); got != want {
			t.Errorf("windowsSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFreePath(t *testing.T) {
	dir := t.TempDir()
	p, err := FreePath(dir, "a.csv")
	if err != nil || p != filepath.Join(dir, "a.csv") {
		t.Fatalf("%q %v", p, err)
	}
	for _, n := range []string{"a.csv", "a-2.csv"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if p, err = FreePath(dir, "a.csv"); err != nil || p != filepath.Join(dir, "a-3.csv") {
		t.Fatalf("%q %v", p, err)
	}
}

// entries lists dir, to check that nothing half-written is left behind.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestToFile(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out."+string(f))
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			n, err := ToFile(context.Background(), path, f, seqOf(fixtureResponses()), fixtureOptions(false))
			if err != nil || n != 5 {
				t.Fatalf("n=%d err=%v", n, err)
			}
			if got := entries(t, dir); len(got) != 1 || got[0] != "out."+string(f) {
				t.Errorf("folder holds %v", got)
			}
			data, _ := os.ReadFile(path)
			if len(data) < 100 {
				t.Errorf("file has %d bytes", len(data))
			}
		})
	}
}

func TestToFileRemovesHalfWrittenFile(t *testing.T) {
	boom := errors.New("store failed")
	rows := func(yield func(*survey.Response, error) bool) {
		for i := 0; i < 2000; i++ {
			r := fixtureResponses()[i%5]
			if !yield(r, nil) {
				return
			}
		}
		yield(nil, boom)
	}
	for _, f := range Formats {
		dir := t.TempDir()
		path := filepath.Join(dir, "x."+string(f))
		n, err := ToFile(context.Background(), path, f, rows, fixtureOptions(false))
		if !errors.Is(err, boom) || !errors.Is(err, ErrSource) || n != 2000 {
			t.Errorf("%s: n=%d err=%v", f, n, err)
		}
		var fe *FileError
		if !errors.As(err, &fe) || fe.Kind != nil || fe.Path != path {
			t.Errorf("%s: err = %#v, want a FileError with no kind", f, err)
		}
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("%s: left behind %v", f, got)
		}
	}
	// cancelled midway
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	opt := fixtureOptions(false)
	opt.Progress = func(n int) {
		if n >= 1000 {
			cancel()
		}
	}
	if _, err := ToFile(ctx, filepath.Join(dir, "c.csv"), CSV, rows, opt); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want cancelled", err)
	}
	if got := entries(t, dir); len(got) != 0 {
		t.Errorf("left behind %v", got)
	}
}

func TestToFileMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone", "x.csv")
	_, err := ToFile(context.Background(), path, CSV, seqOf(nil), Options{})
	if !errors.Is(err, ErrNoFolder) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrNoFolder", err)
	}
	if !strings.Contains(err.Error(), "the folder does not exist") || !strings.Contains(err.Error(), path) {
		t.Errorf("message %q does not say what happened", err)
	}
}
