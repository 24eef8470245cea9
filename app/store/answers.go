package store

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// answersDecoder turns the stored answers column back into survey.Answers.
// The store writes one shape only, a JSON object of question code to an
// array of answer codes, and exports read it a million times, so the common
// case is parsed by hand: strings without escapes become substrings of the
// column's text (no copy), and each response gets one map and one backing
// array for all its codes. Anything else (escapes, null, invalid UTF-8,
// malformed text) goes to encoding/json, so the result is always exactly
// what json.Unmarshal gives. A decoder keeps scratch space between rows and
// is not safe for concurrent use; the zero value is ready.
type answersDecoder struct {
	entries []answerEntry // one per key, in text order
	codes   []string      // every code of every key, in text order
}

// answerEntry is one key of the object and its codes, codes[from:to].
type answerEntry struct {
	key      string
	from, to int
	null     bool
}

// decode parses s. The result is never shared with another call's result,
// except for the immutable strings.
func (d *answersDecoder) decode(s string) (survey.Answers, error) {
	if a, ok := d.fast(s); ok {
		return a, nil
	}
	return unmarshalAnswers(s)
}

// decodeInto parses s into a, which it clears first, and returns a; when
// s is not of the common shape it returns encoding/json's new map instead
// and leaves a alone. The slices of the result are the decoder's scratch
// space, overwritten by its next call.
func (d *answersDecoder) decodeInto(s string, a survey.Answers) (survey.Answers, error) {
	if !d.parse(s) {
		return unmarshalAnswers(s)
	}
	clear(a)
	d.fill(a, d.codes)
	return a, nil
}

func unmarshalAnswers(s string) (survey.Answers, error) {
	var a survey.Answers
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// fast parses s when it has the common shape, reporting false (and nothing
// else) for anything it does not handle.
func (d *answersDecoder) fast(s string) (survey.Answers, bool) {
	if !d.parse(s) {
		return nil, false
	}
	a := make(survey.Answers, len(d.entries))
	var backing []string
	if len(d.codes) > 0 {
		backing = make([]string, len(d.codes))
		copy(backing, d.codes)
	}
	d.fill(a, backing)
	return a, true
}

// parse reads s into d.entries and d.codes when it has the common shape.
func (d *answersDecoder) parse(s string) bool {
	d.entries = d.entries[:0]
	d.codes = d.codes[:0]
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return false
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		i++
	} else {
		for {
			key, j, ok := plainString(s, i)
			if !ok {
				return false
			}
			i = skipSpace(s, j)
			if i >= len(s) || s[i] != ':' {
				return false
			}
			i = skipSpace(s, i+1)
			e := answerEntry{key: key, from: len(d.codes)}
			switch {
			case i < len(s) && s[i] == '[':
				i = skipSpace(s, i+1)
				if i < len(s) && s[i] == ']' {
					i++
				} else {
					for {
						code, j, ok := plainString(s, i)
						if !ok {
							return false
						}
						d.codes = append(d.codes, code)
						i = skipSpace(s, j)
						if i < len(s) && s[i] == ',' {
							i = skipSpace(s, i+1)
							continue
						}
						if i < len(s) && s[i] == ']' {
							i++
							break
						}
						return false
					}
				}
			case len(s)-i >= 4 && s[i:i+4] == "null":
				e.null = true
				i += 4
			default:
				return false
			}
			e.to = len(d.codes)
			d.entries = append(d.entries, e)
			i = skipSpace(s, i)
			if i < len(s) && s[i] == ',' {
				i = skipSpace(s, i+1)
				continue
			}
			if i < len(s) && s[i] == '}' {
				i++
				break
			}
			return false
		}
	}
	return skipSpace(s, i) == len(s)
}

// fill sets a's keys from the parsed entries, their codes slices of
// backing (d.codes or a copy of it).
func (d *answersDecoder) fill(a survey.Answers, backing []string) {
	for _, e := range d.entries {
		switch {
		case e.null:
			// json.Unmarshal stores a nil slice for null, also over an
			// earlier value of a repeated key.
			a[e.key] = nil
		case e.from == e.to:
			a[e.key] = []string{}
		default:
			// Full slice expression: appending to one key's codes must not
			// overwrite the next key's.
			a[e.key] = backing[e.from:e.to:e.to]
		}
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// plainString reads the JSON string starting at s[i] when it has no escapes,
// no control characters and is valid UTF-8 (then its text is exactly the
// bytes between the quotes), returning it as a substring of s and the index
// after its closing quote.
func plainString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	start := i + 1
	ascii := true
	for j := start; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			v := s[start:j]
			if !ascii && !utf8.ValidString(v) {
				return "", 0, false // json.Unmarshal replaces invalid bytes with U+FFFD
			}
			return v, j + 1, true
		case c == '\\' || c < 0x20:
			return "", 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", 0, false
}
