package postgres

import (
	"time"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// canonicalScanner walks canonical bytes, held as one string so that the
// fields it reads are substrings of it. ok turns false at the first byte
// out of the expected layout, and every later step then fails too.
type canonicalScanner struct {
	s  string
	i  int
	ok bool
}

// lit consumes the literal l.
func (c *canonicalScanner) lit(l string) {
	if c.ok && len(c.s)-c.i >= len(l) && c.s[c.i:c.i+len(l)] == l {
		c.i += len(l)
		return
	}
	c.ok = false
}

// str consumes a JSON string without escapes or control characters whose
// bytes are valid UTF-8: then its text is exactly the bytes between the
// quotes (json.Unmarshal would turn invalid bytes into U+FFFD).
func (c *canonicalScanner) str() string {
	if !c.ok || c.i >= len(c.s) || c.s[c.i] != '"' {
		c.ok = false
		return ""
	}
	start := c.i + 1
	ascii := true
	for j := start; j < len(c.s); j++ {
		b := c.s[j]
		if b == '"' {
			v := c.s[start:j]
			if !ascii && !utf8.ValidString(v) {
				break
			}
			c.i = j + 1
			return v
		}
		if b == '\\' || b < 0x20 {
			break
		}
		if b >= utf8.RuneSelf {
			ascii = false
		}
	}
	c.ok = false
	return ""
}

// digits consumes a decimal number without sign, leading zero (except 0
// itself), fraction or exponent, of at most 18 digits.
func (c *canonicalScanner) digits() int64 {
	j := c.i
	for j < len(c.s) && j-c.i < 19 && c.s[j] >= '0' && c.s[j] <= '9' {
		j++
	}
	n := j - c.i
	if !c.ok || n == 0 || n > 18 || (n > 1 && c.s[c.i] == '0') {
		c.ok = false
		return 0
	}
	var v int64
	for _, b := range []byte(c.s[c.i:j]) {
		v = v*10 + int64(b-'0')
	}
	c.i = j
	return v
}

// boolean consumes true or false.
func (c *canonicalScanner) boolean() bool {
	switch {
	case !c.ok:
	case len(c.s)-c.i >= 4 && c.s[c.i:c.i+4] == "true":
		c.i += 4
		return true
	case len(c.s)-c.i >= 5 && c.s[c.i:c.i+5] == "false":
		c.i += 5
		return false
	}
	c.ok = false
	return false
}

// instant consumes a string in protocol.TimeFormat, read as
// time.Time.UnmarshalJSON reads it.
func (c *canonicalScanner) instant() time.Time {
	v := c.str()
	if !c.ok || len(v) != len(protocol.TimeFormat) || v[len(v)-1] != 'Z' {
		c.ok = false
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		c.ok = false
	}
	return t
}

// answers consumes the answers object: keys strictly increasing (so no
// key repeats), each with a non-empty array of codes.
func (c *canonicalScanner) answers(codes []string) (survey.Answers, []string) {
	c.lit("{")
	type entry struct {
		key      string
		from, to int
	}
	var stack [16]entry
	entries := stack[:0]
	if c.ok && c.i < len(c.s) && c.s[c.i] == '}' {
		c.i++
	} else {
		for c.ok {
			k := c.str()
			if len(entries) > 0 && k <= entries[len(entries)-1].key {
				c.ok = false
			}
			c.lit(":[")
			e := entry{key: k, from: len(codes)}
			for c.ok {
				codes = append(codes, c.str())
				if c.ok && c.i < len(c.s) && c.s[c.i] == ',' {
					c.i++
					continue
				}
				c.lit("]")
				break
			}
			e.to = len(codes)
			entries = append(entries, e)
			if c.ok && c.i < len(c.s) && c.s[c.i] == ',' {
				c.i++
				continue
			}
			c.lit("}")
			break
		}
	}
	if !c.ok {
		return nil, codes
	}
	a := make(survey.Answers, len(entries))
	backing := append([]string(nil), codes...)
	for _, e := range entries {
		// Full slice expression: appending to one key's codes must not
		// overwrite the next key's.
		a[e.key] = backing[e.from:e.to:e.to]
	}
	return a, codes
}

// decodeCanonical parses content when it has the layout protocol.Canonical
// writes — fields in its fixed order, answer keys strictly increasing,
// strings without escapes, times in protocol.TimeFormat, an optional
// version 2 `,"seq":N` last, then version 3's `,"slip":"CODE"` — into exactly what json.Unmarshal gives,
// reporting false (and nothing else) for anything it does not handle. An
// export reads every row through it; the response's text is substrings of
// one copy of content, its answer codes share one backing array.
func decodeCanonical(content []byte) (*survey.Response, bool) {
	c := canonicalScanner{s: string(content), ok: true}
	var codes [16]string
	r := &survey.Response{}
	c.lit(`{"id":`)
	r.ID = c.str()
	c.lit(`,"survey_id":`)
	r.SurveyID = c.str()
	c.lit(`,"survey_version":`)
	if v := c.digits(); v <= 1<<31-1 {
		r.SurveyVersion = int(v)
	} else {
		c.ok = false
	}
	c.lit(`,"answers":`)
	r.Answers, _ = c.answers(codes[:0])
	c.lit(`,"started_at":`)
	r.StartedAt = c.instant()
	c.lit(`,"finished_at":`)
	r.FinishedAt = c.instant()
	c.lit(`,"service_point":`)
	r.ServicePoint = c.str()
	c.lit(`,"device_id":`)
	r.DeviceID = c.str()
	c.lit(`,"lang":`)
	r.Lang = c.str()
	c.lit(`,"status":`)
	r.Status = survey.Status(c.str())
	c.lit(`,"misuse":`)
	r.Misuse = c.boolean()
	c.lit(`,"misuse_reason":`)
	r.MisuseReason = c.str()
	c.lit(`,"event_tag":`)
	r.EventTag = c.str()
	c.lit(`,"assisted":`)
	r.Assisted = c.boolean()
	if c.ok && len(c.s)-c.i > 1 { // version 2: the sequence number, not a field of Response
		c.lit(`,"seq":`)
		c.digits()
		if c.ok && len(c.s)-c.i > 1 { // version 3: the slip code
			c.lit(`,"slip":`)
			r.Slip = c.str()
		}
	}
	c.lit("}")
	return r, c.ok && c.i == len(c.s)
}
