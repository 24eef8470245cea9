package protocol

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// The batch fast path: a decoder for the one shape every kiosk sends,
//
//	{"items":[{"response":{...},"seq":N,"slip":"CODE","signature":"<base64>"},...],"mark":{...}}
//
// that gives exactly the Batch encoding/json would (the hub ingest target
// in docs/BENCHMARKS.md needs it).
// It takes only what it is sure to decode as encoding/json does: the exact
// field names (encoding/json also matches them case-insensitively), each at
// most once per object, values of the field's JSON type or null, integers
// without fraction or exponent. Anything else — an escape in a field name,
// an unknown, differently cased or repeated field, a type mismatch, a
// syntax error, trailing data — makes it give up, and ParseBatch decodes
// the input with encoding/json instead, so every error and every unusual
// case is encoding/json's own. FuzzParseBatchFast compares the two.

// batchParser holds the state of one fast-path parse.
type batchParser struct {
	data []byte
	pos  int
	// intern shares the strings that repeat across items (survey ids,
	// languages, answer codes...) within this batch.
	intern map[string]string
	// resps, strs and sigs are slabs the items' values are cut from.
	resps []ResponseV1
	strs  []string
	sigs  []byte
	// list collects one answer list before it is copied to strs.
	list []string
}

// parseBatchFast decodes data, which must be valid UTF-8, into a Batch as
// encoding/json would. ok is false when data is not of the shape the fast
// path handles; the Batch is then unusable and data must be decoded with
// encoding/json.
func parseBatchFast(data []byte) (b Batch, ok bool) {
	p := batchParser{data: data, intern: make(map[string]string, 64)}
	if !p.batch(&b) {
		return Batch{}, false
	}
	return b, true
}

// batch parses the top-level object and checks nothing but white space
// follows it.
func (p *batchParser) batch(b *Batch) bool {
	p.ws()
	if !p.byte('{') {
		return false
	}
	seen := false
	return p.object(func(key []byte) bool {
		switch {
		case string(key) == "items" && !seen:
			seen = true
			return p.items(b)
		case string(key) == "mark" && b.Mark == nil:
			if p.null() {
				return true
			}
			b.Mark = new(Mark)
			return p.mark(b.Mark)
		}
		return false
	}) && p.end()
}

// end reports whether only white space is left.
func (p *batchParser) end() bool {
	p.ws()
	return p.pos == len(p.data)
}

// items parses the items array (or null).
func (p *batchParser) items(b *Batch) bool {
	if p.null() {
		b.Items = nil
		return true
	}
	if !p.byte('[') {
		return false
	}
	b.Items = make([]Item, 0, min(MaxBatchItems+1, 1+len(p.data)/400))
	return p.array(func() bool {
		b.Items = append(b.Items, Item{})
		return p.item(&b.Items[len(b.Items)-1])
	})
}

// item parses one {"response":...,"signature":...} object.
func (p *batchParser) item(it *Item) bool {
	if !p.byte('{') {
		return false // null and other types: leave them to encoding/json
	}
	var seen uint8
	return p.object(func(key []byte) bool {
		var bit uint8
		switch string(key) {
		case "response":
			bit = 1
		case "signature":
			bit = 2
		case "seq":
			bit = 4
		case "slip":
			bit = 8
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if p.null() {
			return true // the field stays nil, as encoding/json leaves it
		}
		if bit == 8 {
			s, ok := p.string(false)
			it.Slip = s
			return ok
		}
		if bit == 4 {
			var n int
			ok := p.int(&n)
			it.Seq = int64(n)
			return ok
		}
		if bit == 1 {
			if !p.byte('{') {
				return false
			}
			it.Response = p.newResponse()
			return p.response(it.Response)
		}
		return p.signature(&it.Signature)
	})
}

// mark parses a high-water mark object; a repeated, unknown or null
// field gives up (encoding/json decides).
func (p *batchParser) mark(m *Mark) bool {
	if !p.byte('{') {
		return false
	}
	var seen uint8
	return p.object(func(key []byte) bool {
		var bit uint8
		switch string(key) {
		case "device_id":
			bit = 1
		case "seq":
			bit = 2
		case "at":
			bit = 4
		case "signature":
			bit = 8
		case "from":
			bit = 16
		default:
			return false
		}
		if seen&bit != 0 || p.null() {
			return false
		}
		seen |= bit
		switch bit {
		case 1:
			s, ok := p.string(true)
			m.DeviceID = s
			return ok
		case 2:
			var n int
			ok := p.int(&n)
			m.Seq = int64(n)
			return ok
		case 4:
			return p.time(&m.At)
		case 16:
			var n int
			ok := p.int(&n)
			m.From = int64(n)
			return ok
		}
		return p.signature(&m.Signature)
	})
}

// newResponse returns a zero response cut from a slab.
func (p *batchParser) newResponse() *ResponseV1 {
	if len(p.resps) == 0 {
		p.resps = make([]ResponseV1, 32)
	}
	r := &p.resps[0]
	p.resps = p.resps[1:]
	return r
}

// signature decodes a base64 string as encoding/json does for []byte:
// standard encoding with padding (the decoder skips \r and \n).
func (p *batchParser) signature(sig *[]byte) bool {
	raw, esc, ok := p.stringToken()
	if !ok || esc {
		return false
	}
	s := raw[1 : len(raw)-1]
	n := base64.StdEncoding.DecodedLen(len(s))
	if cap(p.sigs)-len(p.sigs) < n || p.sigs == nil {
		p.sigs = make([]byte, 0, max(n, 64*64))
	}
	dst := p.sigs[len(p.sigs) : len(p.sigs)+n]
	m, err := base64.StdEncoding.Decode(dst, s)
	if err != nil {
		return false
	}
	*sig = dst[:m:m]
	p.sigs = p.sigs[:len(p.sigs)+m]
	return true
}

// Bits of the response fields seen, to give up on a repeated field.
const (
	fID = 1 << iota
	fSurveyID
	fSurveyVersion
	fAnswers
	fStartedAt
	fFinishedAt
	fServicePoint
	fDeviceID
	fLang
	fStatus
	fMisuse
	fMisuseReason
	fEventTag
	fAssisted
)

// response parses a response object after its '{'. A null value leaves
// its field zero, as encoding/json does for a field not yet set.
func (p *batchParser) response(r *ResponseV1) bool {
	var seen uint16
	return p.object(func(key []byte) bool {
		var bit uint16
		var str *string
		var shared bool // intern the value: it repeats across items
		switch string(key) {
		case "id":
			bit, str = fID, &r.ID
		case "survey_id":
			bit, str, shared = fSurveyID, &r.SurveyID, true
		case "survey_version":
			bit = fSurveyVersion
		case "answers":
			bit = fAnswers
		case "started_at":
			bit = fStartedAt
		case "finished_at":
			bit = fFinishedAt
		case "service_point":
			bit, str, shared = fServicePoint, &r.ServicePoint, true
		case "device_id":
			bit, str, shared = fDeviceID, &r.DeviceID, true
		case "lang":
			bit, str, shared = fLang, &r.Lang, true
		case "status":
			bit = fStatus
		case "misuse":
			bit = fMisuse
		case "misuse_reason":
			bit, str = fMisuseReason, &r.MisuseReason
		case "event_tag":
			bit, str, shared = fEventTag, &r.EventTag, true
		case "assisted":
			bit = fAssisted
		default:
			return false
		}
		if seen&bit != 0 {
			return false
		}
		seen |= bit
		if p.null() {
			return true
		}
		switch bit {
		case fSurveyVersion:
			return p.int(&r.SurveyVersion)
		case fAnswers:
			return p.answers(&r.Answers)
		case fStartedAt:
			return p.time(&r.StartedAt)
		case fFinishedAt:
			return p.time(&r.FinishedAt)
		case fStatus:
			s, ok := p.string(true)
			r.Status = s
			return ok
		case fMisuse:
			return p.bool(&r.Misuse)
		case fAssisted:
			return p.bool(&r.Assisted)
		}
		s, ok := p.string(shared)
		*str = s
		return ok
	})
}

// answers parses the answers object: a map of code to list of codes. As in
// encoding/json a repeated code keeps its last list, null makes a nil
// list and a null element an empty string.
func (p *batchParser) answers(a *map[string][]string) bool {
	if !p.byte('{') {
		return false
	}
	m := make(map[string][]string, 8)
	*a = m
	return p.object(func(key []byte) bool {
		code := p.intern1(key)
		if p.null() {
			m[code] = nil
			return true
		}
		if !p.byte('[') {
			return false
		}
		p.list = p.list[:0]
		if !p.array(func() bool {
			if p.null() {
				p.list = append(p.list, "")
				return true
			}
			s, ok := p.string(true)
			p.list = append(p.list, s)
			return ok
		}) {
			return false
		}
		m[code] = p.strings(p.list)
		return true
	})
}

// strings copies vals to a list cut from a slab, its capacity its length
// so appending to it never touches its neighbours. Empty vals gives an
// empty, non-nil list, as encoding/json makes for [].
func (p *batchParser) strings(vals []string) []string {
	if len(vals) > cap(p.strs)-len(p.strs) || p.strs == nil {
		p.strs = make([]string, 0, max(len(vals), 512))
	}
	n := len(p.strs)
	p.strs = append(p.strs, vals...)
	return p.strs[n:len(p.strs):len(p.strs)]
}

// time parses a time as encoding/json does: the raw string token,
// escapes and all, goes to time.Time's UnmarshalJSON.
func (p *batchParser) time(t *time.Time) bool {
	raw, _, ok := p.stringToken()
	return ok && t.UnmarshalJSON(raw) == nil
}

// int parses a JSON integer that fits an int: an optional minus, no
// leading zero, at most 18 digits, no fraction or exponent.
func (p *batchParser) int(v *int) bool {
	i := p.pos
	neg := i < len(p.data) && p.data[i] == '-'
	if neg {
		i++
	}
	start := i
	n := 0
	for i < len(p.data) && p.data[i] >= '0' && p.data[i] <= '9' {
		n = n*10 + int(p.data[i]-'0')
		i++
	}
	digits := i - start
	if digits == 0 || digits > 18 || (digits > 1 && p.data[start] == '0') {
		return false
	}
	if i < len(p.data) && (p.data[i] == '.' || p.data[i] == 'e' || p.data[i] == 'E') {
		return false
	}
	if neg {
		n = -n
	}
	*v = n
	p.pos = i
	return true
}

// bool parses true or false.
func (p *batchParser) bool(v *bool) bool {
	switch {
	case p.literal("true"):
		*v = true
	case p.literal("false"):
		*v = false
	default:
		return false
	}
	return true
}

// null consumes a null literal if one is next.
func (p *batchParser) null() bool { return p.literal("null") }

// literal consumes lit if it is next and not followed by more letters.
func (p *batchParser) literal(lit string) bool {
	end := p.pos + len(lit)
	if end > len(p.data) || string(p.data[p.pos:end]) != lit {
		return false
	}
	if end < len(p.data) && isLetter(p.data[end]) {
		return false
	}
	p.pos = end
	return true
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// string parses a JSON string value. Strings without escapes are copied
// (shared ones through the batch's intern table); strings with escapes are
// unquoted by encoding/json itself.
func (p *batchParser) string(shared bool) (string, bool) {
	raw, esc, ok := p.stringToken()
	if !ok {
		return "", false
	}
	if esc {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	body := raw[1 : len(raw)-1]
	if shared {
		return p.intern1(body), true
	}
	return string(body), true
}

// intern1 returns b as a string shared within the batch.
func (p *batchParser) intern1(b []byte) string {
	if s, ok := p.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(s) <= 64 && len(p.intern) < 4096 {
		p.intern[s] = s
	}
	return s
}

// stringToken returns the raw string token at pos, quotes included, and
// whether it holds a backslash. It gives up on a control character, which
// JSON does not allow raw in a string.
func (p *batchParser) stringToken() (raw []byte, esc, ok bool) {
	if p.pos >= len(p.data) || p.data[p.pos] != '"' {
		return nil, false, false
	}
	for i := p.pos + 1; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case c == '"':
			raw = p.data[p.pos : i+1]
			p.pos = i + 1
			return raw, esc, true
		case c == '\\':
			esc = true
			i++ // the escaped byte; \uXXXX's hex digits are plain bytes
		case c < 0x20:
			return nil, false, false
		}
	}
	return nil, false, false
}

// object parses the members of an object after its '{' up to and with its
// '}', calling member with each field name (without escapes: a name with a
// backslash gives up) with pos at the value, after white space.
func (p *batchParser) object(member func(key []byte) bool) bool {
	p.ws()
	if p.byte('}') {
		return true
	}
	for {
		raw, esc, ok := p.stringToken()
		if !ok || esc {
			return false
		}
		p.ws()
		if !p.byte(':') {
			return false
		}
		p.ws()
		if !member(raw[1 : len(raw)-1]) {
			return false
		}
		p.ws()
		if p.byte(',') {
			p.ws()
			continue
		}
		return p.byte('}')
	}
}

// array parses the elements of an array after its '[' up to and with its
// ']', calling elem with pos at each element, after white space.
func (p *batchParser) array(elem func() bool) bool {
	p.ws()
	if p.byte(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		p.ws()
		if p.byte(',') {
			p.ws()
			continue
		}
		return p.byte(']')
	}
}

// byte consumes c if it is next.
func (p *batchParser) byte(c byte) bool {
	if p.pos < len(p.data) && p.data[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// ws skips JSON white space.
func (p *batchParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}
