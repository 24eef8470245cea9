package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
)

const surveyUsage = `Usage: hailong survey validate [--lang vi|en|both] FILE...
       hailong survey builtin [ID]

validate  checks each survey definition file (docs/survey-format.md) and
          prints every problem with its place in the file, in Vietnamese
          then English (--lang picks one). Exit status 0 when every file is
          valid, 1 when any has a problem, 2 for a usage error.
builtin   lists the built-in surveys, or prints the definition of survey ID
          to standard output, as a starting point for a new one.
`

// Survey runs "hailong survey" with args (the arguments after "survey") and
// returns the process exit code.
func Survey(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, surveyUsage)
		return 2
	}
	switch args[0] {
	case "validate":
		return surveyValidate(ctx, args[1:], stdout, stderr)
	case "builtin":
		return surveyBuiltin(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, surveyUsage)
		return 0
	}
	fmt.Fprintf(stderr, "hailong survey: unknown command %q\n\n%s", args[0], surveyUsage)
	return 2
}

// surveyValidate checks each file and prints its problems or an OK line.
func surveyValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("hailong survey validate", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, surveyUsage) }
	lang := fset.String("lang", "both", "language of the messages: vi, en or both")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch *lang {
	case "vi", "en", "both":
	default:
		fmt.Fprintf(stderr, "hailong survey validate: --lang must be vi, en or both, not %q\n", *lang)
		return 2
	}
	if fset.NArg() == 0 {
		fmt.Fprintf(stderr, "hailong survey validate: name at least one FILE\n\n%s", surveyUsage)
		return 2
	}
	code := 0
	for _, name := range fset.Args() {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "hailong survey validate: %v\n", err)
			return 1
		}
		if !validateFile(name, *lang, stdout) {
			code = 1
		}
	}
	return code
}

// validateFile prints the result for one file and reports whether it is
// valid. With lang "both" each message is printed in Vietnamese, then in
// English on the next line, indented further.
func validateFile(name, lang string, w io.Writer) bool {
	say := func(indent, vi, en string) {
		switch lang {
		case "vi":
			fmt.Fprintf(w, "%s%s\n", indent, vi)
		case "en":
			fmt.Fprintf(w, "%s%s\n", indent, en)
		default:
			fmt.Fprintf(w, "%s%s\n%s    %s\n", indent, vi, indent, en)
		}
	}
	head := func(vi, en string) {
		switch lang {
		case "vi":
			fmt.Fprintf(w, "%s: %s\n", name, vi)
		case "en":
			fmt.Fprintf(w, "%s: %s\n", name, en)
		default:
			fmt.Fprintf(w, "%s: %s / %s\n", name, vi, en)
		}
	}
	data, err := os.ReadFile(name)
	if err != nil {
		head("không đọc được tệp", "cannot read the file")
		fmt.Fprintf(w, "  %v\n", err)
		return false
	}
	s, err := survey.Parse(data)
	var ps survey.Problems
	switch {
	case err == nil:
		en := fmt.Sprintf("OK, survey %q version %d, %d questions", s.ID, s.Version, len(s.Questions))
		if len(s.Questions) == 1 {
			en = fmt.Sprintf("OK, survey %q version %d, 1 question", s.ID, s.Version)
		}
		head(fmt.Sprintf("OK, khảo sát “%s” phiên bản %d, %d câu hỏi", s.ID, s.Version, len(s.Questions)), en)
		return true
	case errors.As(err, &ps):
		en := fmt.Sprintf("%d problems", len(ps))
		if len(ps) == 1 {
			en = "1 problem"
		}
		head(fmt.Sprintf("%d lỗi", len(ps)), en)
		for _, p := range ps {
			say("  ", p.Describe("vi"), p.Describe("en"))
		}
	default:
		head("lỗi", "error")
		fmt.Fprintf(w, "  %v\n", err)
	}
	return false
}

// surveyBuiltin lists the built-in surveys or prints one definition.
func surveyBuiltin(args []string, stdout, stderr io.Writer) int {
	all, err := survey.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "hailong survey builtin: %v\n", err)
		return 1
	}
	switch len(args) {
	case 0:
		for _, s := range all {
			fmt.Fprintf(stdout, "%-16s v%-3d %2d câu/questions  %s\n", s.ID, s.Version, len(s.Questions), s.Title.In("vi"))
		}
		return 0
	case 1:
		files, err := fs.Glob(assets.Surveys, "surveys/*.json")
		if err != nil {
			fmt.Fprintf(stderr, "hailong survey builtin: %v\n", err)
			return 1
		}
		for _, f := range files {
			data, err := fs.ReadFile(assets.Surveys, f)
			if err != nil {
				fmt.Fprintf(stderr, "hailong survey builtin: %v\n", err)
				return 1
			}
			if s, err := survey.Parse(data); err == nil && s.ID == args[0] {
				_, err = stdout.Write(data)
				if err != nil {
					fmt.Fprintf(stderr, "hailong survey builtin: write: %v\n", err)
					return 1
				}
				return 0
			}
		}
		fmt.Fprintf(stderr, "hailong survey builtin: no built-in survey %q; these exist:\n", args[0])
		for _, s := range all {
			fmt.Fprintf(stderr, "  %s\n", s.ID)
		}
		return 1
	}
	fmt.Fprint(stderr, surveyUsage)
	return 2
}
