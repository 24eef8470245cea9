package client

import (
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	fixed := func(f float64) func() float64 { return func() float64 { return f } }
	b := Backoff{Base: 2 * time.Second, Max: 3 * time.Minute}
	tests := []struct {
		name    string
		failure int
		rand    float64
		want    time.Duration
	}{
		{"no failure", 0, 0.5, 0},
		{"negative", -3, 0.5, 0},
		{"first, lowest jitter", 1, 0, 1 * time.Second},
		{"first, middle jitter", 1, 0.5, 1500 * time.Millisecond},
		{"second, lowest", 2, 0, 2 * time.Second},
		{"second, highest", 2, 0.999999, 4*time.Second - 2*time.Microsecond},
		{"fifth", 5, 0, 16 * time.Second},
		{"seventh below cap", 7, 0.5, 96 * time.Second},
		{"eighth capped", 8, 0, 90 * time.Second},
		{"eighth capped high", 8, 0.5, 135 * time.Second},
		{"huge failure count stays capped", 10_000, 0.999999, 3*time.Minute - 90*time.Microsecond},
		{"bad random 1.0 treated as 0", 3, 1.0, 4 * time.Second},
		{"bad random negative treated as 0", 3, -0.5, 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := b
			b.Rand = fixed(tt.rand)
			got := b.Delay(tt.failure)
			if got != tt.want {
				t.Errorf("Delay(%d) with rand %v = %v, want %v", tt.failure, tt.rand, got, tt.want)
			}
		})
	}
}

func TestBackoffBoundsWithRealRandom(t *testing.T) {
	b := DefaultBackoff()
	for n := 1; n <= 40; n++ {
		ceil := b.Base << min(n-1, 20)
		if ceil > b.Max {
			ceil = b.Max
		}
		for range 200 {
			d := b.Delay(n)
			if d < ceil/2 || d > ceil {
				t.Fatalf("Delay(%d) = %v, outside [%v, %v]", n, d, ceil/2, ceil)
			}
		}
	}
}

func TestBackoffZeroBase(t *testing.T) {
	if d := (Backoff{}).Delay(3); d != 0 {
		t.Errorf("zero Backoff Delay = %v, want 0", d)
	}
}
