package storetest

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

func testSessionLifecycle(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a := hub.Session{TokenHash: hash("tok-a"), Admin: "Nguyễn An", PasswordHash: []byte("$2a$10$hash-a"), CSRF: "csrf-a", Expires: t0.Add(time.Hour)}
	b := hub.Session{TokenHash: hash("tok-b"), Admin: "Bình", PasswordHash: []byte("$2a$10$hash-b"), CSRF: "csrf-b", Expires: t0.Add(time.Minute)}
	for _, ss := range []hub.Session{a, b} {
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatalf("CreateSession %s: %v", ss.Admin, err)
		}
	}
	got, err := s.Session(ctx, hash("tok-a"), t0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Admin != a.Admin || !bytes.Equal(got.PasswordHash, a.PasswordHash) || got.CSRF != a.CSRF || !got.Expires.Equal(a.Expires) || !bytes.Equal(got.TokenHash, a.TokenHash) {
		t.Errorf("Session = %+v, want %+v", got, a)
	}
	if _, err := s.Session(ctx, hash("tok-x"), t0); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("unknown session: %v, want ErrNotFound", err)
	}
	if _, err := s.Session(ctx, hash("tok-b"), t0.Add(time.Minute)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("session at its expiry: %v, want ErrNotFound", err)
	}
	// Deleting another session prunes the expired one; a is still there.
	if err := s.DeleteSession(ctx, hash("tok-x"), t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, hash("tok-b"), t0); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("an expired session survived a prune: %v", err)
	}
	if _, err := s.Session(ctx, hash("tok-a"), t0.Add(2*time.Minute)); err != nil {
		t.Errorf("a live session was pruned: %v", err)
	}
	if err := s.DeleteSession(ctx, hash("tok-a"), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, hash("tok-a"), t0); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("a deleted session: %v, want ErrNotFound", err)
	}
}

func testLoginFailures(t *testing.T, s hub.Store) {
	ctx := context.Background()
	const window = 5 * time.Minute
	for i := range 3 {
		f, err := s.LoginFailed(ctx, "10.0.0.1", t0.Add(time.Duration(i)*time.Minute), window)
		if err != nil {
			t.Fatal(err)
		}
		if f.Count != i+1 || !f.Since.Equal(t0) {
			t.Errorf("failure %d: %+v, want count %d since %v", i+1, f, i+1, t0)
		}
	}
	if f, err := s.LoginFailures(ctx, "10.0.0.1", t0.Add(4*time.Minute), window); err != nil || f.Count != 3 {
		t.Errorf("LoginFailures in the window: %+v, %v", f, err)
	}
	if f, err := s.LoginFailures(ctx, "10.0.0.2", t0, window); err != nil || f.Count != 0 {
		t.Errorf("LoginFailures of another address: %+v, %v", f, err)
	}
	if f, err := s.LoginFailures(ctx, "10.0.0.1", t0.Add(window), window); err != nil || f.Count != 0 {
		t.Errorf("LoginFailures once the window passed: %+v, %v", f, err)
	}
	// A failure after the window starts a new one.
	if f, err := s.LoginFailed(ctx, "10.0.0.1", t0.Add(window), window); err != nil || f.Count != 1 || !f.Since.Equal(t0.Add(window)) {
		t.Errorf("failure after the window: %+v, %v", f, err)
	}
	if err := s.ResetLogins(ctx, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if f, err := s.LoginFailures(ctx, "10.0.0.1", t0.Add(window), window); err != nil || f.Count != 0 {
		t.Errorf("after ResetLogins: %+v, %v", f, err)
	}
}

// testLoginFailuresConcurrent: failures counted at once (by several hub
// processes) are each counted.
func testLoginFailuresConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.LoginFailed(ctx, "10.0.0.9", t0.Add(time.Duration(i)*time.Millisecond), time.Hour)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := s.LoginFailures(ctx, "10.0.0.9", t0.Add(time.Second), time.Hour)
	if err != nil || f.Count != n {
		t.Errorf("after %d concurrent failures: %+v, %v", n, f, err)
	}
}
