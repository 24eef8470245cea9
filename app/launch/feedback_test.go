package launch

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
)

// TestRunWithFeedback is the feedback flow end to end, the kiosk started
// as main.go starts it: enrolled with a real hub (keeping its inspection
// key), a citizen gives one case about procedures and one misconduct
// report; a sync brings both to the hub exactly once, the report sealed
// until the hub opens it with its inspection key, with the code the
// thank-you screen showed.
func TestRunWithFeedback(t *testing.T) {
	ctx := context.Background()
	srv := hubtest.Start(t)
	db := filepath.Join(t.TempDir(), "hailong.db")
	sync := func() {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, ok, _ := client.LoadIdentity(ctx, st); !ok {
			if _, err := client.Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
				t.Fatal(err)
			}
		}
		if err := client.New(syncstore.New(st), client.Options{}).Sync(ctx); err != nil {
			t.Fatal(err)
		}
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
	var codes []string
	give := func(category, text string) {
		t.Helper()
		tapText(t, w, "Phản ánh, kiến nghị")
		tapText(t, w, category)
		f := m.kiosk.Feedback
		if f == nil || f.Text == nil {
			t.Fatalf("no text step after %q", category)
		}
		test.Type(f.Text, text)
		tapText(t, w, "Gửi phản ánh")
		th := m.kiosk.FeedbackThanks
		if th == nil || th.QR == nil {
			t.Fatal("no thank-you screen with a QR code")
		}
		code, err := feedback.ParseCode(th.Code.Text[len("Mã phản ánh: "):])
		if err != nil {
			t.Fatalf("thank-you code %q: %v", th.Code.Text, err)
		}
		if th.QR.URL != srv.URL+"/f/"+code.Compact() {
			t.Fatalf("QR %s, want the hub's page of %s", th.QR.URL, code)
		}
		codes = append(codes, code.Compact())
		tapText(t, w, "Về màn hình đầu")
	}
	give("Thủ tục, hồ sơ, giấy tờ", "Phải nộp bản sao hai lần")
	give("Nhũng nhiễu, gây phiền hà", "Bị đòi 200.000 đồng bồi dưỡng")
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	sync()
	sync() // a second sync sends nothing again
	cases, err := srv.Store.FeedbackCases(ctx, hub.FeedbackFilter{})
	if err != nil || len(cases) != 2 {
		t.Fatalf("hub holds %d cases, %v; want 2", len(cases), err)
	}
	open, err := srv.Store.FeedbackCase(ctx, codes[0])
	if err != nil || open.Text != "Phải nộp bản sao hai lần" || open.ServicePoint == "" || open.Category != string(feedback.CategoryProcedure) {
		t.Fatalf("open case at the hub: %+v, %v", open, err)
	}
	sealed, err := srv.Store.FeedbackCase(ctx, codes[1])
	if err != nil || sealed.Text != "" || sealed.Category != string(feedback.CategoryMisconduct) {
		t.Fatalf("misconduct case at the hub: %+v, %v", sealed, err)
	}
	if text, err := srv.Hub.OpenFeedback(ctx, sealed); err != nil || text != "Bị đòi 200.000 đồng bồi dưỡng" {
		t.Fatalf("the hub opens the report to %q, %v", text, err)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if p, s, r, err := st.FeedbackCounts(ctx); err != nil || p != 0 || s != 2 || r != 0 {
		t.Fatalf("kiosk counts pending %d synced %d rejected %d, %v", p, s, r, err)
	}
}
