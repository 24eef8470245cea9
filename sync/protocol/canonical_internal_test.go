package protocol

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"golang.org/x/text/unicode/norm"
)

// refSample is a valid response with Vietnamese text.
func refSample() *ResponseV1 {
	start := time.Date(2026, 11, 25, 3, 4, 5, 123456789, time.UTC)
	return &ResponseV1{
		ID:            "019abcde-f012-7345-8678-9abcdef01234",
		SurveyID:      "mot-cua-nhanh",
		SurveyVersion: 1,
		Answers:       map[string][]string{"q1": {"hl"}, "q3": {"cho", "anh"}, "why": {"Nhân viên rất tận tình"}},
		StartedAt:     start,
		FinishedAt:    start.Add(42 * time.Second),
		ServicePoint:  "Phường Hoàn Kiếm",
		DeviceID:      "dev-1",
		Lang:          "vi",
		Status:        string(survey.StatusComplete),
		EventTag:      "KCN Thăng Long – ca sáng",
	}
}

// checkCanonicalSame fails t unless Canonical, SigningBytes,
// NormalizeCanonical and Normalize agree with the encoding/json reference
// on r. r is not modified.
func checkCanonicalSame(t *testing.T, r *ResponseV1) {
	t.Helper()
	want, err := canonicalRef(r)
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	before := cloneResponse(r)
	got, err := Canonical(r)
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Canonical differs from encoding/json:\n got %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(r, before) {
		t.Fatalf("Canonical modified its argument")
	}
	sb, err := SigningBytes(r)
	if err != nil || string(sb) != signingDomain+string(want) {
		t.Fatalf("SigningBytes = %q, %v", sb, err)
	}
	wantNorm := cloneResponse(r)
	normalizeRef(wantNorm)
	n := cloneResponse(r)
	got, err = NormalizeCanonical(n)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("NormalizeCanonical = %q, %v", got, err)
	}
	if !reflect.DeepEqual(n, wantNorm) {
		t.Fatalf("NormalizeCanonical left\n%#v\nwant\n%#v", n, wantNorm)
	}
	n = cloneResponse(r)
	n.Normalize()
	if !reflect.DeepEqual(n, wantNorm) {
		t.Fatalf("Normalize left\n%#v\nwant\n%#v", n, wantNorm)
	}
	d := cloneResponse(r).ToResponse()
	Normalize(d)
	if got := NewResponseV1(d); !reflect.DeepEqual(got, wantNorm) {
		t.Fatalf("Normalize of the domain response left\n%#v\nwant\n%#v", got, wantNorm)
	}
}

// cloneResponse copies r deeply, keeping nil and empty maps and lists apart.
func cloneResponse(r *ResponseV1) *ResponseV1 {
	c := *r
	if r.Answers != nil {
		c.Answers = make(map[string][]string, len(r.Answers))
		for k, v := range r.Answers {
			if v != nil {
				v = append(make([]string, 0, len(v)), v...)
			}
			c.Answers[k] = v
		}
	}
	return &c
}

// nfcKeysCollide reports whether two answer codes with values become the
// same code under NFC. Normalize then keeps either list, in map order, so
// two runs may differ; real answer codes are ASCII.
func nfcKeysCollide(a map[string][]string) bool {
	seen := map[string]bool{}
	for k, v := range a {
		if len(v) == 0 {
			continue
		}
		k = norm.NFC.String(k)
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

func TestCanonicalMatchesEncodingJSON(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	all := func() string {
		var b strings.Builder
		for c := range 0x80 {
			b.WriteByte(byte(c))
		}
		return b.String()
	}()
	tests := map[string]func(r *ResponseV1){
		"sample":            func(r *ResponseV1) {},
		"every ASCII byte":  func(r *ResponseV1) { r.ServicePoint = all; r.Answers["why"] = []string{all} },
		"quotes, backslash": func(r *ResponseV1) { r.EventTag = `say "hi" \ bye \n` },
		"html kept":         func(r *ResponseV1) { r.MisuseReason = "<b>&amp;</b> >" },
		"controls":          func(r *ResponseV1) { r.ID = "a\x00b\x01\x08\x0c\n\r\t\x1f\x7f" },
		"line separators":   func(r *ResponseV1) { r.EventTag = "a\u2028b\u2029c\u2027\u202a" },
		"invalid utf8":      func(r *ResponseV1) { r.ServicePoint = "Ho\xe0n \xff\xfe x\xe2\x80" },
		"surrogate bytes":   func(r *ResponseV1) { r.Lang = "\xed\xa0\x80\xed\xb0\x80" },
		"invalid utf8 code": func(r *ResponseV1) { r.Answers["q\xff"] = []string{"\xc3"} },
		"NFD text":          func(r *ResponseV1) { r.ServicePoint = norm.NFD.String(r.ServicePoint) },
		"NFD answer": func(r *ResponseV1) {
			r.Answers["why"] = []string{norm.NFD.String("Nhân viên rất tận tình")}
		},
		"NFD code":          func(r *ResponseV1) { r.Answers[norm.NFD.String("câu")] = []string{"x"} },
		"unsorted answer":   func(r *ResponseV1) { r.Answers["q3"] = []string{"z", "a", "m"} },
		"empty answer list": func(r *ResponseV1) { r.Answers["skipped"] = []string{} },
		"nil answer list":   func(r *ResponseV1) { r.Answers["skipped"] = nil },
		"nil answers":       func(r *ResponseV1) { r.Answers = nil },
		"empty answers":     func(r *ResponseV1) { r.Answers = map[string][]string{} },
		"empty code":        func(r *ResponseV1) { r.Answers[""] = []string{""} },
		"keys sort bytewise": func(r *ResponseV1) {
			r.Answers["Z"] = []string{"1"}
			r.Answers["a"] = []string{"2"}
			r.Answers["é"] = []string{"3"}
		},
		"other zone":       func(r *ResponseV1) { r.StartedAt = r.StartedAt.In(ict) },
		"zero times":       func(r *ResponseV1) { r.StartedAt, r.FinishedAt = time.Time{}, time.Time{} },
		"year 10000":       func(r *ResponseV1) { r.FinishedAt = time.Date(10000, 1, 1, 0, 0, 0, 999999, time.UTC) },
		"year -5":          func(r *ResponseV1) { r.StartedAt = time.Date(-5, 3, 1, 0, 0, 0, 1e6+5, ict) },
		"monotonic":        func(r *ResponseV1) { r.StartedAt = time.Now() },
		"negative version": func(r *ResponseV1) { r.SurveyVersion = -1 << 63 },
		"big version":      func(r *ResponseV1) { r.SurveyVersion = 1<<63 - 1 },
		"flags":            func(r *ResponseV1) { r.Misuse, r.Assisted, r.MisuseReason = true, true, "bấm liên tục" },
		"status text":      func(r *ResponseV1) { r.Status = "xong\u0301" },
		"empty everything": func(r *ResponseV1) { *r = ResponseV1{} },
		"many answers": func(r *ResponseV1) {
			for i := range 300 {
				r.Answers[fmt.Sprintf("q%03d", 300-i)] = []string{fmt.Sprint(i), "Hài lòng", "a"}
			}
		},
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			r := refSample()
			mod(r)
			checkCanonicalSame(t, r)
		})
	}
	if _, err := Canonical(nil); ErrorCode(err) != CodeInvalid {
		t.Errorf("Canonical(nil): %v", err)
	}
	if _, err := NormalizeCanonical(nil); ErrorCode(err) != CodeInvalid {
		t.Errorf("NormalizeCanonical(nil): %v", err)
	}
}

func TestNormalizeNoAllocWhenNormal(t *testing.T) {
	r := refSample()
	r.Normalize()
	if n := testing.AllocsPerRun(100, func() { r.Normalize() }); n != 0 {
		t.Errorf("Normalize of a normal response allocates %v times", n)
	}
}

// FuzzCanonical compares Canonical, SigningBytes, NormalizeCanonical and
// Normalize with their encoding/json reference on arbitrary responses:
// any text (invalid UTF-8, NFD, control characters), times in any zone,
// and answer maps up to a few hundred codes. answers is split at NUL into
// code, values (split at \x01), code, values...; an empty values part is
// a nil list, "\x02" an empty one. extra adds that many generated codes.
func FuzzCanonical(f *testing.F) {
	f.Add("019abcde-f012-7345-8678-9abcdef01234", "mot-cua-nhanh", 1, "q1\x00hl\x00q3\x00cho\x01anh\x00why\x00Nhân viên rất tận tình",
		int64(1795000000), int64(123456789), 0, "Phường Hoàn Kiếm", "dev-1", "vi", "complete", false, "", "KCN Thăng Long – ca sáng", false, uint16(0))
	f.Add("a\x00\"\\\u2028\u2029", "\xff\xfe", -7, "a\u0300\x00x\x01\x02\x00\x00\x00q\x00\x02", int64(-62135596800), int64(999999999), 25200,
		norm.NFD.String("Hoàn Kiếm"), "<&>", "\x7f", "\u00e0", true, "\ufffd", "\t\n\r\b\f", true, uint16(300))
	f.Fuzz(func(t *testing.T, id, surveyID string, version int, answers string, sec, nsec int64, offset int,
		sp, dev, lang, status string, misuse bool, reason, tag string, assisted bool, extra uint16) {
		zone := time.UTC
		if offset != 0 {
			zone = time.FixedZone("Z", offset%(24*3600))
		}
		start := time.Unix(sec%(400*365*86400), nsec).In(zone)
		r := &ResponseV1{
			ID: id, SurveyID: surveyID, SurveyVersion: version,
			StartedAt: start, FinishedAt: start.Add(time.Duration(nsec)),
			ServicePoint: sp, DeviceID: dev, Lang: lang, Status: status,
			Misuse: misuse, MisuseReason: reason, EventTag: tag, Assisted: assisted,
		}
		if answers != "" {
			r.Answers = map[string][]string{}
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
			for i := range int(extra % 400) {
				r.Answers[fmt.Sprintf("x%d", i)] = []string{parts[0], tag}
			}
		}
		if nfcKeysCollide(r.Answers) {
			t.Skip("answer codes collide under NFC: Normalize keeps either, in map order")
		}
		checkCanonicalSame(t, r)
	})
}
