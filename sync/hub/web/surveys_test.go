package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// upload posts file as the survey form's "file" with the CSRF token.
func upload(t *testing.T, c *http.Client, u, csrf, name string, file []byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(file)
	}
	mw.Close()
	resp, err := c.Post(u, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const goodSurvey = `{"id":"quay-1","version":1,"title":{"vi":"Đánh giá quầy số 1"},
 "questions":[{"code":"hl","type":"rating5","text":{"vi":"Ông/bà có hài lòng không?"}}]}`

// badSurvey has an unknown question type on line 3.
const badSurvey = `{"id":"quay-1","version":2,"title":{"vi":"Đánh giá quầy số 1"},
 "questions":[
  {"code":"hl","type":"sao-vang","text":{"vi":"Ông/bà có hài lòng không?"}}]}`

// TestSurveysPublish: an invalid file lists its problems with their line
// and publishes nothing; a valid one is published, listed and audited;
// the same version with other content is refused.
func TestSurveysPublish(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, page := get(t, c, f.srv.URL+"/surveys")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="publish"`) {
		t.Fatalf("surveys page: %d\n%s", resp.StatusCode, page)
	}
	csrf := csrfOf(t, page)
	if resp, _ := upload(t, c, f.srv.URL+"/surveys/publish", "", "a.json", []byte(goodSurvey)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload without CSRF token: %d, want 403", resp.StatusCode)
	}
	if resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "", nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "Hãy chọn một tệp") {
		t.Errorf("no file: %d", resp.StatusCode)
	}
	resp, page = upload(t, c, f.srv.URL+"/surveys/publish", csrf, "quay.json", []byte(badSurvey))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "quay.json có 1 lỗi") || !strings.Contains(page, "dòng 3") || !strings.Contains(page, "questions[0]") {
		t.Errorf("invalid survey: %d\n%s", resp.StatusCode, page)
	}
	big := []byte(`{"id":"x","version":1,"title":{"vi":"` + strings.Repeat("a", survey.MaxDefinitionSize) + `"}}`)
	if resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "to.json", big); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Tệp quá lớn") {
		t.Errorf("too large: %d", resp.StatusCode)
	}
	huge := bytes.Repeat([]byte(" "), maxUpload+1)
	if resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "to.json", huge); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "quá lớn") {
		t.Errorf("over the upload limit: %d %s, want 413", resp.StatusCode, page)
	}
	if _, err := f.store.Survey(context.Background(), "quay-1", 2); err == nil {
		t.Fatal("an invalid survey was published")
	}
	resp, _ = upload(t, c, f.srv.URL+"/surveys/publish", csrf, "quay.json", []byte(goodSurvey))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	if _, page := get(t, c, f.srv.URL+resp.Header.Get("Location")); !strings.Contains(page, "Đã công bố quay-1 phiên bản 1") || !strings.Contains(page, "Đánh giá quầy số 1") {
		t.Errorf("after publishing:\n%s", page)
	}
	if ps, err := f.store.Survey(context.Background(), "quay-1", 1); err != nil || string(ps.Definition) != goodSurvey {
		t.Errorf("stored %v, %v", ps, err)
	}
	changed := strings.Replace(goodSurvey, "quầy số 1", "quầy số 2", 1)
	if resp, page := upload(t, c, f.srv.URL+"/surveys/publish", csrf, "quay.json", []byte(changed)); resp.StatusCode != http.StatusConflict || !strings.Contains(page, "số phiên bản") {
		t.Errorf("same version, other content: %d\n%s", resp.StatusCode, page)
	}
	got := auditActions(t, f)
	if len(got) != 2 || got[1] != "admin survey_publish id=quay-1&version=1" {
		t.Errorf("audit log %q, want the login and one publish", got)
	}
}

// TestViewerCannotPublish: no upload form for a viewer, and an upload is
// refused with 403.
func TestViewerCannotPublish(t *testing.T) {
	f := newFixture(t)
	if err := f.store.PutAdminAs(context.Background(), "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	_, page := get(t, c, f.srv.URL+"/login")
	post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	resp, page := get(t, c, f.srv.URL+"/surveys")
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `id="publish"`) {
		t.Fatalf("viewer's surveys page: %d, upload form shown: %v", resp.StatusCode, strings.Contains(page, `id="publish"`))
	}
	resp, body := upload(t, c, f.srv.URL+"/surveys/publish", csrfOf(t, page), "quay.json", []byte(goodSurvey))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer upload: %d %s, want 403", resp.StatusCode, body)
	}
	if _, err := f.store.Survey(context.Background(), "quay-1", 1); err == nil {
		t.Error("a viewer published a survey")
	}
}

// TestSurveyPreview: each question is a screen with its Vietnamese and
// English texts and every choice, the standard scale's too; a viewer may
// look; unknown versions and bad numbers are refused.
func TestSurveyPreview(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	if _, page := get(t, c, f.srv.URL+"/surveys"); !strings.Contains(page, `href="/surveys/preview?id=nhanh&amp;version=1"`) {
		t.Fatalf("no preview link:\n%s", page)
	}
	resp, page := get(t, c, f.srv.URL+"/surveys/preview?id=nhanh&version=1")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	defs, err := f.store.Survey(context.Background(), "nhanh", 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := survey.Parse(defs.Definition)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(page, `<section class="screen">`); got != len(s.Questions) {
		t.Errorf("%d screens, want %d", got, len(s.Questions))
	}
	for _, q := range s.Questions {
		if !strings.Contains(page, q.Text["vi"]) {
			t.Errorf("question %s's text missing", q.Code)
		}
		for _, o := range q.OptionsOf() {
			if !strings.Contains(page, o.Label["vi"]) {
				t.Errorf("question %s: choice %s missing", q.Code, o.Code)
			}
		}
	}
	for _, u := range []string{"/surveys/preview?id=nhanh&version=9", "/surveys/preview?id=nope&version=1"} {
		if resp, _ := get(t, c, f.srv.URL+u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", u, resp.StatusCode)
		}
	}
	if resp, _ := get(t, c, f.srv.URL+"/surveys/preview?id=nhanh&version=x"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("version x: %d, want 400", resp.StatusCode)
	}
}
