package main

import (
	"os"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub/postgres/pgtest"
)

// cluster is the throwaway PostgreSQL server shared by the package's tests.
var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }
