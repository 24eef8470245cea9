package store

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// Errors callers can test for with errors.Is. Every error the store returns
// is wrapped with the operation that failed.
var (
	// ErrNotFound means no row matches: no such response, survey or setting.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the id is already stored with different content, or
	// the requested change contradicts the stored state.
	ErrConflict = errors.New("conflict with stored data")
	// ErrInvalid means the input fails the store's checks (a bad id, an
	// unknown status, times out of order); nothing was written.
	ErrInvalid = errors.New("invalid input")
	// ErrNewerSchema means the database was written by a newer program whose
	// schema this one does not know; the database is left untouched.
	ErrNewerSchema = errors.New("database schema is newer than this program")
	// ErrDiskFull means the disk (or the database's size limit) is full;
	// the failed transaction left nothing behind.
	ErrDiskFull = errors.New("disk is full")
	// ErrReadOnly means the database or its disk cannot be written.
	ErrReadOnly = errors.New("database is read-only")
)

// classified ties a low-level error to one of the sentinel errors above, so
// that both errors.Is(err, ErrDiskFull) and errors.As(err, &sqlite3.Error{})
// work.
type classified struct {
	kind error
	err  error
}

func (e *classified) Error() string   { return e.kind.Error() + ": " + e.err.Error() }
func (e *classified) Unwrap() []error { return []error{e.kind, e.err} }

// classify maps SQLite and operating-system error codes to ErrDiskFull and
// ErrReadOnly. Other errors are returned unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var c *classified
	if errors.As(err, &c) {
		return err
	}
	if kind := kindOf(err); kind != nil {
		return &classified{kind: kind, err: err}
	}
	return err
}

func kindOf(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrFull:
			return ErrDiskFull
		case sqlite3.ErrReadonly:
			return ErrReadOnly
		}
		switch se.SystemErrno {
		case syscall.ENOSPC, syscall.EDQUOT:
			return ErrDiskFull
		case syscall.EROFS:
			return ErrReadOnly
		}
		return nil
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ENOSPC, syscall.EDQUOT:
			return ErrDiskFull
		case syscall.EROFS:
			return ErrReadOnly
		}
	}
	return nil
}

// wrap adds the operation to err after classifying it.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, classify(err))
}
