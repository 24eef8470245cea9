package help

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckResolution(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	later := t0.Add(7 * time.Minute)
	tests := []struct {
		name    string
		o       Outcome
		r       Reason
		note    string
		at      time.Time
		wantErr bool
	}{
		{"open", Open, "", "", time.Time{}, false},
		{"open with a reason", Open, ReasonLeft, "", time.Time{}, true},
		{"open with a time", Open, "", "", later, true},
		{"helped", Helped, "", "", later, false},
		{"helped with a note", Helped, "", "nộp hồ sơ khai sinh", later, false},
		{"helped with a reason", Helped, ReasonLeft, "", later, true},
		{"not possible", NotPossible, ReasonNoAccount, "", later, false},
		{"not possible without a reason", NotPossible, "", "", later, true},
		{"unknown reason", NotPossible, "tired", "", later, true},
		{"other without a note", NotPossible, ReasonOther, "", later, false},
		{"other with a note", NotPossible, ReasonOther, "máy in hỏng", later, false},
		{"note too long", Helped, "", strings.Repeat("a", MaxNote+1), later, true},
		{"note at the limit", Helped, "", strings.Repeat("ầ", MaxNote), later, false},
		{"unknown outcome", "done", "", "", later, true},
		{"no time", Helped, "", "", time.Time{}, true},
		{"before raised", Helped, "", "", t0.Add(-time.Second), true},
		{"at raise", Helped, "", "", t0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckResolution(tt.o, tt.r, tt.note, t0, tt.at)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckResolution = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("%v does not wrap ErrInvalid", err)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	m := time.Minute
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{5 * m}, 5 * m},
		{[]time.Duration{9 * m, 1 * m, 5 * m}, 5 * m},
		{[]time.Duration{4 * m, 1 * m, 2 * m, 10 * m}, 3 * m},
	}
	for _, tt := range tests {
		in := append([]time.Duration(nil), tt.in...)
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.in[i] {
				t.Fatalf("Median changed its input")
			}
		}
	}
}

func TestWaited(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	if got := Waited(t0, t0.Add(3*time.Minute+59*time.Second)); got != 3*time.Minute {
		t.Errorf("Waited = %v, want 3m", got)
	}
	if got := Waited(t0, t0.Add(-time.Hour)); got != 0 {
		t.Errorf("Waited with the clock behind = %v, want 0", got)
	}
}

func TestKeysAndValid(t *testing.T) {
	for _, r := range Reasons {
		if !r.Valid() || !strings.HasPrefix(r.Key(), "help.reason.") {
			t.Errorf("reason %q", r)
		}
	}
	if Open.Valid() || !Helped.Valid() || Helped.Key() != "help.outcome.helped_online" {
		t.Error("outcomes")
	}
	if SurveySource("dich-vu-cong", 2) != "survey:dich-vu-cong@2" {
		t.Error(SurveySource("dich-vu-cong", 2))
	}
}
