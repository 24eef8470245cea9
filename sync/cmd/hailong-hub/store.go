package main

import (
	"context"
	"fmt"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// dbUsage is the --db flag's help: the one place that says how a
// backend is chosen.
const dbUsage = "hub database: a SQLite file path (a ward's hub), or a postgres://user@host/db URL (a city's hubs sharing one PostgreSQL)"

// readDBUsage is the --read-db flag's help.
const readDBUsage = "PostgreSQL streaming replica of --db (postgres://...) that dashboards and exports read from; writes and logins stay on --db"

// openStore opens the store --db names: a postgres:// or postgresql://
// URL is PostgreSQL, anything else a SQLite file. readDB, if set, is a
// replica of a PostgreSQL db that dashboards and exports read from.
func openStore(ctx context.Context, db, readDB string) (hub.Store, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db, postgres.ReadFrom(readDB))
	}
	if readDB != "" {
		return nil, fmt.Errorf("--read-db %s: a read replica needs a PostgreSQL --db (postgres://...), not the SQLite file %s", dbName(readDB), db)
	}
	return sqlite.Open(ctx, db)
}

// dbName is --db for logs: a PostgreSQL URL without its password.
func dbName(db string) string {
	if postgres.IsURL(db) {
		return postgres.Redact(db)
	}
	return db
}
