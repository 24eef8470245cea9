package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3"

	"github.com/hailong-kiosk/hailong/app/survey"
)

func testResponse(t testing.TB, i int, comment string) *survey.Response {
	t.Helper()
	start := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second)
	return &survey.Response{
		ID: uuid.Must(uuid.NewV7()).String(), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers:   survey.Answers{"thai_do": {"hl"}, "y_kien": {comment}},
		StartedAt: start, FinishedAt: start.Add(30 * time.Second),
		ServicePoint: "Một cửa", DeviceID: "k1", Lang: "vi", Status: survey.StatusComplete,
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"SQLITE_FULL", sqlite3.Error{Code: sqlite3.ErrFull}, ErrDiskFull},
		{"IOERR ENOSPC", sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrWrite, SystemErrno: syscall.ENOSPC}, ErrDiskFull},
		{"IOERR EDQUOT", sqlite3.Error{Code: sqlite3.ErrIoErr, ExtendedCode: sqlite3.ErrIoErrFsync, SystemErrno: syscall.EDQUOT}, ErrDiskFull},
		{"SQLITE_READONLY", sqlite3.Error{Code: sqlite3.ErrReadonly}, ErrReadOnly},
		{"CANTOPEN EROFS", sqlite3.Error{Code: sqlite3.ErrCantOpen, SystemErrno: syscall.EROFS}, ErrReadOnly},
		{"wrapped sqlite", fmt.Errorf("exec: %w", sqlite3.Error{Code: sqlite3.ErrFull}), ErrDiskFull},
		{"os ENOSPC", &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}, ErrDiskFull},
		{"os EROFS", &fs.PathError{Op: "mkdir", Path: "x", Err: syscall.EROFS}, ErrReadOnly},
		{"IOERR other", sqlite3.Error{Code: sqlite3.ErrIoErr, SystemErrno: syscall.EIO}, nil},
		{"constraint", sqlite3.Error{Code: sqlite3.ErrConstraint}, nil},
		{"plain", errors.New("x"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := wrap("save response", tt.err)
			for _, kind := range []error{ErrDiskFull, ErrReadOnly} {
				if got := errors.Is(err, kind); got != (kind == tt.want) {
					t.Errorf("errors.Is(%v, %v) = %v", err, kind, got)
				}
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("%v does not wrap the original error", err)
			}
			if !strings.HasPrefix(err.Error(), "save response: ") {
				t.Errorf("%q lacks its context", err)
			}
			if again := classify(err); again != err {
				t.Errorf("classifying twice changed the error: %v", again)
			}
		})
	}
	var se sqlite3.Error
	if !errors.As(wrap("x", sqlite3.Error{Code: sqlite3.ErrFull}), &se) || se.Code != sqlite3.ErrFull {
		t.Error("errors.As cannot reach the sqlite3.Error")
	}
}

// TestDiskFull fills the database to its page limit (PRAGMA max_page_count,
// which makes SQLite fail with SQLITE_FULL as on a full disk) and checks that
// the failed save is reported as ErrDiskFull, leaves no row, and that every
// earlier row is intact; once space is back, saving works again.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var saved []*survey.Response
	for i := range 5 {
		r := testResponse(t, i, "Cán bộ hướng dẫn tận tình")
		if err := s.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, r)
	}
	var pages int
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// Settings go through the same writer connection, so the limit applies.
	if _, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("Thủ tục nhanh gọn, cán bộ nhiệt tình. ", 60) // ~2.5 KB, NFC
	var failed *survey.Response
	for i := 5; i < 1000; i++ {
		r := testResponse(t, i, big)
		err := s.SaveResponse(ctx, r)
		if err == nil {
			saved = append(saved, r)
			continue
		}
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("SaveResponse on a full database = %v, want ErrDiskFull", err)
		}
		if !strings.Contains(err.Error(), r.ID) {
			t.Errorf("error %q does not name the response", err)
		}
		failed = r
		break
	}
	if failed == nil {
		t.Fatal("the database never filled up")
	}
	if _, err := s.Response(ctx, failed.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed response was stored: %v", err)
	}
	if err := s.SetSettings(ctx, map[string]string{"agency": big, "event_tag": big}); !errors.Is(err, ErrDiskFull) {
		t.Errorf("SetSettings on a full database = %v, want ErrDiskFull", err)
	}
	if _, ok, _ := s.Setting(ctx, "agency"); ok {
		t.Error("a failed SetSettings stored a setting")
	}
	checkAll := func() {
		t.Helper()
		c, err := s.Counts(ctx, time.Time{})
		if err != nil || c.Total != len(saved) {
			t.Fatalf("Counts = %+v, %v; want %d responses", c, err, len(saved))
		}
		for _, r := range saved {
			got, err := s.Response(ctx, r.ID)
			if err != nil || !reflect.DeepEqual(got, r) {
				t.Fatalf("response %s after disk full: %v, %+v", r.ID, err, got)
			}
		}
		if err := s.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	checkAll()

	// Space is back: the same response saves.
	if _, err := s.w.ExecContext(ctx, "PRAGMA max_page_count = 1073741823"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResponse(ctx, failed); err != nil {
		t.Fatalf("SaveResponse after space came back: %v", err)
	}
	saved = append(saved, failed)
	checkAll()
}

// TestDiskFullRealFS fills a real, small file system (a 512 KiB tmpfs
// mounted for the test, so it needs root) and checks what TestDiskFull
// checks, with the error coming from the kernel (ENOSPC) instead of
// SQLite's page limit.
func TestDiskFullRealFS(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { // runs after the store is closed
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ballast := filepath.Join(dir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 128<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("Thủ tục nhanh gọn, cán bộ nhiệt tình. ", 60)
	var saved []*survey.Response
	var failed *survey.Response
	for i := range 10_000 {
		r := testResponse(t, i, big)
		err := s.SaveResponse(ctx, r)
		if err == nil {
			saved = append(saved, r)
			continue
		}
		if !errors.Is(err, ErrDiskFull) {
			t.Fatalf("SaveResponse on a full disk = %v, want ErrDiskFull", err)
		}
		t.Logf("after %d saves: %v", len(saved), err)
		failed = r
		break
	}
	if failed == nil {
		t.Fatal("the file system never filled up")
	}
	if _, err := s.Response(ctx, failed.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the failed response was stored: %v", err)
	}
	for _, r := range saved {
		if got, err := s.Response(ctx, r.ID); err != nil || !reflect.DeepEqual(got, r) {
			t.Fatalf("response %s after disk full: %v", r.ID, err)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Fatal(err)
	}
	// Space is freed: the same response saves.
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResponse(ctx, failed); err != nil {
		t.Fatalf("SaveResponse after space was freed: %v", err)
	}
	if c, err := s.Counts(ctx, time.Time{}); err != nil || c.Total != len(saved)+1 {
		t.Errorf("Counts = %+v, %v; want %d", c, err, len(saved)+1)
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r := testResponse(t, 0, "Rất tốt")
	if err := s.SaveResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ro, err := Open(ctx, path, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got, err := ro.Response(ctx, r.ID); err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("read-only Response = %+v, %v", got, err)
	}
	writes := map[string]func() error{
		"SaveResponse": func() error { return ro.SaveResponse(ctx, testResponse(t, 1, "x")) },
		"SetSettings":  func() error { return ro.SetSettings(ctx, map[string]string{"k": "v"}) },
		"MarkSynced":   func() error { return ro.MarkSynced(ctx, []string{r.ID}) },
		"MarkRejected": func() error { return ro.MarkRejected(ctx, r.ID, "x") },
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only store = %v, want ErrReadOnly", name, err)
		}
	}
	if st, err := ro.SyncStats(ctx); err != nil || st != (SyncStats{Pending: 1}) {
		t.Errorf("SyncStats = %+v, %v", st, err)
	}

	// A read-only store (an export from the command line) reads while the
	// kiosk has the file open and keeps saving.
	kiosk, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer kiosk.Close()
	later := testResponse(t, 2, "Lần sau")
	if err := kiosk.SaveResponse(ctx, later); err != nil {
		t.Fatal(err)
	}
	ro2, err := Open(ctx, path, ReadOnly())
	if err != nil {
		t.Fatalf("read-only open beside a writer: %v", err)
	}
	defer ro2.Close()
	if got, err := ro2.Response(ctx, later.ID); err != nil || !reflect.DeepEqual(got, later) {
		t.Errorf("read-only store beside a writer: %+v, %v", got, err)
	}

	if _, err := Open(ctx, filepath.Join(t.TempDir(), "missing.db"), ReadOnly()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadOnly open of a missing file = %v, want fs.ErrNotExist", err)
	}
	// An empty (schema version 0) file cannot be upgraded read-only.
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, empty, ReadOnly()); !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "upgrading") {
		t.Errorf("ReadOnly open of an old schema = %v, want ErrReadOnly", err)
	}
}

// TestReadOnlyFS opens a database on a file system mounted read-only (a
// tmpfs remounted for the test, so it needs root): the kernel's EROFS must
// come out as ErrReadOnly, and a read-only store still reads it.
func TestReadOnlyFS(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	ctx := context.Background()
	path := filepath.Join(dir, "kiosk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r := testResponse(t, 0, "Rất tốt")
	if err := s.SaveResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	// A copy taken while the kiosk runs: its last commits are only in the
	// -wal file, and there is no -shm.
	copyPath := filepath.Join(dir, "copy", "kiosk.db")
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(path + suffix)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(copyPath+suffix, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
		t.Fatalf("remount read-only: %v: %s", err, out)
	}
	_, err = Open(ctx, path)
	if !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open on a read-only file system = %v, want ErrReadOnly", err)
	}
	t.Logf("error: %v", err)
	if _, err := Open(ctx, filepath.Join(dir, "new", "kiosk.db")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("creating a store on a read-only file system = %v, want ErrReadOnly", err)
	}
	ro, err := Open(ctx, path, ReadOnly())
	if err != nil {
		t.Fatalf("ReadOnly open on a read-only file system: %v", err)
	}
	defer ro.Close()
	if got, err := ro.Response(ctx, r.ID); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("Response = %+v, %v", got, err)
	}
	// The copy with a -wal file is refused rather than read without its
	// latest responses.
	if _, err := Open(ctx, copyPath, ReadOnly()); err == nil || !strings.Contains(err.Error(), "kiosk.db-wal") {
		t.Errorf("ReadOnly open of a copy with a -wal file on read-only media = %v, want an error naming the -wal file", err)
	} else {
		t.Logf("copy with -wal: %v", err)
	}
}

// TestReadOnlyFile makes the database file and its directory unwritable.
// Root ignores file modes, so it only runs as another user.
func TestReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file modes do not stop writes")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ro")
	path := filepath.Join(dir, "kiosk.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResponse(ctx, testResponse(t, 0, "x")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	s, err = Open(ctx, path)
	if err == nil {
		err = s.SaveResponse(ctx, testResponse(t, 1, "y"))
		s.Close()
	}
	if !errors.Is(err, ErrReadOnly) {
		t.Errorf("writing a read-only file: %v, want ErrReadOnly", err)
	}
	t.Logf("error: %v", err)
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("Đây không phải cơ sở dữ liệu.\n", 200)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), "not a database") || !strings.Contains(err.Error(), path) {
		t.Errorf("Open(text file) = %v, want an error naming the file and saying it is not a database", err)
	}
	if _, err := Open(context.Background(), ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("Open(\"\") = %v, want ErrInvalid", err)
	}
}
