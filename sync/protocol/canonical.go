package protocol

import (
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// TimeFormat is how times appear in the canonical encoding: UTC with
// millisecond precision. Normalize truncates times to it, so a response read
// back from any store that keeps at least milliseconds encodes the same.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// signingDomain prefixes the canonical bytes before signing so a signature
// over a response can never be replayed as a signature over anything else.
const signingDomain = "hailong/response/v1\n"

// Canonical returns the canonical content encoding of r: compact JSON of a
// normalised copy of r, every field present in a fixed order, answer keys
// sorted, no HTML escaping, times in TimeFormat. Equal content gives equal
// bytes; the hub compares these bytes to tell duplicate from conflict, and
// devices sign them (behind a domain prefix). r is not modified.
//
// The bytes are exactly those of encoding/json (Encoder with
// SetEscapeHTML(false)) applied to the fields in that order; the encoder is
// written out by hand because the hub runs it for every item it receives.
// The tests compare the two on arbitrary responses (FuzzCanonical).
func Canonical(r *ResponseV1) ([]byte, error) {
	if r == nil {
		return nil, Errorf(CodeInvalid, "no response")
	}
	if !r.textNormal() {
		c := *r
		c.Normalize()
		r = &c
	}
	return appendCanonical(make([]byte, 0, canonicalSize(r)), r), nil
}

// NormalizeCanonical normalises r in place (r.Normalize) and returns its
// canonical encoding (Canonical) in one pass over the text: for callers,
// like the hub, that keep the normalised response beside its content.
func NormalizeCanonical(r *ResponseV1) ([]byte, error) {
	if r == nil {
		return nil, Errorf(CodeInvalid, "no response")
	}
	r.Normalize()
	return appendCanonical(make([]byte, 0, canonicalSize(r)), r), nil
}

// canonicalSize estimates the canonical encoding's length of r so it is
// built in one allocation when no character needs escaping.
func canonicalSize(r *ResponseV1) int {
	n := 300 + len(r.ID) + len(r.SurveyID) + len(r.ServicePoint) + len(r.DeviceID) +
		len(r.Lang) + len(r.Status) + len(r.MisuseReason) + len(r.EventTag)
	for code, vals := range r.Answers {
		n += len(code) + 6
		for _, v := range vals {
			n += len(v) + 3
		}
	}
	return n
}

// appendCanonical appends the canonical encoding of r, whose text must be
// normal (textNormal); its times are formatted in UTC to the millisecond
// whatever their location and precision, as Normalize would leave them.
// The field order is fixed here and TestCanonicalCoversEveryResponseField
// checks that every field of ResponseV1 is present.
func appendCanonical(b []byte, r *ResponseV1) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"survey_id":`...)
	b = appendString(b, r.SurveyID)
	b = append(b, `,"survey_version":`...)
	b = strconv.AppendInt(b, int64(r.SurveyVersion), 10)
	b = append(b, `,"answers":`...)
	b = appendAnswers(b, r.Answers)
	b = append(b, `,"started_at":"`...)
	b = r.StartedAt.UTC().Truncate(time.Millisecond).AppendFormat(b, TimeFormat)
	b = append(b, `","finished_at":"`...)
	b = r.FinishedAt.UTC().Truncate(time.Millisecond).AppendFormat(b, TimeFormat)
	b = append(b, `","service_point":`...)
	b = appendString(b, r.ServicePoint)
	b = append(b, `,"device_id":`...)
	b = appendString(b, r.DeviceID)
	b = append(b, `,"lang":`...)
	b = appendString(b, r.Lang)
	b = append(b, `,"status":`...)
	b = appendString(b, r.Status)
	b = append(b, `,"misuse":`...)
	b = strconv.AppendBool(b, r.Misuse)
	b = append(b, `,"misuse_reason":`...)
	b = appendString(b, r.MisuseReason)
	b = append(b, `,"event_tag":`...)
	b = appendString(b, r.EventTag)
	b = append(b, `,"assisted":`...)
	b = strconv.AppendBool(b, r.Assisted)
	return append(b, '}')
}

// appendAnswers appends a normal answers map (answersNormal) as
// encoding/json does a map[string][]string: keys sorted bytewise, every
// list non-empty. A nil map is written {}, as Normalize leaves it.
func appendAnswers(b []byte, a map[string][]string) []byte {
	var stack [32]string
	keys := stack[:0]
	for code := range a {
		keys = append(keys, code)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, code := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, code)
		b = append(b, ':', '[')
		for j, v := range a[code] {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does
// without HTML escaping: '"' and '\\' escaped, control characters as \b,
// \f, \n, \r, \t or \u00XX, each invalid UTF-8 byte as \ufffd, and U+2028
// and U+2029 as \u2028 and \u2029. Everything else is copied as it is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// SigningBytes returns what a device signs for r: a fixed domain prefix and
// the canonical encoding.
func SigningBytes(r *ResponseV1) ([]byte, error) {
	if r == nil {
		return nil, Errorf(CodeInvalid, "no response")
	}
	if !r.textNormal() {
		c := *r
		c.Normalize()
		r = &c
	}
	b := make([]byte, 0, len(signingDomain)+canonicalSize(r))
	return appendCanonical(append(b, signingDomain...), r), nil
}
