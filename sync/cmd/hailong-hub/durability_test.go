package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// buildHub builds the hailong-hub binary into a temporary directory.
func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hailong-hub")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSIGKILLMidIngest streams batches from several uploaders into a real
// hub process, kills it with SIGKILL while batches are in flight, and checks
// that every item the hub acknowledged is in the database, and that every
// batch is there whole or not at all.
func TestSIGKILLMidIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a hub process")
	}
	bin := buildHub(t)
	db := filepath.Join(t.TempDir(), "hub.db")
	mustRun(t, "survey", "publish", "--db", db, quickSurvey)
	code := enrollCode(t, db)
	cmd, base := startBinary(t, bin, db)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: false}}
	d := enrollHTTP(t, client, base, code)

	const uploaders, batchSize, killAfter = 3, 200, 12
	var (
		mu       sync.Mutex
		acked    = map[string]bool{} // ids answered accepted or duplicate
		inFlight [][]protocol.Item   // batches sent without an answer
		ackCount int
		killNow  = make(chan struct{})
		once     sync.Once
		wg       sync.WaitGroup
	)
	for range uploaders {
		wg.Go(func() {
			for {
				items := d.items(t, batchSize)
				status, br, err := d.post(client, base, items)
				mu.Lock()
				if err != nil || status != 200 {
					inFlight = append(inFlight, items)
					mu.Unlock()
					return // the hub is gone
				}
				for _, r := range br.Results {
					if r.Outcome.Synced() {
						acked[r.ID] = true
					}
				}
				ackCount++
				if ackCount >= killAfter {
					once.Do(func() { close(killNow) })
				}
				mu.Unlock()
			}
		})
	}
	<-killNow
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("hub did not die by SIGKILL: %v", err)
	}
	wg.Wait()
	t.Logf("killed after %d acknowledged batches (%d items); %d batches in flight", ackCount, len(acked), len(inFlight))

	// Restart on the same file: it must open and serve.
	_, base = startBinary(t, bin, db)
	res, err := client.Get(base + protocol.PathHealth)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("restarted hub unhealthy: %v %v", res, err)
	}
	res.Body.Close()

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := map[string]bool{}
	for r, err := range st.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[r.ID] = true
	}
	lost := 0
	for id := range acked {
		if !stored[id] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged items are missing after SIGKILL", lost, len(acked))
	}
	extra := len(stored) - len(acked)
	for i, b := range inFlight {
		n := 0
		for _, it := range b {
			if stored[it.Response.ID] {
				n++
			}
		}
		if n != 0 && n != len(b) {
			t.Errorf("in-flight batch %d is half stored: %d of %d items", i, n, len(b))
		}
		extra -= n
	}
	if extra != 0 {
		t.Errorf("%d stored items were never sent", extra)
	}
	// Resending the unanswered batches completes them: the kiosk's retry.
	for _, b := range inFlight {
		status, br, err := d.post(client, base, b)
		if err != nil || status != 200 {
			t.Fatalf("resend after restart: %d %v", status, err)
		}
		for _, r := range br.Results {
			if !r.Outcome.Synced() {
				t.Errorf("resent item %s: %+v", r.ID, r)
			}
		}
	}
}

// TestSIGTERMGraceful sends SIGTERM while a batch is being received: the
// hub must finish it, answer 200 and then exit with status 0.
func TestSIGTERMGraceful(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a hub process")
	}
	bin := buildHub(t)
	db := filepath.Join(t.TempDir(), "hub.db")
	mustRun(t, "survey", "publish", "--db", db, quickSurvey)
	code := enrollCode(t, db)
	cmd, base := startBinary(t, bin, db)
	d := enrollHTTP(t, http.DefaultClient, base, code)
	body, err := (&protocol.Batch{Items: d.items(t, 50)}).Encode()
	if err != nil {
		t.Fatal(err)
	}

	// Raw HTTP with Expect: 100-continue, so the "100 Continue" proves the
	// handler is running and reading the body before the signal is sent.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nExpect: 100-continue\r\n\r\n", protocol.PathBatch, d.token, len(body))
	br := bufio.NewReader(conn)
	cont, err := http.ReadResponse(br, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue, got %v %v", cont, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the in-flight batch got no answer after SIGTERM: %v", err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || strings.Count(string(data), `"accepted"`) != 50 {
		t.Errorf("in-flight batch after SIGTERM: %d %s", res.StatusCode, data)
	}
	conn.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("hub exit after SIGTERM: %v, want status 0", err)
	}
	if _, err := http.Get(base + protocol.PathHealth); err == nil {
		t.Error("hub still answers after SIGTERM")
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 0
	for _, err := range st.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 50 {
		t.Errorf("%d rows after graceful shutdown, want 50", n)
	}
}
