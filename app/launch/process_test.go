package launch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// childEnv makes the test binary, re-run by a test here, act as one kiosk
// process (see runChild); dbEnv is its database.
const (
	childEnv = "HAILONG_LAUNCH_CHILD"
	dbEnv    = "HAILONG_LAUNCH_DB"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv(dbEnv)))
	}
	os.Exit(m.Run())
}

// runChild is one kiosk process:
//   - hold: opens the database as the kiosk does, prints READY, and keeps
//     it until its standard input closes;
//   - second: tries to open it; prints the start-up message and exits 3
//     when another kiosk has it;
//   - survey: the whole kiosk program as main.go runs it (Serve, in a real
//     window), answers the first question, prints ANSWERED and runs until
//     a signal ends it;
//   - crash-once: panics on its first run (a line in the database path's
//     file counts runs) and exits cleanly on the next.
func runChild(mode, db string) int {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	switch mode {
	case "hold":
		m := &Main{DBPath: db, Log: quiet}
		if err := m.Open(ctx); err != nil {
			fmt.Println("open:", err)
			return 2
		}
		fmt.Println("READY")
		_, _ = io.Copy(io.Discard, os.Stdin)
		if err := m.Close(); err != nil {
			fmt.Println("close:", err)
			return 2
		}
		return 0
	case "second":
		m := &Main{DBPath: db, Log: quiet}
		err := m.Open(ctx)
		if err == nil {
			m.Close()
			fmt.Println("OPENED")
			return 0
		}
		vi, en := StartupMessage(err)
		fmt.Println(vi)
		fmt.Println(en)
		if errors.Is(err, ErrAlreadyRunning) {
			return 3
		}
		return 4
	case "survey":
		ctx, stop := signal.NotifyContext(ctx, StopSignals...)
		defer stop()
		m := &Main{DBPath: db, Log: quiet}
		m.BeforeShow = func(fyne.Window) {
			go func() {
				fyne.DoAndWait(func() {
					test.Tap(m.kiosk.Welcome.Start)
					test.Tap(m.kiosk.Question.Choices[0].Button)
				})
				fmt.Println("ANSWERED")
			}()
		}
		return m.Serve(ctx, func() fyne.App { return app.NewWithID("vn.gov.hailong.kiosk.launch-test") })
	case "crash-once":
		f, err := os.OpenFile(db, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
		if err != nil {
			return 2
		}
		data, _ := io.ReadAll(f)
		fmt.Fprintln(f, "run")
		f.Close()
		if len(data) == 0 {
			panic("first run dies")
		}
		return 0
	}
	return 2
}

// child starts the test binary as a kiosk process in mode on db.
func child(t *testing.T, mode, db string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, dbEnv+"="+db)
	return cmd
}

// waitLine reads r until a line equal to want, and fails on EOF.
func waitLine(t *testing.T, r io.Reader, want string) {
	t.Helper()
	sc := bufio.NewScanner(r)
	var seen []string
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == want {
			return
		}
		seen = append(seen, sc.Text())
	}
	t.Fatalf("no %q from the child; it said %q", want, seen)
}

// TestSecondKioskRefused: while one kiosk process has a database, another
// process on it is refused with a message in Vietnamese first, so is a
// second Main in this process; once the first is killed (SIGKILL, no
// clean-up) the database opens again: the lock dies with its process.
func TestSecondKioskRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hailong.db")
	first := child(t, "hold", db)
	stdin, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	waitLine(t, out, "READY")

	second := child(t, "second", db)
	msg, err := second.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("second kiosk process: %v\n%s", err, msg)
	}
	lines := strings.Split(strings.TrimSpace(string(msg)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "Hài Lòng đang chạy trên máy này") || !strings.Contains(lines[1], "already running") {
		t.Fatalf("second kiosk's message, Vietnamese first:\n%s", msg)
	}
	m := &Main{DBPath: db, Go: runNow}
	if err := m.Open(context.Background()); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("a second Main in this process: %v", err)
	}

	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	if msg, err := child(t, "second", db).Output(); err != nil || strings.TrimSpace(string(msg)) != "OPENED" {
		t.Fatalf("after the first kiosk was killed: %v\n%s", err, msg)
	}
}

// TestSIGTERMSavesPartialAnswers runs the kiosk program in a real window,
// answers the first question, sends the process SIGTERM (a shutdown or
// logout) and reads the database: the answer is saved as abandoned, as
// idle reset would have saved it.
func TestSIGTERMSavesPartialAnswers(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X display: run under xvfb-run")
	}
	db := filepath.Join(t.TempDir(), "hailong.db")
	cmd := child(t, "survey", db)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitLine(t, out, "ANSWERED")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("kiosk after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("kiosk did not exit after SIGTERM\n%s", stderr.String())
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := st.LastResponse(context.Background())
	if err != nil {
		t.Fatalf("no response saved at SIGTERM: %v", err)
	}
	if r.Status != survey.StatusAbandoned || len(r.Answers) != 1 {
		t.Fatalf("saved at SIGTERM: %+v", r)
	}
}

// TestSupervisorRestartsDeadKiosk: a kiosk process that panics is started
// again; its clean exit ends the supervisor.
func TestSupervisorRestartsDeadKiosk(t *testing.T) {
	runs := filepath.Join(t.TempDir(), "runs")
	s := &Supervisor{
		Command:    func() *exec.Cmd { return child(t, "crash-once", runs) },
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		FirstDelay: time.Millisecond,
	}
	if code := s.Run(context.Background()); code != 0 {
		t.Fatalf("supervisor exit code %d", code)
	}
	data, err := os.ReadFile(runs)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "run"); n != 2 {
		t.Fatalf("the kiosk ran %d times, want 2 (a crash, then a clean exit)", n)
	}
}
