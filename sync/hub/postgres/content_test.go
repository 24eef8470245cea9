package postgres

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strings"
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

// FuzzContentCanonical builds a response from the fuzzer's values, encodes
// it as the kiosks do (protocol.Canonical, CanonicalV2 with a sequence
// number, CanonicalV3 with a slip code too) and checks that decodeContent
// reads those bytes exactly as encoding/json does. FuzzDecodeCanonical
// mutates bytes, most of which leave the canonical layout at once; this
// one reaches every layout the encoder writes, text of any kind included.
func FuzzContentCanonical(f *testing.F) {
	f.Add("019abcde-f012-7345-8678-9abcdef01234", "sipas", 3, "tc\x00hl\x00nhieu\x00a\x01b\x01c\x00gy\x00Cán bộ hướng dẫn tận tình",
		int64(1795000000), int64(123456789), "Phường Hoàn Kiếm", "dev-1", "vi", "complete", false, "", "", false, int64(0), uint64(0))
	f.Add("a\"\\\u2028", "\xff", -7, "q\x00\x02\x00r\x00", int64(-62135596800), int64(999999999),
		"KCN Thăng Long – ca sáng", "", "en", "abandoned", true, "bấm liên tục\r\n", "<&>", true, int64(1<<62), uint64(12345))
	f.Add("x", "s", 1<<31-1, "", int64(0), int64(0), "", "slip", "vi", "complete", false, "", "", true, int64(7), uint64(1<<40))
	f.Fuzz(func(t *testing.T, id, surveyID string, version int, answers string, sec, nsec int64,
		point, device, lang, status string, misuse bool, reason, tag string, assisted bool, seq int64, code uint64) {
		start := time.Unix(sec%(400*365*86400), nsec%1e9).UTC()
		r := &survey.Response{ID: id, SurveyID: surveyID, SurveyVersion: version,
			StartedAt: start, FinishedAt: start.Add(time.Duration(nsec)),
			ServicePoint: point, DeviceID: device, Lang: lang, Status: survey.Status(status),
			Misuse: misuse, MisuseReason: reason, EventTag: tag, Assisted: assisted}
		if answers != "" {
			r.Answers = survey.Answers{}
			parts := strings.Split(answers, "\x00")
			for i := 0; i+1 < len(parts); i += 2 {
				switch parts[i+1] {
				case "":
					r.Answers[parts[i]] = nil
				case "\x02":
					r.Answers[parts[i]] = []string{}
				default:
					r.Answers[parts[i]] = strings.Split(parts[i+1], "\x01")
				}
			}
		}
		v1 := protocol.NewResponseV1(r)
		var content []byte
		var err error
		switch {
		case seq > 0 && code != 0:
			var c slip.Code
			var b [8]byte
			binary.BigEndian.PutUint64(b[:], code)
			if c, err = slip.New(bytes.NewReader(b[2:])); err == nil {
				content, err = protocol.CanonicalV3(v1, seq, c.Compact())
			}
		case seq > 0:
			content, err = protocol.CanonicalV2(v1, seq)
		default:
			content, err = protocol.Canonical(v1)
		}
		if err != nil {
			t.Skip(err)
		}
		want, err := decodeRef(content)
		if err != nil {
			t.Fatalf("encoding/json refuses canonical %q: %v", content, err)
		}
		got, err := decodeContent("x", content)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: decodeContent %+v, %v\nencoding/json %+v", content, got, err, want)
		}
	})
}
