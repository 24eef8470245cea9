// Package shots_test screenshots the sync tab in a real Fyne window (the
// OpenGL driver, under Xvfb on a server) into docs/screenshots, connected
// to a real hub on 127.0.0.1 with synced, pending and rejected responses.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run Screenshot ./app/ui/syncui/shots
package shots_test

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/syncui"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
)

// shotApp is the real Fyne app; nil unless HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	if os.Getenv("HAILONG_SCREENSHOTS") != "1" {
		os.Exit(m.Run())
	}
	// Fyne's run loop must own the main goroutine: tests run beside it.
	shotApp = app.NewWithID("vn.gov.hailong.kiosk.syncshots")
	shotApp.Settings().SetTheme(ui.Theme())
	code := 0
	go func() {
		code = m.Run()
		fyne.Do(shotApp.Quit)
	}()
	shotApp.Run()
	os.Exit(code)
}

func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	_, file, _, _ := runtime.Caller(0)
	out := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "docs", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv := hubtest.Start(t)
	raw, err := os.ReadFile("../../../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(t, raw)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	save := func(i, version int) {
		id, _ := uuid.NewV7()
		start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		r := &survey.Response{ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: version,
			Answers:   survey.Answers{"thai_do": {"hl"}, "thoi_gian": {"rhl"}, "chung": {"hl"}},
			StartedAt: start, FinishedAt: start.Add(40 * time.Second), ServicePoint: "Bộ phận Một cửa phường Hoàn Kiếm",
			Lang: "vi", Status: survey.StatusComplete}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 {
		save(i, 1)
	}
	save(20, 7) // a survey version the hub never published: rejected
	if _, err := client.Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
		t.Fatal(err)
	}
	up := client.New(st, client.Options{})
	if err := up.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		save(30+i, 1) // collected since: pending
	}

	var prev image.Image
	var w fyne.Window
	fyne.DoAndWait(func() {
		w = shotApp.NewWindow("Hài Lòng")
		w.SetFullScreen(true)
	})
	for _, lang := range []string{"vi", "en"} {
		var s *syncui.Screen
		fyne.DoAndWait(func() {
			s = syncui.New(ctx, syncui.Deps{Store: st, Syncer: up, Lang: lang}, w)
			w.SetContent(s.Content())
			w.Show()
		})
		// The rejected list loads in the background: wait for its row.
		for deadline := time.Now().Add(10 * time.Second); ; {
			var rows int
			fyne.DoAndWait(func() { rows = len(s.RejectedList.Objects) })
			if rows > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("rejected list never loaded")
			}
			time.Sleep(20 * time.Millisecond)
		}
		img := waitPainted(t, prev, 15*time.Second)
		if img == nil {
			t.Fatalf("%s: nothing painted", lang)
		}
		prev = img
		path := filepath.Join(out, "admin-sync-"+lang+".png")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
		t.Logf("wrote %s (%v)", path, img.Bounds().Size())
		fyne.DoAndWait(s.Close)
	}
}
