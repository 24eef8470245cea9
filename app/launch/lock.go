package launch

import (
	"errors"
	"fmt"
	"os"
)

// ErrAlreadyRunning means another kiosk process has the database open.
var ErrAlreadyRunning = errors.New("another Hài Lòng kiosk is running on this database")

// instanceLock is the lock a kiosk process holds on its database for as
// long as it runs: a second kiosk on the same database (a second window,
// another user's session, the autostart and a manual start) would share
// its idle timers' saves, misuse checks and uploader with the first. The
// lock is on a file beside the database, taken with the operating
// system's file locking, so a process that dies, even by SIGKILL, leaves
// no stale lock. The CLI (export, pin reset) takes no lock: it may run
// beside the kiosk.
type instanceLock struct{ f *os.File }

// lockInstance takes the lock of the database at dbPath, or returns an
// error wrapping ErrAlreadyRunning.
func lockInstance(dbPath string) (*instanceLock, error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("lock %s: %w", path, ErrAlreadyRunning)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The holder's process id, for staff looking at the file.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "%d\n", os.Getpid())
	}
	return &instanceLock{f: f}, nil
}

// release gives the lock up.
func (l *instanceLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// errLocked is lockFile's error when another process holds the lock.
var errLocked = errors.New("locked by another process")
