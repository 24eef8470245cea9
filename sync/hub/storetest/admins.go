package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// bcryptHash hashes password at the lowest cost (the suite checks storage,
// not hashing).
func bcryptHash(t *testing.T, password string) []byte {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func adminNames(t *testing.T, s hub.Store) []string {
	t.Helper()
	as, err := s.Admins(context.Background())
	if err != nil {
		t.Fatalf("Admins: %v", err)
	}
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func testAdminLifecycle(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if got := adminNames(t, s); len(got) != 0 {
		t.Fatalf("a new store has admins %v", got)
	}
	if _, err := s.AdminPasswordHash(ctx, "an"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("AdminPasswordHash of nobody: %v, want ErrNotFound", err)
	}
	h1, h2 := bcryptHash(t, "mật khẩu thứ nhất"), bcryptHash(t, "mật khẩu thứ hai")
	if err := s.PutAdmin(ctx, "an", h1, t0); err != nil {
		t.Fatalf("PutAdmin: %v", err)
	}
	if err := s.PutAdmin(ctx, "bình", bcryptHash(t, "khác hẳn"), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAdmin(ctx, "an", h1, t0.Add(time.Minute)); err != nil {
		t.Errorf("PutAdmin again with the same hash: %v, want nil", err)
	}
	got, err := s.AdminPasswordHash(ctx, "an")
	if err != nil || bcrypt.CompareHashAndPassword(got, []byte("mật khẩu thứ nhất")) != nil {
		t.Fatalf("AdminPasswordHash(an) = %q, %v: want the first hash", got, err)
	}
	// Replacing the password keeps the creation time.
	if err := s.PutAdmin(ctx, "an", h2, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.AdminPasswordHash(ctx, "an")
	if err != nil || bcrypt.CompareHashAndPassword(got, []byte("mật khẩu thứ hai")) != nil {
		t.Errorf("after replacing, AdminPasswordHash(an) = %q, %v: want the new hash", got, err)
	}
	as, err := s.Admins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Name != "an" || as[1].Name != "bình" {
		t.Fatalf("Admins = %+v, want an, bình", as)
	}
	if !as[0].CreatedAt.Equal(t0) || !as[0].UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("an: created %v updated %v, want %v and %v", as[0].CreatedAt, as[0].UpdatedAt, t0, t0.Add(time.Hour))
	}
	if err := s.DeleteAdmin(ctx, "an"); err != nil {
		t.Fatalf("DeleteAdmin: %v", err)
	}
	if _, err := s.AdminPasswordHash(ctx, "an"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("AdminPasswordHash after delete: %v, want ErrNotFound", err)
	}
	if err := s.DeleteAdmin(ctx, "an"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("DeleteAdmin twice: %v, want ErrNotFound", err)
	}
	if got := adminNames(t, s); !slices.Equal(got, []string{"bình"}) {
		t.Errorf("Admins after delete = %v, want [bình]", got)
	}
}

func testAdminNames(t *testing.T, s hub.Store) {
	ctx := context.Background()
	nfc, nfd := "Nguyễn Thị Hoà", "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300"
	if err := s.PutAdmin(ctx, "  "+nfd+"\t", bcryptHash(t, "pw"), t0); err != nil {
		t.Fatal(err)
	}
	if got := adminNames(t, s); !slices.Equal(got, []string{nfc}) {
		t.Errorf("stored name %q, want NFC and trimmed %q", got, nfc)
	}
	for _, name := range []string{nfc, nfd, " " + nfc + " "} {
		if _, err := s.AdminPasswordHash(ctx, name); err != nil {
			t.Errorf("AdminPasswordHash(%q): %v", name, err)
		}
	}
	// Case matters.
	if _, err := s.AdminPasswordHash(ctx, "nguyễn thị hoà"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("lower-case name found: %v, want ErrNotFound", err)
	}
	if err := s.PutAdmin(ctx, "An", bcryptHash(t, "x"), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAdmin(ctx, "an", bcryptHash(t, "y"), t0); err != nil {
		t.Fatal(err)
	}
	if got := adminNames(t, s); !slices.Equal(got, []string{"An", nfc, "an"}) {
		t.Errorf("Admins = %q, want An, %s, an (byte order, case kept)", got, nfc)
	}
	if err := s.DeleteAdmin(ctx, nfd+" "); err != nil {
		t.Errorf("DeleteAdmin by the NFD spelling: %v", err)
	}
}

func testAdminRefusals(t *testing.T, s hub.Store) {
	ctx := context.Background()
	good := bcryptHash(t, "pw")
	tests := []struct {
		name, admin string
		hash        []byte
	}{
		{"empty name", "", good},
		{"blank name", " \t ", good},
		{"control character", "an\nbình", good},
		{"too long", strings.Repeat("ă", hub.MaxAdminName+1), good},
		{"password in clear", "an", []byte("mật khẩu rõ")},
		{"no hash", "an", nil},
	}
	for _, tt := range tests {
		err := s.PutAdmin(ctx, tt.admin, tt.hash, t0)
		if !errors.Is(err, hub.ErrInvalidAdmin) {
			t.Errorf("%s: PutAdmin = %v, want ErrInvalidAdmin", tt.name, err)
		}
	}
	if got := adminNames(t, s); len(got) != 0 {
		t.Errorf("refused PutAdmin calls stored %q", got)
	}
}

func testAdminConcurrentPut(t *testing.T, s hub.Store) {
	ctx := context.Background()
	const n = 8
	hashes := make([][]byte, n)
	for i := range hashes {
		hashes[i] = bcryptHash(t, fmt.Sprint("pw", i))
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = s.PutAdmin(ctx, "an", hashes[i], t0.Add(time.Duration(i)*time.Second)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("concurrent PutAdmin: %v", err)
		}
	}
	got, err := s.AdminPasswordHash(ctx, "an")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hashes, func(h []byte) bool { return string(h) == string(got) }) {
		t.Errorf("stored hash is none of the ones put")
	}
	if names := adminNames(t, s); !slices.Equal(names, []string{"an"}) {
		t.Errorf("Admins = %v, want one admin", names)
	}
}

func testAdminRoles(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if _, err := s.AdminRole(ctx, "an"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("AdminRole of nobody: %v, want ErrNotFound", err)
	}
	if err := s.PutAdmin(ctx, "an", bcryptHash(t, "một"), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAdminAs(ctx, "bình", bcryptHash(t, "hai"), hub.RoleViewer, t0); err != nil {
		t.Fatal(err)
	}
	role := func(name string) hub.Role {
		t.Helper()
		r, err := s.AdminRole(ctx, name)
		if err != nil {
			t.Fatalf("AdminRole(%s): %v", name, err)
		}
		return r
	}
	if got := role("an"); got != hub.RoleAdmin {
		t.Errorf("PutAdmin made role %q, want admin", got)
	}
	if got := role("bình"); got != hub.RoleViewer {
		t.Errorf("PutAdminAs viewer made role %q", got)
	}
	// A new password through PutAdmin keeps the role.
	h := bcryptHash(t, "ba")
	if err := s.PutAdmin(ctx, "bình", h, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := role("bình"); got != hub.RoleViewer {
		t.Errorf("after PutAdmin, role %q, want viewer kept", got)
	}
	if err := s.PutAdminAs(ctx, "an", bcryptHash(t, "bốn"), hub.RoleViewer, t0); err != nil {
		t.Fatal(err)
	}
	as, err := s.Admins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].Role != hub.RoleViewer || as[1].Role != hub.RoleViewer {
		t.Errorf("Admins = %+v, want both viewers", as)
	}
	// A refused role changes nothing, not even the password.
	if err := s.PutAdminAs(ctx, "bình", bcryptHash(t, "năm"), hub.Role("root"), t0); !errors.Is(err, hub.ErrInvalidAdmin) {
		t.Errorf("PutAdminAs role root: %v, want ErrInvalidAdmin", err)
	}
	if err := s.PutAdminAs(ctx, "chi", bcryptHash(t, "sáu"), "", t0); !errors.Is(err, hub.ErrInvalidAdmin) {
		t.Errorf("PutAdminAs empty role: %v, want ErrInvalidAdmin", err)
	}
	if got, err := s.AdminPasswordHash(ctx, "bình"); err != nil || bcrypt.CompareHashAndPassword(got, []byte("ba")) != nil {
		t.Errorf("refused PutAdminAs changed the password: %v", err)
	}
	if got := adminNames(t, s); !slices.Equal(got, []string{"an", "bình"}) {
		t.Errorf("refused PutAdminAs stored %v", got)
	}
}
