package launch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"

	"fyne.io/fyne/v2/test"
)

// TestRunWithHelp is the help flow end to end over real HTTP, the kiosk
// started as main.go starts it and enrolled with a real hub: a citizen
// asks for help twice from the welcome screen. The first request is
// resolved before the test syncs and reaches the hub with its outcome;
// the second reaches it open, is resolved after, and the next sync
// updates the hub's row. Syncing again sends nothing.
func TestRunWithHelp(t *testing.T) {
	ctx := context.Background()
	srv := hubtest.Start(t)
	db := filepath.Join(t.TempDir(), "hailong.db")
	withStore := func(f func(st *store.Store)) {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f(st)
	}
	sync := func() {
		t.Helper()
		withStore(func(st *store.Store) {
			if _, ok, _ := client.LoadIdentity(ctx, st); !ok {
				if _, err := client.Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
					t.Fatal(err)
				}
			}
			if err := client.New(syncstore.New(st), client.Options{}).Sync(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
	sync() // enrolls

	a := test.NewTempApp(t)
	m := &Main{Go: runNow}
	if err := m.ParseFlags([]string{"--db", db}, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := m.kiosk.Window()
	tapText(t, w, "Cần hỗ trợ dịch vụ công trực tuyến")
	if m.kiosk.HelpBanner == nil {
		t.Fatal("no banner after the help button")
	}
	tapText(t, w, "Cần hỗ trợ dịch vụ công trực tuyến")
	open, err := m.store.OpenHelp(ctx)
	if err != nil || len(open) != 2 {
		t.Fatalf("%d open requests, %v", len(open), err)
	}
	first, second := open[0], open[1]
	// Staff entering the admin panel now land on its help tab.
	tabs, err := m.adminTabs(ctx)
	if err != nil || len(tabs) == 0 || tabs[0].Title != "Hỗ trợ" || !tabs[0].Open {
		t.Fatalf("admin tabs %+v, %v: want Hỗ trợ first, opened on", tabs, err)
	}
	if err := m.store.ResolveHelp(ctx, first.ID, help.Helped, "", "", first.CreatedAt.Add(4*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	sync()
	reqs, err := srv.Store.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(reqs) != 2 {
		t.Fatalf("hub holds %d requests, %v; want 2", len(reqs), err)
	}
	// The kiosk's own uploader may have sent it open already (it runs
	// from the start): the hub's row holds its outcome either way.
	if r := reqs[0]; r.ID != first.ID || r.Outcome != help.Helped || r.ServicePoint == "" || r.Source != help.SourceWelcome {
		t.Fatalf("the request resolved offline at the hub: %+v", r)
	}
	if r := reqs[1]; r.ID != second.ID || !r.Open() {
		t.Fatalf("the open request at the hub: %+v", r)
	}

	withStore(func(st *store.Store) {
		if err := st.ResolveHelp(ctx, second.ID, help.NotPossible, help.ReasonNotOnline, "", second.CreatedAt.Add(11*time.Minute)); err != nil {
			t.Fatal(err)
		}
	})
	sync()
	sync() // nothing is pending now
	reqs, err = srv.Store.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(reqs) != 2 {
		t.Fatalf("hub holds %d requests after the resolution, %v; want 2", len(reqs), err)
	}
	if r := reqs[1]; r.Outcome != help.NotPossible || r.Reason != help.ReasonNotOnline || !r.ResolvedAt.Equal(second.CreatedAt.Add(11*time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("the request resolved after a sync at the hub: %+v", r)
	}
	withStore(func(st *store.Store) {
		if p, err := st.PendingHelp(ctx, 10); err != nil || len(p) != 0 {
			t.Fatalf("kiosk still has %d pending, %v", len(p), err)
		}
	})
	figs := hub.HelpFigures(reqs)
	if len(figs) != 1 || figs[0].Helped != 1 || figs[0].NotPossible != 1 || figs[0].MedianOutcome != 7*time.Minute+30*time.Second {
		t.Fatalf("figures %+v", figs)
	}
}

// TestHelpPendingOnOldHub: a hub older than help requests answers their
// path 404; the sync still succeeds and the requests stay pending until
// the hub takes them.
func TestHelpPendingOnOldHub(t *testing.T) {
	ctx := context.Background()
	srv := hubtest.Start(t)
	target, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	var old atomic.Bool
	old.Store(true)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if old.Load() && r.URL.Path == protocol.PathHelp {
			http.NotFound(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "hailong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := client.Enroll(ctx, st, nil, front.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
		t.Fatal(err)
	}
	r := &store.HelpRequest{ID: "01938a7e-0000-7000-8000-000000000777", Source: help.SourceWelcome, Lang: "vi",
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "local", CreatedAt: time.Now().UTC()}
	if err := st.RaiseHelp(ctx, r); err != nil {
		t.Fatal(err)
	}
	up := client.New(syncstore.New(st), client.Options{})
	if err := up.Sync(ctx); err != nil {
		t.Fatalf("sync with an old hub: %v", err)
	}
	if p, _ := st.PendingHelp(ctx, 10); len(p) != 1 {
		t.Fatalf("%d pending after the old hub, want 1", len(p))
	}
	old.Store(false) // the hub is upgraded
	if err := up.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.PendingHelp(ctx, 10); len(p) != 0 {
		t.Fatalf("%d pending after the upgrade", len(p))
	}
	reqs, err := srv.Store.HelpRequests(ctx, hub.HelpFilter{})
	if err != nil || len(reqs) != 1 || !reqs[0].Open() || reqs[0].DeviceID == "local" {
		t.Fatalf("hub holds %+v, %v (stamped with the enrolled device id)", reqs, err)
	}
}
