package launch

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"time"
)

// SupervisedEnv marks a kiosk process started by Supervise.
const SupervisedEnv = "HAILONG_SUPERVISED"

// Supervised reports whether this process was started by Supervise.
func Supervised() bool { return os.Getenv(SupervisedEnv) == "1" }

// Supervisor keeps a --kiosk process running: a desk kiosk that dies
// (a crash in a library, the out-of-memory killer) would otherwise stay
// dead until someone restarts the machine. It restarts the process when
// it ends with an error or a signal; a clean exit (the admin quit through
// the PIN panel, a start-up error window closed by staff) ends the
// supervisor too. A process that dies within MinUptime of its start is
// restarted after a delay that doubles each time up to MaxDelay, so a
// kiosk that cannot start does not spin.
type Supervisor struct {
	// Command makes the process to run, anew for every start.
	Command func() *exec.Cmd
	// Log receives every start and exit; nil means slog.Default().
	Log *slog.Logger
	// MinUptime, FirstDelay and MaxDelay shape the restart delays; zero
	// means 60 s, 1 s and 30 s.
	MinUptime, FirstDelay, MaxDelay time.Duration
}

// Run runs the process until it exits cleanly or ctx ends (the supervisor
// got SIGTERM: the process is sent SIGTERM too, waited for, and not
// restarted). It returns the exit code to leave with.
func (s *Supervisor) Run(ctx context.Context) int {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	minUp, delay, maxDelay := s.MinUptime, s.FirstDelay, s.MaxDelay
	if minUp <= 0 {
		minUp = time.Minute
	}
	if delay <= 0 {
		delay = time.Second
	}
	if maxDelay <= 0 {
		maxDelay = 30 * time.Second
	}
	wait := delay
	for {
		cmd := s.Command()
		cmd.Env = append(cmd.Environ(), SupervisedEnv+"=1")
		started := time.Now()
		if err := cmd.Start(); err != nil {
			log.Error("supervisor: start kiosk", "err", err)
			return 1
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			_ = cmd.Process.Signal(terminate)
			<-done
			return 0
		}
		if err == nil {
			log.Info("supervisor: kiosk exited cleanly")
			return 0
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			log.Error("supervisor: wait for kiosk", "err", err)
			return 1
		}
		if time.Since(started) >= minUp {
			wait = delay
		}
		log.Error("supervisor: kiosk died; restarting", "state", exit.ProcessState.String(), "in", wait)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return 0
		}
		wait = min(2*wait, maxDelay)
	}
}

// Supervise runs this program again under a Supervisor, with the same
// arguments, its output going where this process's goes.
func Supervise(ctx context.Context, log *slog.Logger) int {
	exe, err := os.Executable()
	if err != nil {
		log.Error("supervisor: find own program", "err", err)
		return 1
	}
	s := &Supervisor{Log: log, Command: func() *exec.Cmd {
		cmd := exec.Command(exe, os.Args[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		return cmd
	}}
	return s.Run(ctx)
}
