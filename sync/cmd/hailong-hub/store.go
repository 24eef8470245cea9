package main

import (
	"context"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

// dbUsage is the --db flag's help: the one place that says how a
// backend is chosen.
const dbUsage = "hub database: a SQLite file path (a ward's hub), or a postgres://user@host/db URL (a city's hubs sharing one PostgreSQL)"

// openStore opens the store --db names: a postgres:// or postgresql://
// URL is PostgreSQL, anything else a SQLite file.
func openStore(ctx context.Context, db string) (hub.Store, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db)
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
