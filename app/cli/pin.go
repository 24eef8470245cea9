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
	if len(args) == 0 || args[0] != "reset" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprint(stdout, usageText("cli.usage.pin"))
			return 0
		}
		fmt.Fprint(stderr, usageText("cli.usage.pin"))
		return 2
	}
	fs := flag.NewFlagSet("hailong pin reset", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usageText("cli.usage.pin")) }
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hailong pin reset: unexpected argument %q\n\n%s", fs.Arg(0), usageText("cli.usage.pin"))
		return 2
	}
	if err := resetPIN(ctx, *db); err != nil {
		fmt.Fprintf(stderr, "hailong pin reset: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, loadTexts().lines("cli.pin.reset.done", map[string]any{"DB": *db}))
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

// pinSet runs "hailong pin set", reading the PIN from in.
func pinSet(ctx context.Context, args []string, in io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hailong pin set", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usageText("cli.usage.pin")) }
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hailong pin set: unexpected argument %q\n\n%s", fs.Arg(0), usageText("cli.usage.pin"))
		return 2
	}
	tx := loadTexts()
	read := lineReader(in, stdout)
	first, err := read(tx.in("both", "cli.pin.set.prompt", nil) + ": ")
	if err != nil {
		fmt.Fprintf(stderr, "hailong pin set: %v\n", err)
		return 1
	}
	if _, err := pin.Normalize(first); err != nil {
		fmt.Fprintln(stderr, "hailong pin set:", tx.in("both", "cli.pin.set.bad", nil))
		return 1
	}
	second, err := read(tx.in("both", "cli.pin.set.again", nil) + ": ")
	if err != nil {
		fmt.Fprintf(stderr, "hailong pin set: %v\n", err)
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
		fmt.Fprintf(stderr, "hailong pin set: %v\n", err)
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
			return strings.TrimSpace(string(b)), err
		}
	}
	sc := bufio.NewScanner(in)
	return func(string) (string, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return "", err
			}
			return "", errors.New("no PIN on standard input")
		}
		return strings.TrimSpace(sc.Text()), nil
	}
}

// setPIN sets the first PIN of the kiosk database at path, creating it
// (and its folder) when there is none.
func setPIN(ctx context.Context, path, p string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := pin.New(st).Setup(ctx, p); err != nil {
		st.Close()
		return err
	}
	return st.Close()
}
