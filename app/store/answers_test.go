package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestDecodeAnswers checks the hand-written decoder against encoding/json
// on the shapes it parses itself and on those it hands over.
func TestDecodeAnswers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fast bool // parsed without encoding/json
	}{
		{`{}`, true},
		{` { } `, true},
		{`{"a":["x"]}`, true},
		{`{"a":["x","y"],"b":[],"c":null}`, true},
		{"{\n \"a\" : [ \"x\" , \"y\" ] ,\t\"b\":[\"z\"]\r}", true},
		{`{"a":["x"],"a":["y","z"]}`, true},        // repeated key: last wins
		{`{"a":["x"],"a":null}`, true},             // null over an earlier value
		{`{"y_kien":["Cán bộ nhiệt tình"]}`, true}, // UTF-8
		{`{"a":["x\"y"]}`, false},                  // escapes
		{`{"a":["\u003c"]}`, false},
		{`{"a":["\ud800"]}`, false},
		{"{\"a\":[\"\xff\"]}", false}, // invalid UTF-8 becomes U+FFFD
		{"{\"a\":[\"x\ty\"]}", false}, // control character: invalid JSON
		{`null`, false},
		{`{"a":"x"}`, false},
		{`{"a":[1]}`, false},
		{`{"a":["x"]} x`, false},
		{`{"a":["x"],}`, false},
		{`{"a":["x",]}`, false},
		{`{"a" ["x"]}`, false},
		{`{"a":["x"]`, false},
		{`{"a":nul}`, false},
		{``, false},
		{`[]`, false},
	} {
		var want survey.Answers
		wantErr := json.Unmarshal([]byte(tc.in), &want)
		var d answersDecoder
		_, fast := d.fast(tc.in)
		if fast != tc.fast {
			t.Errorf("%q: fast path %v, want %v", tc.in, fast, tc.fast)
		}
		got, err := d.decode(tc.in)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: error %v, encoding/json says %v", tc.in, err, wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, encoding/json gives %#v", tc.in, got, want)
		}
		into, err := d.decodeInto(tc.in, survey.Answers{"stale": {"x"}, "a": {"old"}})
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%q: decodeInto error %v, encoding/json says %v", tc.in, err, wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(into, want) {
			t.Errorf("%q: decodeInto gives %#v, encoding/json %#v", tc.in, into, want)
		}
	}
}

// TestDecodeAnswersSlicesAreSeparate checks that appending to one
// question's codes changes neither another question's nor the next row's.
func TestDecodeAnswersSlicesAreSeparate(t *testing.T) {
	var d answersDecoder
	a, err := d.decode(`{"a":["x"],"b":["y","z"]}`)
	if err != nil {
		t.Fatal(err)
	}
	a["a"] = append(a["a"], "NEW")
	if !reflect.DeepEqual(a["b"], []string{"y", "z"}) {
		t.Fatalf("appending to a changed b: %q", a["b"])
	}
	b, err := d.decode(`{"c":["w"]}`)
	if err != nil {
		t.Fatal(err)
	}
	b["c"][0] = "CHANGED"
	if !reflect.DeepEqual(a, survey.Answers{"a": {"x", "NEW"}, "b": {"y", "z"}}) {
		t.Fatalf("a later row changed an earlier one: %q", a)
	}
}

// FuzzDecodeAnswers checks that the decoder always agrees with
// encoding/json: same error or not, same value (nil and empty slices told
// apart). Seeds are in testdata/fuzz/FuzzDecodeAnswers.
func FuzzDecodeAnswers(f *testing.F) {
	f.Add(`{"tiep_can":["hl"],"y_kien":["Cán bộ nhiệt tình"],"b":[],"c":null}`)
	f.Fuzz(func(t *testing.T, in string) {
		var want survey.Answers
		wantErr := json.Unmarshal([]byte(in), &want)
		var d answersDecoder
		if fast, ok := d.fast(in); ok {
			if wantErr != nil {
				t.Fatalf("%q: fast path accepted what encoding/json rejects: %v", in, wantErr)
			}
			if !reflect.DeepEqual(fast, want) {
				t.Fatalf("%q: fast path gives %#v, encoding/json %#v", in, fast, want)
			}
		}
		got, err := d.decode(in)
		if (err != nil) != (wantErr != nil) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%q: decode gives %#v, %v; encoding/json %#v, %v", in, got, err, want, wantErr)
		}
		into, err := d.decodeInto(in, survey.Answers{"stale": {"x"}})
		if (err != nil) != (wantErr != nil) || (err == nil && !reflect.DeepEqual(into, want)) {
			t.Fatalf("%q: decodeInto gives %#v, %v; encoding/json %#v, %v", in, into, err, want, wantErr)
		}
	})
}

// TestParseStoredTime checks the fixed-layout parser against time.Parse.
func TestParseStoredTime(t *testing.T) {
	for _, in := range []string{
		"2026-01-01T01:00:00.000000000Z",
		"2026-11-25T23:59:59.999999999Z",
		"0001-01-01T00:00:00.000000000Z",
		"9999-12-31T23:59:59.999999999Z",
		"2024-02-29T12:00:00.000000001Z",
		"2000-02-29T12:00:00.000000000Z",
		"1900-02-29T12:00:00.000000000Z", // not a leap year
		"2026-02-29T12:00:00.000000000Z",
		"2026-04-31T12:00:00.000000000Z",
		"2026-13-01T12:00:00.000000000Z",
		"2026-00-01T12:00:00.000000000Z",
		"2026-01-00T12:00:00.000000000Z",
		"2026-01-01T24:00:00.000000000Z",
		"2026-01-01T23:60:00.000000000Z",
		"2026-01-01T23:59:60.000000000Z",
		"2026-01-01T23:59:59.00000000Z",
		"2026-01-01 23:59:59.000000000Z",
		"2026-01-01T23:59:59.0000000000",
		"2026-01-01T23:59:59.00000000aZ",
		"+026-01-01T23:59:59.000000000Z",
		"",
	} {
		want, wantErr := parseTime(in)
		got, err := parseStoredTime(in)
		if got != want || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Errorf("%q: got %v, %v; time.Parse gives %v, %v", in, got, err, want, wantErr)
		}
	}
}

// FuzzParseStoredTime checks the fixed-layout parser against time.Parse.
func FuzzParseStoredTime(f *testing.F) {
	f.Add("2026-01-01T01:00:00.000000000Z")
	f.Add("2024-02-29T23:59:59.999999999Z")
	f.Fuzz(func(t *testing.T, in string) {
		want, wantErr := parseTime(in)
		got, err := parseStoredTime(in)
		if got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: got %v, %v; time.Parse gives %v, %v", in, got, err, want, wantErr)
		}
	})
}

// BenchmarkDecodeAnswers decodes a typical SIPAS row.
func BenchmarkDecodeAnswers(b *testing.B) {
	const row = `{"cong_chuc_thai_do":["hl"],"ket_qua":["bt"],"thoi_gian":["rhl"],"thu_tuc_cong_khai":["khl"],"tiep_can":["hl"],"tiep_nhan":["rhl"],"y_kien":["Cán bộ nhiệt tình, hướng dẫn rõ ràng. Cảm ơn!"]}`
	var d answersDecoder
	for b.Loop() {
		if _, err := d.decode(row); err != nil {
			b.Fatal(err)
		}
	}
}
