package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// runCmdIn runs one non-serve command with stdin as its standard input.
func runCmdIn(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(&out, &errb)
	m.Stdin = strings.NewReader(stdin)
	code = run(context.Background(), m, args)
	return out.String(), errb.String(), code
}

// adminHash reads an admin's stored hash straight from the database.
func adminHash(t *testing.T, db, name string) ([]byte, error) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return st.AdminPasswordHash(context.Background(), name)
}

func TestAdminCommands(t *testing.T) {
	db := emptyHub(t)
	if out, _, code := runCmdIn(t, "", "admin", "list", "--db", db); code != 0 || !strings.Contains(out, "No admins yet") {
		t.Errorf("list of none: exit %d\n%s", code, out)
	}
	refusals := []struct {
		name, stdin, want string
	}{
		{"nothing piped", "", "no password on standard input"},
		{"empty line", "\n", "no password on standard input"},
		{"9 characters", "chín ký t\n", "at least 10 characters"},
		{"over 72 bytes", strings.Repeat("ệ", 25) + "\n", "at most 72 bytes"},
	}
	for _, tt := range refusals {
		_, errs, code := runCmdIn(t, tt.stdin, "admin", "add", "an", "--db", db)
		if code != 1 || !strings.Contains(errs, tt.want) || !strings.Contains(errs, "mật khẩu") {
			t.Errorf("%s: exit %d, stderr %q; want 1 with %q in both languages", tt.name, code, errs, tt.want)
		}
	}
	if _, err := adminHash(t, db, "an"); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("a refused add stored an admin: %v", err)
	}

	// Piped, as in `echo 'pw' | hailong-hub admin add an`; exactly 10 characters pass.
	const pw = "mật khẩu 1"
	out, errs, code := runCmdIn(t, pw+"\r\n", "admin", "add", "--db", db, " Nguye\u0302\u0303n An ")
	if code != 0 || !strings.Contains(out, `Account "Nguyễn An" added (role admin)`) {
		t.Fatalf("admin add: exit %d\n%s\n%s", code, out, errs)
	}
	hash, err := adminHash(t, db, "Nguyễn An")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(hash, []byte(pw)) || bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil {
		t.Errorf("stored %q is not the bcrypt hash of the password", hash)
	}
	if cost, _ := bcrypt.Cost(hash); cost < bcrypt.DefaultCost {
		t.Errorf("bcrypt cost %d, want at least %d", cost, bcrypt.DefaultCost)
	}
	// Again with another password: replaced, not duplicated.
	if out, _, code := runCmdIn(t, "mật khẩu mới hơn\n", "admin", "add", "Nguyễn An", "--db", db); code != 0 || !strings.Contains(out, "changed") {
		t.Errorf("second add: exit %d\n%s", code, out)
	}
	if hash, _ := adminHash(t, db, "Nguyễn An"); bcrypt.CompareHashAndPassword(hash, []byte("mật khẩu mới hơn")) != nil {
		t.Error("second add did not replace the password")
	}
	runCmdIn(t, "một mật khẩu khác\n", "admin", "add", "bình", "--db", db)
	out, _, _ = runCmdIn(t, "", "admin", "list", "--db", db)
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "Nguyễn An ") || !strings.HasPrefix(lines[2], "bình ") {
		t.Errorf("admin list:\n%s", out)
	}

	if out, _, code := runCmdIn(t, "", "admin", "remove", "bình", "--db", db); code != 0 || !strings.Contains(out, "removed") {
		t.Errorf("remove: exit %d\n%s", code, out)
	}
	if _, errs, code := runCmdIn(t, "", "admin", "remove", "bình", "--db", db); code != 1 || !strings.Contains(errs, `no admin "bình"`) {
		t.Errorf("remove again: exit %d\n%s", code, errs)
	}
	if _, err := adminHash(t, db, "bình"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("removed admin still stored: %v", err)
	}
}

// TestAdminRoles: --role viewer makes a viewer, a new password without
// --role keeps the role, --role admin promotes, a wrong role is refused
// before anything is stored.
func TestAdminRoles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	role := func(name string) hub.Role {
		t.Helper()
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		r, err := st.AdminRole(context.Background(), name)
		if err != nil {
			t.Fatalf("AdminRole(%s): %v", name, err)
		}
		return r
	}
	if _, errs, code := runCmdIn(t, "mật khẩu của chi\n", "admin", "add", "chi", "--role", "root", "--db", db); code != 2 || !strings.Contains(errs, "want admin or viewer") {
		t.Errorf("--role root: exit %d\n%s", code, errs)
	}
	if _, err := adminHash(t, db, "chi"); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("a refused role stored an admin: %v", err)
	}
	if out, errs, code := runCmdIn(t, "mật khẩu của chi\n", "admin", "add", "chi", "--role", "viewer", "--db", db); code != 0 || !strings.Contains(out, "role viewer") {
		t.Fatalf("add viewer: exit %d\n%s\n%s", code, out, errs)
	}
	if r := role("chi"); r != hub.RoleViewer {
		t.Errorf("role %q, want viewer", r)
	}
	if out, _, code := runCmdIn(t, "mật khẩu mới của chi\n", "admin", "add", "chi", "--db", db); code != 0 || !strings.Contains(out, "role viewer") {
		t.Errorf("new password: exit %d\n%s", code, out)
	}
	out, _, _ := runCmdIn(t, "", "admin", "list", "--db", db)
	if !strings.Contains(out, "ROLE") || !strings.Contains(out, "chi   viewer") {
		t.Errorf("admin list does not show the role:\n%s", out)
	}
	if _, _, code := runCmdIn(t, "mật khẩu mới của chi\n", "admin", "add", "chi", "--role", "admin", "--db", db); code != 0 {
		t.Errorf("promote: exit %d", code)
	}
	if r := role("chi"); r != hub.RoleAdmin {
		t.Errorf("after --role admin, role %q", r)
	}
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{
		{"123456789", false},
		{"1234567890", true},
		{"hài lòng!!", true},             // 10 characters, 13 bytes
		{"ha\u0300i lo\u0300ng!!", true}, // the same in NFD: counted after NFC
		{strings.Repeat("a", 72), true},  // bcrypt's limit
		{strings.Repeat("a", 73), false}, // over it
		{strings.Repeat("ư", 36), true},  // 72 bytes
		{strings.Repeat("ư", 36) + "a", false},
		{"\xff\xfe" + strings.Repeat("a", 10), false},
	}
	for _, tt := range tests {
		if err := checkPassword(tt.pw); (err == nil) != tt.ok {
			t.Errorf("checkPassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
	}
}

// emptyHub returns the path of a hub database with nothing in it yet.
func emptyHub(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "hub.db")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return db
}
