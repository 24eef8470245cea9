package postgres

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// canonicalSamples are canonical encodings (versions 1, 2 and 3) of responses
// of every shape the fast path takes, and of some it leaves to
// encoding/json (escapes, U+2028), with whether it takes them.
func canonicalSamples(t testing.TB) []struct {
	name    string
	content []byte
	fast    bool
} {
	start := time.Date(2026, 11, 25, 3, 4, 5, 123456789, time.UTC)
	base := func() *survey.Response {
		return &survey.Response{
			ID: "019abcde-f012-7345-8678-9abcdef01234", SurveyID: "sipas", SurveyVersion: 3,
			Answers:   survey.Answers{"tc": {"hl"}, "nhieu": {"a", "b", "c"}, "gy": {"Cán bộ hướng dẫn tận tình"}},
			StartedAt: start, FinishedAt: start.Add(42 * time.Second),
			ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", Lang: "vi", Status: survey.StatusComplete,
		}
	}
	var out []struct {
		name    string
		content []byte
		fast    bool
	}
	add := func(name string, fast bool, edit func(r *survey.Response), seq int64) {
		r := base()
		edit(r)
		v1 := protocol.NewResponseV1(r)
		var c []byte
		var err error
		switch {
		case seq > 0 && r.DeviceID == "slip":
			var code slip.Code
			if code, err = slip.New(bytes.NewReader(make([]byte, 64))); err == nil {
				c, err = protocol.CanonicalV3(v1, seq, code.Compact())
			}
		case seq > 0:
			c, err = protocol.CanonicalV2(v1, seq)
		default:
			c, err = protocol.Canonical(v1)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, struct {
			name    string
			content []byte
			fast    bool
		}{name, c, fast})
	}
	add("plain", true, func(*survey.Response) {}, 0)
	add("seq", true, func(*survey.Response) {}, 1234567)
	add("slip", true, func(r *survey.Response) { r.DeviceID = "slip" }, 99)
	add("no answers", true, func(r *survey.Response) { r.Answers = nil }, 0)
	add("abandoned misuse event", true, func(r *survey.Response) {
		r.Status, r.Misuse, r.MisuseReason, r.EventTag, r.Assisted = survey.StatusAbandoned, true, "bấm liên tục", "KCN Thăng Long – ca sáng", true
	}, 0)
	add("unenrolled", true, func(r *survey.Response) { r.DeviceID = "" }, 0)
	add("big version", true, func(r *survey.Response) { r.SurveyVersion = 1<<31 - 1 }, 0)
	add("zero version", true, func(r *survey.Response) { r.SurveyVersion = 0 }, 0)
	add("negative version", false, func(r *survey.Response) { r.SurveyVersion = -2 }, 0)
	add("quote and line break", false, func(r *survey.Response) { r.Answers["gy"] = []string{"\"tốt\"\r\nlắm"} }, 0)
	add("U+2028", false, func(r *survey.Response) { r.MisuseReason = "a\u2028b" }, 2)
	add("year 1", true, func(r *survey.Response) { r.StartedAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }, 0)
	return out
}

// decodeRef is the reference decoding: encoding/json.
func decodeRef(content []byte) (*survey.Response, error) {
	var r survey.Response
	err := json.Unmarshal(content, &r)
	return &r, err
}

func TestDecodeContentAsJSON(t *testing.T) {
	for _, tc := range canonicalSamples(t) {
		t.Run(tc.name, func(t *testing.T) {
			want, err := decodeRef(tc.content)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeContent("x", tc.content)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeContent(%s) = %+v, %v\nwant %+v", tc.content, got, err, want)
			}
			if _, fast := decodeCanonical(tc.content); fast != tc.fast {
				t.Fatalf("fast path taken = %v, want %v for %s", fast, tc.fast, tc.content)
			}
		})
	}
}

// TestCanonicalSamplesCoverEveryField keeps the samples, and so the fast
// path, complete: every field of survey.Response is set in some sample the
// fast path takes. A field added to Response and to the canonical encoding
// fails here until decodeCanonical reads it and a sample sets it.
func TestCanonicalSamplesCoverEveryField(t *testing.T) {
	typ := reflect.TypeFor[survey.Response]()
	set := make([]bool, typ.NumField())
	for _, tc := range canonicalSamples(t) {
		if !tc.fast {
			continue
		}
		want, err := decodeRef(tc.content)
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.ValueOf(want).Elem()
		for i := range set {
			set[i] = set[i] || !v.Field(i).IsZero()
		}
	}
	for i, ok := range set {
		if !ok {
			t.Errorf("no sample the fast path takes sets %s", typ.Field(i).Name)
		}
	}
}

func TestDecodeContentRefusesWhatJSONRefuses(t *testing.T) {
	for _, c := range []string{``, `{`, `{"id":"a"`, `null1`, `{"id":"x","survey_version":"1"}`} {
		if _, err := decodeRef([]byte(c)); err == nil {
			t.Fatalf("reference takes %q", c)
		}
		if r, err := decodeContent("x", []byte(c)); err == nil {
			t.Fatalf("decodeContent(%q) = %+v, want an error", c, r)
		}
	}
}

// FuzzDecodeCanonical checks that whatever the fast path takes decodes
// exactly as encoding/json does.
func FuzzDecodeCanonical(f *testing.F) {
	for _, tc := range canonicalSamples(f) {
		f.Add(tc.content)
	}
	f.Add([]byte(`{"id":"a","survey_id":"s","survey_version":1,"answers":{"b":["x"],"a":["y"]},"started_at":"2026-01-01T00:00:00.000Z","finished_at":"2026-01-01T00:00:00.000Z","service_point":"","device_id":"","lang":"vi","status":"complete","misuse":false,"misuse_reason":"","event_tag":"","assisted":false}`))
	f.Fuzz(func(t *testing.T, content []byte) {
		got, ok := decodeCanonical(content)
		if !ok {
			return
		}
		want, err := decodeRef(content)
		if err != nil {
			t.Fatalf("fast path took %q, encoding/json refuses it: %v", content, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", content, got, want)
		}
	})
}
