package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log the server's goroutines write to while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveLog starts serve with args and returns what it logged at start.
func serveLog(t *testing.T, args ...string) string {
	t.Helper()
	var log lockedBuffer
	m := NewMain(&log, &log)
	if err := m.ParseFlags(context.Background(), append([]string{"serve"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return log.String()
}

// TestServeTellsANewcomer: a fresh hub says it has no dashboard login yet
// and how to add one; on every address it names addresses a kiosk can be
// given, since 0.0.0.0 or [::] is none.
func TestServeTellsANewcomer(t *testing.T) {
	dir := t.TempDir()
	out := serveLog(t, "--db", filepath.Join(dir, "fresh.db"), "--listen", "127.0.0.1:0")
	if !strings.Contains(out, "no dashboard login yet: add one with hailong-hub admin add NAME") {
		t.Errorf("a fresh hub does not say how to log in:\n%s", out)
	}
	if strings.Contains(out, "give kiosks one of these") {
		t.Errorf("a hub on one address lists others:\n%s", out)
	}
	if !strings.Contains(out, "listening on loopback only") {
		t.Errorf("a hub on 127.0.0.1 does not say that only this machine reaches it:\n%s", out)
	}

	db := filepath.Join(dir, "hub.db")
	if _, errs, code := runCmdIn(t, "mật khẩu dài 1\n", "admin", "add", "chi.lan", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d: %s", code, errs)
	}
	out = serveLog(t, "--db", db, "--listen", "0.0.0.0:0")
	if strings.Contains(out, "no dashboard login yet") {
		t.Errorf("a hub with a login says it has none:\n%s", out)
	}
	if !strings.Contains(out, "give kiosks one of these") || !strings.Contains(out, "127.0.0.1:") || strings.Contains(out, "loopback only") {
		t.Errorf("a hub on every address does not list its own:\n%s", out)
	}
}

func TestReachableURLs(t *testing.T) {
	nets := func(cidrs ...string) func() ([]net.Addr, error) {
		return func() ([]net.Addr, error) {
			var out []net.Addr
			for _, c := range cidrs {
				ip, n, err := net.ParseCIDR(c)
				if err != nil {
					t.Fatal(err)
				}
				n.IP = ip
				out = append(out, n)
			}
			return out, nil
		}
	}
	machine := nets("127.0.0.1/8", "192.168.1.10/24", "::1/128", "fe80::1/64", "2001:db8::5/64")
	tests := []struct {
		name   string
		listen *net.TCPAddr
		addrs  func() ([]net.Addr, error)
		want   []string
	}{
		{"every address", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, machine,
			[]string{"http://192.168.1.10:8080", "http://[2001:db8::5]:8080", "http://127.0.0.1:8080", "http://[::1]:8080"}},
		{"every IPv4 address", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, machine,
			[]string{"http://192.168.1.10:8080", "http://127.0.0.1:8080"}},
		{"one address", &net.TCPAddr{IP: net.ParseIP("192.168.1.10"), Port: 8080}, machine, nil},
		{"addresses unreadable", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080},
			func() ([]net.Addr, error) { return nil, errors.New("no netlink") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reachableURLs("http", tt.listen, tt.addrs); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMissingDatabase: a command run in the wrong folder, or with a
// mistyped --db, does not answer from an empty hub of its own making: one
// that only reads refuses, one that writes says it made a new database.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"export", "--out", filepath.Join(dir, "x.csv")}, {"device", "list"}, {"admin", "list"}, {"gaps"}, {"verify"},
	} {
		db := filepath.Join(dir, "khong-co.db")
		_, errs, code := runCmd(t, append(args, "--db", db)...)
		if code != 1 || !strings.Contains(errs, "no hub database at "+db) || !strings.Contains(errs, "không có cơ sở dữ liệu máy chủ") {
			t.Errorf("%v on a missing file: exit %d, %s", args, code, errs)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v created %s", args, db)
		}
	}
	// A missing input file fails before the database is made.
	for _, args := range [][]string{
		{"survey", "publish", filepath.Join(dir, "khong-co.json")},
		{"import", filepath.Join(dir, "khong-co.hlbundle")},
		{"files", "import", filepath.Join(dir, "khong-co.csv")},
	} {
		db := filepath.Join(dir, "chua-co.db")
		_, errs, code := runCmd(t, append(args, "--db", db)...)
		if code != 1 || !strings.Contains(errs, "khong-co") {
			t.Errorf("%v with a missing file: exit %d, %s", args, code, errs)
		}
		if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%v with a missing file created %s", args, db)
		}
	}
	db := filepath.Join(dir, "moi.db")
	out, errs, code := runCmd(t, "device", "enroll", "--name", "Kiosk 1", "--db", db)
	if code != 0 || !codeRE.MatchString(out) || !strings.Contains(errs, "created a new hub database "+db) {
		t.Errorf("device enroll on a new file: exit %d\n%s\n%s", code, out, errs)
	}
	// The second time the database is there: no word of it.
	if _, errs, _ := runCmd(t, "device", "list", "--db", db); strings.Contains(errs, "created a new hub database") {
		t.Errorf("device list on the existing file: %s", errs)
	}
}
