package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// backup runs `hailong-hub backup FILE`: a consistent copy of a SQLite
// hub database, made while the hub serves. PostgreSQL hubs back up with
// the server's tools (docs/deploy.md).
func (m *Main) backup(ctx context.Context) error {
	st, ok := m.store.(*sqlite.Store)
	if !ok {
		return errors.New("backup: --db is PostgreSQL; back it up with pg_dump or pg_basebackup (docs/deploy.md)")
	}
	if err := st.Backup(ctx, m.args[0]); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s (checked). To restore: stop the hub, replace %s with the copy, delete %s-wal and %s-shm, start the hub.\n",
		m.db, m.args[0], m.db, m.db, m.db)
	return nil
}
