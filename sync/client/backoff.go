package client

import (
	"math/rand/v2"
	"time"
)

// Backoff computes how long to wait before the next try after a run of
// failures: exponential growth from Base, capped at Max, with "equal
// jitter" so that a fleet of kiosks that lost the hub together does not
// come back in step. The wait after failure n (counting from 1) lies in
// [d/2, d] where d = min(Max, Base·2^(n-1)).
type Backoff struct {
	// Base is the ceiling of the first wait.
	Base time.Duration
	// Max caps every wait.
	Max time.Duration
	// Rand returns a number in [0, 1); nil means math/rand/v2.Float64.
	Rand func() float64
}

// DefaultBackoff starts at 2 s and is capped at 3 minutes.
func DefaultBackoff() Backoff {
	return Backoff{Base: 2 * time.Second, Max: 3 * time.Minute}
}

// Delay returns the wait after the failure-th consecutive failure. A
// failure count below 1 means there was no failure and returns 0.
func (b Backoff) Delay(failure int) time.Duration {
	if failure < 1 || b.Base <= 0 {
		return 0
	}
	d := b.Base
	for i := 1; i < failure && d < b.Max; i++ {
		d *= 2
	}
	if b.Max > 0 && d > b.Max {
		d = b.Max
	}
	r := rand.Float64
	if b.Rand != nil {
		r = b.Rand
	}
	f := r()
	if f < 0 || f >= 1 {
		f = 0
	}
	half := d / 2
	return half + time.Duration(f*float64(d-half))
}
