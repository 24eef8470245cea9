// Package pin guards the kiosk's admin panel with a numeric PIN: it checks
// the PIN's format, stores only its bcrypt hash through settings.KV, and
// locks entry for a while after too many wrong tries. The failure count and
// the end of a lock are stored too, so restarting the kiosk does not lift a
// lock. It has no Fyne.
package pin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/settings"
)

// Limits of the PIN and of the lockout.
const (
	// MinLen and MaxLen bound the number of digits of a PIN.
	MinLen = 4
	MaxLen = 8
	// MaxTries wrong PINs in a row lock entry for LockFor.
	MaxTries = 5
	LockFor  = 5 * time.Minute
)

// Keys under which the PIN state is stored in settings.KV.
const (
	KeyHash        = "admin_pin_hash"
	KeyFailures    = "admin_pin_failures"
	KeyLockedUntil = "admin_pin_locked_until"
)

// Option configures a Verifier.
type Option func(*Verifier)

// WithClock makes the Verifier read the time from now instead of time.Now.
func WithClock(now func() time.Time) Option { return func(v *Verifier) { v.now = now } }

// WithCost sets the bcrypt cost of new hashes. Tests use bcrypt.MinCost to
// stay fast; production keeps bcrypt.DefaultCost.
func WithCost(cost int) Option { return func(v *Verifier) { v.cost = cost } }

// Verifier sets, checks and changes the admin PIN stored in a settings.KV.
// It is safe for concurrent use. Two Verifiers over the same KV share the
// stored lock, but not each other's in-flight checks.
type Verifier struct {
	kv   settings.KV
	now  func() time.Time
	cost int
	mu   sync.Mutex
}

// New returns a Verifier over kv.
func New(kv settings.KV, opts ...Option) *Verifier {
	v := &Verifier{kv: kv, now: time.Now, cost: bcrypt.DefaultCost}
	for _, o := range opts {
		o(v)
	}
	return v
}

// Normalize NFC-normalises and trims pin and checks that it is MinLen to
// MaxLen ASCII digits. It returns the cleaned PIN or an error wrapping
// ErrInvalidPIN.
func Normalize(pin string) (string, error) {
	p := strings.TrimSpace(norm.NFC.String(pin))
	if n := len([]rune(p)); n < MinLen || n > MaxLen {
		return "", fmt.Errorf("%w: %d characters, want %d to %d digits", ErrInvalidPIN, n, MinLen, MaxLen)
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("%w: %q is not a digit", ErrInvalidPIN, r)
		}
	}
	return p, nil
}

// IsSet reports whether an admin PIN has been set. A kiosk without one is on
// its first run and must ask for a new PIN before opening the panel.
func (v *Verifier) IsSet(ctx context.Context) (bool, error) {
	h, ok, err := v.kv.Setting(ctx, KeyHash)
	if err != nil {
		return false, fmt.Errorf("read pin: %w", err)
	}
	return ok && h != "", nil
}

// Setup sets the first PIN. It fails with ErrAlreadySet when a PIN exists,
// so it cannot be used to bypass Change.
func (v *Verifier) Setup(ctx context.Context, pin string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	set, err := v.IsSet(ctx)
	if err != nil {
		return err
	}
	if set {
		return ErrAlreadySet
	}
	return v.store(ctx, pin)
}

// Verify checks pin. It returns nil and clears the failure count on a match;
// a *LockedError (errors.Is ErrLocked) while locked, without looking at pin;
// a *WrongPINError (errors.Is ErrWrongPIN) with the tries left on a mismatch,
// or a *LockedError when that mismatch used up the last try; an error
// wrapping ErrInvalidPIN when pin is not 4 to 8 digits (not counted as a try:
// the keypad cannot produce one); ErrNotSet on the first run.
func (v *Verifier) Verify(ctx context.Context, pin string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.verify(ctx, pin)
}

// Change replaces the PIN after checking old with the same rules as Verify;
// a wrong old PIN counts as a wrong try.
func (v *Verifier) Change(ctx context.Context, old, pin string) error {
	if _, err := Normalize(pin); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.verify(ctx, old); err != nil {
		return err
	}
	return v.store(ctx, pin)
}

// Reset removes the PIN and the lock, so the next start asks for a new PIN.
// It is for the command line of someone with access to the kiosk's files,
// never for the panel.
func (v *Verifier) Reset(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.kv.SetSettings(ctx, map[string]string{KeyHash: "", KeyFailures: "0", KeyLockedUntil: ""}); err != nil {
		return fmt.Errorf("reset pin: %w", err)
	}
	return nil
}

// Status is the lockout state, for showing before the admin types anything.
type Status struct {
	// LockedFor is how long entry stays locked; 0 when not locked.
	LockedFor time.Duration
	// TriesLeft is how many wrong PINs are allowed before the next lock.
	TriesLeft int
}

// Status returns the current lockout state.
func (v *Verifier) Status(ctx context.Context) (Status, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	st, err := v.load(ctx)
	if err != nil {
		return Status{}, err
	}
	now := v.now()
	if st.lockedUntil.After(now) {
		return Status{LockedFor: st.lockedUntil.Sub(now), TriesLeft: 0}, nil
	}
	return Status{TriesLeft: MaxTries - st.failures}, nil
}

func (v *Verifier) verify(ctx context.Context, pin string) error {
	st, err := v.load(ctx)
	if err != nil {
		return err
	}
	if st.hash == "" {
		return ErrNotSet
	}
	now := v.now()
	if st.lockedUntil.After(now) {
		return &LockedError{Until: st.lockedUntil, Remaining: st.lockedUntil.Sub(now)}
	}
	p, err := Normalize(pin)
	if err != nil {
		return err
	}
	err = bcrypt.CompareHashAndPassword([]byte(st.hash), []byte(p))
	switch {
	case err == nil:
		if st.failures != 0 || !st.lockedUntil.IsZero() {
			return v.save(ctx, 0, time.Time{})
		}
		return nil
	case !errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return fmt.Errorf("check pin: stored hash: %w", err)
	}
	failures := st.failures + 1
	if failures >= MaxTries {
		until := now.Add(LockFor)
		if err := v.save(ctx, 0, until); err != nil {
			return err
		}
		return &LockedError{Until: until, Remaining: LockFor}
	}
	if err := v.save(ctx, failures, time.Time{}); err != nil {
		return err
	}
	return &WrongPINError{TriesLeft: MaxTries - failures}
}

func (v *Verifier) store(ctx context.Context, pin string) error {
	p, err := Normalize(pin)
	if err != nil {
		return err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(p), v.cost)
	if err != nil {
		return fmt.Errorf("hash pin: %w", err)
	}
	if err := v.kv.SetSettings(ctx, map[string]string{KeyHash: string(h), KeyFailures: "0", KeyLockedUntil: ""}); err != nil {
		return fmt.Errorf("save pin: %w", err)
	}
	return nil
}

// state is what the KV holds about the PIN.
type state struct {
	hash        string
	failures    int
	lockedUntil time.Time
}

// load reads the stored state. A failure count or lock time that does not
// parse (a damaged database) is treated as a fresh lock: failing safe without
// locking the admin out for ever.
func (v *Verifier) load(ctx context.Context) (state, error) {
	var st state
	get := func(key string) (string, error) {
		s, _, err := v.kv.Setting(ctx, key)
		if err != nil {
			return "", fmt.Errorf("read pin state %s: %w", key, err)
		}
		return s, nil
	}
	var err error
	if st.hash, err = get(KeyHash); err != nil {
		return state{}, err
	}
	f, err := get(KeyFailures)
	if err != nil {
		return state{}, err
	}
	u, err := get(KeyLockedUntil)
	if err != nil {
		return state{}, err
	}
	now := v.now()
	damaged := false
	if f != "" {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n >= MaxTries {
			damaged = true
		}
		st.failures = n
	}
	if u != "" {
		t, err := time.Parse(time.RFC3339Nano, u)
		if err != nil {
			damaged = true
		}
		st.lockedUntil = t
	}
	// A clock set backwards must not stretch a lock beyond LockFor: the
	// shortened lock is stored so that it runs out.
	if damaged || st.lockedUntil.Sub(now) > LockFor {
		st.failures, st.lockedUntil = 0, now.Add(LockFor)
		if err := v.save(ctx, 0, st.lockedUntil); err != nil {
			return state{}, err
		}
	}
	return st, nil
}

func (v *Verifier) save(ctx context.Context, failures int, lockedUntil time.Time) error {
	u := ""
	if !lockedUntil.IsZero() {
		u = lockedUntil.UTC().Format(time.RFC3339Nano)
	}
	if err := v.kv.SetSettings(ctx, map[string]string{KeyFailures: strconv.Itoa(failures), KeyLockedUntil: u}); err != nil {
		return fmt.Errorf("save pin state: %w", err)
	}
	return nil
}
