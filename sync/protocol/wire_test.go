package protocol_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// notInV1 names the survey.Response fields that protocol version 1 does
// not carry, and why. A field added to survey.Response must be listed here
// or in a later version's wire type: version 1 is frozen.
var notInV1 = map[string]string{
	"Slip": "the rating slip travels in version 3 items (Item.Slip), beside the version 1 response",
}

// filled is sample() with every field of survey.Response set, including
// any field added after protocol version 1 was frozen (set by kind to a
// value that is not zero).
func filled(t *testing.T) *survey.Response {
	t.Helper()
	r := sample()
	r.Misuse, r.MisuseReason, r.Assisted = true, "bấm liên tục", true
	v := reflect.ValueOf(r).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.IsZero() || !f.CanSet() {
			continue
		}
		switch {
		case f.Type() == reflect.TypeOf(time.Time{}):
			f.Set(reflect.ValueOf(time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)))
		case f.Kind() == reflect.String:
			f.SetString("new field")
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.CanInt():
			f.SetInt(7)
		case f.CanUint():
			f.SetUint(7)
		case f.CanFloat():
			f.SetFloat(1.5)
		case f.Kind() == reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case f.Kind() == reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
		case f.Kind() == reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		default:
			t.Fatalf("survey.Response.%s (%s): teach filled to set it", v.Type().Field(i).Name, f.Type())
		}
	}
	return r
}

// TestSigningBytesGoldenV1: what a kiosk signs under version 1 is fixed
// byte for byte by testdata/signing-v1.golden, whatever fields
// survey.Response gains (filled sets them all).
func TestSigningBytesGoldenV1(t *testing.T) {
	got, err := protocol.SigningBytes(protocol.NewResponseV1(filled(t)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "signing-v1.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("version 1 signing bytes changed; every enrolled kiosk's signatures depend on them:\n got %s\nwant %s", got, want)
	}
}

// TestResponseV1Fields: every field of survey.Response is carried by
// version 1 under the same name, or listed in notInV1; the conversions
// carry each one both ways.
func TestResponseV1Fields(t *testing.T) {
	wire := reflect.TypeOf(protocol.ResponseV1{})
	dom := reflect.TypeOf(survey.Response{})
	for i := range dom.NumField() {
		name := dom.Field(i).Name
		_, carried := wire.FieldByName(name)
		_, listed := notInV1[name]
		if carried == listed {
			t.Errorf("survey.Response.%s: carried by ResponseV1 %v, listed in notInV1 %v; a new domain field goes into a new protocol version, and into notInV1", name, carried, listed)
		}
	}
	r := filled(t)
	back := protocol.NewResponseV1(r).ToResponse()
	bv, rv := reflect.ValueOf(back).Elem(), reflect.ValueOf(r).Elem()
	for i := range dom.NumField() {
		name := dom.Field(i).Name
		if _, listed := notInV1[name]; listed {
			continue
		}
		if !reflect.DeepEqual(bv.Field(i).Interface(), rv.Field(i).Interface()) {
			t.Errorf("survey.Response.%s lost in the round trip through ResponseV1: %v, want %v", name, bv.Field(i), rv.Field(i))
		}
	}
	if protocol.NewResponseV1(nil) != nil || (*protocol.ResponseV1)(nil).ToResponse() != nil {
		t.Error("nil does not convert to nil")
	}
}
