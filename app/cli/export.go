package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// Export runs "hailong export" with args (the arguments after "export") and
// returns the process exit code: 0 on success, 2 for a usage error, 1 when
// the export failed (a half-written file is removed).
func Export(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseExport(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hailong export: %v\n\n%s", err, usageText("cli.usage.export"))
		return 2
	}
	n, err := o.run(ctx, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "hailong export: %v\n", err)
		return 1
	}
	dest := o.out
	if dest == "-" {
		dest = "standard output"
	}
	fmt.Fprintf(stderr, "hailong export: %d responses written to %s\n", n, dest)
	return 0
}

// exportOptions is a parsed "hailong export" command line.
type exportOptions struct {
	db     string
	out    string
	format export.Format
	filter store.Filter
	labels bool
	lang   string
}

func parseExport(args []string, stderr io.Writer) (*exportOptions, error) {
	fs := flag.NewFlagSet("hailong export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usageText("cli.usage.export")) }
	var o exportOptions
	var format, from, to, surveyArg, status string
	fs.StringVar(&o.db, "db", store.DefaultPath(), "kiosk database `FILE`")
	fs.StringVar(&o.out, "out", "", "output `FILE`, or - for standard output")
	fs.StringVar(&format, "format", "", "csv, xlsx or jsonl (default: from the --out extension)")
	fs.StringVar(&from, "from", "", "first day included, YYYY-MM-DD")
	fs.StringVar(&to, "to", "", "last day included, YYYY-MM-DD")
	fs.StringVar(&surveyArg, "survey", "", "survey `ID[@VERSION]`")
	fs.StringVar(&o.filter.ServicePoint, "service-point", "", "service point `NAME`")
	fs.StringVar(&status, "status", "", "complete or abandoned")
	fs.StringVar(&o.filter.EventTag, "event", "", "outreach event `TAG`")
	fs.BoolVar(&o.labels, "labels", false, "add a Vietnamese label column after each choice question")
	fs.StringVar(&o.lang, "lang", "vi", "language of the XLSX sheet names, headers and question texts: vi or en")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.out == "" {
		return nil, errors.New("--out is required")
	}
	if format == "" {
		if o.out == "-" {
			return nil, errors.New("--format is required when writing to standard output")
		}
		format = strings.TrimPrefix(filepath.Ext(o.out), ".")
	}
	var err error
	if o.format, err = export.ParseFormat(format); err != nil {
		return nil, err
	}
	loc := survey.Location()
	if from != "" {
		d, err := time.ParseInLocation(time.DateOnly, from, loc)
		if err != nil {
			return nil, fmt.Errorf("--from %q: want a day as YYYY-MM-DD", from)
		}
		o.filter.From = d.UTC()
	}
	if to != "" {
		d, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return nil, fmt.Errorf("--to %q: want a day as YYYY-MM-DD", to)
		}
		o.filter.To = d.AddDate(0, 0, 1).UTC()
	}
	if !o.filter.From.IsZero() && !o.filter.To.IsZero() && !o.filter.From.Before(o.filter.To) {
		return nil, fmt.Errorf("--from %s is after --to %s", from, to)
	}
	if surveyArg != "" {
		id, ver, hasVer := strings.Cut(surveyArg, "@")
		o.filter.SurveyID = id
		if hasVer {
			v, err := strconv.Atoi(ver)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("--survey %q: the version after @ must be a whole number from 1", surveyArg)
			}
			o.filter.SurveyVersion = v
		}
		if id == "" {
			return nil, fmt.Errorf("--survey %q: missing survey id", surveyArg)
		}
	}
	switch survey.Status(status) {
	case "", survey.StatusComplete, survey.StatusAbandoned:
		o.filter.Status = survey.Status(status)
	default:
		return nil, fmt.Errorf("--status %q: want complete or abandoned", status)
	}
	if o.lang != "vi" && o.lang != "en" {
		return nil, fmt.Errorf("--lang %q: want vi or en", o.lang)
	}
	return &o, nil
}

func (o *exportOptions) run(ctx context.Context, stdout io.Writer) (int, error) {
	if _, err := os.Stat(o.db); errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("no kiosk database at %s (give its path with --db)", o.db)
	}
	st, err := store.Open(ctx, o.db, store.ReadOnly())
	if err != nil {
		return 0, err
	}
	defer st.Close()
	builtin, err := survey.Builtin()
	if err != nil {
		return 0, fmt.Errorf("built-in surveys: %w", err)
	}
	defs, err := export.Definitions(ctx, builtin, st, o.filter.SurveyID)
	if err != nil {
		return 0, err
	}
	// Every response in a kiosk's store was collected by this kiosk (the
	// uploader stamps its current id on older ones), so all carry its name.
	name, err := client.DeviceName(ctx, st)
	if err != nil {
		return 0, err
	}
	opt := export.Options{Surveys: defs, Labels: o.labels, Lang: o.lang,
		DeviceName: func(string) string { return name }}
	// The writers are done with each response before the next (export.Write).
	rows := st.BorrowResponses(ctx, o.filter)
	if o.out == "-" {
		return export.Write(ctx, stdout, o.format, rows, opt)
	}
	return export.ToFile(ctx, o.out, o.format, rows, opt)
}
