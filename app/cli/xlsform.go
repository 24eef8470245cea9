package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/xlsform"
)

// surveyImport reads an XLSForm workbook and writes the survey definition
// it holds (docs/survey-format.md), or prints every problem with its sheet
// and row, Vietnamese first.
func surveyImport(args []string, stdout, stderr io.Writer) int {
	const cmd = "hailong survey import"
	tx := loadTexts()
	fset := newFlagSet(cmd)
	out := fset.String("out", "", "write the survey definition (JSON) to this `FILE` instead of standard output")
	lang := fset.String("lang", "both", "language of the messages: vi, en or both")
	if err := parseFlags(fset, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.survey"))
			return 0
		}
		return tx.usage(stderr, cmd, err, "cli.usage.survey")
	}
	switch {
	case *lang != "vi" && *lang != "en" && *lang != "both":
		return tx.usage(stderr, cmd, fail("cli.survey.lang", map[string]any{"Value": *lang}), "cli.usage.survey")
	case fset.NArg() == 0:
		return tx.usage(stderr, cmd, fail("cli.import.no_file", nil), "cli.usage.survey")
	case fset.NArg() > 1:
		return tx.usage(stderr, cmd, fail("cli.arg.unexpected", map[string]any{"Arg": fset.Arg(1)}), "cli.usage.survey")
	}
	name := fset.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		tx.say(stderr, cmd, failWith("cli.import.cannot_open", map[string]any{"File": name}, err))
		return 1
	}
	defer f.Close()
	// Pictures of note rows are files beside the workbook, as XLSForm keeps media.
	s, def, err := xlsform.ImportMedia(f, os.DirFS(filepath.Dir(name)))
	var ps xlsform.Problems
	switch {
	case errors.As(err, &ps):
		p := printer{w: stdout, lang: *lang, tx: tx}
		p.head(name, "cli.validate.problems", map[string]any{"Count": len(ps)})
		for _, pr := range ps {
			switch *lang {
			case "vi", "en":
				fmt.Fprintf(stdout, "  %s\n", pr.Text(*lang))
			default:
				fmt.Fprintf(stdout, "  %s\n      %s\n", pr.Text("vi"), pr.Text("en"))
			}
		}
		return 1
	case err != nil:
		tx.say(stderr, cmd, failWith("cli.import.failed", map[string]any{"File": name}, err))
		return 1
	}
	if *out == "" {
		if _, err := stdout.Write(def); err != nil {
			tx.say(stderr, cmd, failWith("cli.error.write", nil, err))
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, def, 0o644); err != nil {
		tx.say(stderr, cmd, failWith("cli.file.write", map[string]any{"File": *out}, err))
		return 1
	}
	p := printer{w: stdout, lang: "both", tx: tx}
	p.head(name, "cli.import.ok", map[string]any{"ID": s.ID, "Version": s.Version, "Count": s.QuestionCount(), "Out": *out})
	return 0
}

// surveyExport writes a survey definition file (or a built-in survey's
// newest version, by id) as an XLSForm workbook.
func surveyExport(args []string, stdout, stderr io.Writer) int {
	const cmd = "hailong survey export"
	tx := loadTexts()
	fset := newFlagSet(cmd)
	out := fset.String("out", "", "the XLSForm workbook to write (`FORM.xlsx`)")
	if err := parseFlags(fset, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.survey"))
			return 0
		}
		return tx.usage(stderr, cmd, err, "cli.usage.survey")
	}
	if fset.NArg() > 1 {
		return tx.usage(stderr, cmd, fail("cli.arg.unexpected", map[string]any{"Arg": fset.Arg(1)}), "cli.usage.survey")
	}
	if fset.NArg() != 1 || *out == "" {
		return tx.usage(stderr, cmd, fail("cli.survey_export.args", nil), "cli.usage.survey")
	}
	src := fset.Arg(0)
	var s *survey.Survey
	if data, err := os.ReadFile(src); err == nil {
		if s, err = survey.Parse(data); err != nil {
			var ps survey.Problems
			if errors.As(err, &ps) {
				tx.say(stderr, cmd, fail("cli.survey_export.invalid", map[string]any{"File": src}))
				printer{w: stderr, lang: "both", tx: tx}.problems(ps)
			} else {
				tx.say(stderr, cmd, failWith("cli.survey_export.invalid", map[string]any{"File": src}, err))
			}
			return 1
		}
	} else {
		all, berr := survey.Builtin()
		if berr != nil {
			tx.say(stderr, cmd, failWith("cli.builtin.broken", nil, berr))
			return 1
		}
		for _, b := range survey.Newest(all) {
			if b.ID == src {
				s = b
			}
		}
		if s == nil {
			tx.say(stderr, cmd, failWith("cli.survey_export.not_found", map[string]any{"Source": src}, err))
			return 1
		}
	}
	var b bytes.Buffer
	if err := xlsform.Export(s, &b); err != nil {
		tx.say(stderr, cmd, failWith("cli.survey_export.failed", map[string]any{"ID": s.ID}, err))
		return 1
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		tx.say(stderr, cmd, failWith("cli.file.write", map[string]any{"File": *out}, err))
		return 1
	}
	fmt.Fprintf(stdout, "%s v%d → %s\n", s.ID, s.Version, *out)
	// Info screens' pictures go beside the workbook, where the image
	// column names them and import reads them back.
	for name, data := range xlsform.Media(s) {
		p := filepath.Join(filepath.Dir(*out), name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			tx.say(stderr, cmd, failWith("cli.file.write", map[string]any{"File": p}, err))
			return 1
		}
		fmt.Fprintf(stdout, "  ảnh / picture → %s\n", p)
	}
	return 0
}
