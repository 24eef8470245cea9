package shots_test

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/ui"
)

// childEnv selects what a re-executed test binary starts: "kiosk" or
// "hello"; dbDirEnv is the folder of the kiosk's database.
const (
	childEnv = "HAILONG_BENCH_CHILD"
	dbDirEnv = "HAILONG_BENCH_DB_DIR"
)

// runChild starts a fresh process's Fyne app with the kiosk or a
// hello-world window, waits for its first painted frame, prints FRAME and
// quits.
func runChild(mode string) int {
	// Like main.go, the kiosk opens its store and reads its surveys while
	// Fyne starts.
	type opened struct {
		deps ui.Deps
		st   *faultyStore
		err  error
	}
	ready := make(chan opened, 1)
	if mode == "kiosk" {
		go func() {
			deps, st, _, err := kioskDeps(os.Getenv(dbDirEnv))
			ready <- opened{deps, st, err}
		}()
	}
	a := app.NewWithID("vn.gov.hailong.kiosk.bench")
	var w fyne.Window
	switch mode {
	case "hello":
		w = a.NewWindow("Hello")
		w.SetContent(widget.NewLabel("Hello Fyne!"))
	case "kiosk":
		o := <-ready
		deps, st, err := o.deps, o.st, o.err
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 2
		}
		defer st.Close()
		k, err := ui.New(a, deps)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 2
		}
		w = k.Window()
	default:
		return 2
	}
	content, painted := paintSignal(w.Content())
	w.SetContent(content)
	w.Resize(fyne.NewSize(1280, 800))
	w.Show()
	go func() {
		select {
		case <-painted:
			// Exit at once: the CPU time read by the parent then covers
			// start to first frame only, not the window's teardown.
			os.Stdout.WriteString("FRAME\n")
			os.Exit(0)
		case <-time.After(20 * time.Second):
		}
		fyne.Do(a.Quit)
	}()
	a.Run()
	return 0
}

// startToFrame times one child process from exec to its first painted
// frame: the test binary re-runs itself as a child that opens the window,
// and the clock stops when the child reports a frame with content.
func startToFrame(tb testing.TB, mode, dbDir string) time.Duration {
	d, _ := startToFrameCPU(tb, mode, dbDir)
	return d
}

// startToFrameCPU is startToFrame that also returns the CPU time (user +
// system) the child used from start to exit; it quits right after its
// first frame, so this is the work to get there, whatever the load from
// other processes.
func startToFrameCPU(tb testing.TB, mode, dbDir string) (time.Duration, time.Duration) {
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, dbDirEnv+"="+dbDir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	got := false
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "FRAME" {
			got = true
			break
		}
	}
	d := time.Since(start)
	_, _ = bufioDrain(sc)
	if err := cmd.Wait(); err != nil || !got {
		tb.Fatalf("%s child: frame=%v err=%v (needs a display: run under xvfb-run)", mode, got, err)
	}
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// benchStart reports the mean start-to-first-frame time of mode.
//
// The kiosk opens an existing database, as on every start but the first:
// a warm-up start before the timed ones creates it (and warms the file
// cache for both modes).
func benchStart(b *testing.B, mode string) {
	dir := b.TempDir()
	startToFrame(b, mode, dir)
	var total time.Duration
	n := 0
	for b.Loop() {
		total += startToFrame(b, mode, dir)
		n++
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/start")
}

func bufioDrain(sc *bufio.Scanner) (int, error) {
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// BenchmarkStartKiosk: process start to the kiosk's first painted frame
// (store opened, settings and built-in surveys loaded, welcome screen with
// its QR codes).
func BenchmarkStartKiosk(b *testing.B) { benchStart(b, "kiosk") }

// BenchmarkStartHello: process start to the first painted frame of a
// hello-world Fyne window of the same size.
func BenchmarkStartHello(b *testing.B) { benchStart(b, "hello") }

// BenchmarkStartKioskVsHello alternates the two starts in each iteration,
// so that load from other processes on a shared machine falls on both
// alike, and reports the kiosk/hello ratio of the total times (target
// <= 1.3).
func BenchmarkStartKioskVsHello(b *testing.B) {
	dir := b.TempDir()
	startToFrame(b, "hello", dir)
	startToFrame(b, "kiosk", dir)
	var kiosk, hello, kioskCPU, helloCPU time.Duration
	for b.Loop() {
		d, c := startToFrameCPU(b, "hello", dir)
		hello, helloCPU = hello+d, helloCPU+c
		d, c = startToFrameCPU(b, "kiosk", dir)
		kiosk, kioskCPU = kiosk+d, kioskCPU+c
	}
	b.ReportMetric(float64(kiosk.Milliseconds())/float64(b.N), "kiosk-ms/start")
	b.ReportMetric(float64(hello.Milliseconds())/float64(b.N), "hello-ms/start")
	b.ReportMetric(float64(kiosk)/float64(hello), "ratio")
	b.ReportMetric(float64(kioskCPU.Milliseconds())/float64(b.N), "kiosk-cpu-ms/start")
	b.ReportMetric(float64(helloCPU.Milliseconds())/float64(b.N), "hello-cpu-ms/start")
	b.ReportMetric(float64(kioskCPU)/float64(helloCPU), "cpu-ratio")
}
