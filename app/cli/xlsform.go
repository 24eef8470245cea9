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
	fset := flag.NewFlagSet("hailong survey import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, usageText("cli.usage.survey")) }
	out := fset.String("out", "", "write the survey definition (JSON) to this `FILE` instead of standard output")
	lang := fset.String("lang", "both", "language of the messages: vi, en or both")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 1 || (*lang != "vi" && *lang != "en" && *lang != "both") {
		fmt.Fprintf(stderr, "hailong survey import: name one FORM.xlsx (and --lang vi, en or both)\n\n%s", usageText("cli.usage.survey"))
		return 2
	}
	name := fset.Arg(0)
	tx := loadTexts()
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(stderr, "hailong survey import: %s: %v\n", tx.in("both", "cli.import.cannot_open", nil), err)
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
		fmt.Fprintf(stderr, "hailong survey import: %v\n", err)
		return 1
	}
	if *out == "" {
		if _, err := stdout.Write(def); err != nil {
			fmt.Fprintf(stderr, "hailong survey import: write: %v\n", err)
			return 1
		}
		return 0
	}
	if err := os.WriteFile(*out, def, 0o644); err != nil {
		fmt.Fprintf(stderr, "hailong survey import: %v\n", err)
		return 1
	}
	p := printer{w: stdout, lang: "both", tx: tx}
	p.head(name, "cli.import.ok", map[string]any{"ID": s.ID, "Version": s.Version, "Count": s.QuestionCount(), "Out": *out})
	return 0
}

// surveyExport writes a survey definition file (or a built-in survey's
// newest version, by id) as an XLSForm workbook.
func surveyExport(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("hailong survey export", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, usageText("cli.usage.survey")) }
	out := fset.String("out", "", "the XLSForm workbook to write (`FORM.xlsx`)")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 1 || *out == "" {
		fmt.Fprintf(stderr, "hailong survey export: name one FILE.json or built-in survey ID, and --out FORM.xlsx\n\n%s", usageText("cli.usage.survey"))
		return 2
	}
	src := fset.Arg(0)
	var s *survey.Survey
	if data, err := os.ReadFile(src); err == nil {
		if s, err = survey.Parse(data); err != nil {
			fmt.Fprintf(stderr, "hailong survey export: %s: %v\n", src, err)
			return 1
		}
	} else {
		all, berr := survey.Builtin()
		if berr != nil {
			fmt.Fprintf(stderr, "hailong survey export: %v\n", berr)
			return 1
		}
		for _, b := range survey.Newest(all) {
			if b.ID == src {
				s = b
			}
		}
		if s == nil {
			fmt.Fprintf(stderr, "hailong survey export: %s is neither a readable file nor a built-in survey: %v\n", src, err)
			return 1
		}
	}
	var b bytes.Buffer
	if err := xlsform.Export(s, &b); err != nil {
		fmt.Fprintf(stderr, "hailong survey export: %v\n", err)
		return 1
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintf(stderr, "hailong survey export: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s v%d → %s\n", s.ID, s.Version, *out)
	// Info screens' pictures go beside the workbook, where the image
	// column names them and import reads them back.
	for name, data := range xlsform.Media(s) {
		p := filepath.Join(filepath.Dir(*out), name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			fmt.Fprintf(stderr, "hailong survey export: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "  ảnh / picture → %s\n", p)
	}
	return 0
}
