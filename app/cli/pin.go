package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
)

const pinUsage = `Usage: hailong pin reset [--db FILE]

reset  removes the admin PIN and its lock-out, for an admin who has
       forgotten it and can reach the kiosk's files. The next time the admin
       panel opens it asks for a new PIN. Responses, settings and the sync
       enrollment are kept. --db defaults to the kiosk's own database.
`

// PIN runs "hailong pin" with args (the arguments after "pin") and returns
// the process exit code: 0 on success, 2 for a usage error, 1 when the
// database cannot be opened or written.
func PIN(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "reset" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, pinUsage)
			return 0
		}
		fmt.Fprint(stderr, pinUsage)
		return 2
	}
	fs := flag.NewFlagSet("hailong pin reset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, pinUsage) }
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hailong pin reset: unexpected argument %q\n\n%s", fs.Arg(0), pinUsage)
		return 2
	}
	if err := resetPIN(ctx, *db); err != nil {
		fmt.Fprintf(stderr, "hailong pin reset: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Đã xoá mã PIN quản trị của %s: lần mở bảng quản trị tới sẽ yêu cầu đặt mã PIN mới.\n"+
		"The admin PIN of %s is removed: the admin panel asks for a new PIN the next time it opens.\n", *db, *db)
	return 0
}

// resetPIN clears the PIN kept in the kiosk database at path, which must
// exist: a mistyped path must not create an empty database.
func resetPIN(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("no kiosk database at %s (give its path with --db)", path)
		}
		return fmt.Errorf("kiosk database %s: %w", path, err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := pin.New(st).Reset(ctx); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}
