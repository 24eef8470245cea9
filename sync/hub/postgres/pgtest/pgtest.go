// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// and pg_ctl in a temporary directory, listening on a free 127.0.0.1 port,
// stopped and removed after the tests. When the tests run as root (CI),
// the server runs as the `postgres` user, since initdb refuses root.
//
// The binaries are found in $HAILONG_PG_BIN, else `pg_config --bindir`,
// else the newest /usr/lib/postgresql/*/bin (Debian's postgresql package,
// which scripts/setup.sh installs). Without them the tests fail, unless
// HAILONG_SKIP_POSTGRES=1 says explicitly to skip them on this machine.
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// SkipEnv names the variable that, set to 1, skips PostgreSQL tests where
// no server binaries are installed. CI never sets it.
const SkipEnv = "HAILONG_SKIP_POSTGRES"

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	// Dir is the data directory; Port the TCP port on 127.0.0.1.
	Dir  string
	Port int
	// Bin is the directory of the server binaries.
	Bin string

	runAs *user.User // nil: the current user
	root  string     // removed by Stop, unless keep
	keep  bool       // root is $HAILONG_PG_KEEP: Stop leaves it
	dbs   atomic.Int64
}

// Main is a TestMain body: it starts a cluster into *c, runs the tests
// and stops it. With no binaries and SkipEnv=1 it runs the tests with *c
// nil (New then skips them, saying why); without SkipEnv it fails.
func Main(m *testing.M, c **Cluster) int {
	cl, err := Start()
	if errors.Is(err, errNoBinaries) && os.Getenv(SkipEnv) == "1" {
		fmt.Fprintf(os.Stderr, "pgtest: %v; PostgreSQL tests skipped (%s=1)\n", err, SkipEnv)
		return m.Run()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v (set %s=1 to skip PostgreSQL tests on a machine without it)\n", err, SkipEnv)
		return 1
	}
	*c = cl
	code := m.Run()
	if err := cl.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

var errNoBinaries = errors.New("no PostgreSQL server binaries (initdb, pg_ctl) found")

// binDir finds the directory of initdb and pg_ctl.
func binDir() (string, error) {
	if d := os.Getenv("HAILONG_PG_BIN"); d != "" {
		return d, nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errNoBinaries
}

// Start initialises and starts a new cluster.
func Start() (*Cluster, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Bin: bin}
	if os.Geteuid() == 0 {
		if c.runAs, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root, and no postgres user to run the server as: %w", err)
		}
	}
	if keep := os.Getenv(KeepEnv); keep != "" {
		return c.startKept(keep)
	}
	if c.root, err = os.MkdirTemp("", "hailong-pg-"); err != nil {
		return nil, err
	}
	if err := c.Init(filepath.Join(c.root, "data")); err != nil {
		os.RemoveAll(c.root)
		return nil, err
	}
	if c.Port, err = FreePort(); err != nil {
		os.RemoveAll(c.root)
		return nil, err
	}
	if err := c.StartServer(c.Dir, c.Port); err != nil {
		os.RemoveAll(c.root)
		return nil, err
	}
	return c, nil
}

// KeepEnv names the variable that keeps the cluster between runs, for the
// scale benchmarks' generated databases: set to a directory, the cluster
// lives in it (initialised on the first run, started again on the next)
// and Stop stops the server but leaves the files.
const KeepEnv = "HAILONG_PG_KEEP"

func (c *Cluster) startKept(root string) (*Cluster, error) {
	c.root, c.keep = root, true
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	data := filepath.Join(root, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err == nil {
		c.Dir = data
	} else if err := c.Init(data); err != nil {
		return nil, err
	}
	var err error
	if c.Port, err = FreePort(); err != nil {
		return nil, err
	}
	if err := c.StartServer(c.Dir, c.Port); err != nil {
		return nil, err
	}
	return c, nil
}

// Init runs initdb into dir (superuser "postgres", trust authentication on
// loopback, C locale) and sets c.Dir.
func (c *Cluster) Init(dir string) error {
	if err := c.mkdir(dir); err != nil {
		return err
	}
	c.Dir = dir
	if out, err := c.run("initdb", "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	return nil
}

// mkdir makes dir, owned by the server's user.
func (c *Cluster) mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if c.runAs != nil {
		uid, _ := strconv.Atoi(c.runAs.Uid)
		gid, _ := strconv.Atoi(c.runAs.Gid)
		for d := dir; d != c.root && len(d) > len(c.root); d = filepath.Dir(d) {
			if err := os.Chown(d, uid, gid); err != nil {
				return err
			}
		}
		if err := os.Chown(c.root, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// StartServer starts the server of data directory dir on 127.0.0.1:port,
// waiting until it accepts connections.
func (c *Cluster) StartServer(dir string, port int) error {
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", port, dir)
	if out, err := c.run("pg_ctl", "-D", dir, "-o", opts, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		return fmt.Errorf("pg_ctl start: %w\n%s\n%s", err, out, log)
	}
	return nil
}

// StopServer stops the server of data directory dir (fast shutdown).
func (c *Cluster) StopServer(dir string) error {
	if out, err := c.run("pg_ctl", "-D", dir, "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("pg_ctl stop: %w\n%s", err, out)
	}
	return nil
}

// Run runs one of the cluster's binaries (pg_basebackup, psql...) as the
// server's user, returning its combined output.
func (c *Cluster) Run(name string, args ...string) ([]byte, error) { return c.run(name, args...) }

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.Bin, name), args...)
	if _, err := os.Stat(cmd.Path); err != nil {
		cmd = exec.Command(name, args...) // psql may live elsewhere (/usr/bin)
	}
	if c.runAs != nil {
		uid, _ := strconv.ParseUint(c.runAs.Uid, 10, 32)
		gid, _ := strconv.ParseUint(c.runAs.Gid, 10, 32)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Env = append(os.Environ(), "HOME="+c.runAs.HomeDir)
	}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// MkdirOwned makes a directory under the cluster's temporary root that the
// server's user owns (a replica's data directory).
func (c *Cluster) MkdirOwned(name string) (string, error) {
	dir := filepath.Join(c.root, name)
	return dir, c.mkdir(dir)
}

// Stop stops the server and removes its files (unless KeepEnv kept them).
func (c *Cluster) Stop() error {
	err := c.StopServer(c.Dir)
	if c.keep {
		return err
	}
	return errors.Join(err, os.RemoveAll(c.root))
}

// URL is the URL of database db on the cluster, as the superuser.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, db)
}

// NewDatabase creates a new empty database and returns its URL. It is
// dropped when t ends. A nil cluster skips t (Main found no server and
// SkipEnv=1 was set).
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	if c == nil {
		t.Skipf("no PostgreSQL server binaries; skipped because %s=1", SkipEnv)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), c.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return c.URL(name)
}

// exec runs one statement in the postgres database.
func (c *Cluster) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Replica is a streaming replica of a Cluster, on its own loopback port.
type Replica struct {
	Dir  string
	Port int
	c    *Cluster
}

// StartReplica makes a streaming replica of the cluster: pg_basebackup of
// the running primary (with -R, so it starts as a standby following it)
// into a new data directory, started on a free port. Stop it before the
// cluster.
func (c *Cluster) StartReplica(name string) (*Replica, error) {
	dir, err := c.MkdirOwned(name)
	if err != nil {
		return nil, err
	}
	if out, err := c.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres",
		"-D", dir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"); err != nil {
		return nil, fmt.Errorf("pg_basebackup: %w\n%s", err, out)
	}
	r := &Replica{Dir: dir, c: c}
	if r.Port, err = FreePort(); err != nil {
		return nil, err
	}
	if err := c.StartServer(dir, r.Port); err != nil {
		return nil, err
	}
	return r, nil
}

// URL is the URL of database db on the replica.
func (r *Replica) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", r.Port, db)
}

// Stop stops the replica's server.
func (r *Replica) Stop() error { return r.c.StopServer(r.Dir) }

// DatabaseName is the database name of a URL made by URL or NewDatabase.
func DatabaseName(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return ""
	}
	return cfg.Database
}

// WaitReplayed waits until the replica has replayed everything the
// primary (primaryURL, a database of the cluster) had written when it was
// called: a comparison of WAL positions, polled, for at most a minute.
func (r *Replica) WaitReplayed(ctx context.Context, primaryURL string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	p, err := pgx.Connect(ctx, primaryURL)
	if err != nil {
		return err
	}
	defer p.Close(context.WithoutCancel(ctx))
	var target string
	if err := p.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&target); err != nil {
		return err
	}
	rc, err := pgx.Connect(ctx, r.URL(DatabaseName(primaryURL)))
	if err != nil {
		return err
	}
	defer rc.Close(context.WithoutCancel(ctx))
	for {
		var done bool
		if err := rc.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, target).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the replica did not replay up to %s: %w", target, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
