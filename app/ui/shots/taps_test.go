package shots_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/test"
	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/launch"
	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/ui"
)

// roundsEnv is how many times a taps child goes through the survey.
const roundsEnv = "HAILONG_TAPS_ROUNDS"

// pauseEnv, a Go duration, is how long a taps child leaves the welcome
// screen alone before each round after the first: a desk between two
// citizens, long enough (over a minute) for Fyne's caches to expire.
const pauseEnv = "HAILONG_TAPS_PAUSE"

// runTaps is a child process that starts the kiosk as main.go does, in
// mode "window", "kiosk" (full screen) or "operator", and goes through the
// default survey $HAILONG_TAPS_ROUNDS times, timing each screen change
// from the tap to the first frame drawn with the new screen: "start"
// (welcome → question 1), "next" (question → question), "finish" (last
// question → thank-you, after the save), "done" (thank-you → welcome,
// after the settings and surveys are read). "frame" is the floor: from a
// request on the UI goroutine that changes nothing but a 1×1 overlay to
// the frame that draws it. It prints "LAT <what> <µs>" lines.
func runTaps(mode, dbDir string) int {
	rounds, _ := strconv.Atoi(os.Getenv(roundsEnv))
	rounds = max(rounds, 1)
	m := &launch.Main{
		DBPath:   filepath.Join(dbDir, "kiosk.db"),
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Kiosk:    mode == "kiosk",
		Operator: mode == "operator",
	}
	if m.Kiosk { // no first-run PIN screen in the way
		if err := setPIN(m.DBPath); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	var first <-chan struct{}
	m.BeforeShow = func(w fyne.Window) { first, _ = frameSignal(w) }
	a, err := m.Start(context.Background(), func() fyne.App { return app.NewWithID("vn.gov.hailong.kiosk.taps") })
	if err != nil {
		fmt.Fprintln(os.Stderr, "start kiosk:", err)
		return 2
	}
	if path := os.Getenv("HAILONG_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path + ".taps-" + mode)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	code := 0
	go func() {
		defer fyne.Do(a.Quit)
		select {
		case <-first:
		case <-time.After(20 * time.Second):
			fmt.Fprintln(os.Stderr, "no first frame")
			code = 2
			return
		}
		var pause time.Duration
		if v := os.Getenv(pauseEnv); v != "" {
			if pause, err = time.ParseDuration(v); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", pauseEnv, err)
				code = 2
				return
			}
		}
		if err := tapThrough(m.Screens(), rounds, pause); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 2
		}
	}()
	a.Run()
	m.Close()
	return code
}

// tapThrough goes through the active survey rounds times on k, pausing
// before each round after the first.
func tapThrough(k *ui.Kiosk, rounds int, pause time.Duration) error {
	w := k.Window()
	// measure taps (on the UI goroutine), waits until shown reports the
	// new screen is set, and times until a frame has drawn it.
	measure := func(what string, tap func(), shown func() bool) error {
		var t0 time.Time
		var handler time.Duration
		fyne.DoAndWait(func() { t0 = time.Now(); tap(); handler = time.Since(t0) })
		deadline := t0.Add(10 * time.Second)
		var sig <-chan struct{}
		var remove func()
		for sig == nil {
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: the new screen never came", what)
			}
			fyne.DoAndWait(func() {
				if shown() {
					sig, remove = frameSignal(w)
				}
			})
		}
		select {
		case <-sig:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("%s: no frame drawn", what)
		}
		fmt.Printf("LAT %s %d\n", what, time.Since(t0).Microseconds())
		fmt.Printf("HANDLER %s %d\n", what, handler.Microseconds())
		fyne.DoAndWait(remove)
		return nil
	}
	for i := range rounds {
		if i > 0 {
			time.Sleep(pause) // the idle desk itself, not a wait for the kiosk
		}
		if err := measure("frame", func() {}, func() bool { return true }); err != nil {
			return err
		}
		var q *ui.QuestionScreen
		if err := measure("start", func() { test.Tap(k.Welcome.Start) },
			func() bool { q = k.Question; return q != nil }); err != nil {
			return err
		}
		for q != nil {
			prev := q
			last := false
			fyne.DoAndWait(func() {
				if len(prev.Choices) > 0 { // the most satisfied: no follow-up
					test.Tap(prev.Choices[len(prev.Choices)-1].Button)
				}
				last = prev.Question == nil || k.Question == prev && isLast(prev)
			})
			what, shown := "next", func() bool { q = k.Question; return q != nil && q != prev }
			if last {
				what, shown = "finish", func() bool { q = nil; return k.Thanks != nil }
			}
			if err := measure(what, func() { test.Tap(prev.Next) }, shown); err != nil {
				return err
			}
		}
		if err := measure("done", func() { test.Tap(k.Thanks.Done) },
			func() bool { return k.Welcome != nil }); err != nil {
			return err
		}
	}
	return nil
}

// isLast reports whether the question screen's next button finishes.
func isLast(q *ui.QuestionScreen) bool { return q.Next.Text == "Hoàn thành" }

// tapLatencies runs one taps child and returns its latencies by kind.
func tapLatencies(tb testing.TB, mode, dir string, rounds int) map[string][]time.Duration {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=taps-"+mode, dbDirEnv+"="+dir, roundsEnv+"="+strconv.Itoa(rounds))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s taps child: %v (needs a display: run under xvfb-run)\n%s", mode, err, stderr.Bytes())
	}
	lat := map[string][]time.Duration{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "LAT" {
			us, _ := strconv.Atoi(f[2])
			lat[f[1]] = append(lat[f[1]], time.Duration(us)*time.Microsecond)
		}
	}
	return lat
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestTapToFrame goes through the survey once in each mode in a real
// window: every screen change must arrive (latencies are measured by
// BenchmarkTapToFrame, not asserted).
func TestTapToFrame(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X display: run under xvfb-run")
	}
	for _, mode := range []string{"window", "kiosk", "operator"} {
		lat := tapLatencies(t, mode, t.TempDir(), 1)
		for _, what := range []string{"start", "next", "finish", "done"} {
			if len(lat[what]) == 0 {
				t.Errorf("%s mode: no %q screen change", mode, what)
			}
		}
	}
}

// BenchmarkTapToFrame: tap → first frame drawn with the new screen, in
// each mode, b.N rounds through the default survey in one kiosk process
// per mode. It reports the median and the slowest change of each kind, in
// milliseconds, and the median over all changes divided by the median
// frame floor measured in the same process (target: every change ≤ 100 ms).
func BenchmarkTapToFrame(b *testing.B) {
	for _, mode := range []string{"window", "kiosk", "operator"} {
		b.Run(mode, func(b *testing.B) {
			lat := tapLatencies(b, mode, b.TempDir(), b.N)
			var all []time.Duration
			for _, what := range []string{"frame", "start", "next", "finish", "done"} {
				d := lat[what]
				if len(d) == 0 {
					b.Fatalf("no %q", what)
				}
				b.ReportMetric(float64(median(d).Microseconds())/1000, what+"-med-ms")
				b.ReportMetric(float64(slices.Max(d).Microseconds())/1000, what+"-max-ms")
				if what != "frame" {
					all = append(all, d...)
				}
			}
			b.ReportMetric(float64(slices.Max(all).Microseconds())/1000, "change-max-ms")
			b.ReportMetric(float64(median(all))/float64(median(lat["frame"])), "change/frame")
		})
	}
}

// setPIN gives the database at path an admin PIN, as an installed desk
// has, so that --kiosk starts on the welcome screen.
func setPIN(path string) error {
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer st.Close()
	set, err := pin.New(st).IsSet(ctx)
	if err != nil || set {
		return err
	}
	return pin.New(st, pin.WithCost(bcrypt.MinCost)).Setup(ctx, "2580")
}
