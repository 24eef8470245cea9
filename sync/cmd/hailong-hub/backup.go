package main

import (
	"context"
	"errors"
	"flag"

	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// backupCommand is `hailong-hub backup FILE`: a consistent copy of a
// SQLite hub database, made while the hub serves. PostgreSQL hubs back up
// with the server's tools (docs/deploy.md).
type backupCommand struct{ path string }

func (c *backupCommand) flags(*flag.FlagSet) {}

func (c *backupCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.path = args[0]
	return nil
}

func (c *backupCommand) run(ctx context.Context, m *Main) error {
	st, ok := m.store.(*sqlite.Store)
	if !ok {
		return errors.New("backup: --db is PostgreSQL; back it up with pg_dump or pg_basebackup (docs/deploy.md)")
	}
	if err := st.Backup(ctx, c.path); err != nil {
		return err
	}
	m.say(m.Stdout, "hubcli.backup.done", "DB", m.db, "Path", c.path)
	return nil
}
