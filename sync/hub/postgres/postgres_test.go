package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres"
	"github.com/hailong-kiosk/hailong/sync/hub/postgres/pgtest"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
)

// cluster is the throwaway server shared by the package's tests.
var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

// openStore opens a store on a new empty database, closed when t ends.
func openStore(t testing.TB) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), cluster.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) hub.Store { return openStore(t) })
}
