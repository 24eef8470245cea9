package survey

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/i18n"
)

// MaxDefinitionSize is the largest survey file Parse accepts, in bytes.
const MaxDefinitionSize = 1 << 20

// Parse decodes a survey definition from JSON, strictly: an unknown or
// repeated field, a value of the wrong kind or trailing data is a problem.
// It then NFC-normalises every text and code, trims the spaces around them,
// and validates the result. The error, if any, is Problems holding every
// problem found, each with the line it is on. A UTF-8 byte order mark at the
// start is ignored.
func Parse(data []byte) (*Survey, error) {
	return parseDefinition(data, "survey", "", (*Survey).normalize, Validate)
}

// parseDefinition is Parse for a definition of type T (a survey, a slide
// set): the file-level checks, the strict walk that gives every problem its
// line, decoding, normalize and validate, all problems together. variant
// picks the messages naming what the file holds ("" a survey, ".slides").
func parseDefinition[T any](data []byte, what, variant string, normalize func(*T), validate func(*T) error) (*T, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var c problems
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		c.add("", "survey.problem.empty"+variant, nil)
		return nil, c.err()
	case len(data) > MaxDefinitionSize:
		c.add("", "survey.problem.too_large", map[string]any{"Count": len(data), "Max": MaxDefinitionSize})
		return nil, c.err()
	case !utf8.Valid(data):
		c.add("", "survey.problem.not_utf8", nil)
		c.list[0].Line = lineAt(data, invalidUTF8At(data))
		return nil, c.err()
	}

	w := &walker{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: map[string]int{}}
	w.dec.UseNumber()
	if err := w.value("", reflect.TypeFor[T]()); err != nil {
		w.syntax(err)
		return nil, w.err()
	}
	if _, err := w.dec.Token(); err != io.EOF {
		w.add("", "survey.problem.trailing"+variant, nil)
		w.list[len(w.list)-1].Line = lineAt(data, w.pos())
	}
	// Shape problems do not stop here: the rest is still decoded and
	// validated so that the admin sees every problem at once.
	var v T
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&v); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || len(w.list) == 0 {
			// The walk accepts only what Unmarshal decodes; reaching this
			// means the two disagree, which the fuzz test guards against.
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
	}
	normalize(&v)
	all := w.list
	if err := validate(&v); err != nil {
		var ps Problems
		errors.As(err, &ps)
		for _, p := range ps {
			if !w.covers(p.Path) {
				p.Line = w.lineOf(p.Path)
				all = append(all, p)
			}
		}
	}
	if len(all) > 0 {
		more := w.more
		all = slices.DeleteFunc(all, func(p Problem) bool {
			more = more || p.Rule == "too_many_problems"
			return p.Rule == "too_many_problems"
		})
		slices.SortStableFunc(all, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
		return nil, limit(all, more)
	}
	return &v, nil
}

// normalize puts every text and code of s in NFC and trims the spaces around
// it; empty texts and option lists become nil, as if they were left out.
func (s *Survey) normalize() {
	s.ID = clean(s.ID)
	s.Title = cleanText(s.Title)
	s.Purpose = cleanText(s.Purpose)
	s.Invitation = cleanText(s.Invitation)
	s.Abandoned = clean(s.Abandoned)
	s.Slip = SlipPolicy(clean(string(s.Slip)))
	for i := range s.Questions {
		q := &s.Questions[i]
		q.Code = clean(q.Code)
		q.Type = QuestionType(clean(string(q.Type)))
		q.Text = cleanText(q.Text)
		q.Index = clean(q.Index)
		q.Title = cleanText(q.Title)
		q.Image = clean(q.Image)
		if q.QR != nil {
			q.QR.URL, q.QR.Caption = clean(q.QR.URL), cleanText(q.QR.Caption)
		}
		if q.Labels != nil {
			q.Labels.Yes, q.Labels.No = cleanText(q.Labels.Yes), cleanText(q.Labels.No)
		}
		if len(q.Options) == 0 {
			q.Options = nil
		}
		for j := range q.Options {
			q.Options[j].Code = clean(q.Options[j].Code)
			q.Options[j].Label = cleanText(q.Options[j].Label)
		}
		if q.ShowIf != nil {
			q.ShowIf.Question = clean(q.ShowIf.Question)
			for j := range q.ShowIf.AnyOf {
				q.ShowIf.AnyOf[j] = clean(q.ShowIf.AnyOf[j])
			}
		}
	}
}

func clean(s string) string { return strings.TrimSpace(norm.NFC.String(s)) }

func cleanText(t Text) Text {
	if len(t) == 0 {
		return nil
	}
	out := make(Text, len(t))
	for k, v := range t {
		out[clean(k)] = clean(v)
	}
	return out
}

// walker checks the JSON token stream against the shape of Survey, so that
// every unknown field or wrongly typed value is reported with its path and
// line, not only the first one as encoding/json would.
type walker struct {
	problems
	data  []byte
	dec   *json.Decoder
	lines map[string]int // path → line where its value starts

	lastOff, lastLine int // the walk moves forward: count lines incrementally
}

// lineAt returns the 1-based line of offset off, which is never before the
// previous one asked, in time proportional to the distance between them.
func (w *walker) lineAt(off int) int {
	off = min(max(off, w.lastOff), len(w.data))
	w.lastLine += bytes.Count(w.data[w.lastOff:off], []byte("\n"))
	w.lastOff = off
	return w.lastLine + 1
}

// pos is the offset of the next token, past whitespace and separators.
func (w *walker) pos() int {
	off := int(w.dec.InputOffset())
	for off < len(w.data) && strings.IndexByte(" \t\r\n,:", w.data[off]) >= 0 {
		off++
	}
	return off
}

func (w *walker) problemAt(off int, path, key string, args map[string]any) {
	w.add(path, key, args)
	w.list[len(w.list)-1].Line = w.lineAt(off)
}

// covers reports whether a shape problem was already reported at path, at
// one of its parents or inside it, so that Validate does not repeat it.
func (w *walker) covers(path string) bool {
	for _, p := range w.list {
		if p.Rule == "trailing" {
			continue
		}
		if p.Path == path || p.Path == "" ||
			strings.HasPrefix(path, p.Path+".") || strings.HasPrefix(path, p.Path+"[") ||
			strings.HasPrefix(p.Path, path+".") || strings.HasPrefix(p.Path, path+"[") {
			return true
		}
	}
	return false
}

// lineOf returns the line of path or of its nearest parent that was seen.
func (w *walker) lineOf(path string) int {
	for {
		if l, ok := w.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return w.lines[""]
		}
		path = path[:i]
	}
}

// value reads one value that should decode into t. A returned error is a
// syntax error that ends the walk; shape problems are collected instead.
func (w *walker) value(path string, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	off := w.pos()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if _, seen := w.lines[path]; !seen {
		w.lines[path] = w.lineAt(off)
	}
	if tok == nil { // null leaves the zero value, as encoding/json does
		return nil
	}
	want := kindOf(t)
	got := tokenKind(tok)
	if want != got {
		w.problemAt(off, path, "survey.problem.wrong_type", map[string]any{"Want": want, "Got": got})
		if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
			return w.skip()
		}
		return nil
	}
	switch got {
	case kindObject:
		return w.object(path, t)
	case kindArray:
		for i := 0; w.dec.More(); i++ {
			if err := w.value(fmt.Sprintf("%s[%d]", path, i), t.Elem()); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // ]
		return err
	case kindInteger:
		n := tok.(json.Number)
		if _, err := strconv.ParseInt(n.String(), 10, strconv.IntSize); err != nil {
			w.problemAt(off, path, "survey.problem.not_integer", map[string]any{"N": n})
		}
	}
	return nil
}

// object reads the members of an object whose { has been read.
func (w *walker) object(path string, t reflect.Type) error {
	seen := map[string]bool{}
	for w.dec.More() {
		off := w.pos()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		if seen[key] {
			w.problemAt(off, sub, "survey.problem.duplicate_field", map[string]any{"Key": key})
		}
		seen[key] = true
		var ft reflect.Type
		if t.Kind() == reflect.Map {
			ft = t.Elem()
		} else {
			ft = fieldType(t, key)
		}
		if ft == nil {
			names := fieldNames(t)
			w.problemAt(off, sub, "survey.problem.unknown_field", map[string]any{"Key": key, "Names": strings.Join(names, ", ")})
			if err := w.skipValue(); err != nil {
				return err
			}
			continue
		}
		if err := w.value(sub, ft); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // }
	return err
}

// skipValue reads and drops one whole value.
func (w *walker) skipValue() error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
		return w.skip()
	}
	return nil
}

// skip reads and drops the rest of an object or array whose opening
// delimiter has been read.
func (w *walker) skip() error {
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// syntax records a syntax error that stopped the walk.
func (w *walker) syntax(err error) {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := int(se.Offset)
		line, col := lineAt(w.data, off), colAt(w.data, off)
		w.add("", "survey.problem.syntax", map[string]any{"Col": col, "Err": strings.TrimPrefix(se.Error(), "invalid character ")})
		w.list[len(w.list)-1].Line = line
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		w.add("", "survey.problem.unexpected_end", nil)
		w.list[len(w.list)-1].Line = lineAt(w.data, len(w.data))
	default:
		w.add("", "survey.problem.syntax.other", map[string]any{"Err": err.Error()})
	}
}

type jsonKind int

const (
	kindString jsonKind = iota
	kindInteger
	kindNumber
	kindBool
	kindObject
	kindArray
	kindOther
)

// in names the kind in a problem's language.
func (k jsonKind) in(t *i18n.Translator) string {
	return t.T([...]string{"survey.kind.string", "survey.kind.integer", "survey.kind.number", "survey.kind.bool",
		"survey.kind.object", "survey.kind.array", "survey.kind.other"}[k])
}

func kindOf(t reflect.Type) jsonKind {
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Int, reflect.Int64, reflect.Int32:
		return kindInteger
	case reflect.Bool:
		return kindBool
	case reflect.Struct, reflect.Map:
		return kindObject
	case reflect.Slice:
		return kindArray
	}
	return kindOther
}

func tokenKind(tok json.Token) jsonKind {
	switch v := tok.(type) {
	case string:
		return kindString
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return kindNumber
		}
		return kindInteger
	case bool:
		return kindBool
	case json.Delim:
		if v == '{' {
			return kindObject
		}
		return kindArray
	}
	return kindOther
}

// fieldType returns the type of the field of struct t whose JSON name is
// exactly name, or nil.
func fieldType(t reflect.Type, name string) reflect.Type {
	for f := range t.Fields() {
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name && f.IsExported() {
			return f.Type
		}
	}
	return nil
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n != "" && n != "-" && f.IsExported() {
			names = append(names, n)
		}
	}
	return names
}

func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func colAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return utf8.RuneCount(data[bytes.LastIndexByte(data[:off], '\n')+1:off]) + 1
}

func invalidUTF8At(data []byte) int {
	for off := 0; off < len(data); {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			return off
		}
		off += n
	}
	return len(data)
}
