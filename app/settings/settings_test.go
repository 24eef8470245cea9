package settings

import (
	"reflect"
	"testing"
	"time"
)

// TestEdits: every field the form changed wins, every other one is what
// is stored now.
func TestEdits(t *testing.T) {
	base := Default()
	cur := Default()
	cur.ServicePoint, cur.Links = "Phường Ba Đình", nil // changed elsewhere since the form loaded
	edited := base
	edited.Agency, edited.IdleTimeout = "UBND phường Ba Đình", time.Minute
	got := Edits(base, edited, cur)
	want := cur
	want.Agency, want.IdleTimeout = edited.Agency, edited.IdleTimeout
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Edits = %+v\nwant %+v", got, want)
	}
	// A field changed in both places: the form's value wins.
	edited.ServicePoint = "Quầy 2"
	if got := Edits(base, edited, cur); got.ServicePoint != "Quầy 2" {
		t.Errorf("service point %q, want the form's", got.ServicePoint)
	}
	// Each field alone, whatever fields Config gains.
	n := reflect.TypeOf(Config{}).NumField()
	for i := range n {
		e := base
		f := reflect.ValueOf(&e).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Int, reflect.Int64:
			f.SetInt(f.Int() + 7)
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		default:
			t.Fatalf("field %s of kind %s: add it to this test", reflect.TypeOf(e).Field(i).Name, f.Kind())
		}
		got := reflect.ValueOf(Edits(base, e, cur)).Field(i).Interface()
		if !reflect.DeepEqual(got, f.Interface()) {
			t.Errorf("field %s: edit lost", reflect.TypeOf(e).Field(i).Name)
		}
	}
}
