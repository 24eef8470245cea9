package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointInterval is how often, at most, the WAL is copied back into
// the database file while batches are being committed.
const checkpointInterval = 250 * time.Millisecond

// checkpointer copies the WAL back into the database file from its own
// goroutine and connection, so that no upload's commit pays for it.
// SQLite's automatic checkpoint runs inside the commit that crosses 1 000
// WAL pages (every few batches of 500), writes those pages to the
// database file and syncs it before that batch can be answered: the
// slowest tenth of the hub's answers. The writer's automatic checkpoint is
// turned off and a PASSIVE checkpoint (it never blocks the writer or
// readers) runs here after commits, at most every checkpointInterval.
// Durability does not change: every commit still syncs the WAL.
type checkpointer struct {
	db   *sql.DB
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
	// after, when set (tests), is called after each checkpoint.
	after func()
}

// newCheckpointer turns off the automatic checkpoint on the writer w (one
// connection that is kept open) and starts the checkpointing goroutine on
// its own connection to the database at path.
func newCheckpointer(ctx context.Context, path string, w *sql.DB) (*checkpointer, error) {
	if _, err := w.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

// committed tells the checkpointer that the WAL has grown. It never blocks.
func (c *checkpointer) committed() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.wake:
		}
		// Errors only delay the copy (SQLITE_BUSY while another checkpoint
		// runs); the next commit wakes the checkpointer again.
		c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		if c.after != nil {
			c.after()
		}
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointInterval):
		}
	}
}

// close stops the goroutine and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
