package store

import (
	"database/sql/driver"
	"testing"
)

// TestAssignRow checks the raw rows' assignment: the values a STRICT
// table's columns hold go where Scan would put them; anything else is an
// error, as Scan's would be, never a silent zero.
func TestAssignRow(t *testing.T) {
	var s string
	var n int
	var b, b2 bool
	dest := []any{&s, &n, &b, &b2}
	if err := assignRow(dest, []driver.Value{"Phường Ba Đình", int64(7), int64(1), int64(0)}); err != nil {
		t.Fatal(err)
	}
	if s != "Phường Ba Đình" || n != 7 || !b || b2 {
		t.Errorf("got %q %d %v %v", s, n, b, b2)
	}
	for _, vals := range [][]driver.Value{
		{nil, int64(7), int64(1), int64(0)},         // NULL text
		{[]byte("x"), int64(7), int64(1), int64(0)}, // a blob
		{"x", "7", int64(1), int64(0)},              // text for a number
		{"x", 7.0, int64(1), int64(0)},              // a float
		{"x", int64(7), int64(2), int64(0)},         // neither 0 nor 1
		{"x", int64(7), int64(1), nil},              // NULL flag
	} {
		if err := assignRow(dest, vals); err == nil {
			t.Errorf("%#v: no error", vals)
		}
	}
	if err := assignRow([]any{new(float64)}, []driver.Value{1.5}); err == nil {
		t.Error("a destination of another type: no error")
	}
}
