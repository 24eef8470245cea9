package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path while the hub
// keeps serving: SQLite's VACUUM INTO reads one snapshot (WAL mode lets
// uploads commit meanwhile) into a new compact file, on a connection of
// its own so the writer is never held. The copy is synced to disk and
// checked (PRAGMA integrity_check) before Backup returns. path must not
// exist. Restoring is copying the file back in place of the hub's database
// while the hub is stopped (docs/deploy.md).
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.backup(ctx, path); err != nil {
		return fmt.Errorf("back up %s to %s: %w", s.path, path, err)
	}
	return nil
}

func (s *Store) backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return errors.New("the file exists; choose a new name")
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	db, err := sql.Open("sqlite3", dsn(s.path, false))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return err
	}
	if err := syncFile(path); err != nil {
		return err
	}
	if err := syncFile(filepath.Dir(path)); err != nil {
		return err
	}
	cp, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return err
	}
	defer cp.Close()
	var verdict string
	if err := cp.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&verdict); err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	if verdict != "ok" {
		return fmt.Errorf("the copy fails its integrity check: %s", verdict)
	}
	return nil
}

// syncFile flushes a file or directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
