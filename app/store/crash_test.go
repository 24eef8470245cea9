package store_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// crashChildEnv names the database a re-executed test binary saves into.
const crashChildEnv = "HAILONG_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

// crashChild saves responses in a loop until it is killed, writing each one
// as a JSON line to stdout only after SaveResponse returned nil. Meanwhile a
// second goroutine plays the uploader, marking pending responses synced or
// rejected, so the kill can also land in the middle of those writes.
func crashChild(path string) int {
	ctx := context.Background()
	s, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	go func() {
		for {
			ps, err := s.Pending(ctx, 20)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			var ids []string
			for i, p := range ps {
				if i%7 == 3 {
					if err := s.MarkRejected(ctx, p.ID, "phiên bản không hợp lệ"); err != nil {
						fmt.Fprintln(os.Stderr, err)
						os.Exit(3)
					}
					continue
				}
				ids = append(ids, p.ID)
			}
			if err := s.MarkSynced(ctx, ids); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
		}
	}()
	codes := []string{survey.CodeVerySatisfied, survey.CodeSatisfied, survey.CodeNeutral, survey.CodeNotSatisfied, survey.CodeVeryDissatisfied}
	for i := 0; ; i++ {
		start := time.Now().UTC()
		r := &survey.Response{
			ID: uuid.Must(uuid.NewV7()).String(), SurveyID: "sipas", SurveyVersion: 1 + i%3,
			Answers: survey.Answers{
				"tiep_can":  {codes[rand.IntN(len(codes))]},
				"cong_chuc": {codes[rand.IntN(len(codes))]},
				"y_kien":    {fmt.Sprintf("Lần %d: cán bộ hướng dẫn tận tình, thủ tục nhanh gọn – %x", i, rand.Uint64())},
			},
			StartedAt: start.Add(-time.Duration(rand.IntN(90_000)) * time.Millisecond), FinishedAt: start,
			ServicePoint: "Trung tâm Phục vụ hành chính công – chi nhánh số 3", DeviceID: "kiosk-crash",
			Lang: "vi", Status: survey.StatusComplete, Misuse: i%11 == 0, EventTag: "KCN Thăng Long – ca sáng",
		}
		if err := s.SaveResponse(ctx, r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 4
		}
		line, err := json.Marshal(r)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 5
		}
		if _, err := os.Stdout.Write(append(line, '\n')); err != nil {
			return 6
		}
	}
}

// TestCrashKeepsEverySavedResponse re-executes the test binary as a child
// that saves responses in a loop, kills it with SIGKILL after a random number
// of reported saves (sometimes before its first), and checks after each
// round that every response the child reported is present, intact and
// stored once, and that the database passes SQLite's integrity check.
func TestCrashKeepsEverySavedResponse(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	reported := map[string]*survey.Response{}
	const rounds = 8
	for round := range rounds {
		kill := 0 // round 0 kills during start-up, possibly mid-migration
		if round > 0 {
			kill = 1 + rng.IntN(200)
		}
		got := runCrashChild(t, path, kill)
		for _, r := range got {
			if _, dup := reported[r.ID]; dup {
				t.Fatalf("child reported %s twice", r.ID)
			}
			reported[r.ID] = r
		}
		t.Logf("round %d: killed after %d reported saves", round, len(got))
		verifyCrashDB(t, path, reported, round+1)
	}
	if len(reported) == 0 {
		t.Fatal("the child never reported a save")
	}
}

// runCrashChild starts the child, reads kill reported lines, kills it with
// SIGKILL, and returns every response it reported in a complete line.
func runCrashChild(t *testing.T, path string, kill int) []*survey.Response {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	in := bufio.NewReader(stdout)
	var out []*survey.Response
	readLine := func() bool {
		line, err := in.ReadBytes('\n')
		if err != nil { // EOF, or a line cut short by the kill: not reported
			if !errors.Is(err, io.EOF) {
				t.Errorf("read child output: %v", err)
			}
			return false
		}
		var r survey.Response
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatalf("child line %q: %v", line, err)
		}
		out = append(out, &r)
		return true
	}
	for len(out) < kill {
		if !readLine() {
			cmd.Wait()
			t.Fatalf("child stopped after %d saves: %s", len(out), stderr.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for readLine() { // lines written before the kill
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, want killed by SIGKILL; stderr: %s", err, stderr.String())
	}
	return out
}

// verifyCrashDB reopens the database after a kill and checks it against
// what the children reported. Each child may have committed at most one
// response it did not live to report.
func verifyCrashDB(t *testing.T, path string, reported map[string]*survey.Response, children int) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	unreported := 0
	for r, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[r.ID]++
		want, ok := reported[r.ID]
		if !ok {
			unreported++
			continue
		}
		if !sameResponse(r, want) {
			t.Errorf("response %s changed:\n got %+v\nwant %+v", r.ID, r, want)
		}
	}
	for id := range reported {
		if seen[id] != 1 {
			t.Errorf("reported response %s stored %d times", id, seen[id])
		}
	}
	if unreported > children {
		t.Errorf("%d stored responses were never reported, but only %d children could have been killed mid-save", unreported, children)
	}
	st, err := s.SyncStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if total := st.Pending + st.Synced + st.Rejected; total != len(seen) {
		t.Errorf("SyncStats %+v adds up to %d, want %d", st, total, len(seen))
	}
}

// sameResponse compares two responses, times by instant.
func sameResponse(a, b *survey.Response) bool {
	if !a.StartedAt.Equal(b.StartedAt) || !a.FinishedAt.Equal(b.FinishedAt) {
		return false
	}
	x, y := *a, *b
	x.StartedAt, x.FinishedAt, y.StartedAt, y.FinishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(x, y)
}
