package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

// Survey runs "hailong survey" with args (the arguments after "survey") and
// returns the process exit code.
func Survey(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText("cli.usage.survey"))
		return 2
	}
	switch args[0] {
	case "validate":
		return surveyValidate(ctx, args[1:], stdout, stderr)
	case "builtin":
		return surveyBuiltin(args[1:], stdout, stderr)
	case "import":
		return surveyImport(args[1:], stdout, stderr)
	case "export":
		return surveyExport(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText("cli.usage.survey"))
		return 0
	}
	return loadTexts().usage(stderr, "hailong survey", fail("cli.command.unknown", map[string]any{"Command": args[0]}), "cli.usage.survey")
}

// surveyValidate checks each file and prints its problems or an OK line.
func surveyValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const cmd = "hailong survey validate"
	tx := loadTexts()
	fset := newFlagSet(cmd)
	lang := fset.String("lang", "both", "language of the messages: vi, en or both")
	if err := parseFlags(fset, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.survey"))
			return 0
		}
		return tx.usage(stderr, cmd, err, "cli.usage.survey")
	}
	switch *lang {
	case "vi", "en", "both":
	default:
		return tx.usage(stderr, cmd, fail("cli.survey.lang", map[string]any{"Value": *lang}), "cli.usage.survey")
	}
	if fset.NArg() == 0 {
		return tx.usage(stderr, cmd, fail("cli.validate.no_file", nil), "cli.usage.survey")
	}
	out := printer{w: stdout, lang: *lang, tx: tx}
	code := 0
	var good []namedSurvey
	for _, name := range fset.Args() {
		if err := ctx.Err(); err != nil {
			tx.say(stderr, cmd, failWith("cli.error.stopped", nil, err))
			return 1
		}
		s := out.validateFile(name)
		if s == nil {
			code = 1
			continue
		}
		good = append(good, namedSurvey{name, s})
	}
	if !out.checkVersions(good) {
		code = 1
	}
	return code
}

// namedSurvey is a valid survey and the file it came from.
type namedSurvey struct {
	name string
	s    *survey.Survey
}

// printer writes validation results in Vietnamese, English or both.
type printer struct {
	w    io.Writer
	lang string // "vi", "en" or "both"
	tx   texts
}

// head prints a file's result line, the message key of the cli area filled
// from args: "FILE: vi / en" in both languages.
func (p printer) head(name, key string, args map[string]any) {
	fmt.Fprintf(p.w, "%s: %s\n", name, p.tx.in(p.lang, key, args))
}

// problems prints each problem with its place: in both languages, the
// Vietnamese line first and the English one below it, indented further.
func (p printer) problems(ps survey.Problems) {
	for _, pr := range ps {
		switch p.lang {
		case "vi", "en":
			fmt.Fprintf(p.w, "  %s\n", pr.Describe(p.lang))
		default:
			fmt.Fprintf(p.w, "  %s\n      %s\n", pr.Describe("vi"), pr.Describe("en"))
		}
	}
}

// validateFile prints the result for one file and returns its survey, or
// nil if the file cannot be read or is not valid.
func (p printer) validateFile(name string) *survey.Survey {
	data, err := os.ReadFile(name)
	if err != nil {
		p.head(name, "cli.validate.unreadable", nil)
		fmt.Fprintf(p.w, "  %v\n", err)
		return nil
	}
	s, err := survey.Parse(data)
	var ps survey.Problems
	switch {
	case err == nil:
		p.head(name, "cli.validate.ok", map[string]any{"ID": s.ID, "Version": s.Version, "Count": s.QuestionCount()})
		return s
	case errors.As(err, &ps):
		p.head(name, "cli.validate.problems", map[string]any{"Count": len(ps)})
		p.problems(ps)
	default:
		p.head(name, "cli.validate.error", nil)
		fmt.Fprintf(p.w, "  %v\n", err)
	}
	return nil
}

// checkVersions checks, among the valid files, each version of a survey
// against the next lower one given (survey.CheckUpgrade), so that
// "validate v1.json v2.json" also catches a code reused with another type
// or two files claiming the same version. It reports whether all passed.
func (p printer) checkVersions(good []namedSurvey) bool {
	sorted := slices.Clone(good)
	slices.SortStableFunc(sorted, func(a, b namedSurvey) int {
		return cmp.Or(cmp.Compare(a.s.ID, b.s.ID), cmp.Compare(a.s.Version, b.s.Version))
	})
	ok := true
	for i := 1; i < len(sorted); i++ {
		prev, next := sorted[i-1], sorted[i]
		if prev.s.ID != next.s.ID {
			continue
		}
		if err := survey.CheckUpgrade(prev.s, next.s); err != nil {
			var ps survey.Problems
			errors.As(err, &ps)
			p.head(next.name, "cli.validate.upgrade_problems", map[string]any{"Count": len(ps), "Previous": prev.name})
			p.problems(ps)
			ok = false
		}
	}
	return ok
}

// surveyBuiltin lists the built-in surveys or prints one definition.
func surveyBuiltin(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fmt.Fprint(stdout, usageText("cli.usage.survey"))
		return 0
	}
	const cmd = "hailong survey builtin"
	tx := loadTexts()
	all, err := survey.Builtin()
	if err != nil {
		tx.say(stderr, cmd, failWith("cli.builtin.broken", nil, err))
		return 1
	}
	switch len(args) {
	case 0:
		questions := tx.vi.T("cli.builtin.questions") + "/" + tx.en.T("cli.builtin.questions")
		for _, s := range all {
			fmt.Fprintf(stdout, "%-16s v%-3d %2d %s  %s\n", s.ID, s.Version, s.QuestionCount(), questions, s.Title.In("vi"))
		}
		return 0
	case 1:
		files, err := fs.Glob(assets.Surveys, "surveys/*.json")
		if err != nil {
			tx.say(stderr, cmd, failWith("cli.builtin.broken", nil, err))
			return 1
		}
		var newest []byte // the newest built-in version of the id
		version := 0
		for _, f := range files {
			data, err := fs.ReadFile(assets.Surveys, f)
			if err != nil {
				tx.say(stderr, cmd, failWith("cli.builtin.broken", nil, err))
				return 1
			}
			if s, err := survey.Parse(data); err == nil && s.ID == args[0] && s.Version > version {
				newest, version = data, s.Version
			}
		}
		if newest != nil {
			if _, err := stdout.Write(newest); err != nil {
				tx.say(stderr, cmd, failWith("cli.error.write", nil, err))
				return 1
			}
			return 0
		}
		tx.say(stderr, cmd, fail("cli.builtin.unknown", map[string]any{"ID": args[0]}))
		for _, s := range all {
			fmt.Fprintf(stderr, "  %s\n", s.ID)
		}
		return 1
	}
	return tx.usage(stderr, cmd, fail("cli.arg.unexpected", map[string]any{"Arg": args[1]}), "cli.usage.survey")
}
