package pin

import (
	"errors"
	"fmt"
	"time"
)

// Errors of the pin package; test with errors.Is.
var (
	// ErrInvalidPIN: the PIN is not MinLen to MaxLen digits.
	ErrInvalidPIN = errors.New("invalid pin: must be 4 to 8 digits")
	// ErrWrongPIN: the PIN does not match; the error is a *WrongPINError.
	ErrWrongPIN = errors.New("wrong pin")
	// ErrLocked: too many wrong tries; the error is a *LockedError.
	ErrLocked = errors.New("pin entry locked")
	// ErrNotSet: no PIN has been set yet (first run).
	ErrNotSet = errors.New("no admin pin set")
	// ErrAlreadySet: Setup was called although a PIN exists.
	ErrAlreadySet = errors.New("admin pin already set")
)

// WrongPINError is a mismatch that still leaves TriesLeft tries before a lock.
type WrongPINError struct {
	TriesLeft int
}

// Error says how many tries are left.
func (e *WrongPINError) Error() string {
	return fmt.Sprintf("wrong pin: %d tries left", e.TriesLeft)
}

// Is makes errors.Is(err, ErrWrongPIN) true.
func (e *WrongPINError) Is(target error) bool { return target == ErrWrongPIN }

// LockedError says that PIN entry is locked until Until, Remaining from now.
type LockedError struct {
	Until     time.Time
	Remaining time.Duration
}

// Error says how long the lock lasts.
func (e *LockedError) Error() string {
	return fmt.Sprintf("pin entry locked for %s", e.Remaining.Round(time.Second))
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }
