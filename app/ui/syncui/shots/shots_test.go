// Package shots_test screenshots the sync tab in a real Fyne window (the
// OpenGL driver, under Xvfb on a server) into docs/screenshots, connected
// to a real hub on 127.0.0.1 with synced, pending and rejected responses.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run Screenshot ./app/ui/syncui/shots
package shots_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
	"github.com/hailong-kiosk/hailong/app/ui/syncui"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
)

// shotApp is the real Fyne app; nil unless HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	shot.Main(m, &shotApp, shot.Options{
		ID:    "vn.gov.hailong.kiosk.syncshots",
		Setup: func(a fyne.App) { a.Settings().SetTheme(ui.Theme()) },
	})
}

func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	out := shot.Dir(t)
	ctx := context.Background()
	srv := hubtest.Start(t)
	raw, err := os.ReadFile("../../../../assets/surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	srv.Publish(t, raw)
	kst, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	st := syncstore.New(kst)
	defer st.Close()
	save := func(i, version int, chung string) {
		id, _ := uuid.NewV7()
		start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		r := &survey.Response{ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: version,
			Answers:   survey.Answers{"thai_do": {"hl"}, "thoi_gian": {"rhl"}, "chung": {chung}},
			StartedAt: start, FinishedAt: start.Add(40 * time.Second), ServicePoint: "Bộ phận Một cửa phường Hoàn Kiếm",
			Lang: "vi", Status: survey.StatusComplete}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 {
		save(i, 1, "hl")
	}
	save(20, 7, "hl")   // a survey version the hub never published: waiting
	save(21, 1, "khac") // not an option of the question: rejected
	if _, err := client.Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
		t.Fatal(err)
	}
	up := client.New(st, client.Options{})
	if err := up.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		save(30+i, 1, "hl") // collected since: pending
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
		img := shot.WaitPainted(t, prev, 15*time.Second, 1)
		if img == nil {
			t.Fatalf("%s: nothing painted", lang)
		}
		prev = img
		shot.Save(t, out, "admin-sync-"+lang+".png", img)
		fyne.DoAndWait(s.Close)
	}
}
