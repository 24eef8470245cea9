package launch

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A kiosk started while the previous process is letting go of the lock
// takes it once it is free; one held on refuses after the wait.
func TestLockWaitsForTheHolderToLetGo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kiosk.db")
	first, err := lockInstance(db)
	if err != nil {
		t.Fatal(err)
	}
	second, err := lockInstanceWait(db, time.Minute, func() {
		if err := first.release(); err != nil {
			t.Error(err)
		}
	})
	if err != nil {
		t.Fatalf("lock once the holder let go: %v", err)
	}
	start := time.Now()
	if _, err := lockInstanceWait(db, 100*time.Millisecond, nil); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("lock while held: %v, want ErrAlreadyRunning", err)
	} else if time.Since(start) < 100*time.Millisecond {
		t.Errorf("refused after %v, before the wait", time.Since(start))
	}
	if err := second.release(); err != nil {
		t.Fatal(err)
	}
}
