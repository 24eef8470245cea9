package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// TestHelpCSVOnEachBackend: a served hub answers /help.csv from the help
// requests its store holds, on SQLite and on PostgreSQL alike.
func TestHelpCSVOnEachBackend(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testHelpCSV(t, filepath.Join(t.TempDir(), "hub.db")) })
	t.Run("postgres", func(t *testing.T) { testHelpCSV(t, cluster.NewDatabase(t)) })
}

func testHelpCSV(t *testing.T, db string) {
	ctx := context.Background()
	const pw = "mật khẩu của An"
	if _, errs, code := runCmdIn(t, pw+"\n", "admin", "add", "An", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	st, err := openStore(ctx, db, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	var reqs []hub.HelpRequest
	for i := range 6 { // six resolved at Phường Hàng Bạc, 1..6 minutes; one more waiting
		q := hub.HelpRequest{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", 700+i), Source: help.SourceWelcome, Lang: "vi",
			ServicePoint: "Phường Hàng Bạc", DeviceID: "dev-1", CreatedAt: now.Add(-time.Duration(i+1) * time.Hour),
			Outcome: help.Helped, Content: []byte(fmt.Sprint(i)), Signature: make([]byte, 64)}
		q.ResolvedAt = q.CreatedAt.Add(time.Duration(i+1) * time.Minute)
		if i == 5 {
			q.Outcome, q.Reason = help.NotPossible, help.ReasonLeft
		}
		reqs = append(reqs, q)
	}
	reqs = append(reqs, hub.HelpRequest{ID: "01938a7e-0000-7000-8000-000000000799", Source: help.SourceWelcome, Lang: "vi",
		ServicePoint: "Phường Hàng Bạc", DeviceID: "dev-1", CreatedAt: now.Add(-time.Minute), Outcome: help.Open,
		Content: []byte("open"), Signature: make([]byte, 64)})
	if _, err := st.IngestHelp(ctx, reqs, now); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, "--db", db)
	c := browser(t, nil)
	if res := logIn(t, c, base, "An", pw); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	res, body := fetch(t, c, base+"/help.csv?lang=en")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("/help.csv: %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	// 7 requests, 1 waiting, 5 filed online, 1 not possible (the citizen
	// left: the sixth reason), median of 1..6 minutes.
	if want := "\nPhường Hàng Bạc,7,1,5,1,0,0,0,0,0,1,0,3\n"; !strings.Contains(body, want) || !strings.HasPrefix(body, "\ufeffService point,") {
		t.Errorf("/help.csv:\n%s\nwant the row %q", body, want)
	}
}
