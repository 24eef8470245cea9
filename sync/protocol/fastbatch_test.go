package protocol

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parseBatchRef is ParseBatch as it was before the fast path: encoding/json
// alone, then the checks and the reference Normalize.
func parseBatchRef(data []byte) (*Batch, error) {
	if len(data) > MaxBatchBytes {
		return nil, Errorf(CodeTooLarge, "batch is over the %d-byte limit", MaxBatchBytes)
	}
	var b Batch
	if err := unmarshalStrict(data, &b); err != nil {
		return nil, err
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	for _, it := range b.Items {
		normalizeRef(it.Response)
	}
	return &b, nil
}

// checkFastSame fails t unless the fast path, when it takes data, decodes
// it exactly as encoding/json does, and ParseBatch answers exactly as the
// encoding/json-only reference (same Batch or same error). It returns
// whether the fast path took data.
func checkFastSame(t *testing.T, data []byte) bool {
	t.Helper()
	var ok bool
	if utf8.Valid(data) { // ParseBatch refuses invalid UTF-8 before either path
		var fast Batch
		fast, ok = parseBatchFast(data)
		var std Batch
		err := unmarshalStrict(data, &std)
		if ok && err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses (%v):\n%q", err, data)
		}
		if ok && !reflect.DeepEqual(fast, std) {
			t.Fatalf("fast path decoded differently:\n got %s\nwant %s\ninput %q", dump(fast), dump(std), data)
		}
	}
	got, gerr := ParseBatch(data)
	want, werr := parseBatchRef(data)
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("ParseBatch error %v, reference %v\ninput %q", gerr, werr, data)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseBatch gave\n%s\nreference\n%s\ninput %q", dump(*got), dump(*want), data)
	}
	return ok
}

// dump shows a batch with nil and empty lists and maps apart.
func dump(b Batch) string {
	var s strings.Builder
	for i, it := range b.Items {
		fmt.Fprintf(&s, "item %d: sig %#v\n", i, it.Signature)
		if it.Response != nil {
			r := *it.Response
			fmt.Fprintf(&s, "  %#v\n  started %s %v, finished %s %v\n", r, r.StartedAt, r.StartedAt.Location(), r.FinishedAt, r.FinishedAt.Location())
		}
	}
	return s.String()
}

// refBatch is two signed sample items encoded as a kiosk sends them.
func refBatch(t testing.TB) []byte {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	var b Batch
	for i := range 2 {
		r := refSample()
		r.ID = fmt.Sprintf("019abcde-f012-7345-8678-%012x", i)
		it, err := Sign(priv, r.ToResponse())
		if err != nil {
			t.Fatal(err)
		}
		b.Items = append(b.Items, it)
	}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fastCases are inputs for TestParseBatchFastPath and seeds for
// FuzzParseBatchFast: whether the fast path should take each.
func fastCases(t testing.TB) map[string]struct {
	data string
	fast bool
} {
	good := string(refBatch(t))
	// sync/client sends each response in its canonical encoding.
	r := refSample()
	r.EventTag = "a<b>&c\u2028\"q\"\\"
	r.Misuse = true
	canon, err := Canonical(r)
	if err != nil {
		t.Fatal(err)
	}
	client := `{"items":[{"response":` + string(canon) + `,"signature":"AAAA"},{"response":` + string(canon) + `,"signature":"AAAA"}]}`
	one := func(resp string) string { return `{"items":[{"response":` + resp + `,"signature":"AAAA"}]}` }
	const id = `"id":"019abcde-f012-7345-8678-9abcdef01234"`
	return map[string]struct {
		data string
		fast bool
	}{
		"kiosk batch":          {good, true},
		"client's canonical":   {client, true},
		"white space":          {" \n\t\r" + strings.ReplaceAll(strings.ReplaceAll(good, `,"`, " ,\n \""), `":`, "\"\t: ") + "\r\n ", true},
		"empty object":         {`{}`, true},
		"null items":           {`{"items":null}`, true},
		"empty items":          {`{"items":[]}`, true},
		"empty item":           {`{"items":[{}]}`, true},
		"null response":        {`{"items":[{"response":null,"signature":null}]}`, true},
		"nulls in response":    {one(`{` + id + `,"survey_id":null,"survey_version":null,"answers":null,"started_at":null,"misuse":null,"status":null}`), true},
		"answers nulls":        {one(`{` + id + `,"answers":{"q":null,"r":[],"s":[null,"x"]}}`), true},
		"answers repeated":     {one(`{` + id + `,"answers":{"q":["a"],"q":["b","c"]}}`), true},
		"escapes in values":    {one(`{"id":"a\"b\\c\/d\b\f\n\r\t\u00e0\u2028\ud83d\ude00\ud800x","lang":"\u003c"}`), true},
		"NFD text":             {one(`{` + id + `,"service_point":"Hoa\u0300n","answers":{"q":["a\u0300","a"]}}`), true},
		"raw NFD text":         {one(`{` + id + `,"service_point":"Hoàn"}`), true},
		"time offset":          {one(`{` + id + `,"started_at":"2026-11-25T10:04:05.123456789+07:00","finished_at":"2026-11-25T03:04:05Z"}`), true},
		"negative version":     {one(`{` + id + `,"survey_version":-0}`), true},
		"big version":          {one(`{` + id + `,"survey_version":999999999999999999}`), true},
		"flags":                {one(`{` + id + `,"misuse":true,"assisted":false}`), true},
		"signature empty":      {`{"items":[{"response":{` + id + `},"signature":""}]}`, true},
		"escape in answer key": {one(`{` + id + `,"answers":{"q\u0031":["a"]}}`), false},
		"escape in field name": {one(`{"i\u0064":"x"}`), false},
		"case folded field":    {one(`{"ID":"x"}`), false},
		"case folded items":    {`{"Items":[]}`, false},
		"kelvin sign field":    {one(`{"status":"x","\u212aey":1}`), false},
		"repeated field":       {one(`{` + id + `,` + id + `}`), false},
		"repeated response":    {`{"items":[{"response":{` + id + `},"response":{"lang":"vi"}}]}`, false},
		"repeated items":       {`{"items":[],"items":[{}]}`, false},
		"unknown field":        {one(`{` + id + `,"name":"x"}`), false},
		"null item":            {`{"items":[null]}`, false},
		"string version":       {one(`{` + id + `,"survey_version":"1"}`), false},
		"fraction version":     {one(`{` + id + `,"survey_version":1.0}`), false},
		"exponent version":     {one(`{` + id + `,"survey_version":1e2}`), false},
		"leading zero":         {one(`{` + id + `,"survey_version":01}`), false},
		"huge version":         {one(`{` + id + `,"survey_version":99999999999999999999}`), false},
		"number as text":       {one(`{"id":1}`), false},
		"bad time":             {one(`{` + id + `,"started_at":"2026-11-25"}`), false},
		"escaped time":         {one(`{` + id + `,"started_at":"2026-11-25T03:04:05\u005a"}`), false},
		"bad base64":           {`{"items":[{"response":{` + id + `},"signature":"AAA"}]}`, false},
		"escaped base64":       {`{"items":[{"response":{` + id + `},"signature":"AA\r\nAA"}]}`, false},
		"bad escape":           {one(`{"id":"\x"}`), false},
		"raw control":          {one("{\"id\":\"a\tb\"}"), false},
		"trailing data":        {good + ` {}`, false},
		"trailing comma":       {`{"items":[],}`, false},
		"cut short":            {good[:len(good)/2], false},
		"top null":             {`null`, false},
		"top array":            {`[]`, false},
		"empty":                {``, false},
		"truex":                {one(`{` + id + `,"misuse":truex}`), false},
		"v2 item with mark":    {`{"items":[{"response":{` + id + `},"seq":17,"signature":"AAAA"}],"mark":{"device_id":"dev-1","from":3,"seq":20,"at":"2026-12-02T08:00:00.000Z","signature":"AAAA"}}`, true},
		"mark first":           {`{"mark":{"seq":1},"items":[]}`, true},
		"null mark":            {`{"items":[],"mark":null}`, true},
		"repeated seq":         {`{"items":[{"seq":1,"seq":2}]}`, false},
		"fraction seq":         {`{"items":[{"seq":1.5}]}`, false},
		"null in mark":         {`{"mark":{"seq":null}}`, false},
		"unknown in mark":      {`{"mark":{"seq":1,"x":2}}`, false},
		"repeated mark":        {`{"mark":{"seq":1},"mark":{"seq":2}}`, false},
		"v3 item":              {`{"items":[{"response":{` + id + `},"seq":17,"slip":"6BS8PH9C1H","signature":"AAAA"}]}`, true},
		"null slip":            {`{"items":[{"response":{` + id + `},"seq":17,"slip":null,"signature":"AAAA"}]}`, true},
		"escaped slip":         {`{"items":[{"response":{` + id + `},"seq":17,"slip":"6BS8PH9C1\u0048","signature":"AAAA"}]}`, true},
		"repeated slip":        {`{"items":[{"slip":"A","slip":"B"}]}`, false},
		"number slip":          {`{"items":[{"slip":1}]}`, false},
		"case folded slip":     {`{"items":[{"Slip":"A"}]}`, false},
	}
}

func TestParseBatchFastPath(t *testing.T) {
	for name, tt := range fastCases(t) {
		t.Run(name, func(t *testing.T) {
			if got := checkFastSame(t, []byte(tt.data)); got != tt.fast {
				t.Errorf("fast path taken = %v, want %v", got, tt.fast)
			}
		})
	}
	big := mustBatch(t, MaxBatchItems+1)
	if !checkFastSame(t, big) {
		t.Error("fast path refused a batch of 501 items")
	}
}

// mustBatch encodes n signed sample items.
func mustBatch(t testing.TB, n int) []byte {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	b := Batch{Items: make([]Item, n)}
	for i := range n {
		r := refSample()
		r.ID = fmt.Sprintf("019abcde-f012-7345-8678-%012x", i)
		r.Answers = map[string][]string{"n": {fmt.Sprint(i)}}
		it, err := Sign(priv, r.ToResponse())
		if err != nil {
			t.Fatal(err)
		}
		b.Items[i] = it
	}
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// FuzzParseBatchFast checks that the batch fast path decodes exactly as
// encoding/json does whenever it takes an input, and that ParseBatch
// answers every input exactly as the encoding/json-only reference: the
// same Batch, or the same error. Seeds: the cases of TestParseBatchFastPath.
func FuzzParseBatchFast(f *testing.F) {
	for _, tt := range fastCases(f) {
		f.Add([]byte(tt.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastSame(t, data)
	})
}

// FuzzParseBatchFastValues is FuzzParseBatchFast on well-formed batches of
// arbitrary content, encoded by encoding/json (which escapes <, >, &,
// U+2028, U+2029 and control characters and writes invalid UTF-8 as
// U+FFFD), compact or indented, so the fast path sees every kind of value.
func FuzzParseBatchFastValues(f *testing.F) {
	f.Add("019abcde-f012-7345-8678-9abcdef01234", "Phường Hoàn Kiếm", "q1", "hl", 1, int64(1795000000), int64(123456789), 0, false, []byte{1, 2, 3}, false)
	f.Add("<a&b>\u2028", "a\u0300\x00\x1f\"\\", "\xff", "\u00e0", -1, int64(-62135596800), int64(999999999), 25200, true, []byte{}, true)
	f.Fuzz(func(t *testing.T, id, text, code, val string, version int, sec, nsec int64, offset int, flag bool, sig []byte, indent bool) {
		zone := time.UTC
		if offset != 0 {
			zone = time.FixedZone("", offset%(18*3600))
		}
		start := time.Unix(sec%(9000*365*86400), nsec).In(zone)
		r := &ResponseV1{
			ID: id, SurveyID: text, SurveyVersion: version,
			Answers:   map[string][]string{code: {val, text}, val: nil, text: {}},
			StartedAt: start, FinishedAt: start.Add(time.Duration(nsec)),
			ServicePoint: text, DeviceID: code, Lang: val, Status: id,
			Misuse: flag, MisuseReason: text, EventTag: val, Assisted: !flag,
		}
		data, err := json.Marshal(Batch{Items: []Item{{Response: r, Signature: sig}, {Response: r}}})
		if err != nil {
			t.Skip(err) // a year json cannot write
		}
		if indent {
			var buf bytes.Buffer
			if err := json.Indent(&buf, data, " ", "\t"); err != nil {
				t.Fatal(err)
			}
			data = buf.Bytes()
		}
		checkFastSame(t, data)
	})
}

// checkBundleFastSame fails t unless a bundle line the bundle reader's
// fast route takes reads exactly as through encoding/json: the record
// decoded strictly, a batch and no end, and the reference ParseBatch of
// the batch giving the same Batch or the same error.
func checkBundleFastSame(t *testing.T, line []byte) bool {
	t.Helper()
	fb, ok := bundleBatchFast(line)
	if !ok {
		return false
	}
	got, gerr := fb.finish()
	var rec struct {
		Batch json.RawMessage `json:"batch"`
		End   *BundleEnd      `json:"end"`
	}
	if err := unmarshalStrict(line, &rec); err != nil || rec.Batch == nil || rec.End != nil {
		t.Fatalf("fast route took a line encoding/json reads otherwise (%v, end %v):\n%q", err, rec.End, line)
	}
	want, werr := parseBatchRef(rec.Batch)
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("fast route error %v, reference %v\nline %q", gerr, werr, line)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fast route gave\n%s\nreference\n%s\nline %q", dump(*got), dump(*want), line)
	}
	return true
}

func TestBundleBatchFast(t *testing.T) {
	batch := string(refBatch(t))
	tests := map[string]struct {
		line string
		fast bool
	}{
		"as written":        {`{"batch":` + batch + `}`, true},
		"no items":          {`{"batch":{"items":[]}}`, true},
		"space inside":      {`{"batch":{ "items" : [ ] }}`, true},
		"space around":      {`{"batch": ` + batch + `}`, false},
		"space before end":  {`{"batch":` + batch + ` }`, false},
		"end record":        {`{"end":{"batches":1,"items":2}}`, false},
		"batch and end":     {`{"batch":{"items":[]},"end":{"batches":0,"items":0}}`, false},
		"end after batch":   {`{"batch":` + batch + `,"end":null}`, false},
		"null batch":        {`{"batch":null}`, false},
		"case folded":       {`{"Batch":` + batch + `}`, false},
		"short":             {`{"batch":}`, false},
		"cut":               {`{"batch":{"items":[}`, false},
		"two batches":       {`{"batch":{"items":[]}}{"batch":{"items":[]}}`, false},
		"invalid utf8":      {`{"batch":{"items":[{"response":{"id":"\xff"}}]}}`, false},
		"unknown in batch":  {`{"batch":{"items":[],"x":1}}`, false},
		"trailing in batch": {`{"batch":{"items":[]} 1}`, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := checkBundleFastSame(t, []byte(tt.line)); got != tt.fast {
				t.Errorf("fast route taken = %v, want %v", got, tt.fast)
			}
		})
	}
}

// FuzzBundleBatchFast checks the bundle reader's fast route against
// encoding/json on arbitrary lines (checkBundleFastSame).
func FuzzBundleBatchFast(f *testing.F) {
	f.Add([]byte(`{"batch":` + string(refBatch(f)) + `}`))
	f.Add([]byte(`{"batch":{"items":[]},"end":{"batches":0,"items":0}}`))
	f.Add([]byte(`{"batch":{"items":[]} 1}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		checkBundleFastSame(t, line)
	})
}
