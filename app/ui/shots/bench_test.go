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

// childEnv selects what a re-executed test binary starts: "kiosk" or "hello".
const childEnv = "HAILONG_BENCH_CHILD"

// runChild starts a fresh process's Fyne app with the kiosk or a
// hello-world window, waits for its first painted frame, prints FRAME and
// quits.
func runChild(mode string) int {
	a := app.NewWithID("vn.gov.hailong.kiosk.bench")
	var w fyne.Window
	switch mode {
	case "hello":
		w = a.NewWindow("Hello")
		w.SetContent(widget.NewLabel("Hello Fyne!"))
	case "kiosk":
		dir, err := os.MkdirTemp("", "hailong-bench")
		if err != nil {
			return 2
		}
		defer os.RemoveAll(dir)
		deps, st, _, err := kioskDeps(dir)
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
			os.Stdout.WriteString("FRAME\n")
		case <-time.After(20 * time.Second):
		}
		fyne.Do(a.Quit)
	}()
	a.Run()
	return 0
}

// benchStart times process start to first painted frame: the test binary
// re-runs itself as a child that opens the window, and the clock stops when
// the child reports a frame with content. Both modes pay the same process,
// Go runtime and OpenGL start-up, so the ratio shows what the kiosk adds.
func benchStart(b *testing.B, mode string) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+mode)
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		got := false
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "FRAME" {
				got = true
				break
			}
		}
		b.StopTimer()
		_, _ = bufioDrain(sc)
		if err := cmd.Wait(); err != nil || !got {
			b.Fatalf("%s child: frame=%v err=%v (needs a display: run under xvfb-run)", mode, got, err)
		}
		b.StartTimer()
	}
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
