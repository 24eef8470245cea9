package hub_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

//go:embed testdata/quick.json
var quickJSON []byte

// setup starts a hub with the quick survey published and one device.
func setup(t *testing.T) (*hubtest.Server, *hubtest.Device) {
	t.Helper()
	s := hubtest.Start(t)
	s.Publish(t, quickJSON)
	return s, s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
}

// resp makes a valid complete response to the quick survey.
func resp(t testing.TB) *survey.Response {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 25, 2, 30, 0, 0, time.UTC)
	return &survey.Response{
		ID: id.String(), SurveyID: "quick", SurveyVersion: 1,
		Answers:   survey.Answers{"q1": {"khl"}, "why": {"thai-do", "cho-lau"}, "gop_y": {"Cần thêm ghế chờ"}},
		StartedAt: start, FinishedAt: start.Add(40 * time.Second),
		ServicePoint: "Phường Hoàn Kiếm", Lang: "vi", Status: survey.StatusComplete,
	}
}

func batchJSON(t testing.TB, items ...protocol.Item) []byte {
	t.Helper()
	data, err := (&protocol.Batch{Items: items}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// upload posts items and decodes the 200 answer.
func upload(t *testing.T, s *hubtest.Server, d *hubtest.Device, items ...protocol.Item) []protocol.Result {
	t.Helper()
	status, body := s.Post(t, d.Token, protocol.PathBatch, batchJSON(t, items...))
	if status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, body)
	}
	var br protocol.BatchResult
	if err := json.Unmarshal(body, &br); err != nil {
		t.Fatal(err)
	}
	if len(br.Results) != len(items) {
		t.Fatalf("%d results for %d items", len(br.Results), len(items))
	}
	for i, r := range br.Results {
		if r.ID != items[i].Response.ID {
			t.Fatalf("result %d is for %s, want %s", i, r.ID, items[i].Response.ID)
		}
	}
	return br.Results
}

// wantError checks a JSON error answer.
func wantError(t *testing.T, status int, body []byte, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus {
		t.Errorf("status %d (%s), want %d", status, body, wantStatus)
	}
	var e protocol.Error
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %q is not JSON {code, message}: %v", body, err)
	}
	if e.Code != wantCode || e.Message == "" {
		t.Errorf("error %+v, want code %q with a message", e, wantCode)
	}
}

func countRows(t *testing.T, s *hubtest.Server) int {
	t.Helper()
	n := 0
	for _, err := range s.Store.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestUploadOutcomes(t *testing.T) {
	s, d := setup(t)
	a, b := resp(t), resp(t)
	itemA, itemB := d.Sign(t, a), d.Sign(t, b)
	if got := upload(t, s, d, itemA, itemB); got[0].Outcome != protocol.Accepted || got[1].Outcome != protocol.Accepted {
		t.Fatalf("first upload: %+v", got)
	}
	if got := upload(t, s, d, itemA, itemB); got[0].Outcome != protocol.Duplicate || got[1].Outcome != protocol.Duplicate {
		t.Errorf("re-upload: %+v, want duplicates", got)
	}
	changed := *a
	changed.Answers = survey.Answers{"q1": {"rhl"}}
	got := upload(t, s, d, d.Sign(t, &changed))
	if got[0].Outcome != protocol.Conflict || got[0].Reason != protocol.ReasonConflict {
		t.Errorf("changed content, same id: %+v, want conflict", got[0])
	}
	stored, err := s.Store.Response(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Answers["q1"][0] != "khl" {
		t.Errorf("the conflict replaced the first content: %v", stored.Answers)
	}
	if cs, _ := s.Store.Conflicts(context.Background()); len(cs) != 1 {
		t.Errorf("%d conflicts logged, want 1", len(cs))
	}
	if n := countRows(t, s); n != 2 {
		t.Errorf("%d rows at the hub, want 2", n)
	}
}

func TestRejections(t *testing.T) {
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "Xã Sóc Sơn")
	tests := []struct {
		name   string
		item   func() protocol.Item
		reason string
	}{
		{"tampered signature", func() protocol.Item {
			it := d.Sign(t, resp(t))
			it.Signature[0] ^= 0xff
			return it
		}, protocol.ReasonBadSignature},
		{"tampered content", func() protocol.Item {
			it := d.Sign(t, resp(t))
			it.Response.Answers["q1"] = []string{"rhl"}
			return it
		}, protocol.ReasonBadSignature},
		{"no signature", func() protocol.Item {
			it := d.Sign(t, resp(t))
			it.Signature = nil
			return it
		}, protocol.ReasonBadSignature},
		{"signed by another device", func() protocol.Item {
			r := resp(t)
			it := other.Sign(t, r)
			return it
		}, protocol.ReasonDeviceMismatch},
		{"another device's id, own key", func() protocol.Item {
			r := resp(t)
			r.DeviceID = other.ID
			it, err := protocol.Sign(d.Key, r)
			if err != nil {
				t.Fatal(err)
			}
			return it
		}, protocol.ReasonDeviceMismatch},
		{"unknown survey version", func() protocol.Item {
			r := resp(t)
			r.SurveyVersion = 9
			return d.Sign(t, r)
		}, protocol.ReasonUnknownSurvey},
		{"unknown survey", func() protocol.Item {
			r := resp(t)
			r.SurveyID = "khong-co"
			return d.Sign(t, r)
		}, protocol.ReasonUnknownSurvey},
		{"bad id", func() protocol.Item {
			r := resp(t)
			r.ID = "not-a-uuid"
			return d.Sign(t, r)
		}, protocol.ReasonInvalid},
		{"unknown option", func() protocol.Item {
			r := resp(t)
			r.Answers["q1"] = []string{"great"}
			return d.Sign(t, r)
		}, protocol.ReasonInvalidAnswers},
		{"hidden question answered", func() protocol.Item {
			r := resp(t)
			r.Answers["q1"] = []string{"hl"}
			return d.Sign(t, r)
		}, protocol.ReasonInvalidAnswers},
		{"required unanswered", func() protocol.Item {
			r := resp(t)
			r.Answers = survey.Answers{"gop_y": {"x"}}
			return d.Sign(t, r)
		}, protocol.ReasonInvalidAnswers},
	}
	var items []protocol.Item
	for _, tt := range tests {
		items = append(items, tt.item())
	}
	good := d.Sign(t, resp(t))
	items = append(items, good)
	got := upload(t, s, d, items...)
	for i, tt := range tests {
		if got[i].Outcome != protocol.Rejected || got[i].Reason != tt.reason || got[i].Message == "" {
			t.Errorf("%s: %+v, want rejected/%s with a message", tt.name, got[i], tt.reason)
		}
	}
	if last := got[len(got)-1]; last.Outcome != protocol.Accepted {
		t.Errorf("the good item beside the rejected ones: %+v", last)
	}
	if n := countRows(t, s); n != 1 {
		t.Errorf("%d rows stored, want only the good one", n)
	}
	// An abandoned response may leave required questions unanswered.
	r := resp(t)
	r.Status, r.Answers = survey.StatusAbandoned, survey.Answers{"q1": {"hl"}}
	if got := upload(t, s, d, d.Sign(t, r)); got[0].Outcome != protocol.Accepted {
		t.Errorf("abandoned partial response: %+v", got[0])
	}
}

func TestAuth(t *testing.T) {
	s, d := setup(t)
	body := batchJSON(t, d.Sign(t, resp(t)))
	status, data := s.Post(t, "", protocol.PathBatch, body)
	wantError(t, status, data, http.StatusUnauthorized, protocol.CodeUnauthorized)
	status, data = s.Post(t, "hl1_wrong", protocol.PathBatch, body)
	wantError(t, status, data, http.StatusUnauthorized, protocol.CodeUnauthorized)

	// Earlier data of a revoked device stays; new uploads get 403.
	if got := upload(t, s, d, d.Sign(t, resp(t))); got[0].Outcome != protocol.Accepted {
		t.Fatal(got)
	}
	if err := s.Store.RevokeDevice(context.Background(), d.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	status, data = s.Post(t, d.Token, protocol.PathBatch, body)
	wantError(t, status, data, http.StatusForbidden, protocol.CodeForbidden)
	if n := countRows(t, s); n != 1 {
		t.Errorf("%d rows after revocation, want the 1 uploaded before", n)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL+protocol.PathSurveys, nil)
	req.Header.Set("Authorization", "Bearer "+d.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(res.Body)
	res.Body.Close()
	wantError(t, res.StatusCode, data, http.StatusForbidden, protocol.CodeForbidden)
}

func TestEnroll(t *testing.T) {
	s := hubtest.Start(t)
	code := s.NewCode(t, "Kiosk 1", "Phường Hoàn Kiếm")
	key := bytes.Repeat([]byte{1}, 32)
	enroll := func(c string, k []byte) (int, []byte) {
		body, _ := json.Marshal(protocol.EnrollRequest{Code: c, PublicKey: k})
		return s.Post(t, "", protocol.PathEnroll, body)
	}
	status, data := enroll(code, key[:5])
	wantError(t, status, data, http.StatusBadRequest, protocol.CodeInvalid)
	status, data = enroll("WRONG-CODE0", key)
	wantError(t, status, data, http.StatusForbidden, protocol.CodeBadCode)
	// Lower case without the dash still works: NormalizeCode.
	status, data = enroll(strings.ToLower(strings.ReplaceAll(code, "-", " ")), key)
	if status != http.StatusOK {
		t.Fatalf("enroll: %d %s", status, data)
	}
	var er protocol.EnrollResponse
	if err := json.Unmarshal(data, &er); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(er.Token, hub.TokenPrefix) || er.DeviceID == "" || er.Name != "Kiosk 1" || er.ServicePoint != "Phường Hoàn Kiếm" {
		t.Errorf("enroll answer %+v", er)
	}
	status, data = enroll(code, key)
	wantError(t, status, data, http.StatusForbidden, protocol.CodeBadCode)
	status, data = s.Post(t, "", protocol.PathEnroll, []byte(`{"code":"x","public_key":"AAAA","name":"n"}`))
	wantError(t, status, data, http.StatusBadRequest, protocol.CodeUnknownField)
	// The hub keeps only hashes: neither the token nor the code is in the database file.
	raw := dumpDB(t, s)
	if bytes.Contains(raw, []byte(er.Token)) || bytes.Contains(raw, []byte(strings.ReplaceAll(code, "-", ""))) {
		t.Error("the database holds the token or the code in clear")
	}
}

// dumpDB returns every byte of the hub's database and WAL.
func dumpDB(t *testing.T, s *hubtest.Server) []byte {
	t.Helper()
	var all []byte
	for _, suffix := range []string{"", "-wal"} {
		data, err := readFileIfExists(s.Store.Path() + suffix)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, data...)
	}
	return all
}

func TestBadBodies(t *testing.T) {
	s, d := setup(t)
	good := batchJSON(t, d.Sign(t, resp(t)))
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"not json", []byte("{items"), 400, protocol.CodeMalformed},
		{"unknown field", bytes.Replace(good, []byte(`"lang"`), []byte(`"phone":"0912","lang"`), 1), 400, protocol.CodeUnknownField},
		{"invalid utf8", bytes.Replace(good, []byte("Hoàn"), []byte("Ho\xe0n"), 1), 400, protocol.CodeInvalidUTF8},
		{"empty batch", []byte(`{"items":[]}`), 400, protocol.CodeInvalid},
		{"oversized", append(bytes.Clone(good), bytes.Repeat([]byte(" "), protocol.MaxBatchBytes)...), 413, protocol.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, data := s.Post(t, d.Token, protocol.PathBatch, tt.body)
			wantError(t, status, data, tt.status, tt.code)
		})
	}
	if n := countRows(t, s); n != 0 {
		t.Errorf("%d rows written by refused requests", n)
	}
	t.Run("oversized, chunked", func(t *testing.T) {
		// No Content-Length: the limit must hold while reading.
		pr, pw := io.Pipe()
		go func() {
			pw.Write(good[:len(good)-1])
			for range protocol.MaxBatchBytes / 4096 {
				if _, err := pw.Write(bytes.Repeat([]byte(" "), 4096)); err != nil {
					return
				}
			}
			pw.Write([]byte(" }"))
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, s.URL+protocol.PathBatch, pr)
		req.Header.Set("Authorization", "Bearer "+d.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		pr.Close()
		wantError(t, res.StatusCode, data, 413, protocol.CodeTooLarge)
	})
	t.Run("wrong content type", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.URL+protocol.PathBatch, bytes.NewReader(good))
		req.Header.Set("Authorization", "Bearer "+d.Token)
		req.Header.Set("Content-Type", "text/plain")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		wantError(t, res.StatusCode, data, 415, protocol.CodeUnsupported)
	})
	for _, tt := range []struct{ method, path, code string }{
		{http.MethodGet, protocol.PathBatch, protocol.CodeMethod},
		{http.MethodGet, "/nothing/here", protocol.CodeNotFound},
		{http.MethodDelete, protocol.PathSurveys, protocol.CodeMethod},
	} {
		req, _ := http.NewRequest(tt.method, s.URL+tt.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		want := http.StatusNotFound
		if tt.code == protocol.CodeMethod {
			want = http.StatusMethodNotAllowed
		}
		wantError(t, res.StatusCode, data, want, tt.code)
	}
}

func TestNFDStoredNFC(t *testing.T) {
	s, d := setup(t)
	r := resp(t)
	nfd := "Phu\u031bo\u031b\u0300ng Hoa\u0300n Kie\u0302\u0301m" // "Phường Hoàn Kiếm" decomposed
	r.ServicePoint = nfd
	r.Answers["gop_y"] = []string{"Ca\u0302\u0300n the\u0302m ghe\u0302\u0301 cho\u031b\u0300"}
	it := d.Sign(t, r)
	// Put the NFD text back on the wire: a kiosk on an NFD input method.
	it.Response.ServicePoint = nfd
	body := batchJSON(t, it)
	if !bytes.Contains(body, []byte("o\u031b\u0300")) {
		t.Fatal("request is not NFD")
	}
	status, data := s.Post(t, d.Token, protocol.PathBatch, body)
	if status != 200 || !bytes.Contains(data, []byte(`"accepted"`)) {
		t.Fatalf("NFD upload: %d %s", status, data)
	}
	stored, err := s.Store.Response(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ServicePoint != "Phường Hoàn Kiếm" {
		t.Errorf("stored service point %q (% x), want NFC", stored.ServicePoint, stored.ServicePoint)
	}
	if got := stored.Answers["gop_y"][0]; got != "Cần thêm ghế chờ" {
		t.Errorf("stored comment %q (% x), want NFC", got, got)
	}
	// The NFC copy is the same content: duplicate, not conflict.
	r.ServicePoint = "Phường Hoàn Kiếm"
	r.Answers["gop_y"] = []string{"Cần thêm ghế chờ"}
	if got := upload(t, s, d, d.Sign(t, r)); got[0].Outcome != protocol.Duplicate {
		t.Errorf("NFC resend of NFD upload: %+v, want duplicate", got[0])
	}
}

func TestSurveys(t *testing.T) {
	s, d := setup(t)
	get := func(path, etag string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+d.Token)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		return res, data
	}
	res, data := get(protocol.PathSurveys, "")
	etag := res.Header.Get("ETag")
	if res.StatusCode != 200 || etag == "" {
		t.Fatalf("surveys: %d etag %q", res.StatusCode, etag)
	}
	var list protocol.SurveyList
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Surveys) != 1 || list.Surveys[0].ID != "quick" || list.Surveys[0].Version != 1 {
		t.Fatalf("survey list %+v", list)
	}
	if _, err := survey.Parse(list.Surveys[0].Definition); err != nil {
		t.Errorf("listed definition does not parse: %v", err)
	}
	res, data = get(protocol.PathSurveys, etag)
	if res.StatusCode != http.StatusNotModified || len(data) != 0 {
		t.Errorf("If-None-Match with the current ETag: %d %q", res.StatusCode, data)
	}
	v2 := bytes.Replace(quickJSON, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	s.Publish(t, v2)
	res, data = get(protocol.PathSurveys, etag)
	if res.StatusCode != 200 || res.Header.Get("ETag") == etag {
		t.Fatalf("after publishing v2: %d, etag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	if err := json.Unmarshal(data, &list); err != nil || list.Surveys[0].Version != 2 {
		t.Errorf("list after v2: %+v %v", list, err)
	}
	res, data = get(protocol.SurveyPath("quick", 1), "")
	if res.StatusCode != 200 || !bytes.Equal(data, quickJSON) {
		t.Errorf("GET quick v1: %d, body equal %v", res.StatusCode, bytes.Equal(data, quickJSON))
	}
	res, data = get(protocol.SurveyPath("quick", 7), "")
	wantError(t, res.StatusCode, data, 404, protocol.CodeNotFound)
	// Old versions stay accepted.
	if got := upload(t, s, d, d.Sign(t, resp(t))); got[0].Outcome != protocol.Accepted {
		t.Errorf("upload against v1 after v2: %+v", got[0])
	}
	// Publishing different content under a published version is refused.
	if _, err := s.Hub.PublishSurvey(context.Background(), bytes.Replace(quickJSON, []byte("Đánh giá nhanh"), []byte("Khác"), 1)); err == nil {
		t.Error("republishing v1 with other content succeeded")
	}
	// A definition saved with a byte order mark (Windows Notepad) still lists.
	s.Publish(t, append([]byte("\xef\xbb\xbf"), bytes.Replace(quickJSON, []byte(`"quick"`), []byte(`"bom"`), 1)...))
	if res, data = get(protocol.PathSurveys, ""); res.StatusCode != 200 || !bytes.Contains(data, []byte(`"bom"`)) {
		t.Errorf("list after publishing a BOM file: %d %s", res.StatusCode, data)
	}
	if _, err := s.Hub.PublishSurvey(context.Background(), []byte(`{"id":"x"}`)); err == nil {
		t.Error("publishing an invalid survey succeeded")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	s, d := setup(t)
	upload(t, s, d, d.Sign(t, resp(t)))
	it := d.Sign(t, resp(t))
	upload(t, s, d, it, it)
	res, err := http.Get(s.URL + protocol.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(data, []byte(`"ok"`)) {
		t.Errorf("healthz: %d %s", res.StatusCode, data)
	}
	res, err = http.Get(s.URL + protocol.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`hailong_hub_batches_total{result="committed",source="http"} 2`,
		`hailong_hub_items_total{outcome="accepted",source="http"} 2`,
		`hailong_hub_items_total{outcome="duplicate",source="http"} 1`,
		`hailong_hub_batch_duration_seconds_count{source="http"} 2`,
		`hailong_hub_enrollments_total{result="ok"} 1`,
		`go_goroutines`,
	} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// Each hub has its own registry: a second hub starts from zero.
	s2 := hubtest.Start(t)
	res, err = http.Get(s2.URL + protocol.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if bytes.Contains(data, []byte(`hailong_hub_items_total{outcome="accepted",source="http"} 2`)) {
		t.Error("metrics shared between hubs")
	}
}

func TestConcurrentUploads(t *testing.T) {
	s, d := setup(t)
	const workers, per = 4, 50
	items := make([]protocol.Item, workers*per)
	for i := range items {
		items[i] = d.Sign(t, resp(t))
	}
	errs := make(chan error, workers*2)
	for w := range workers * 2 { // every item is sent twice, by two goroutines
		go func() {
			part := items[(w%workers)*per : (w%workers+1)*per]
			status, body := s.Post(t, d.Token, protocol.PathBatch, batchJSON(t, part...))
			if status != 200 {
				errs <- fmt.Errorf("%d %s", status, body)
				return
			}
			errs <- nil
		}()
	}
	for range workers * 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := countRows(t, s); n != workers*per {
		t.Errorf("%d rows, want %d", n, workers*per)
	}
}
