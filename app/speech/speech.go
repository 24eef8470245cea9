// Package speech reads text aloud offline through the espeak-ng speech
// engine, run as a separate process (Debian's espeak-ng package has a
// Vietnamese voice, "vi", the Northern accent). It has no Fyne dependency.
//
// An Engine speaks one utterance at a time: a new Speak cancels the one in
// progress, so tapping the speaker button again restarts the reading. Speak
// returns at once; the engine runs in its own goroutine. Text goes to the
// engine on its standard input, never through a shell or the command line,
// so no text can be taken for an option or a command.
package speech

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Defaults of a new Engine.
const (
	// DefaultProgram is the engine looked up on PATH.
	DefaultProgram = "espeak-ng"
	// DefaultVoice is espeak-ng's Vietnamese voice (Northern accent).
	DefaultVoice = "vi"
	// DefaultSpeed is in words per minute, slower than espeak-ng's 175 so
	// that elderly citizens can follow.
	DefaultSpeed = 140
)

// availableTimeout bounds the voice check of Available.
const availableTimeout = 5 * time.Second

// Engine reads text aloud through espeak-ng. Set its fields before the
// first call; after that they must not change. An Engine is safe for
// concurrent use.
type Engine struct {
	// Program is the engine's name on PATH or its path.
	Program string
	// Voice is the espeak-ng voice name.
	Voice string
	// Speed is the speaking rate in words per minute; 0 keeps the engine's.
	Speed int
	// Log receives failures of utterances; nil means slog.Default().
	Log *slog.Logger

	availOnce sync.Once
	avail     bool

	mu     sync.Mutex
	cancel context.CancelFunc // of the utterance in progress
	done   chan struct{}      // closed when that utterance's process has ended
}

// New returns an Engine using espeak-ng's Vietnamese voice at DefaultSpeed.
func New() *Engine {
	return &Engine{Program: DefaultProgram, Voice: DefaultVoice, Speed: DefaultSpeed}
}

// Available reports whether the engine is installed and has the voice. The
// answer is found once per Engine and then kept: the kiosk asks for every
// question screen.
func (e *Engine) Available() bool {
	e.availOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), availableTimeout)
		defer cancel()
		err := e.checkVoice(ctx)
		e.avail = err == nil
		if err != nil {
			e.logger().Info("read-aloud unavailable", "err", err)
		}
	})
	return e.avail
}

// checkVoice looks the program up on PATH and asks it for its voices.
func (e *Engine) checkVoice(ctx context.Context) error {
	path, err := exec.LookPath(e.Program)
	if err != nil {
		return fmt.Errorf("find speech engine: %w", err)
	}
	cmd := exec.CommandContext(ctx, path, "--voices="+e.Voice)
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("list voices of %s: %w", path, err)
	}
	if !hasVoice(out, e.Voice) {
		return fmt.Errorf("speech engine %s has no voice %q", path, e.Voice)
	}
	return nil
}

// hasVoice reports whether espeak-ng's voice list (a header line, then
// "Pty Language Age/Gender VoiceName File ..." columns) names voice as a
// language or a voice file.
func hasVoice(list []byte, voice string) bool {
	sc := bufio.NewScanner(bytes.NewReader(list))
	first := true
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if first {
			first = false
			continue
		}
		if len(f) < 5 {
			continue
		}
		if strings.EqualFold(f[1], voice) || strings.EqualFold(f[4], voice) ||
			strings.HasSuffix(strings.ToLower(f[4]), "/"+strings.ToLower(voice)) {
			return true
		}
	}
	return false
}

// args returns the engine's command line; the text comes on stdin.
func (e *Engine) args(toStdout bool) []string {
	a := []string{"-v", e.Voice}
	if e.Speed > 0 {
		a = append(a, "-s", strconv.Itoa(e.Speed))
	}
	if toStdout {
		a = append(a, "--stdout")
	}
	return append(a, "--stdin")
}

// Speak starts reading text aloud and returns at once. It cancels the
// utterance in progress, if any, and starts this one after that process has
// ended. The returned channel receives one value when this utterance ends:
// nil when it was read to the end, an error wrapping context.Canceled when a
// later Speak, Stop or ctx cut it short, or the engine's failure. Callers
// that do not care may drop the channel.
func (e *Engine) Speak(ctx context.Context, text string) <-chan error {
	res := make(chan error, 1)
	text = norm.NFC.String(strings.TrimSpace(text))

	uctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	e.mu.Lock()
	if e.cancel != nil {
		e.cancel()
	}
	prev := e.done
	e.cancel, e.done = cancel, done
	e.mu.Unlock()

	go func() {
		defer close(done)
		defer cancel()
		if prev != nil {
			<-prev
		}
		var err error
		switch {
		case uctx.Err() != nil:
			err = fmt.Errorf("speak: %w", uctx.Err())
		case text == "":
		default:
			err = e.run(uctx, text, nil)
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			e.logger().Warn("read aloud", "err", err)
		}
		e.mu.Lock()
		if e.done == done {
			e.cancel, e.done = nil, nil
		}
		e.mu.Unlock()
		res <- err
	}()
	return res
}

// Stop cuts the utterance in progress short, if any. It does not wait.
func (e *Engine) Stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		e.cancel()
	}
}

// WriteWAV synthesises text into w as a WAV file (espeak-ng --stdout)
// instead of playing it, and waits until done. It does not cancel or wait
// for an utterance being spoken.
func (e *Engine) WriteWAV(ctx context.Context, text string, w io.Writer) error {
	return e.run(ctx, norm.NFC.String(text), w)
}

// run executes the engine once with text on stdin and its output, if any,
// into out. The process is killed when ctx ends.
func (e *Engine) run(ctx context.Context, text string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, e.Program, e.args(out != nil)...)
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = out
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return fmt.Errorf("speak: %w", ctx.Err())
	}
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("run %s: %w: %s", e.Program, err, msg)
		}
		return fmt.Errorf("run %s: %w", e.Program, err)
	}
	return nil
}

func (e *Engine) logger() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}
