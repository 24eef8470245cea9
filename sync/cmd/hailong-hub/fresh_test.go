package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/survey/surveytest"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// newKiosk opens a real kiosk store holding n responses that citizens gave
// through Sessions over every built-in survey.
func newKiosk(t *testing.T, n int) (*store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	all, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 2026))
	var ids []string
	for i := 0; len(ids) < n; i++ {
		r, err := surveytest.Walk(rng, all[i%len(all)], time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if r == nil {
			continue
		}
		r.DeviceID = ""
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return st, ids
}

// TestFreshHubTakesKioskAnswers: a ward starts a new hub and publishes
// nothing; its new kiosk's answers to the built-in surveys are all taken,
// over the network and by USB bundle.
func TestFreshHubTakesKioskAnswers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	base := startServe(t, "--db", db)

	// Over the network.
	kiosk, ids := newKiosk(t, 40)
	if _, err := client.Enroll(ctx, kiosk, nil, base, enrollCode(t, db)); err != nil {
		t.Fatal(err)
	}
	u := client.New(syncstore.New(kiosk), client.Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := kiosk.SyncStats(ctx); st != (store.SyncStats{Synced: len(ids)}) {
		t.Errorf("after the sync: %+v, want all %d synced", st, len(ids))
	}
	if s := u.Status(); s.LastRejected != 0 || s.Waiting != 0 || s.LastError != nil {
		t.Errorf("status %+v", s)
	}
	// The kiosk pulled the hub's surveys: the built-ins, byte for byte, so
	// no conflict with what it runs.
	defs, err := kiosk.SurveyDefs(ctx)
	builtin, _ := survey.Builtin()
	if want := len(survey.Newest(builtin)); err != nil || len(defs) != want {
		t.Errorf("kiosk pulled %d surveys (%v), want the %d built-ins", len(defs), err, want)
	}

	// By USB bundle, from a laptop enrolled but never synced.
	laptop, lids := newKiosk(t, 25)
	if _, err := client.Enroll(ctx, laptop, nil, base, enrollCode(t, db)); err != nil {
		t.Fatal(err)
	}
	path, n, err := client.ExportBundle(ctx, syncstore.New(laptop), dir, time.Now())
	if err != nil || n != len(lids) {
		t.Fatalf("ExportBundle = %d, %v", n, err)
	}
	out := mustRun(t, "import", path, "--db", db)
	for _, want := range []string{fmt.Sprintf("accepted  %d", len(lids)), "rejected  0", "conflict  0"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Not imported") {
		t.Errorf("import lists refusals:\n%s", out)
	}
}

// TestImportWithRefusalsFails: a bundle the hub cannot fully take makes
// `import` exit non-zero with counts by outcome and by reason, not a line
// per response; what it could take is stored.
func TestImportWithRefusalsFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	base := startServe(t, "--db", db)
	laptop, ids := newKiosk(t, 6)
	// 30 responses to a survey version this hub never published.
	for i := range 30 {
		r, err := laptop.Response(ctx, ids[i%len(ids)])
		if err != nil {
			t.Fatal(err)
		}
		c := *r
		c.ID = newID(t)
		c.SurveyVersion = 7
		if err := laptop.SaveResponse(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.Enroll(ctx, laptop, nil, base, enrollCode(t, db)); err != nil {
		t.Fatal(err)
	}
	path, n, err := client.ExportBundle(ctx, syncstore.New(laptop), dir, time.Now())
	if err != nil || n != 36 {
		t.Fatalf("ExportBundle = %d, %v", n, err)
	}
	out, errs, code := runCmd(t, "import", path, "--db", db)
	if code != 1 {
		t.Errorf("import exit %d, want 1\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"accepted  6", "rejected  30", "unknown_survey   30", "survey publish",
		// one line per missing survey version, with its count
		"× survey mot-cua-nhanh version 7 is not published at this hub", "× survey dich-vu-cong version 7 is not published at this hub"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	// Its sentences come in Vietnamese and in English, two lines each.
	if lines := strings.Count(out, "\n"); lines > 16 {
		t.Errorf("import printed %d lines for 30 refusals: a summary, not one line each:\n%s", lines, out)
	}
	if !strings.Contains(errs, "30 of 36 responses were not imported") || strings.Count(errs, "\n") > 3 {
		t.Errorf("stderr: %s", errs)
	}
	// Importing again after nothing changed: still non-zero, the six are duplicates.
	out, _, code = runCmd(t, "import", path, "--db", db)
	if code != 1 || !strings.Contains(out, "duplicate 6") {
		t.Errorf("second import: exit %d\n%s", code, out)
	}
}

func newID(t *testing.T) string {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}
