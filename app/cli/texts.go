package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hailong-kiosk/hailong/app/i18n"
)

// texts renders the messages the commands print for people, from the
// catalog's cli area, in Vietnamese and English.
type texts struct{ vi, en *i18n.Translator }

// loadTexts returns the cli area's texts. When the catalog does not load
// (its files are embedded, so a broken build) every message is its key.
func loadTexts() texts {
	cat, _ := i18n.Load("cli", i18n.CountPlural())
	return texts{vi: cat.In("vi"), en: cat.In("en")}
}

// in returns key's message in lang: "vi", "en", or "both" for
// "Vietnamese / English" on one line.
func (t texts) in(lang, key string, args map[string]any) string {
	switch lang {
	case "vi":
		return t.vi.T(key, args)
	case "en":
		return t.en.T(key, args)
	}
	return t.vi.T(key, args) + " / " + t.en.T(key, args)
}

// lines returns key's message in Vietnamese, then English below it.
func (t texts) lines(key string, args map[string]any) string {
	return t.vi.T(key, args) + "\n" + t.en.T(key, args)
}

// usageText returns the help text of key ("cli.usage.survey") in
// Vietnamese, a blank line, then in English, as every help text of the
// binary reads.
func usageText(key string) string {
	t := loadTexts()
	return t.vi.T(key) + "\n" + t.en.T(key)
}

// problem is why a command did not do its work, for people: key in the
// catalog's cli area, filled from args, and err, when not nil, the
// technical cause (from the OS, SQLite, the network), kept in English.
// Code finds problems; the command that prints renders them once, with
// say.
type problem struct {
	key  string
	args map[string]any
	err  error
}

// fail returns a problem with key and args; args may be nil.
func fail(key string, args map[string]any) *problem {
	return &problem{key: key, args: args}
}

// failWith returns a problem with key and args caused by err.
func failWith(key string, args map[string]any, err error) *problem {
	return &problem{key: key, args: args, err: err}
}

// Error is the English message, then the cause in parentheses.
func (p *problem) Error() string {
	cat, _ := i18n.Shared("cli") // a nil catalog gives the key
	s := cat.In("en").T(p.key, p.args)
	if p.err != nil {
		s += " (" + p.err.Error() + ")"
	}
	return s
}

func (p *problem) Unwrap() error { return p.err }

// say prints err to w for people: "cmd: " and the Vietnamese line, the
// English line below it, then the technical cause, if any, in
// parentheses. An err that is no problem is the cause of cli.error.other.
func (t texts) say(w io.Writer, cmd string, err error) {
	var p *problem
	if !errors.As(err, &p) {
		p = failWith("cli.error.other", nil, err)
	}
	fmt.Fprintf(w, "%s: %s\n", cmd, t.lines(p.key, p.args))
	if p.err != nil {
		fmt.Fprintf(w, "(%v)\n", p.err)
	}
}

// usage prints err (say), a blank line and the help text usageKey to w,
// and returns 2, the exit code of a usage error.
func (t texts) usage(w io.Writer, cmd string, err error, usageKey string) int {
	t.say(w, cmd, err)
	fmt.Fprint(w, "\n"+usageText(usageKey))
	return 2
}

// newFlagSet returns a flag set named name that prints nothing: its user
// parses with parseFlags, prints the help itself on flag.ErrHelp and says
// the problem of a bad flag in both languages.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args into fs and returns nil, flag.ErrHelp, or a
// problem for the flag package's error: an unknown flag, a flag without
// its value, or (with the package's English words as the cause) a value
// it could not read.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	if fault, name := FlagFault(err); fault != "" {
		return fail("cli.flag."+fault, map[string]any{"Flag": name})
	}
	return failWith("cli.flag.bad", nil, err)
}

// FlagFault reads an error of flag.FlagSet.Parse for a message of our
// own: "unknown" (no such flag) or "no_value" (a flag without its value)
// and the flag as typed with two dashes, or "" for any other error.
func FlagFault(err error) (fault, flagName string) {
	// The flag package's messages name the flag with one dash.
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown", "--" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "no_value", "--" + name
	}
	return "", ""
}
