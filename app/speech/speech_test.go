//go:build unix

package speech

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeEngine is a shell script standing in for espeak-ng: it answers the
// voice list with a Vietnamese voice (unless told not to) and, for an
// utterance, reports "pid|args|stdin" on a FIFO, then exits, or stays until
// killed when the text contains HOLD.
const fakeEngine = `#!/bin/sh
case "$1" in
--voices=*)
	echo "Pty Language       Age/Gender VoiceName          File                 Other Languages"
	[ -n "$FAKE_NO_VI" ] || echo " 5  vi              --/M      Vietnamese_(Northern) aav/vi"
	echo " 5  en              --/M      English            gmw/en"
	exit 0 ;;
esac
text=$(cat)
printf '%s|%s|%s\n' "$$" "$*" "$text" > "$FAKE_FIFO"
case "$text" in
*HOLD*) exec sleep 600 ;;
*FAIL*) echo "boom" >&2; exit 3 ;;
esac
exit 0
`

// utterance is what the fake engine reported for one run.
type utterance struct {
	pid        int
	args, text string
}

// fake installs the fake engine as espeak-ng first on PATH and returns a
// reader of its reports.
func fake(t *testing.T) *bufio.Reader {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "espeak-ng"), []byte(fakeEngine), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "reports")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	// O_RDWR keeps the FIFO open for writers without blocking here.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	t.Setenv("FAKE_FIFO", fifo)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return bufio.NewReader(f)
}

// next reads the fake engine's next report.
func next(t *testing.T, r *bufio.Reader) utterance {
	t.Helper()
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("read report: %v", err)
	}
	parts := strings.SplitN(strings.TrimSuffix(line, "\n"), "|", 3)
	if len(parts) != 3 {
		t.Fatalf("bad report %q", line)
	}
	pid, err := strconv.Atoi(parts[0])
	if err != nil {
		t.Fatalf("bad pid in %q", line)
	}
	return utterance{pid: pid, args: parts[1], text: parts[2]}
}

// result waits for an utterance's end.
func result(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("utterance did not end")
		return nil
	}
}

func TestSpeakArgsAndText(t *testing.T) {
	reports := fake(t)
	e := New()
	// Shell metacharacters and an option-like start reach the engine as
	// plain text on stdin.
	text := `-v en "; rm -rf / $(reboot) ` + "`id`" + ` Tôi rất hài lòng`
	ch := e.Speak(context.Background(), "  "+text+"\n")
	u := next(t, reports)
	if want := "-v vi -s 140 --stdin"; u.args != want {
		t.Errorf("args %q, want %q", u.args, want)
	}
	if u.text != text {
		t.Errorf("stdin %q, want %q", u.text, text)
	}
	if err := result(t, ch); err != nil {
		t.Errorf("utterance: %v", err)
	}
}

func TestSpeakNFC(t *testing.T) {
	reports := fake(t)
	e := &Engine{Program: "espeak-ng", Voice: "vi-vn-x-south"}
	ch := e.Speak(context.Background(), "ha\u0300i lo\u0300ng") // NFD
	u := next(t, reports)
	if u.text != "hài lòng" {
		t.Errorf("stdin %q, want NFC %q", u.text, "hài lòng")
	}
	if want := "-v vi-vn-x-south --stdin"; u.args != want {
		t.Errorf("args %q, want %q (Speed 0 keeps the engine's)", u.args, want)
	}
	if err := result(t, ch); err != nil {
		t.Error(err)
	}
}

// gone reports whether process pid no longer exists.
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func TestSpeakCancelsPrevious(t *testing.T) {
	reports := fake(t)
	e := New()
	first := e.Speak(context.Background(), "HOLD câu hỏi một")
	u1 := next(t, reports)
	second := e.Speak(context.Background(), "câu hỏi hai")
	if err := result(t, first); !errors.Is(err, context.Canceled) {
		t.Fatalf("first utterance: %v, want context.Canceled", err)
	}
	if !gone(u1.pid) {
		t.Errorf("first engine process %d still running", u1.pid)
	}
	if u2 := next(t, reports); u2.text != "câu hỏi hai" {
		t.Errorf("second utterance %q", u2.text)
	}
	if err := result(t, second); err != nil {
		t.Errorf("second utterance: %v", err)
	}
}

func TestStopAndContext(t *testing.T) {
	reports := fake(t)
	e := New()
	ch := e.Speak(context.Background(), "HOLD")
	u := next(t, reports)
	e.Stop()
	if err := result(t, ch); !errors.Is(err, context.Canceled) {
		t.Fatalf("after Stop: %v, want context.Canceled", err)
	}
	if !gone(u.pid) {
		t.Errorf("engine process %d still running after Stop", u.pid)
	}

	ctx, cancel := context.WithCancel(context.Background())
	ch = e.Speak(ctx, "HOLD again")
	u = next(t, reports)
	cancel()
	if err := result(t, ch); !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v, want context.Canceled", err)
	}
	if !gone(u.pid) {
		t.Errorf("engine process %d still running after cancel", u.pid)
	}
	e.Stop() // nothing in progress: no effect
}

func TestSpeakEngineFailure(t *testing.T) {
	reports := fake(t)
	e := New()
	ch := e.Speak(context.Background(), "FAIL")
	next(t, reports)
	err := result(t, ch)
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("failure: %v, want the engine's stderr", err)
	}
	if err := result(t, e.Speak(context.Background(), "   ")); err != nil {
		t.Errorf("empty text: %v", err)
	}
}

func TestAvailable(t *testing.T) {
	fake(t)
	e := New()
	if !e.Available() {
		t.Fatal("fake engine with a vi voice: not available")
	}
	// The answer is kept per Engine: taking the program away does not
	// change it, but a new Engine sees the change.
	t.Setenv("PATH", t.TempDir())
	if !e.Available() {
		t.Error("Available changed for the same Engine")
	}
	if New().Available() {
		t.Error("no engine on PATH: available")
	}
}

func TestAvailableNoVoice(t *testing.T) {
	fake(t)
	t.Setenv("FAKE_NO_VI", "1")
	if New().Available() {
		t.Error("engine without a vi voice: available")
	}
	e := New()
	e.Voice = "en"
	if !e.Available() {
		t.Error("engine with an en voice asked for en: not available")
	}
}

func TestHasVoice(t *testing.T) {
	list := []byte(`Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  vi              --/M      Vietnamese_(Northern) aav/vi
 5  vi-vn-x-south   --/M      Vietnamese_(Southern) aav/vi-VN-x-south
`)
	for voice, want := range map[string]bool{
		"vi": true, "vi-vn-x-south": true, "VI-VN-X-SOUTH": true, "en": false, "": false, "aav": false,
	} {
		if got := hasVoice(list, voice); got != want {
			t.Errorf("hasVoice(%q) = %v, want %v", voice, got, want)
		}
	}
}

// TestRealEspeak synthesises Vietnamese with the installed espeak-ng.
func TestRealEspeak(t *testing.T) {
	if _, err := exec.LookPath(DefaultProgram); err != nil {
		t.Skip("espeak-ng not installed")
	}
	e := New()
	if !e.Available() {
		t.Fatal("espeak-ng is installed but its Vietnamese voice is not available")
	}
	path := filepath.Join(t.TempDir(), "cau-hoi.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	err = e.WriteWAV(context.Background(), "Ông bà có hài lòng với thái độ của cán bộ không?", f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 44 || !bytes.Equal(data[:4], []byte("RIFF")) || !bytes.Equal(data[8:12], []byte("WAVE")) {
		t.Fatalf("not a WAV file: % x", data[:min(len(data), 16)])
	}
	// 16-bit mono at 22 050 Hz: a sentence of a dozen syllables lasts over
	// a second, so well above 20 000 bytes of samples.
	if len(data) < 20000 {
		t.Errorf("WAV of %d bytes: too short for the sentence", len(data))
	}
}
