package syncui

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// hubDouble answers the three endpoints the tab drives. Code "ABCDE-12345"
// enrolls; survey version 9 is unknown until published; answers to version 8 are refused
// until fixed; fail makes every batch a 500. The full hub is exercised end
// to end in sync/client's tests.
type hubDouble struct {
	mu        sync.Mutex
	fail      bool
	fixed     bool   // version 8 is accepted
	published bool   // version 9 is known
	point     string // the service point the hub lists the device at
	srv       *httptest.Server
}

func newHubDouble(t *testing.T) *hubDouble {
	h := &hubDouble{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		defer h.mu.Unlock()
		w.Header().Set("Content-Type", protocol.ContentType)
		switch r.URL.Path {
		case protocol.PathEnroll:
			var req protocol.EnrollRequest
			if err := protocol.Decode(r.Body, protocol.MaxRequestBytes, &req); err != nil || protocol.NormalizeCode(req.Code) != "ABCDE12345" {
				w.WriteHeader(http.StatusForbidden)
				json.NewEncoder(w).Encode(protocol.Error{Code: protocol.CodeBadCode, Message: "unknown code"})
				return
			}
			json.NewEncoder(w).Encode(protocol.EnrollResponse{DeviceID: "quay-1", Token: "tok", ServicePoint: h.point})
		case protocol.PathBatch:
			if h.fail {
				w.WriteHeader(http.StatusInternalServerError)
				json.NewEncoder(w).Encode(protocol.Error{Code: protocol.CodeInternal, Message: "down"})
				return
			}
			b, err := protocol.DecodeBatch(r.Body)
			if err != nil {
				t.Errorf("batch: %v", err)
				return
			}
			var res protocol.BatchResult
			for _, it := range b.Items {
				rr := protocol.Result{ID: it.Response.ID, Outcome: protocol.Accepted}
				switch {
				case it.Response.SurveyVersion == 9 && !h.published:
					rr.Outcome, rr.Reason, rr.Message = protocol.Rejected, protocol.ReasonUnknownSurvey, "not published"
				case it.Response.SurveyVersion == 8 && !h.fixed:
					rr.Outcome, rr.Reason, rr.Message = protocol.Rejected, protocol.ReasonInvalidAnswers, "answers[chung]: not an option"
				}
				res.Results = append(res.Results, rr)
			}
			json.NewEncoder(w).Encode(res)
		case protocol.PathSurveys:
			w.Write([]byte(`{"surveys":[]}`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// countingSyncer is the real uploader, counting SyncNow calls.
type countingSyncer struct {
	*client.Uploader
	mu   sync.Mutex
	nows int
}

func (c *countingSyncer) SyncNow() {
	c.mu.Lock()
	c.nows++
	c.mu.Unlock()
	c.Uploader.SyncNow()
}

type fixture struct {
	st     syncstore.Store
	up     *client.Uploader
	syncer *countingSyncer
	screen *Screen
	w      fyne.Window
	dir    string
}

// newFixture opens a store with n pending responses (the last one to an
// unknown survey version, and from 4 on the one before it to version 8,
// which the hub refuses until fixed) and shows the sync tab in a test window. Work
// that the tab sends off the UI goroutine runs inline, so every tap has
// finished when test.Tap returns.
func newFixture(t *testing.T, lang string, n int) *fixture {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	kst, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	st := syncstore.New(kst)
	t.Cleanup(func() { st.Close() })
	start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	for i := range n {
		id, _ := uuid.NewV7()
		r := &survey.Response{ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
			Answers:   survey.Answers{"chung": {survey.CodeSatisfied}},
			StartedAt: start.Add(time.Duration(i) * time.Minute), FinishedAt: start.Add(time.Duration(i)*time.Minute + 30*time.Second),
			ServicePoint: "Phường Hoàn Kiếm", Lang: "vi", Status: survey.StatusComplete}
		switch {
		case i == n-1:
			r.SurveyVersion = 9
		case i == n-2 && n >= 4:
			r.SurveyVersion = 8
		}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{st: st, dir: t.TempDir()}
	f.up = client.New(st, client.Options{})
	f.syncer = &countingSyncer{Uploader: f.up}
	f.w = test.NewWindow(nil)
	f.w.Resize(fyne.NewSize(900, 1400))
	f.screen = New(ctx, Deps{
		Store: st, Syncer: f.syncer, Lang: lang,
		Now:          func() time.Time { return start.Add(time.Hour) },
		ChooseFolder: func(_ fyne.Window, done func(string)) { done(f.dir) },
		Go:           func(fn func()) { fn() },
	}, f.w)
	f.w.SetContent(f.screen.Content())
	t.Cleanup(f.screen.Close)
	return f
}

// texts returns the labels' texts in c, rows included.
func texts(c *fyne.Container) []string {
	var out []string
	for _, o := range c.Objects {
		switch o := o.(type) {
		case *widget.Label:
			out = append(out, o.Text)
		case *fyne.Container:
			out = append(out, texts(o)...)
		}
	}
	return out
}

func TestConnectSyncAndRejectedList(t *testing.T) {
	h := newHubDouble(t)
	f := newFixture(t, "vi", 4)
	s := f.screen
	if got := s.Identity.Text; got != s.tr.T("sync.status.not_enrolled") {
		t.Errorf("identity before enrolling = %q", got)
	}
	if !s.SyncNow.Disabled() || !s.Export.Disabled() {
		t.Error("sync and export must be disabled before the kiosk is connected")
	}
	if got := s.Pending.Text; got != "Chờ gửi: 4 phiếu" {
		t.Errorf("pending = %q", got)
	}
	if got := texts(s.RejectedList); len(got) != 1 || got[0] != "Không có phiếu nào bị từ chối." {
		t.Errorf("rejected list = %q", got)
	}

	test.Type(s.URL, h.srv.URL)
	test.Type(s.Code, "zzzzz-00000")
	test.Tap(s.Connect)
	if got, want := s.ConnectMsg.Text, kindText(t, "vi", client.KindBadCode); got != want {
		t.Errorf("wrong code message = %q, want %q", got, want)
	}
	if s.ConnectMsg.Importance != widget.DangerImportance {
		t.Error("an error must stand out")
	}
	s.Code.SetText("")
	test.Type(s.Code, "abcde 12345")
	test.Tap(s.Connect)
	if got := s.ConnectMsg.Text; got != "Đã kết nối máy chủ. Mã máy: quay-1" {
		t.Errorf("connect message = %q", got)
	}
	if got := s.Identity.Text; !strings.Contains(got, h.srv.URL) || !strings.Contains(got, "quay-1") {
		t.Errorf("identity = %q", got)
	}
	if s.SyncNow.Disabled() || s.Export.Disabled() {
		t.Error("sync and export stay disabled after connecting")
	}
	if f.syncer.nows != 1 {
		t.Errorf("connecting asked for %d syncs, want 1", f.syncer.nows)
	}

	// The uploader's sync (run here on the test goroutine) updates the tab.
	// The hub takes two, refuses one and does not know the survey of one.
	if err := f.up.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.Pending.Text; got != "Chờ gửi: 1 phiếu" {
		t.Errorf("pending after sync = %q", got)
	}
	if got := s.Waiting.Text; !s.Waiting.Visible() || !strings.HasPrefix(got, "Chờ máy chủ có khảo sát: 1 phiếu") {
		t.Errorf("waiting = %q (visible %v)", got, s.Waiting.Visible())
	}
	if got := s.Synced.Text; got != "Đã gửi: 2 phiếu" {
		t.Errorf("synced = %q", got)
	}
	if got := s.Rejected.Text; got != "Bị từ chối: 1 phiếu" {
		t.Errorf("rejected = %q", got)
	}
	// Not a plain success.
	if got := s.LastError.Text; got != "Lần đồng bộ gần nhất xong, nhưng máy chủ từ chối 1 phiếu: xem danh sách bên phải." || s.LastError.Importance != widget.WarningImportance {
		t.Errorf("last sync = %q (importance %v)", got, s.LastError.Importance)
	}
	if got := s.LastSuccess.Text; !strings.HasPrefix(got, "Đồng bộ thành công gần nhất: ") {
		t.Errorf("last success = %q", got)
	}
	got := texts(s.RejectedList)
	if len(got) != 1 || !strings.Contains(got[0], "câu trả lời không khớp với khảo sát") || len(s.Retry) != 1 || s.Retry[0].Text != "Gửi lại" {
		t.Fatalf("rejected list = %q with %d buttons", got, len(s.Retry))
	}
	if !s.RetryAll.Visible() {
		t.Error("no “Gửi lại tất cả” while a response is rejected")
	}

	// A bundle written now carries the waiting response, not the rejected one, and says so.
	test.Tap(s.Export)
	if got := s.ExportMsg.Text; !strings.HasPrefix(got, "Đã ghi 1 phiếu vào ") || !strings.Contains(got, "1 phiếu bị từ chối không có trong gói") {
		t.Errorf("export message = %q", got)
	}

	// Fixed at the hub, the admin sends it again.
	h.mu.Lock()
	h.fixed = true
	h.mu.Unlock()
	test.Tap(s.Retry[0])
	if f.syncer.nows != 2 {
		t.Errorf("Gửi lại asked for %d syncs in all, want 2", f.syncer.nows)
	}
	if got := s.RetryMsg.Text; got != "Đã đưa 1 phiếu vào hàng chờ gửi lại." {
		t.Errorf("retry message = %q", got)
	}
	if got := texts(s.RejectedList); len(got) != 1 || got[0] != "Không có phiếu nào bị từ chối." || s.RetryAll.Visible() {
		t.Errorf("rejected list after retry = %q", got)
	}
	if err := f.up.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.Synced.Text != "Đã gửi: 3 phiếu" || s.Rejected.Text != "Bị từ chối: 0 phiếu" {
		t.Errorf("after the retry: %q, %q", s.Synced.Text, s.Rejected.Text)
	}
	if got := s.LastError.Text; !strings.HasPrefix(got, "Lần đồng bộ gần nhất xong, nhưng máy chủ chưa có khảo sát của 1 phiếu") || s.LastError.Importance != widget.WarningImportance {
		t.Errorf("last sync with a waiting response = %q", got)
	}

	test.Tap(s.SyncNow)
	if f.syncer.nows != 3 || s.SyncMsg.Text != "Đã yêu cầu đồng bộ." {
		t.Errorf("Đồng bộ ngay: %d requests, message %q", f.syncer.nows, s.SyncMsg.Text)
	}
}

// A kiosk still at its default service point takes the one the hub lists
// the device at, and the connect message says so.
func TestConnectAdoptsTheHubsServicePoint(t *testing.T) {
	h := newHubDouble(t)
	h.point = "Phường Hoàn Kiếm"
	f := newFixture(t, "vi", 1)
	s := f.screen
	test.Type(s.URL, h.srv.URL)
	test.Type(s.Code, "abcde-12345")
	test.Tap(s.Connect)
	want := "Đã kết nối máy chủ. Mã máy: quay-1. Từ nay kiosk ghi điểm phục vụ “Phường Hoàn Kiếm” của máy chủ vào phiếu."
	if got := s.ConnectMsg.Text; got != want || s.ConnectMsg.Importance != widget.SuccessImportance {
		t.Errorf("message = %q (importance %v), want %q", got, s.ConnectMsg.Importance, want)
	}
	if c, err := settings.Load(context.Background(), f.st); err != nil || c.ServicePoint != "Phường Hoàn Kiếm" {
		t.Errorf("service point %q, %v; want the hub's", c.ServicePoint, err)
	}
}

// The hub lists the device at another service point than the one the
// admin set for the kiosk's responses: the connect message says both, so
// the admin can align them; once aligned, it says nothing of it.
func TestConnectNamesAnotherServicePoint(t *testing.T) {
	h := newHubDouble(t)
	h.point = "Phường Hoàn Kiếm"
	f := newFixture(t, "vi", 1)
	s := f.screen
	if err := f.st.SetSettings(context.Background(), map[string]string{settings.KeyServicePoint: "Bộ phận Một cửa quận"}); err != nil {
		t.Fatal(err)
	}
	test.Type(s.URL, h.srv.URL)
	test.Type(s.Code, "abcde-12345")
	test.Tap(s.Connect)
	want := "Đã kết nối máy chủ. Mã máy: quay-1. Lưu ý: máy chủ ghi máy này ở điểm phục vụ “Phường Hoàn Kiếm”, còn kiosk ghi “Bộ phận Một cửa quận” vào phiếu; nếu cần, sửa ở thẻ Chung."
	if got := s.ConnectMsg.Text; got != want || s.ConnectMsg.Importance != widget.WarningImportance {
		t.Errorf("message = %q (importance %v), want %q as a warning", got, s.ConnectMsg.Importance, want)
	}
	if err := f.st.SetSettings(context.Background(), map[string]string{settings.KeyServicePoint: "Phường Hoàn Kiếm"}); err != nil {
		t.Fatal(err)
	}
	test.Type(s.Code, "abcde-12345")
	test.Tap(s.Connect)
	// Connected again: the earlier enrollment is named as replaced.
	want = "Đã kết nối máy chủ. Mã máy: quay-1\nKết nối trước của máy này (máy chủ " + h.srv.URL + ", mã máy quay-1) đã được thay thế; các phiếu chưa gửi sẽ được gửi lên máy chủ mới."
	if got := s.ConnectMsg.Text; got != want || s.ConnectMsg.Importance != widget.WarningImportance {
		t.Errorf("message once aligned, connecting again = %q, want %q as a warning", got, want)
	}
}

// An admin types a ward's plain-HTTP hub without "http://": the kiosk tries
// https, and the tab says to type http:// rather than "cannot reach".
func TestConnectPlainHTTPHubTypedWithoutScheme(t *testing.T) {
	h := newHubDouble(t)
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			s := newFixture(t, lang, 1).screen
			test.Type(s.URL, strings.TrimPrefix(h.srv.URL, "http://"))
			test.Type(s.Code, "abcde-12345")
			test.Tap(s.Connect)
			want := kindText(t, lang, client.KindNotTLS)
			if got := s.ConnectMsg.Text; got != want || s.ConnectMsg.Importance != widget.DangerImportance {
				t.Errorf("message = %q, want %q as an error", got, want)
			}
			if !strings.Contains(want, "http://") {
				t.Errorf("message %q does not show what to type", want)
			}
			if got := s.Identity.Text; got != s.tr.T("sync.status.not_enrolled") {
				t.Errorf("identity = %q, want not enrolled", got)
			}
		})
	}
}

// TestPlainSuccess: a sync the hub took whole says so in green.
func TestPlainSuccess(t *testing.T) {
	h := newHubDouble(t)
	h.published = true
	f := newFixture(t, "vi", 3)
	test.Type(f.screen.URL, h.srv.URL)
	test.Type(f.screen.Code, "ABCDE-12345")
	test.Tap(f.screen.Connect)
	if err := f.up.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := f.screen
	if s.Synced.Text != "Đã gửi: 3 phiếu" || s.Waiting.Visible() {
		t.Errorf("synced %q, waiting visible %v", s.Synced.Text, s.Waiting.Visible())
	}
	if got := s.LastError.Text; got != "Lần đồng bộ gần nhất không có lỗi." || s.LastError.Importance != widget.SuccessImportance {
		t.Errorf("last sync = %q (importance %v)", got, s.LastError.Importance)
	}
}

func TestStatusShowsErrorInVietnamese(t *testing.T) {
	h := newHubDouble(t)
	h.fail = true
	f := newFixture(t, "vi", 2)
	test.Type(f.screen.URL, h.srv.URL)
	test.Type(f.screen.Code, "ABCDE-12345")
	test.Tap(f.screen.Connect)
	if err := f.up.Sync(context.Background()); client.KindOf(err) != client.KindServer {
		t.Fatalf("Sync = %v", err)
	}
	s := f.screen
	want := "Lỗi gần nhất: " + kindText(t, "vi", client.KindServer)
	if s.LastError.Text != want || s.LastError.Importance != widget.DangerImportance {
		t.Errorf("last error = %q (importance %v), want %q", s.LastError.Text, s.LastError.Importance, want)
	}
	if got := s.Pending.Text; got != "Chờ gửi: 2 phiếu" {
		t.Errorf("pending = %q", got)
	}
	if got := s.LastSuccess.Text; got != "Chưa đồng bộ thành công lần nào." {
		t.Errorf("last success = %q", got)
	}
}

func TestExportBundleButton(t *testing.T) {
	h := newHubDouble(t)
	f := newFixture(t, "vi", 3)
	s := f.screen
	test.Type(s.URL, h.srv.URL)
	test.Type(s.Code, "ABCDE-12345")
	test.Tap(s.Connect)
	test.Tap(s.Export)
	entries, err := os.ReadDir(f.dir)
	if err != nil || len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), protocol.BundleExt) {
		t.Fatalf("folder holds %v (%v), want one bundle", entries, err)
	}
	path := filepath.Join(f.dir, entries[0].Name())
	if got, want := s.ExportMsg.Text, "Đã ghi 3 phiếu vào "+path; got != want {
		t.Errorf("export message = %q, want %q", got, want)
	}
	if st, _ := f.st.SyncStats(context.Background()); st.Pending != 3 {
		t.Errorf("after export %+v: responses must stay pending", st)
	}

	// A stick pulled out: the folder is gone.
	f.dir = filepath.Join(f.dir, "gone")
	test.Tap(s.Export)
	if got, want := s.ExportMsg.Text, kindText(t, "vi", client.KindExport); got != want || s.ExportMsg.Importance != widget.DangerImportance {
		t.Errorf("export to a missing folder: %q, want %q", got, want)
	}
}

func TestExportWithEmptyOutbox(t *testing.T) {
	h := newHubDouble(t)
	f := newFixture(t, "vi", 0)
	test.Type(f.screen.URL, h.srv.URL)
	test.Type(f.screen.Code, "ABCDE-12345")
	test.Tap(f.screen.Connect)
	test.Tap(f.screen.Export)
	if got := f.screen.ExportMsg.Text; got != "Không có phiếu nào chờ gửi, không cần xuất gói." {
		t.Errorf("message = %q", got)
	}
	if entries, _ := os.ReadDir(f.dir); len(entries) != 0 {
		t.Errorf("wrote %d files for an empty outbox", len(entries))
	}
}

func TestEnglish(t *testing.T) {
	f := newFixture(t, "en", 1)
	s := f.screen
	if s.Synced.Text != "Sent: 0 responses" || s.SyncNow.Text != "Sync now" || s.Export.Text != "Export sync bundle (USB)" || s.Pending.Text != "Waiting to send: 1 response" {
		t.Errorf("English texts: %q, %q, %q", s.SyncNow.Text, s.Export.Text, s.Pending.Text)
	}
	tab, err := Tab(context.Background(), Deps{Store: f.st, Syncer: f.syncer, Lang: "en"})
	if err != nil || tab.Title != "Sync" {
		t.Errorf("tab = %q, %v", tab.Title, err)
	}
	tab, _ = Tab(context.Background(), Deps{Store: f.st, Syncer: f.syncer})
	if tab.Title != "Đồng bộ" || tab.Content == nil {
		t.Errorf("default tab title = %q", tab.Title)
	}
}

func TestTranslationsComplete(t *testing.T) {
	vi, _ := newTranslator("vi")
	en, _ := newTranslator("en")
	for _, key := range []string{"sync.tab", "sync.now", "sync.export.button", "sync.connect.button",
		"sync.reason.conflict", "sync.reason.bad_signature", "sync.status.never"} {
		if a, b := vi.T(key), en.T(key); a == key || b == key || a == b {
			t.Errorf("%s: vi %q, en %q", key, a, b)
		}
	}
}

func TestConnectWithScannedEnrollmentCode(t *testing.T) {
	h := newHubDouble(t)
	f := newFixture(t, "vi", 1)
	s := f.screen
	// A barcode scanner types the QR code's text into the code field.
	test.Type(s.Code, protocol.EnrollURI(h.srv.URL, "ABCDE-12345"))
	test.Tap(s.Connect)
	if got := s.ConnectMsg.Text; got != "Đã kết nối máy chủ. Mã máy: quay-1" {
		t.Errorf("connect message = %q", got)
	}
	if s.URL.Text != h.srv.URL {
		t.Errorf("URL field = %q, want the hub from the code", s.URL.Text)
	}
	// A code without a hub keeps the typed address.
	f2 := newFixture(t, "vi", 1)
	test.Type(f2.screen.URL, h.srv.URL)
	test.Type(f2.screen.Code, protocol.EnrollURI("", "ABCDE-12345"))
	test.Tap(f2.screen.Connect)
	if got := f2.screen.ConnectMsg.Text; got != "Đã kết nối máy chủ. Mã máy: quay-1" {
		t.Errorf("code without hub: message = %q", got)
	}
}

// subscriptionSyncer counts the status subscriptions still open.
type subscriptionSyncer struct {
	*client.Uploader
	mu   sync.Mutex
	open int
}

func (s *subscriptionSyncer) Subscribe(fn func(client.Status)) func() {
	cancel := s.Uploader.Subscribe(fn)
	s.mu.Lock()
	s.open++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.open--
		s.mu.Unlock()
		cancel()
	}
}

func TestTabCloseUnsubscribes(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	kst, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	st := syncstore.New(kst)
	defer st.Close()
	syncer := &subscriptionSyncer{Uploader: client.New(st, client.Options{})}
	tab, err := Tab(ctx, Deps{Store: st, Syncer: syncer, Go: func(fn func()) { fn() }})
	if err != nil {
		t.Fatal(err)
	}
	tab.Content(test.NewWindow(nil))
	if syncer.open != 1 {
		t.Fatalf("%d subscriptions open after showing the tab, want 1", syncer.open)
	}
	tab.Close()
	if syncer.open != 0 {
		t.Fatalf("%d subscriptions open after the panel closed, want 0", syncer.open)
	}
}

// kindText is the staff-facing message of a sync failure of kind k in lang.
func kindText(t *testing.T, lang string, k client.Kind) string {
	t.Helper()
	tr, err := newTranslator(lang)
	if err != nil {
		t.Fatal(err)
	}
	return tr.T(k.Key())
}

func TestEveryKindHasMessages(t *testing.T) {
	for _, k := range client.Kinds() {
		vi, en := kindText(t, "vi", k), kindText(t, "en", k)
		if vi == k.Key() || en == k.Key() || vi == en {
			t.Errorf("kind %s: vi %q, en %q", k, vi, en)
		}
	}
}
