package shots_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/launch"
)

// childEnv selects what a re-executed test binary starts: "kiosk" (window
// mode, as the benchmarks time it), "kiosk-full" (--kiosk, full screen,
// on a database with a PIN) or "hello"; dbDirEnv is the folder of the
// kiosk's database.
const (
	childEnv = "HAILONG_BENCH_CHILD"
	dbDirEnv = "HAILONG_BENCH_DB_DIR"
)

// runChild starts a fresh process's Fyne app with the kiosk or a
// hello-world window, waits for its first painted frame, prints FRAME and
// quits. The kiosk starts as main.go starts it, through launch.Main.Start,
// on the database in $HAILONG_BENCH_DB_DIR.
//
// With HAILONG_BENCH_TRACE set it writes the time since its start at each
// step to stderr, and at the first frame the main thread's CPU time and
// its wait for a CPU; with HAILONG_BENCH_CPUPROFILE=path a CPU profile of the
// start to path.<mode>; with HAILONG_BENCH_MEMPROFILE=path the
// allocations up to the first frame to path.<mode> (with
// GODEBUG=memprofilerate=1 in the environment, every one of them); with
// HAILONG_BENCH_SHOT=file.png the screen once the first frame is painted
// (to check that the start-up path shows what the screenshots show); with
// HAILONG_BENCH_LAYOUT=file the window's objects as laid out right after
// the first frame, one a line (Xvfb draws a full-screen GL window blank,
// so --kiosk is compared this way).
func runChild(mode string) int {
	t0 := time.Now()
	trace := func(step string) {
		if os.Getenv("HAILONG_BENCH_TRACE") != "" {
			fmt.Fprintf(os.Stderr, "%s %6.1f ms %s\n", mode, float64(time.Since(t0).Microseconds())/1000, step)
		}
	}
	if path := os.Getenv("HAILONG_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path + "." + mode)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	newApp := func() fyne.App { return app.NewWithID("vn.gov.hailong.kiosk.bench") }
	// The frame is reported from a goroutine that waits for it from the
	// start: the clock stops when the painter draws the welcome screen,
	// not when the code that showed it returns (the kiosk's Run does a
	// little more after its Show, hello nothing).
	painted := make(chan (<-chan struct{}), 1)
	watch := func(w fyne.Window) {
		frame, _ := frameSignal(w)
		painted <- frame
		trace("built")
	}
	go func() {
		timeout := time.After(20 * time.Second)
		select {
		case frame := <-painted:
			select {
			case <-frame:
				// Exit at once: the CPU time read by the parent then
				// covers start to first frame only, not the window's
				// teardown.
				trace("painted" + mainThreadTimes())
				reportFrame(mode)
			case <-timeout:
			}
		case <-timeout:
		}
		fyne.Do(func() { fyne.CurrentApp().Quit() })
	}()
	var a fyne.App
	switch mode {
	case "hello":
		a = newApp()
		w := a.NewWindow("Hello")
		w.SetContent(widget.NewLabel("Hello Fyne!"))
		w.Resize(fyne.NewSize(1280, 800))
		watch(w)
		w.Show()
	case "kiosk", "kiosk-full":
		m := &launch.Main{
			DBPath:     filepath.Join(os.Getenv(dbDirEnv), "kiosk.db"),
			Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
			BeforeShow: watch, // the window is 1280×800 without --kiosk
			Kiosk:      mode == "kiosk-full",
		}
		if m.Kiosk { // the welcome screen, not the first-run PIN set-up
			if err := setPIN(m.DBPath); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
		var err error
		if a, err = m.Start(context.Background(), newApp); err != nil {
			fmt.Fprintln(os.Stderr, "start kiosk:", err)
			return 2
		}
		defer m.Close()
	default:
		return 2
	}
	trace("shown")
	a.Run()
	return 0
}

// mainThreadTimes is, on Linux, the time the process's main thread (Fyne's
// UI thread) has run on a CPU and waited for one so far, from its
// schedstat; "" elsewhere. The first is the main thread's work, the
// second what the machine's load took from it.
func mainThreadTimes() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/schedstat", os.Getpid()))
	if err != nil {
		return ""
	}
	var run, wait int64
	if _, err := fmt.Sscan(string(b), &run, &wait); err != nil {
		return ""
	}
	return fmt.Sprintf(" (main thread: %.1f ms on a CPU, %.1f ms waiting for one)", float64(run)/1e6, float64(wait)/1e6)
}

// reportFrame writes what the environment asks for once the first frame
// is painted (layout, profiles, screen shot), then FRAME on stdout, and
// exits.
func reportFrame(mode string) {
	if path := os.Getenv("HAILONG_BENCH_LAYOUT"); path != "" {
		if err := writeLayout(path); err != nil {
			fmt.Fprintln(os.Stderr, "layout:", err)
			os.Exit(2)
		}
	}
	pprof.StopCPUProfile()
	if path := os.Getenv("HAILONG_BENCH_MEMPROFILE"); path != "" {
		if err := writeAllocs(path + "." + mode); err != nil {
			fmt.Fprintln(os.Stderr, "alloc profile:", err)
			os.Exit(2)
		}
	}
	if path := os.Getenv("HAILONG_BENCH_SHOT"); path != "" {
		if err := grabTo(path); err != nil {
			fmt.Fprintln(os.Stderr, "screen shot:", err)
			os.Exit(2)
		}
	}
	os.Stdout.WriteString("FRAME\n")
	os.Exit(0)
}

// writeAllocs writes the allocations made so far (every one with
// GODEBUG=memprofilerate=1 in the child's environment) as a heap profile
// to path. The profile counts allocations up to the last finished
// collection, so it collects first.
func writeAllocs(path string) error {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// grabTo writes the X screen, once settled, to a PNG file.
func grabTo(path string) error {
	img, err := waitStable(nil, 10*time.Second)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
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
	var stderr bytes.Buffer // race reports, start-up errors
	cmd.Stderr = &stderr
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
		tb.Fatalf("%s child: frame=%v err=%v (needs a display: run under xvfb-run)\n%s", mode, got, err, stderr.Bytes())
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

// TestStartPaints starts the kiosk the way main.go does, twice (creating
// its database, then opening it), in a child process that must paint its
// first frame and exit cleanly: under -race that includes the font
// warm-up running beside the window's creation.
func TestStartPaints(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X display: run under xvfb-run")
	}
	dir := t.TempDir()
	for range 2 {
		startToFrame(t, "kiosk", dir)
	}
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

// writeLayout writes, on the UI goroutine, the objects of the first
// window's content as they are laid out: type, size, position, visibility
// and text, indented by depth, widgets through their renderers.
func writeLayout(path string) error {
	var b strings.Builder
	fyne.DoAndWait(func() {
		c := fyne.CurrentApp().Driver().AllWindows()[0].Canvas()
		fmt.Fprintf(&b, "canvas %v scale %v\n", c.Size(), c.Scale())
		var walk func(o fyne.CanvasObject, depth int)
		walk = func(o fyne.CanvasObject, depth int) {
			text := ""
			switch v := o.(type) {
			case *widget.Label:
				text = v.Text
			case *canvas.Text:
				text = v.Text
			}
			fmt.Fprintf(&b, "%*s%T %v %v visible=%v %q\n", 2*depth, "", o, o.Size(), o.Position(), o.Visible(), text)
			switch v := o.(type) {
			case fyne.Widget:
				for _, child := range test.WidgetRenderer(v).Objects() {
					walk(child, depth+1)
				}
			case *fyne.Container:
				for _, child := range v.Objects {
					walk(child, depth+1)
				}
			}
		}
		walk(c.Content(), 0)
	})
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
