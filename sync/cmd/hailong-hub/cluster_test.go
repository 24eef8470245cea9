package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres/pgtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// hubFleet is several hub processes serving one PostgreSQL database.
type hubFleet struct {
	t    *testing.T
	bin  string
	db   string
	mu   sync.Mutex
	cmds []*exec.Cmd
	urls []string
}

func (f *hubFleet) url(i int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.urls[i%len(f.urls)]
}

// restart SIGKILLs hub i and starts it again on a new port.
func (f *hubFleet) restart(i int) {
	f.mu.Lock()
	cmd := f.cmds[i]
	f.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		f.t.Error(err)
	}
	cmd.Wait()
	cmd, url := startBinary(f.t, f.bin, f.db)
	f.mu.Lock()
	f.cmds[i], f.urls[i] = cmd, url
	f.mu.Unlock()
}

// TestSeveralHubsOneDatabase: three hub processes share one PostgreSQL.
// Kiosks enroll through different hubs and upload round-robin; some
// batches go to two hubs at the same moment; hubs are SIGKILLed and
// restarted while batches are in flight, and a kiosk whose upload fails
// sends the batch again to the next hub, as the uploader does. At the end
// every acknowledged response is stored exactly once, nothing else is
// stored, and no id was ever answered accepted twice.
func TestSeveralHubsOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills hub processes")
	}
	bin := buildHub(t)
	db := cluster.NewDatabase(t)
	mustRun(t, "survey", "publish", "--db", db, quickSurvey)
	const hubs, kiosks, batches, batchSize = 3, 4, 12, 100
	f := &hubFleet{t: t, bin: bin, db: db}
	for range hubs {
		cmd, url := startBinary(t, bin, db)
		f.cmds, f.urls = append(f.cmds, cmd), append(f.urls, url)
	}
	client := &http.Client{}
	devs := make([]*device, kiosks)
	for k := range devs {
		devs[k] = enrollHTTP(t, client, f.url(k), enrollCode(t, db))
	}

	var (
		mu       sync.Mutex
		sent     = map[string]bool{}
		accepted = map[string]int{}
		acks     int
		ackedAt  = make(chan int, kiosks*batches*2) // acknowledgement count, for the killer
	)
	record := func(br *protocol.BatchResult) error {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range br.Results {
			if !r.Outcome.Synced() {
				return fmt.Errorf("item %s answered %+v", r.ID, r)
			}
			if r.Outcome == protocol.Accepted {
				accepted[r.ID]++
			}
		}
		acks++
		ackedAt <- acks
		return nil
	}
	// send uploads one batch, starting at hub h and moving on to the next
	// hub after a failure, until a hub answers.
	send := func(d *device, h int, items []protocol.Item) error {
		for attempt := range 3 * hubs * 4 {
			status, br, err := d.post(client, f.url(h+attempt), items)
			if err == nil && status == http.StatusOK {
				return record(br)
			}
		}
		return fmt.Errorf("no hub took a batch of %d", len(items))
	}
	var wg sync.WaitGroup
	errs := make(chan error, kiosks*batches*2)
	for k, d := range devs {
		wg.Go(func() {
			for b := range batches {
				items := d.items(t, batchSize)
				mu.Lock()
				for _, it := range items {
					sent[it.Response.ID] = true
				}
				mu.Unlock()
				h := k + b
				if b%3 == 0 { // the same batch to two hubs at once
					var both sync.WaitGroup
					for _, hh := range []int{h, h + 1} {
						both.Go(func() {
							if err := send(d, hh, items); err != nil {
								errs <- err
							}
						})
					}
					both.Wait()
					continue
				}
				if err := send(d, h, items); err != nil {
					errs <- err
				}
			}
		})
	}
	go func() { wg.Wait(); close(ackedAt) }() // ends the loop below if the load stops early
	// SIGKILL and restart each hub once, at set points of the load.
	killed := 0
	for n := range ackedAt {
		if killed < hubs && n >= 6*(killed+1) {
			f.restart(killed)
			killed++
		}
		if killed == hubs {
			break
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if killed != hubs {
		t.Fatalf("only %d hubs were killed", killed)
	}

	st, err := postgres.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := map[string]int{}
	for r, err := range st.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[r.ID]++
	}
	for id := range sent {
		if stored[id] != 1 {
			t.Errorf("%s stored %d times, want once", id, stored[id])
		}
		if accepted[id] > 1 {
			t.Errorf("%s answered accepted %d times", id, accepted[id])
		}
	}
	if len(stored) != len(sent) || len(sent) != kiosks*batches*batchSize {
		t.Errorf("%d ids stored, %d sent, want %d", len(stored), len(sent), kiosks*batches*batchSize)
	}
	t.Logf("%d acknowledged batches, %d responses, %d hubs killed and restarted", acks, len(stored), killed)
}

// TestSessionsAcrossHubs: two hub processes on one PostgreSQL share the
// dashboard's sessions and login limit: a login on one hub works on the
// other, a logout on one ends it on both, and failed logins count
// whichever hub they went through.
func TestSessionsAcrossHubs(t *testing.T) {
	db := cluster.NewDatabase(t)
	const pw = "mật khẩu của An"
	if _, errs, code := runCmdIn(t, pw+"\n", "admin", "add", "An", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	a, b := startServe(t, "--db", db), startServe(t, "--db", db)
	c := browser(t, nil) // one cookie jar: cookies ignore the port, as a browser behind one name would send them

	if res := logIn(t, c, a, "An", pw); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on hub A: %d", res.StatusCode)
	}
	res, page := fetch(t, c, b+"/dashboard")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("hub B with hub A's session: %d", res.StatusCode)
	}
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on the dashboard")
	}
	res, err := c.PostForm(b+"/logout", map[string][]string{"csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res, _ := fetch(t, c, a+"/dashboard"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("hub A after logging out on hub B: %d, want a redirect to the login", res.StatusCode)
	}

	for i := range 5 { // the limit (5), spread over both hubs
		if res := logIn(t, c, []string{a, b}[i%2], "An", "sai"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failed login %d: %d", i+1, res.StatusCode)
		}
	}
	for _, base := range []string{a, b} {
		if res := logIn(t, c, base, "An", pw); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("login after 5 failures over two hubs: %d, want 429", res.StatusCode)
		}
	}
}

// TestExportFromReadReplica: `export --read-db` reads a PostgreSQL
// streaming replica (a real one, pg_basebackup on loopback) once it has
// replayed the responses; a read replica beside a SQLite --db is refused.
func TestExportFromReadReplica(t *testing.T) {
	ctx := context.Background()
	db := cluster.NewDatabase(t)
	st, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := cluster.StartReplica("replica-export")
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Stop()
	fillStore(t, st, 30, 10) // after the base backup: only streaming brings them
	st.Close()
	if err := rep.WaitReplayed(ctx, db); err != nil {
		t.Fatal(err)
	}
	readDB := rep.URL(pgtest.DatabaseName(db))
	out := filepath.Join(t.TempDir(), "out.csv")
	mustRun(t, "export", "--db", db, "--read-db", readDB, "--out", out, "--from", "2026-11-21", "--to", "2026-11-21")
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, data); len(rows) != 10 {
		t.Errorf("export from the replica: %d rows, want 10", len(rows))
	}
	// serve with the replica reports its lag on /metrics.
	base := startServe(t, "--db", db, "--read-db", readDB)
	res, body := fetch(t, browser(t, nil), base+"/metrics")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "hailong_store_replica_lag_seconds ") || !strings.Contains(body, `pool="replica"`) {
		t.Errorf("/metrics with a replica: %d, lacks the replica's series", res.StatusCode)
	}
	if _, errs, code := runCmd(t, "export", "--db", filepath.Join(t.TempDir(), "hub.db"), "--read-db", readDB, "--out", out); code != 1 || !strings.Contains(errs, "needs a PostgreSQL --db") {
		t.Errorf("--read-db with SQLite: exit %d, %s", code, errs)
	}
}
