package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// phoneFixture is the dashboard with the phone page, and n slips printed
// for Phường Ba Đình.
func phoneFixture(t *testing.T, n int) (*fixture, *hub.Hub, []hub.Slip) {
	t.Helper()
	var h *hub.Hub
	f := newFixtureWith(t, func(c *Config) {
		h = c.Slips.(*hub.Hub)
		c.Phone = h
	})
	slips, err := h.IssueSlips(context.Background(), "Phường Ba Đình", n)
	if err != nil {
		t.Fatal(err)
	}
	return f, h, slips
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// hiddenFormOf is a page's hidden fields.
func hiddenFormOf(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(page, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if v.Get("mac") == "" {
		t.Fatalf("page has no form:\n%s", page)
	}
	return v
}

// step posts a page's form with the action and answer values.
func step(t *testing.T, c *http.Client, u, page, action string, vals ...string) (*http.Response, string) {
	t.Helper()
	form := hiddenFormOf(t, page)
	form.Set("go", action)
	for _, v := range vals {
		form.Add("v", v)
	}
	return post(t, c, u, form)
}

func wantPage(t *testing.T, resp *http.Response, body string, status int, want ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d:\n%s", resp.StatusCode, status, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q:\n%s", w, body)
		}
	}
}

// TestPhonePage walks the phone page as a citizen: the intro, one
// question per screen with a refusal when none is chosen, back and
// forth, the thank-you screen with the receipt; the response is stored
// once, from the web device at the slip's point; the slip is then
// refused, and sending the last form again says it was recorded.
func TestPhonePage(t *testing.T) {
	f, _, slips := phoneFixture(t, 1)
	c := f.client(t)
	// The QR's URL (its signature in the fragment, which browsers keep).
	u := slip.ScanURL(f.srv.URL, slips[0].Code, []byte("signature"))
	u, _, _ = strings.Cut(u, "#")
	resp, page := get(t, c, u)
	wantPage(t, resp, page, http.StatusOK, `<html lang="vi">`, "Đánh giá nhanh", "Điểm phục vụ: Phường Ba Đình", "Phiếu "+slips[0].Code.String(),
		"không cần đăng nhập", `value="next" id="start">Bắt đầu`)
	resp, page = step(t, c, u, page, "next")
	wantPage(t, resp, page, http.StatusOK, "Câu 1 / 2", "Bạn có hài lòng với cán bộ không?", `type="radio"`, "Rất hài lòng")
	resp, page = step(t, c, u, page, "next") // nothing chosen
	wantPage(t, resp, page, http.StatusBadRequest, "Xin chọn một câu trả lời để tiếp tục.", "Câu 1 / 2")
	resp, page = step(t, c, u, page, "next", "hl")
	wantPage(t, resp, page, http.StatusOK, "Câu 2 / 2", "Thủ tục có rõ ràng không?")
	resp, page = step(t, c, u, page, "back")
	wantPage(t, resp, page, http.StatusOK, "Câu 1 / 2", `value="hl" checked`)
	resp, page = step(t, c, u, page, "lang", "hl") // to English, keeping the answer
	wantPage(t, resp, page, http.StatusOK, `<html lang="en">`, "Question 1 of 2", `value="hl" checked`, "Next")
	resp, page = step(t, c, u, page, "next", "hl")
	wantPage(t, resp, page, http.StatusOK, "Question 2 of 2")
	resp, page = step(t, c, u, page, "lang")
	wantPage(t, resp, page, http.StatusOK, "Câu 2 / 2")
	last := page
	resp, page = step(t, c, u, page, "next", "rhl")
	wantPage(t, resp, page, http.StatusOK, "Cảm ơn ông/bà!", "Đánh giá của ông/bà đã được ghi nhận.", `id="receipt"`)

	var stored int
	for r, err := range f.store.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		stored++
		if r.DeviceID != hub.WebDeviceID || r.ServicePoint != "Phường Ba Đình" || r.Slip != slips[0].Code.Compact() ||
			r.Answers["q1"][0] != "hl" || r.Answers["q2"][0] != "rhl" || r.Lang != "vi" {
			t.Errorf("stored %+v", r)
		}
		for e, err := range f.store.Chain(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			if e.ResponseID == r.ID && !strings.Contains(page, ">"+e.Receipt.String()+"<") {
				t.Errorf("thank-you screen lacks the receipt %s", e.Receipt)
			}
		}
	}
	if stored != 1 {
		t.Fatalf("%d responses stored, want 1", stored)
	}
	resp, page = get(t, c, u)
	wantPage(t, resp, page, http.StatusGone, "Phiếu này đã được dùng để đánh giá")
	// The last form sent again (a double tap, a reload): recorded once.
	resp, page = step(t, c, u, last, "next", "rhl")
	wantPage(t, resp, page, http.StatusOK, "Đánh giá này đã được ghi nhận từ trước")
	// A new start with the used slip: refused.
	resp, page = get(t, c, u+"?lang=en")
	wantPage(t, resp, page, http.StatusGone, "This slip has been used already")
}

// TestPhonePageRefusals: a slip used at a kiosk, a code the hub never
// printed, a malformed code, an edited form, two phones racing with one
// slip, and too many wrong codes from one address, each with its message.
func TestPhonePageRefusals(t *testing.T) {
	f, h, slips := phoneFixture(t, 4)
	c := f.client(t)
	ctx := context.Background()
	kiosk := storetest.Incoming(t, storetest.Response("019abcde-f012-7345-8678-0000000000b1", f.now))
	kiosk.Slip = slips[0].Code.Compact()
	if _, err := f.store.Ingest(ctx, []hub.Incoming{kiosk}, f.now); err != nil {
		t.Fatal(err)
	}
	resp, page := get(t, c, f.srv.URL+"/s/"+slips[0].Code.String())
	wantPage(t, resp, page, http.StatusGone, "Phiếu này đã được dùng để đánh giá (tại kiosk hoặc trên điện thoại)")

	never, err := slip.New(strings.NewReader("zzzzzz"))
	if err != nil {
		t.Fatal(err)
	}
	resp, page = get(t, c, f.srv.URL+"/s/"+never.Compact())
	wantPage(t, resp, page, http.StatusNotFound, "Trung tâm không in phiếu có mã này")
	resp, page = get(t, c, f.srv.URL+"/s/HELLO")
	wantPage(t, resp, page, http.StatusBadRequest, "Mã phiếu không đúng")

	// An edited form: another response id than the hub gave.
	u := f.srv.URL + "/s/" + slips[1].Code.Compact()
	_, page = get(t, c, u)
	form := hiddenFormOf(t, page)
	form.Set("id", "019abcde-f012-7345-8678-0000000000b1")
	form.Set("go", "next")
	resp, body := post(t, c, u, form)
	wantPage(t, resp, body, http.StatusBadRequest, "Trang này đã cũ hoặc đã bị sửa")
	// An answer that is none of the options counts as none.
	_, page = step(t, c, u, page, "next")
	resp, body = step(t, c, u, page, "next", "<script>")
	wantPage(t, resp, body, http.StatusBadRequest, "Xin chọn một câu trả lời")
	// A field no question names is dropped, not stored.
	form = hiddenFormOf(t, body)
	form.Set("go", "next")
	form.Set("v", "hl")
	form.Set("a.khong_co", "x")
	resp, body = post(t, c, u, form)
	wantPage(t, resp, body, http.StatusOK, "Câu 2 / 2")
	if strings.Contains(body, "khong_co") {
		t.Error("an unknown answer field was carried on")
	}

	// Two phones with one slip, both at the last screen: one is stored,
	// the other refused.
	u = f.srv.URL + "/s/" + slips[2].Code.Compact()
	var lasts [2]string
	for i := range lasts {
		_, p := get(t, c, u)
		_, p = step(t, c, u, p, "next")
		_, p = step(t, c, u, p, "next", "hl")
		lasts[i] = p
	}
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range lasts {
		wg.Go(func() {
			form := hiddenFormOf(t, lasts[i])
			form.Set("go", "next")
			form.Set("v", "khl")
			r, err := c.PostForm(u, form)
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
			statuses[i] = r.StatusCode
		})
	}
	wg.Wait()
	if !(statuses[0] == http.StatusOK && statuses[1] == http.StatusGone) && !(statuses[1] == http.StatusOK && statuses[0] == http.StatusGone) {
		t.Errorf("two phones with one slip: %v, want one 200 and one 410", statuses)
	}

	// The web device revoked: the page is closed, nothing stored.
	if err := h.RevokeDevice(ctx, hub.WebDeviceID, f.now); err != nil {
		t.Fatal(err)
	}
	u = f.srv.URL + "/s/" + slips[3].Code.Compact()
	_, page = get(t, c, u)
	_, page = step(t, c, u, page, "next")
	_, page = step(t, c, u, page, "next", "hl")
	resp, body = step(t, c, u, page, "next", "hl")
	wantPage(t, resp, body, http.StatusForbidden, "Trung tâm đã tạm ngừng nhận đánh giá qua điện thoại")
	if sl, err := f.store.Slip(ctx, slips[3].Code); err != nil || sl.UsedBy != "" {
		t.Errorf("a closed page used the slip: %+v, %v", sl, err)
	}

	// Wrong codes: after phoneMaxFailures, even a good slip waits.
	for i := 0; i < phoneMaxFailures; i++ {
		get(t, c, f.srv.URL+"/s/"+never.Compact())
	}
	resp, page = get(t, c, f.srv.URL+"/s/"+slips[1].Code.Compact())
	wantPage(t, resp, page, http.StatusTooManyRequests, "Thiết bị này đã thử quá nhiều mã không đúng. Xin thử lại sau 15 phút.")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// TestPhoneSlipsQRAddress: slips printed on the dashboard open PublicURL,
// else the kiosks' address, else the address the browser used.
func TestPhoneSlipsQRAddress(t *testing.T) {
	r, _ := http.NewRequest(http.MethodGet, "http://10.0.0.5:8080/slips", nil)
	for _, tt := range []struct{ public, hub, want string }{
		{"https://danhgia.phuong.vn", "http://10.0.0.5:8080", "https://danhgia.phuong.vn"},
		{"", "http://10.0.0.5:8080", "http://10.0.0.5:8080"},
		{"", "", "http://10.0.0.5:8080"},
	} {
		d := &Dashboard{cfg: Config{PublicURL: tt.public, HubURL: tt.hub}}
		if got := d.publicURL(r); got != tt.want {
			t.Errorf("publicURL with %q, %q = %q, want %q", tt.public, tt.hub, got, tt.want)
		}
	}
}

// FuzzApplyAnswer: whatever a phone posts for a screen, the answer kept
// is only the question's options (one for a single choice, no repeats),
// or for a comment one trimmed, masked text, and "required" comes only
// when a question that must be answered has none.
func FuzzApplyAnswer(f *testing.F) {
	def, err := survey.Parse([]byte(phoneSurvey))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"khl", "cho\x00phi\x00cho", "  Gọi 0912 345 678  ", "", "\x00", "<script>\x00hl"} {
		for i := range def.Questions {
			f.Add(i, s)
		}
	}
	f.Fuzz(func(t *testing.T, qi int, joined string) {
		if qi < 0 || qi >= len(def.Questions) {
			return
		}
		q := &def.Questions[qi]
		answers := survey.Answers{}
		msg := applyAnswer(q, strings.Split(joined, "\x00"), answers)
		got, ok := answers[q.Code]
		switch {
		case msg == "required" && (ok || q.Optional || q.Type == survey.Comment):
			t.Fatalf("%q: required with %v, optional %v", joined, got, q.Optional)
		case !ok && msg == "" && !q.Optional && q.Type != survey.Comment:
			t.Fatalf("%q: nothing kept, not required", joined)
		case ok && q.Type == survey.Comment:
			if len(got) != 1 || got[0] != strings.TrimSpace(got[0]) || got[0] != survey.MaskDigits(got[0]) || got[0] == "" {
				t.Fatalf("%q: comment kept as %q", joined, got)
			}
		case ok:
			seen := map[string]bool{}
			for _, v := range got {
				if !q.HasOption(v) || seen[v] {
					t.Fatalf("%q: kept %v", joined, got)
				}
				seen[v] = true
			}
			if q.Type != survey.Multi && len(got) != 1 {
				t.Fatalf("%q: single choice kept %v", joined, got)
			}
		}
	})
}
