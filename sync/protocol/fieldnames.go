package protocol

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// encoding/json matches an object key to a struct field case-insensitively
// when no field has that exact name, so "Service_Point" would fill
// service_point although the protocol refuses fields it does not define.
// checkFieldNames walks the JSON again beside the Go type it was decoded
// into and refuses any key that is not exactly a field's name.

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkFieldNames reports the first object key of data (one JSON value,
// already decoded into a value of type t without error) that names no field
// of its struct exactly, as CodeUnknownField.
func checkFieldNames(data []byte, t reflect.Type) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return walkFields(dec, t, "")
}

// walkFields reads one value from dec; t is the Go type it decodes into, or
// nil when its keys are not ours to check (maps' keys, interface values,
// types with their own decoding).
func walkFields(dec *json.Decoder, t reflect.Type, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return classifyJSON(err)
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
		t = nil
	}
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		var elem reflect.Type
		if t != nil {
			switch t.Kind() {
			case reflect.Struct:
				fields = map[string]reflect.Type{}
				structFields(t, fields)
			case reflect.Map:
				elem = t.Elem()
			}
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return classifyJSON(err)
			}
			key, _ := kt.(string)
			next := elem
			if fields != nil {
				ft, ok := fields[key]
				if !ok {
					return Errorf(CodeUnknownField, "unknown field %q%s (field names are matched exactly, case included)", key, where(path))
				}
				next = ft
			}
			if err := walkFields(dec, next, path+"."+key); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return classifyJSON(err)
		}
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walkFields(dec, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return classifyJSON(err)
		}
	}
	return nil
}

func where(path string) string {
	if path == "" {
		return ""
	}
	return " in " + strings.TrimPrefix(path, ".")
}

// structFields adds the JSON names of t's fields, as encoding/json sees
// them (tags, "-", embedded structs promoted), to out.
func structFields(t reflect.Type, out map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				structFields(ft, out)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := out[name]; !dup {
			out[name] = f.Type
		}
	}
}
