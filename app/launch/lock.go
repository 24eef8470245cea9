package launch

import (
	"errors"
	"fmt"
	"os"
	"time"
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

// lockWait is how long lockInstance waits for a holder to let go before
// it refuses: a kiosk restarted right after its previous process ended
// (the supervisor, a logout and login) can find the lock still held for
// a moment, by that process's last child between its fork and exec.
const lockWait = 2 * time.Second

// lockInstance takes the lock of the database at dbPath, or returns an
// error wrapping ErrAlreadyRunning once lockWait has passed with the lock
// held by another process.
func lockInstance(dbPath string) (*instanceLock, error) {
	return lockInstanceWait(dbPath, lockWait, nil)
}

// lockInstanceWait is lockInstance waiting up to wait; busy, when not
// nil, is called once when the lock is first found held.
func lockInstanceWait(dbPath string, wait time.Duration, busy func()) (*instanceLock, error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file %s: %w", path, err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := lockFile(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if busy != nil {
			busy()
			busy = nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, ErrAlreadyRunning)
		}
		time.Sleep(50 * time.Millisecond)
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
