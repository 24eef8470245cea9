package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
)

// PIN runs "hailong pin" with args (the arguments after "pin") and returns
// the process exit code: 0 on success, 2 for a usage error, 1 when the
// database cannot be opened or written.
func PIN(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "set" {
		return pinSet(ctx, args[1:], os.Stdin, stdout, stderr)
	}
	tx := loadTexts()
	if len(args) == 0 || args[0] != "reset" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, usageText("cli.usage.pin"))
			return 0
		}
		if len(args) > 0 {
			return tx.usage(stderr, "hailong pin", fail("cli.command.unknown", map[string]any{"Command": args[0]}), "cli.usage.pin")
		}
		fmt.Fprint(stderr, usageText("cli.usage.pin"))
		return 2
	}
	fs := newFlagSet("hailong pin reset")
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	if err := parseFlags(fs, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.pin"))
			return 0
		}
		return tx.usage(stderr, "hailong pin reset", err, "cli.usage.pin")
	}
	if fs.NArg() > 0 {
		return tx.usage(stderr, "hailong pin reset", fail("cli.arg.unexpected", map[string]any{"Arg": fs.Arg(0)}), "cli.usage.pin")
	}
	if err := resetPIN(ctx, *db); err != nil {
		tx.say(stderr, "hailong pin reset", err)
		return 1
	}
	fmt.Fprintln(stdout, tx.lines("cli.pin.reset.done", map[string]any{"DB": *db}))
	return 0
}

// resetPIN clears the PIN kept in the kiosk database at path, which must
// exist: a mistyped path must not create an empty database.
func resetPIN(ctx context.Context, path string) error {
	db := map[string]any{"DB": path}
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail("cli.db.missing", db)
		}
		return failWith("cli.db.open", db, err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return failWith("cli.db.open", db, err)
	}
	if err := pin.New(st).Reset(ctx); err != nil {
		st.Close()
		return failWith("cli.pin.reset.failed", db, err)
	}
	if err := st.Close(); err != nil {
		return failWith("cli.pin.reset.failed", db, err)
	}
	return nil
}

// pinSet runs "hailong pin set", reading the PIN from in.
func pinSet(ctx context.Context, args []string, in io.Reader, stdout, stderr io.Writer) int {
	tx := loadTexts()
	fs := newFlagSet("hailong pin set")
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.pin"))
			return 0
		}
		return tx.usage(stderr, "hailong pin set", err, "cli.usage.pin")
	}
	if fs.NArg() > 0 {
		return tx.usage(stderr, "hailong pin set", fail("cli.arg.unexpected", map[string]any{"Arg": fs.Arg(0)}), "cli.usage.pin")
	}
	read := lineReader(in, stdout)
	first, err := read(tx.in("both", "cli.pin.set.prompt", nil) + ": ")
	if err != nil {
		tx.say(stderr, "hailong pin set", err)
		return 1
	}
	if _, err := pin.Normalize(first); err != nil {
		fmt.Fprintln(stderr, "hailong pin set:", tx.in("both", "cli.pin.set.bad", nil))
		return 1
	}
	second, err := read(tx.in("both", "cli.pin.set.again", nil) + ": ")
	if err != nil {
		tx.say(stderr, "hailong pin set", err)
		return 1
	}
	if second != first {
		fmt.Fprintln(stderr, "hailong pin set:", tx.in("both", "cli.pin.set.differ", nil))
		return 1
	}
	if err := setPIN(ctx, *db, first); err != nil {
		if errors.Is(err, pin.ErrAlreadySet) {
			fmt.Fprintln(stderr, "hailong pin set:", tx.in("both", "cli.pin.set.already", map[string]any{"DB": *db}))
			return 1
		}
		tx.say(stderr, "hailong pin set", err)
		return 1
	}
	fmt.Fprintln(stdout, tx.lines("cli.pin.set.done", map[string]any{"DB": *db}))
	return 0
}

// lineReader returns a function that prompts on out and reads one line
// from in: without echo when in is a terminal.
func lineReader(in io.Reader, out io.Writer) func(prompt string) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return func(prompt string) (string, error) {
			fmt.Fprint(out, prompt)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(out)
			if err != nil {
				return "", failWith("cli.pin.set.read", nil, err)
			}
			return strings.TrimSpace(string(b)), nil
		}
	}
	sc := bufio.NewScanner(in)
	return func(string) (string, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return "", failWith("cli.pin.set.read", nil, err)
			}
			return "", fail("cli.pin.set.no_input", nil)
		}
		return strings.TrimSpace(sc.Text()), nil
	}
}

// setPIN sets the first PIN of the kiosk database at path, creating it
// (and its folder) when there is none.
func setPIN(ctx context.Context, path, p string) error {
	db := map[string]any{"DB": path}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return failWith("cli.db.folder", map[string]any{"Folder": filepath.Dir(path)}, err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return failWith("cli.db.open", db, err)
	}
	if err := pin.New(st).Setup(ctx, p); err != nil {
		st.Close()
		if errors.Is(err, pin.ErrAlreadySet) {
			return err
		}
		return failWith("cli.pin.set.failed", db, err)
	}
	if err := st.Close(); err != nil {
		return failWith("cli.pin.set.failed", db, err)
	}
	return nil
}
