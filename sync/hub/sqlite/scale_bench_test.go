package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// benchSizes are the stored-response counts of the scale benchmarks:
// $HAILONG_BENCH_ROWS (comma-separated), 100 000 and 1 000 000 by default.
func benchSizes() []int {
	env := os.Getenv("HAILONG_BENCH_ROWS")
	if env == "" {
		return []int{100_000, 1_000_000}
	}
	var out []int
	for _, f := range strings.Split(env, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// BenchmarkDashboard is the dashboard's figures (hub.Report) on SQLite
// at each size of benchSizes (docs/BENCHMARKS.md, "Hub at scale").
func BenchmarkDashboard(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "hub.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			def := storetest.Fill(b, s, n)
			storetest.BenchDashboard(b, s, def)
		})
	}
}
