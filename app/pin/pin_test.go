package pin

import (
	"context"
	"errors"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// memKV is an in-memory settings.KV; fail makes every call return an error.
type memKV struct {
	mu   sync.Mutex
	m    map[string]string
	fail error
}

func newKV() *memKV { return &memKV{m: map[string]string{}} }

func (k *memKV) Setting(_ context.Context, key string) (string, bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return "", false, k.fail
	}
	v, ok := k.m[key]
	return v, ok, nil
}

func (k *memKV) SetSettings(_ context.Context, pairs map[string]string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return k.fail
	}
	maps.Copy(k.m, pairs)
	return nil
}

// clock is a settable fake time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newVerifier(t *testing.T, kv *memKV, c *clock) *Verifier {
	t.Helper()
	return New(kv, WithClock(c.now), WithCost(bcrypt.MinCost))
}

func setUp(t *testing.T, pin string) (*memKV, *clock, *Verifier) {
	t.Helper()
	kv, c := newKV(), &clock{t: time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)}
	v := newVerifier(t, kv, c)
	if err := v.Setup(context.Background(), pin); err != nil {
		t.Fatalf("Setup(%q): %v", pin, err)
	}
	return kv, c, v
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1234", "1234", true},
		{"12345678", "12345678", true},
		{"  2468 \n", "2468", true},
		{"123", "", false},
		{"123456789", "", false},
		{"", "", false},
		{"12a4", "", false},
		{"12 34", "", false},
		{"١٢٣٤", "", false},       // Arabic-Indic digits are not on the keypad
		{"１２３４", "", false},       // full-width digits are not folded by NFC
		{"12\u00a034", "", false}, // no-break space inside
		{"-1234", "", false},
	} {
		got, err := Normalize(tc.in)
		if tc.ok {
			if err != nil || got != tc.want {
				t.Errorf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidPIN) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalidPIN", tc.in, got, err)
		}
	}
}

func TestSetupAndFirstRun(t *testing.T) {
	ctx := context.Background()
	kv, c := newKV(), &clock{t: time.Unix(1_800_000_000, 0)}
	v := newVerifier(t, kv, c)
	if set, err := v.IsSet(ctx); err != nil || set {
		t.Fatalf("IsSet on a fresh KV = %v, %v; want false", set, err)
	}
	if err := v.Verify(ctx, "1234"); !errors.Is(err, ErrNotSet) {
		t.Fatalf("Verify before Setup = %v; want ErrNotSet", err)
	}
	if err := v.Setup(ctx, "12"); !errors.Is(err, ErrInvalidPIN) {
		t.Fatalf("Setup(12) = %v; want ErrInvalidPIN", err)
	}
	if set, _ := v.IsSet(ctx); set {
		t.Fatal("an invalid Setup stored a PIN")
	}
	if err := v.Setup(ctx, " 4321 "); err != nil {
		t.Fatalf("Setup: %v", err)
	}
	if h := kv.m[KeyHash]; h == "" || strings.Contains(h, "4321") {
		t.Fatalf("stored hash %q: want a bcrypt hash, never the PIN", h)
	}
	if set, err := v.IsSet(ctx); err != nil || !set {
		t.Fatalf("IsSet after Setup = %v, %v; want true", set, err)
	}
	if err := v.Setup(ctx, "9999"); !errors.Is(err, ErrAlreadySet) {
		t.Fatalf("second Setup = %v; want ErrAlreadySet", err)
	}
	if err := v.Verify(ctx, "4321"); err != nil {
		t.Fatalf("Verify(trimmed PIN) = %v", err)
	}
	if err := v.Verify(ctx, "9999"); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("Verify(PIN of the refused second Setup) = %v; want ErrWrongPIN", err)
	}
}

func TestDefaultCost(t *testing.T) {
	kv := newKV()
	if err := New(kv).Setup(context.Background(), "1234"); err != nil {
		t.Fatal(err)
	}
	cost, err := bcrypt.Cost([]byte(kv.m[KeyHash]))
	if err != nil || cost != bcrypt.DefaultCost {
		t.Fatalf("cost = %d, %v; want %d", cost, err, bcrypt.DefaultCost)
	}
}

// TestLockout runs sequences of tries, each with a time offset, and checks
// every outcome.
func TestLockout(t *testing.T) {
	type try struct {
		after time.Duration // advance the clock first
		pin   string
		want  error // nil, ErrWrongPIN, ErrLocked, ErrInvalidPIN
		left  int   // tries left when want is ErrWrongPIN
		rem   time.Duration
	}
	wrong := func(left int) try { return try{pin: "0000", want: ErrWrongPIN, left: left} }
	locked := func(after, rem time.Duration, pin string) try {
		return try{after: after, pin: pin, want: ErrLocked, rem: rem}
	}
	ok := func(after time.Duration) try { return try{after: after, pin: "2580"} }
	for _, tc := range []struct {
		name  string
		tries []try
	}{
		{"right PIN", []try{ok(0)}},
		{"4 wrong then right", []try{wrong(4), wrong(3), wrong(2), wrong(1), ok(0)}},
		{"5th wrong locks", []try{wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000")}},
		{"right PIN refused while locked", []try{
			wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"),
			locked(time.Minute, 4*time.Minute, "2580"),
			locked(48*time.Second, 3*time.Minute+12*time.Second, "2580"),
		}},
		{"lock holds 1ns before expiry", []try{
			wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"),
			locked(LockFor-time.Nanosecond, time.Nanosecond, "2580"),
		}},
		{"lock ends at expiry", []try{
			wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"), ok(LockFor),
		}},
		{"after expiry a fresh set of 5 tries", []try{
			wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"),
			{after: LockFor, pin: "0000", want: ErrWrongPIN, left: 4},
			wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"),
		}},
		{"success resets the counter", []try{
			wrong(4), wrong(3), wrong(2), ok(0), wrong(4), wrong(3), wrong(2), wrong(1), ok(0),
		}},
		{"badly formed PIN is not a try", []try{
			wrong(4), wrong(3), wrong(2), wrong(1),
			{pin: "12", want: ErrInvalidPIN}, {pin: "abcd", want: ErrInvalidPIN}, ok(0),
		}},
		{"badly formed PIN while locked reports the lock", []try{
			wrong(4), wrong(3), wrong(2), wrong(1), locked(0, LockFor, "0000"), locked(time.Second, LockFor-time.Second, "x"),
		}},
		{"wrong tries spread over time still count", []try{
			wrong(4), {after: time.Hour, pin: "0000", want: ErrWrongPIN, left: 3},
			{after: 24 * time.Hour, pin: "1111", want: ErrWrongPIN, left: 2},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			_, c, v := setUp(t, "2580")
			for i, tr := range tc.tries {
				c.advance(tr.after)
				err := v.Verify(ctx, tr.pin)
				switch tr.want {
				case nil:
					if err != nil {
						t.Fatalf("try %d (%q): %v; want success", i, tr.pin, err)
					}
				case ErrWrongPIN:
					var w *WrongPINError
					if !errors.As(err, &w) || !errors.Is(err, ErrWrongPIN) || w.TriesLeft != tr.left {
						t.Fatalf("try %d (%q): %v; want wrong PIN with %d tries left", i, tr.pin, err, tr.left)
					}
				case ErrLocked:
					var l *LockedError
					if !errors.As(err, &l) || !errors.Is(err, ErrLocked) || l.Remaining != tr.rem {
						t.Fatalf("try %d (%q): %v; want locked for %s", i, tr.pin, err, tr.rem)
					}
					if !l.Until.Equal(c.now().Add(tr.rem)) {
						t.Fatalf("try %d: locked until %s; want %s", i, l.Until, c.now().Add(tr.rem))
					}
				default:
					if !errors.Is(err, tr.want) {
						t.Fatalf("try %d (%q): %v; want %v", i, tr.pin, err, tr.want)
					}
				}
			}
		})
	}
}

// TestLockSurvivesRestart checks that a new Verifier over the same KV (the
// kiosk restarted) keeps both the failure count and the lock.
func TestLockSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	kv, c, v := setUp(t, "2580")
	for range 3 {
		_ = v.Verify(ctx, "0000")
	}
	v = newVerifier(t, kv, c)
	var w *WrongPINError
	if err := v.Verify(ctx, "0000"); !errors.As(err, &w) || w.TriesLeft != 1 {
		t.Fatalf("4th wrong try after restart: %v; want 1 try left", err)
	}
	if err := v.Verify(ctx, "0000"); !errors.Is(err, ErrLocked) {
		t.Fatalf("5th wrong try: %v; want locked", err)
	}
	c.advance(2 * time.Minute)
	v = newVerifier(t, kv, c)
	var l *LockedError
	if err := v.Verify(ctx, "2580"); !errors.As(err, &l) || l.Remaining != 3*time.Minute {
		t.Fatalf("right PIN after restart during lock: %v; want locked for 3m", err)
	}
	st, err := v.Status(ctx)
	if err != nil || st.LockedFor != 3*time.Minute || st.TriesLeft != 0 {
		t.Fatalf("Status = %+v, %v; want locked for 3m", st, err)
	}
	c.advance(3 * time.Minute)
	v = newVerifier(t, kv, c)
	if err := v.Verify(ctx, "2580"); err != nil {
		t.Fatalf("right PIN after the lock ran out, new Verifier: %v", err)
	}
	if st, _ := v.Status(ctx); st != (Status{TriesLeft: MaxTries}) {
		t.Fatalf("Status after success = %+v", st)
	}
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	_, _, v := setUp(t, "2580")
	if st, err := v.Status(ctx); err != nil || st != (Status{TriesLeft: 5}) {
		t.Fatalf("fresh Status = %+v, %v", st, err)
	}
	_ = v.Verify(ctx, "1111")
	_ = v.Verify(ctx, "1111")
	if st, err := v.Status(ctx); err != nil || st != (Status{TriesLeft: 3}) {
		t.Fatalf("Status after 2 wrong = %+v, %v", st, err)
	}
}

func TestClockSetBackwards(t *testing.T) {
	ctx := context.Background()
	_, c, v := setUp(t, "2580")
	for range MaxTries {
		_ = v.Verify(ctx, "0000")
	}
	c.advance(-24 * time.Hour) // someone set the clock back a day
	var l *LockedError
	if err := v.Verify(ctx, "2580"); !errors.As(err, &l) || l.Remaining != LockFor {
		t.Fatalf("after clock went back: %v; want a lock of at most %s", err, LockFor)
	}
	c.advance(LockFor)
	if err := v.Verify(ctx, "2580"); err != nil {
		t.Fatalf("after the capped lock ran out: %v", err)
	}
}

func TestDamagedState(t *testing.T) {
	for _, tc := range []struct{ key, val string }{
		{KeyFailures, "lots"},
		{KeyFailures, "-3"},
		{KeyFailures, "99"},
		{KeyLockedUntil, "tomorrow"},
	} {
		t.Run(tc.key+"="+tc.val, func(t *testing.T) {
			ctx := context.Background()
			kv, c, v := setUp(t, "2580")
			kv.m[tc.key] = tc.val
			if err := v.Verify(ctx, "2580"); !errors.Is(err, ErrLocked) {
				t.Fatalf("Verify with damaged %s: %v; want a fail-safe lock", tc.key, err)
			}
			c.advance(LockFor)
			if err := v.Verify(ctx, "2580"); err != nil {
				t.Fatalf("after the fail-safe lock: %v", err)
			}
		})
	}
	t.Run("damaged hash", func(t *testing.T) {
		kv, _, v := setUp(t, "2580")
		kv.m[KeyHash] = "not-a-hash"
		err := v.Verify(context.Background(), "2580")
		if err == nil || errors.Is(err, ErrWrongPIN) || errors.Is(err, ErrLocked) {
			t.Fatalf("Verify with damaged hash: %v; want a storage error", err)
		}
	})
}

func TestChange(t *testing.T) {
	ctx := context.Background()
	kv, _, v := setUp(t, "2580")
	if err := v.Change(ctx, "2580", "12"); !errors.Is(err, ErrInvalidPIN) {
		t.Fatalf("Change to 12: %v; want ErrInvalidPIN", err)
	}
	if st, _ := v.Status(ctx); st.TriesLeft != MaxTries {
		t.Fatalf("an invalid new PIN cost a try: %+v", st)
	}
	if err := v.Change(ctx, "1111", "97531"); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("Change with wrong old PIN: %v; want ErrWrongPIN", err)
	}
	if st, _ := v.Status(ctx); st.TriesLeft != MaxTries-1 {
		t.Fatalf("a wrong old PIN did not count: %+v", st)
	}
	old := kv.m[KeyHash]
	if err := v.Change(ctx, "2580", "97531"); err != nil {
		t.Fatalf("Change: %v", err)
	}
	if kv.m[KeyHash] == old {
		t.Fatal("hash unchanged")
	}
	if err := v.Verify(ctx, "2580"); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("old PIN after Change: %v; want ErrWrongPIN", err)
	}
	if err := v.Verify(ctx, "97531"); err != nil {
		t.Fatalf("new PIN after Change: %v", err)
	}
	for range MaxTries {
		_ = v.Verify(ctx, "0000")
	}
	if err := v.Change(ctx, "97531", "1234"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Change while locked: %v; want ErrLocked", err)
	}
}

func TestReset(t *testing.T) {
	ctx := context.Background()
	_, _, v := setUp(t, "2580")
	for range MaxTries {
		_ = v.Verify(ctx, "0000")
	}
	if err := v.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if set, _ := v.IsSet(ctx); set {
		t.Fatal("PIN still set after Reset")
	}
	if err := v.Setup(ctx, "4444"); err != nil {
		t.Fatalf("Setup after Reset: %v", err)
	}
	if err := v.Verify(ctx, "4444"); err != nil {
		t.Fatalf("Verify after Reset (lock must be gone): %v", err)
	}
}

func TestStorageErrors(t *testing.T) {
	ctx := context.Background()
	kv, _, v := setUp(t, "2580")
	boom := errors.New("disk gone")
	kv.fail = boom
	for name, err := range map[string]error{
		"IsSet":  func() error { _, err := v.IsSet(ctx); return err }(),
		"Verify": v.Verify(ctx, "2580"),
		"Change": v.Change(ctx, "2580", "1357"),
		"Status": func() error { _, err := v.Status(ctx); return err }(),
		"Setup":  v.Setup(ctx, "1357"),
	} {
		if !errors.Is(err, boom) {
			t.Errorf("%s with a failing KV: %v; want it wrapped", name, err)
		}
	}
}
