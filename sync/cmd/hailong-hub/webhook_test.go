package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

var (
	webhookIDRE = regexp.MustCompile(`(wh-[0-9a-f-]{36})`)
	secretRE    = regexp.MustCompile(`(whsec_[A-Za-z0-9_-]{43})`)
)

func auditActions(t *testing.T, db string) []string {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	for e, err := range st.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Action+" "+e.Details)
	}
	return out
}

func TestWebhookCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	if out := mustRun(t, "webhook", "list", "--db", db); !strings.Contains(out, "No webhooks yet") {
		t.Errorf("list of none:\n%s", out)
	}
	for _, args := range [][]string{
		{"webhook", "add", "ftp://x.example/", "--db", db},
		{"webhook", "add", "https://user:pw@x.example/", "--db", db},
		{"webhook", "add", "https://x.example/", "--events", "responses,nope", "--db", db},
		{"webhook", "add", "--db", db},
	} {
		if _, errs, code := runCmd(t, args...); code != 2 { // a usage error
			t.Errorf("%v: exit %d, stderr %q; want a refusal", args, code, errs)
		}
	}
	out := mustRun(t, "webhook", "add", "https://x.example/hook", "--events", "alert,responses", "--db", db)
	id, secret := webhookIDRE.FindString(out), secretRE.FindString(out)
	if id == "" || secret == "" || !strings.Contains(out, "responses,alert") || !strings.Contains(out, "chỉ hiện lần này") {
		t.Fatalf("add printed:\n%s", out)
	}
	list := mustRun(t, "webhook", "list", "--db", db)
	if !strings.Contains(list, id) || !strings.Contains(list, "https://x.example/hook") || strings.Contains(list, secret) {
		t.Errorf("list (it must not show the secret):\n%s", list)
	}
	if _, errs, code := runCmd(t, "webhook", "remove", "wh-nope", "--db", db); code != 1 || !strings.Contains(errs, "no webhook") {
		t.Errorf("remove unknown: exit %d %q", code, errs)
	}
	// A failed delivery, sent again from the command line.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := hub.NewEvent(hub.EventAlert, time.Now(), nil)
	if err := st.Enqueue(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	claimed, err := st.ClaimDeliveries(context.Background(), time.Now(), time.Minute, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatal(claimed, err)
	}
	if err := st.FinishDelivery(context.Background(), claimed[0].ID, claimed[0].Lease, hub.DeliveryResult{At: time.Now(), State: hub.DeliveryFailed, Status: 500, Error: "HTTP 500"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	n := fmt.Sprint(claimed[0].ID)
	if out := mustRun(t, "webhook", "list", "--db", db); !strings.Contains(out, "failed") || !strings.Contains(out, "HTTP 500") {
		t.Errorf("list shows no failed delivery:\n%s", out)
	}
	mustRun(t, "webhook", "retry", n, "--db", db)
	if _, errs, code := runCmd(t, "webhook", "retry", n, "--db", db); code != 1 || !strings.Contains(errs, "is not failed") {
		t.Errorf("retry of a pending delivery: exit %d %q", code, errs)
	}
	if out := mustRun(t, "webhook", "list", "--db", db); !strings.Contains(out, "pending") {
		t.Errorf("list after retry:\n%s", out)
	}
	mustRun(t, "webhook", "remove", id, "--db", db)
	if out := mustRun(t, "webhook", "list", "--db", db); strings.Contains(out, id) {
		t.Errorf("list after remove:\n%s", out)
	}
	actions := strings.Join(auditActions(t, db), "\n")
	if !strings.Contains(actions, "webhook_add id="+id) || !strings.Contains(actions, "kinds=responses%2Calert") ||
		!strings.Contains(actions, "webhook_retry delivery=") || !strings.Contains(actions, "webhook_remove id="+id) || strings.Contains(actions, secret) {
		t.Errorf("audit log:\n%s", actions)
	}
}

// TestServeDeliversWebhooks: a webhook added on the command line gets a
// signed responses event from `serve` soon after an upload.
func TestServeDeliversWebhooks(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	got := make(chan []byte, 10)
	var secret string
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := hub.VerifyWebhook(secret, r.Header, body, time.Now(), time.Minute); err != nil {
			t.Errorf("receiver: %v", err)
		}
		got <- body
	}))
	defer rc.Close()
	out := mustRun(t, "webhook", "add", rc.URL, "--events", "responses", "--db", db)
	secret = secretRE.FindString(out)
	mustRun(t, "survey", "publish", quickSurvey, "--db", db)
	code := enrollCode(t, db)
	base := startServe(t, "--db", db)
	d := enrollHTTP(t, http.DefaultClient, base, code)
	if status, _, err := d.post(http.DefaultClient, base, d.items(t, 3)); err != nil || status != 200 {
		t.Fatalf("upload: %d %v", status, err)
	}
	select {
	case body := <-got:
		var env struct {
			Kind hub.EventKind
			Data hub.ResponsesData
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Kind != hub.EventResponses || env.Data.Count != 3 {
			t.Errorf("event = %s (%v)", body, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivery 10 s after the upload")
	}
}

// TestSIGKILLMidDelivery kills a hub process with SIGKILL while its
// webhook request is in flight (the receiver holds it unanswered): after a
// restart the same event is sent again, signed, and the receiver, which
// drops an event id it has handled, handles it once.
func TestSIGKILLMidDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a hub process")
	}
	bin := buildHub(t)
	db := filepath.Join(t.TempDir(), "hub.db")
	arrived := make(chan string, 10) // event ids, as requests arrive
	release := make(chan struct{})   // closed: answer 204
	var secret string
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := hub.VerifyWebhook(secret, r.Header, body, time.Now(), time.Minute); err != nil {
			t.Errorf("receiver: %v", err)
		}
		arrived <- r.Header.Get(hub.HeaderEventID)
		select {
		case <-release:
			w.WriteHeader(http.StatusNoContent)
		case <-r.Context().Done(): // the hub died
		}
	}))
	defer rc.Close()
	defer rc.CloseClientConnections()
	secret = secretRE.FindString(mustRun(t, "webhook", "add", rc.URL, "--events", "responses", "--db", db))
	mustRun(t, "survey", "publish", "--db", db, quickSurvey)
	code := enrollCode(t, db)
	cmd, base := startBinary(t, bin, db)
	d := enrollHTTP(t, http.DefaultClient, base, code)
	if status, _, err := d.post(http.DefaultClient, base, d.items(t, 2)); err != nil || status != 200 {
		t.Fatalf("upload: %d %v", status, err)
	}
	var first string
	select {
	case first = <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery 10 s after the upload")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	// The dead hub's lease would pass within a minute; pass it now.
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := st.Deliveries(context.Background(), 10)
	if err != nil || len(ds) != 1 || ds[0].State != hub.DeliveryPending || ds[0].Attempts != 0 {
		t.Fatalf("after SIGKILL the log holds %+v, %v; want one pending delivery, no attempt recorded", ds, err)
	}
	st.Close()
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE webhook_deliveries SET lease_until = ?`, time.Now().Add(-time.Second).UTC().Format("2006-01-02T15:04:05.000Z")); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	close(release)
	startBinary(t, bin, db)
	select {
	case again := <-arrived:
		if again != first {
			t.Errorf("after the restart event %s arrived, want %s again", again, first)
		}
	case <-time.After(70 * time.Second):
		t.Fatal("the event was not sent again after the restart")
	}
}

// TestServeAlertRules: serve runs the dissatisfied share rule and, unless
// --alert-help-wait is 0, the help request wait rule with its limit; a
// limit under a minute is a usage error.
func TestServeAlertRules(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		rules string
		limit time.Duration
	}{
		{nil, "dissatisfied_share,help_request_wait", 15 * time.Minute},
		{[]string{"--alert-help-wait", "40m"}, "dissatisfied_share,help_request_wait", 40 * time.Minute},
		{[]string{"--alert-help-wait", "0"}, "dissatisfied_share", 0},
	} {
		m := NewMain(io.Discard, io.Discard)
		if err := m.ParseFlags(context.Background(), append([]string{"serve"}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		cfg := hub.Config{Logger: slog.New(slog.DiscardHandler)}
		m.command.(*serveCommand).configureHub(&cfg)
		var kinds []string
		var limit time.Duration
		for _, r := range cfg.AlertRules {
			kinds = append(kinds, r.Kind())
			if hw, ok := r.(*hub.HelpWait); ok {
				limit = hw.Limit
			}
		}
		if strings.Join(kinds, ",") != tc.rules || limit != tc.limit {
			t.Errorf("serve %q: rules %v, limit %s; want %s, %s", tc.args, kinds, limit, tc.rules, tc.limit)
		}
	}
	if _, errs, code := runCmd(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--alert-help-wait", "30s"); code != 2 || !strings.Contains(errs, "--alert-help-wait") {
		t.Errorf("serve --alert-help-wait 30s: exit %d, %q; want a usage error", code, errs)
	}
}
