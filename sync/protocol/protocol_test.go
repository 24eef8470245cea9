package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// testKey is a fixed device key so signatures are reproducible.
func testKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

// sample returns a valid response with Vietnamese text.
func sample() *survey.Response {
	start := time.Date(2026, 11, 25, 3, 4, 5, 123456789, time.UTC)
	return &survey.Response{
		ID:            "019abcde-f012-7345-8678-9abcdef01234",
		SurveyID:      "mot-cua-nhanh",
		SurveyVersion: 1,
		Answers:       survey.Answers{"q1": {"hl"}, "q3": {"cho", "anh"}, "why": {"Nhân viên rất tận tình"}},
		StartedAt:     start,
		FinishedAt:    start.Add(42 * time.Second),
		ServicePoint:  "Phường Hoàn Kiếm",
		DeviceID:      "dev-1",
		Lang:          "vi",
		Status:        survey.StatusComplete,
		EventTag:      "KCN Thăng Long – ca sáng",
	}
}

func nfd(s string) string {
	// Decompose by hand-picked code points so the test does not trust the
	// library under test: "à" = a + U+0300, "ò" = o + U+0300, "ế" = e + U+0302 + U+0301.
	r := strings.NewReplacer("à", "a\u0300", "ò", "o\u0300", "ế", "e\u0302\u0301", "â", "a\u0302", "ậ", "a\u0323\u0302")
	return r.Replace(s)
}

func TestCanonicalCoversEveryResponseField(t *testing.T) {
	rt := reflect.TypeOf(protocol.ResponseV1{})
	var names []string
	for i := range rt.NumField() {
		tag := strings.Split(rt.Field(i).Tag.Get("json"), ",")[0]
		names = append(names, tag)
	}
	c, err := protocol.Canonical(protocol.NewResponseV1(sample()))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(c, &m); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, ok := m[n]; !ok {
			t.Errorf("canonical encoding lacks ResponseV1 field %q: add it to appendCanonical", n)
		}
	}
	if len(m) != len(names) {
		t.Errorf("canonical encoding has %d fields, ResponseV1 %d", len(m), len(names))
	}
}

func TestCanonicalEqualContent(t *testing.T) {
	base, err := protocol.Canonical(protocol.NewResponseV1(sample()))
	if err != nil {
		t.Fatal(err)
	}
	same := map[string]func(r *survey.Response){
		"NFD text": func(r *survey.Response) {
			r.ServicePoint = nfd(r.ServicePoint)
			r.Answers["why"] = []string{nfd("Nhân viên rất tận tình")}
			r.EventTag = nfd(r.EventTag)
		},
		"answer order":       func(r *survey.Response) { r.Answers["q3"] = []string{"anh", "cho"} },
		"empty answer list":  func(r *survey.Response) { r.Answers["skipped"] = nil },
		"other time zone":    func(r *survey.Response) { r.StartedAt = r.StartedAt.In(time.FixedZone("ICT", 7*3600)) },
		"sub-millisecond ns": func(r *survey.Response) { r.FinishedAt = r.FinishedAt.Add(999) },
	}
	for name, mod := range same {
		t.Run(name, func(t *testing.T) {
			r := sample()
			mod(r)
			got, err := protocol.Canonical(protocol.NewResponseV1(r))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, base) {
				t.Errorf("canonical differs:\n got %s\nwant %s", got, base)
			}
		})
	}
	differ := map[string]func(r *survey.Response){
		"answer":        func(r *survey.Response) { r.Answers["q1"] = []string{"khl"} },
		"version":       func(r *survey.Response) { r.SurveyVersion = 2 },
		"misuse":        func(r *survey.Response) { r.Misuse = true },
		"assisted":      func(r *survey.Response) { r.Assisted = true },
		"finished":      func(r *survey.Response) { r.FinishedAt = r.FinishedAt.Add(time.Millisecond) },
		"service point": func(r *survey.Response) { r.ServicePoint = "Phường Hoàn Kiếm 2" },
		"status":        func(r *survey.Response) { r.Status = survey.StatusAbandoned },
	}
	for name, mod := range differ {
		t.Run("differs/"+name, func(t *testing.T) {
			r := sample()
			mod(r)
			got, err := protocol.Canonical(protocol.NewResponseV1(r))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(got, base) {
				t.Errorf("canonical should differ after changing %s", name)
			}
		})
	}
}

func TestCanonicalGolden(t *testing.T) {
	got, err := protocol.Canonical(protocol.NewResponseV1(sample()))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"019abcde-f012-7345-8678-9abcdef01234","survey_id":"mot-cua-nhanh","survey_version":1,` +
		`"answers":{"q1":["hl"],"q3":["anh","cho"],"why":["Nhân viên rất tận tình"]},` +
		`"started_at":"2026-11-25T03:04:05.123Z","finished_at":"2026-11-25T03:04:47.123Z",` +
		`"service_point":"Phường Hoàn Kiếm","device_id":"dev-1","lang":"vi","status":"complete",` +
		`"misuse":false,"misuse_reason":"","event_tag":"KCN Thăng Long – ca sáng","assisted":false}`
	if string(got) != want {
		t.Errorf("canonical encoding changed; devices' signatures depend on it:\n got %s\nwant %s", got, want)
	}
}

func TestSignVerify(t *testing.T) {
	priv := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	r := sample()
	r.ServicePoint = nfd(r.ServicePoint)
	it, err := protocol.Sign(priv, r)
	if err != nil {
		t.Fatal(err)
	}
	if r.ServicePoint == it.Response.ServicePoint {
		t.Error("Sign modified its argument or did not normalise the item")
	}
	if err := protocol.Verify(pub, it); err != nil {
		t.Fatalf("Verify of a fresh signature: %v", err)
	}
	// The same content sent as NFD still verifies: the hub normalises, not rejects.
	nfdItem := it
	c := *it.Response
	c.ServicePoint = nfd(c.ServicePoint)
	nfdItem.Response = &c
	if err := protocol.Verify(pub, nfdItem); err != nil {
		t.Errorf("Verify of NFD copy: %v", err)
	}

	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	bad := map[string]func() (ed25519.PublicKey, protocol.Item){
		"other key": func() (ed25519.PublicKey, protocol.Item) { return other, it },
		"changed answer": func() (ed25519.PublicKey, protocol.Item) {
			c := *it.Response
			c.Answers = survey.Answers{"q1": {"rhl"}}
			return pub, protocol.Item{Response: &c, Signature: it.Signature}
		},
		"flipped bit": func() (ed25519.PublicKey, protocol.Item) {
			sig := bytes.Clone(it.Signature)
			sig[10] ^= 1
			return pub, protocol.Item{Response: it.Response, Signature: sig}
		},
		"no signature": func() (ed25519.PublicKey, protocol.Item) {
			return pub, protocol.Item{Response: it.Response}
		},
		"no response": func() (ed25519.PublicKey, protocol.Item) {
			return pub, protocol.Item{Signature: it.Signature}
		},
		"short key": func() (ed25519.PublicKey, protocol.Item) { return pub[:10], it },
	}
	for name, mk := range bad {
		t.Run(name, func(t *testing.T) {
			k, item := mk()
			if err := protocol.Verify(k, item); err == nil {
				t.Error("Verify accepted a bad item")
			}
		})
	}
	if _, err := protocol.Sign(priv[:5], r); err == nil {
		t.Error("Sign accepted a short key")
	}
}

func TestCheckResponse(t *testing.T) {
	tests := map[string]struct {
		mod  func(r *survey.Response)
		want string // substring of the error, "" for valid
	}{
		"valid":          {func(r *survey.Response) {}, ""},
		"abandoned":      {func(r *survey.Response) { r.Status = survey.StatusAbandoned }, ""},
		"bad id":         {func(r *survey.Response) { r.ID = "42" }, "not a UUID"},
		"no survey":      {func(r *survey.Response) { r.SurveyID = "" }, "survey_id"},
		"version 0":      {func(r *survey.Response) { r.SurveyVersion = 0 }, "survey_version"},
		"no start":       {func(r *survey.Response) { r.StartedAt = time.Time{} }, "started_at"},
		"time backwards": {func(r *survey.Response) { r.FinishedAt = r.StartedAt.Add(-time.Second) }, "before"},
		"no device":      {func(r *survey.Response) { r.DeviceID = "" }, "device_id"},
		"no lang":        {func(r *survey.Response) { r.Lang = "" }, "lang"},
		"bad status":     {func(r *survey.Response) { r.Status = "done" }, "status"},
		"long place":     {func(r *survey.Response) { r.ServicePoint = strings.Repeat("ư", 201) }, "service_point"},
		"long comment":   {func(r *survey.Response) { r.Answers["why"] = []string{strings.Repeat("a", 4001)} }, "answers[why]"},
		"empty code":     {func(r *survey.Response) { r.Answers[""] = []string{"x"} }, "answer code"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := sample()
			tt.mod(r)
			err := protocol.CheckResponse(r)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if protocol.ErrorCode(err) != protocol.CodeInvalid {
				t.Errorf("code %q, want %q", protocol.ErrorCode(err), protocol.CodeInvalid)
			}
		})
	}
}

func TestEnrollCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c, err := protocol.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(c) != protocol.CodeLength+1 || c[5] != '-' {
			t.Fatalf("code %q is not XXXXX-XXXXX", c)
		}
		if protocol.NormalizeCode(strings.ToLower(c)) != strings.ReplaceAll(c, "-", "") {
			t.Fatalf("NormalizeCode(lower %q) = %q", c, protocol.NormalizeCode(strings.ToLower(c)))
		}
		if seen[c] {
			t.Fatalf("code %q repeated", c)
		}
		seen[c] = true
	}
	if got := protocol.NormalizeCode(" ab1o-il 2 "); got != "AB10112" {
		t.Errorf("NormalizeCode folded look-alikes to %q", got)
	}
	uri := protocol.EnrollURI("https://hub.example:8443/x", "ABCDE-FGHJK")
	hub, code, err := protocol.ParseEnrollURI(uri)
	if err != nil || hub != "https://hub.example:8443/x" || code != "ABCDE-FGHJK" {
		t.Errorf("ParseEnrollURI(%q) = %q, %q, %v", uri, hub, code, err)
	}
	for _, bad := range []string{"https://x/?code=A", "hailong-enroll:?hub=x", "::"} {
		if _, _, err := protocol.ParseEnrollURI(bad); err == nil {
			t.Errorf("ParseEnrollURI(%q) accepted", bad)
		}
	}
}

func TestSurveyPath(t *testing.T) {
	if got := protocol.SurveyPath("sipas 5", 3); got != "/api/v1/surveys/sipas%205/3" {
		t.Errorf("SurveyPath = %q", got)
	}
}
