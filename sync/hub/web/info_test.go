package web

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

// consultation is the built-in "Lấy ý kiến dự thảo" template as an admin
// adapts it: another id, and a picture on its info screen.
func consultation(t *testing.T, img []byte) []byte {
	t.Helper()
	raw, err := assets.Surveys.ReadFile("surveys/lay-y-kien-du-thao.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["id"] = "du-thao-thu-bay"
	info := m["questions"].([]any)[0].(map[string]any)
	info["image"] = survey.ImageDataURI(img)
	if img != nil && info["image"] == "" {
		info["image"] = "data:image/png;base64,bm90IGFuIGltYWdl" // "not an image"
	}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPublishInfoScreen: the consultation template with a picture is
// uploaded, published and previewed with its heading, text, picture and
// QR link; a broken picture is refused with its place and why.
func TestPublishInfoScreen(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, page := get(t, c, f.srv.URL+"/surveys")
	csrf := csrfOf(t, page)

	resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "du-thao.json", consultation(t, []byte("not an image")))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "questions[0].image") || !strings.Contains(page, "Không đọc được ảnh") {
		t.Errorf("broken picture: %d\n%s", resp.StatusCode, page)
	}

	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 120, 80))); err != nil {
		t.Fatal(err)
	}
	def := consultation(t, buf.Bytes())
	if resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "du-thao.json", def); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", resp.StatusCode, page)
	}
	if ps, err := f.store.Survey(context.Background(), "du-thao-thu-bay", 1); err != nil || !bytes.Equal(ps.Definition, def) {
		t.Fatalf("stored %v", err)
	}
	resp, page = get(t, c, f.srv.URL+"/surveys/preview?id=du-thao-thu-bay&version=1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"Dự thảo: nhận hồ sơ vào sáng thứ Bảy", "thông tin, không hỏi", "Quét mã để đọc toàn văn dự thảo",
		`<img src="data:image/png;base64,`, `href="https://hanoi.gov.vn"`, "Đồng ý một phần",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
}
