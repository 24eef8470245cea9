package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// receiptFixture is the dashboard with the public receipt page, over a
// store holding one response accepted on 24/11/2026 and one on 25/11/2026
// (Hanoi time), the hub's clock on the afternoon of the 25th.
func receiptFixture(t *testing.T) (*fixture, []hub.Incoming) {
	t.Helper()
	f := newFixtureWith(t, func(c *Config) { c.Receipts = c.Data.(Receipts) })
	items := []hub.Incoming{
		storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-0000000000a1", time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC))),
		storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-0000000000a2", time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC))),
	}
	for i, at := range []time.Time{
		time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC), // 23:30 on the 24th in Hanoi
		time.Date(2026, 11, 24, 17, 30, 0, 0, time.UTC), // 00:30 on the 25th
	} {
		if _, err := f.store.Ingest(context.Background(), items[i:i+1], at); err != nil {
			t.Fatal(err)
		}
	}
	return f, items
}

func TestReceiptPage(t *testing.T) {
	f, items := receiptFixture(t)
	c := f.client(t) // no login
	code := protocol.ReceiptFor(items[0].Content)
	typed := " " + strings.ToLower(string(code[:4])) + " " + strings.ToLower(string(code[4:])) + " "
	unknown := protocol.ReceiptFor([]byte("never sent"))
	typo := []byte(code)
	typo[3] = map[bool]byte{true: 'A', false: 'B'}[typo[3] != 'A']
	tests := []struct {
		name, query string
		want        []string
		not         []string
	}{
		{"form", "", []string{`<form method="get" action="/receipts"`, "Mã biên nhận", "Mã gốc từng ngày"}, []string{`id="result"`}},
		{"counted", "?code=" + url.QueryEscape(typed), []string{
			"Ý kiến có mã <b class=\"code\">" + code.String() + "</b> đã được tính vào ngày <b>24/11/2026</b>.",
			"Counted on 24 November 2026.",
		}, []string{"Trung tâm chưa nhận được"}},
		{"second day", "?code=" + protocol.ReceiptFor(items[1].Content).String(), []string{"đã được tính vào ngày <b>25/11/2026</b>"}, nil},
		{"not received", "?code=" + unknown.String(), []string{"Trung tâm chưa nhận được ý kiến có mã này", "Not received yet"}, []string{"đã được tính vào ngày <b>"}},
		{"typo", "?code=" + string(typo), []string{"Mã này không đúng", "not a valid receipt code"}, []string{"đã được tính vào ngày <b>", "chưa nhận được"}},
		{"empty", "?code=", []string{"Mã này không đúng"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, f.srv.URL+"/receipts"+tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q:\n%s", w, body)
				}
			}
			for _, n := range append(tt.not, "Nhân viên tận tình", items[0].Response.ID, "Đăng nhập quản trị") {
				if strings.Contains(body, n) {
					t.Errorf("page shows %q", n)
				}
			}
		})
	}
	// The roots, newest first; today's still open.
	_, body := get(t, c, f.srv.URL+"/receipts")
	roots, err := f.store.DayRoots(context.Background())
	if err != nil || len(roots) != 2 {
		t.Fatalf("DayRoots = %v, %v", roots, err)
	}
	i25, i24 := strings.Index(body, roots[1].RootHex()), strings.Index(body, roots[0].RootHex())
	if i25 < 0 || i24 < 0 || i25 > i24 || strings.Count(body, "đang nhận thêm") != 1 {
		t.Errorf("roots table wrong (25th at %d, 24th at %d):\n%s", i25, i24, body)
	}
	if resp, _ := post(t, c, f.srv.URL+"/receipts", url.Values{"code": {code.String()}}); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /receipts: %d", resp.StatusCode)
	}
}

func TestRootsAPI(t *testing.T) {
	f, _ := receiptFixture(t)
	resp, body := get(t, f.client(t), f.srv.URL+"/api/v1/roots")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var got RootsList
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	roots, err := f.store.DayRoots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := RootsList{TimeZone: "Asia/Ho_Chi_Minh", Hash: "sha256", Roots: []RootJSON{
		{Day: "2026-11-24", Root: roots[0].RootHex(), LastEntry: 1, Entries: 1, Closed: true},
		{Day: "2026-11-25", Root: roots[1].RootHex(), LastEntry: 2, Entries: 1, Closed: false},
	}}
	if got.TimeZone != want.TimeZone || got.Hash != want.Hash || len(got.Roots) != 2 || got.Roots[0] != want.Roots[0] || got.Roots[1] != want.Roots[1] {
		t.Errorf("roots = %+v, want %+v", got, want)
	}
	if len(got.Roots[0].Root) != 64 {
		t.Errorf("root %q is not 32 bytes of hex", got.Roots[0].Root)
	}
}

func TestReceiptsOffWithoutStore(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/receipts", "/api/v1/roots"} {
		if resp, body := get(t, f.client(t), f.srv.URL+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s without Receipts: %d %s", p, resp.StatusCode, body)
		}
	}
}

// TestBrowserReceiptAtPhoneWidth checks a receipt as a citizen would on a
// phone (390×844) and on a desktop (1280×800): type the code as written,
// in lower case, press the button, read the day; nothing scrolls sideways
// or is cut.
func TestBrowserReceiptAtPhoneWidth(t *testing.T) {
	f, items := receiptFixture(t)
	wd := startBrowser(t, t.TempDir())
	code := protocol.ReceiptFor(items[0].Content)
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 844, true}, {"1280", 1280, 800, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/receipts")
			wd.typeInto("#code", strings.ToLower(code.String()))
			wd.click("#check")
			if got := wd.text("#result"); !strings.Contains(got, "đã được tính vào ngày 24/11/2026") || !strings.Contains(got, "Counted on 24 November 2026") {
				t.Errorf("result %q", got)
			}
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Error(p)
			}
			var fontPx float64
			wd.script(`return parseFloat(getComputedStyle(document.querySelector("#code")).fontSize)`, &fontPx)
			if fontPx < 18 {
				t.Errorf("code field text %.0f px, want large", fontPx)
			}
			name := "hub-receipts-" + size.name + ".png"
			shot := filepath.Join(t.TempDir(), name)
			if os.Getenv("HAILONG_SCREENSHOTS") != "" {
				shot = filepath.Join("..", "..", "..", "docs", "screenshots", name)
			}
			wd.screenshot(shot)
		})
	}
}
