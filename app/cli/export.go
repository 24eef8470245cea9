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
	tx := loadTexts()
	o, err := parseExport(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText("cli.usage.export"))
		return 0
	}
	if err != nil {
		return tx.usage(stderr, "hailong export", err, "cli.usage.export")
	}
	n, err := o.run(ctx, stdout)
	if err != nil {
		tx.say(stderr, "hailong export", exportProblem(o, err))
		return 1
	}
	key := "cli.export.done"
	if o.out == "-" {
		key = "cli.export.done_stdout"
	}
	fmt.Fprintf(stderr, "hailong export: %s\n", tx.lines(key, map[string]any{"Count": n, "Out": o.out}))
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

func parseExport(args []string) (*exportOptions, error) {
	fs := newFlagSet("hailong export")
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
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fail("cli.arg.unexpected", map[string]any{"Arg": fs.Arg(0)})
	}
	if o.out == "" {
		return nil, fail("cli.export.out_required", nil)
	}
	if format == "" {
		if o.out == "-" {
			return nil, fail("cli.export.format_required", nil)
		}
		format = strings.TrimPrefix(filepath.Ext(o.out), ".")
	}
	var err error
	if o.format, err = export.ParseFormat(format); err != nil {
		return nil, fail("cli.export.format_unknown", map[string]any{"Format": format})
	}
	loc := survey.Location()
	if from != "" {
		d, err := time.ParseInLocation(time.DateOnly, from, loc)
		if err != nil {
			return nil, fail("cli.export.day", map[string]any{"Flag": "--from", "Value": from})
		}
		o.filter.From = d.UTC()
	}
	if to != "" {
		d, err := time.ParseInLocation(time.DateOnly, to, loc)
		if err != nil {
			return nil, fail("cli.export.day", map[string]any{"Flag": "--to", "Value": to})
		}
		o.filter.To = d.AddDate(0, 0, 1).UTC()
	}
	if !o.filter.From.IsZero() && !o.filter.To.IsZero() && !o.filter.From.Before(o.filter.To) {
		return nil, fail("cli.export.range", map[string]any{"From": from, "To": to})
	}
	if surveyArg != "" {
		id, ver, hasVer := strings.Cut(surveyArg, "@")
		o.filter.SurveyID = id
		if hasVer {
			v, err := strconv.Atoi(ver)
			if err != nil || v < 1 {
				return nil, fail("cli.export.survey_version", map[string]any{"Value": surveyArg})
			}
			o.filter.SurveyVersion = v
		}
		if id == "" {
			return nil, fail("cli.export.survey_id", map[string]any{"Value": surveyArg})
		}
	}
	switch survey.Status(status) {
	case "", survey.StatusComplete, survey.StatusAbandoned:
		o.filter.Status = survey.Status(status)
	default:
		return nil, fail("cli.export.status", map[string]any{"Value": status})
	}
	if o.lang != "vi" && o.lang != "en" {
		return nil, fail("cli.export.lang", map[string]any{"Value": o.lang})
	}
	return &o, nil
}

func (o *exportOptions) run(ctx context.Context, stdout io.Writer) (int, error) {
	db := map[string]any{"DB": o.db}
	if _, err := os.Stat(o.db); errors.Is(err, os.ErrNotExist) {
		return 0, fail("cli.db.missing", db)
	}
	st, err := store.Open(ctx, o.db, store.ReadOnly())
	if err != nil {
		return 0, failWith("cli.db.open", db, err)
	}
	defer st.Close()
	builtin, err := survey.Builtin()
	if err != nil {
		return 0, failWith("cli.builtin.broken", nil, err)
	}
	defs, err := export.Definitions(ctx, builtin, st, o.filter.SurveyID)
	if err != nil {
		return 0, failWith("cli.db.read", db, err)
	}
	// Every response in a kiosk's store was collected by this kiosk (the
	// uploader stamps its current id on older ones), so all carry its name.
	name, err := client.DeviceName(ctx, st)
	if err != nil {
		return 0, failWith("cli.db.read", db, err)
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

// exportProblem is the problem of a failed export to o.out: err itself
// when it is one, else the lead line its cause calls for (a full disk, a
// missing folder...) with err as the cause.
func exportProblem(o *exportOptions, err error) error {
	if _, ok := errors.AsType[*problem](err); ok {
		return err
	}
	out := map[string]any{"Out": o.out}
	key := "cli.export.failed"
	switch {
	case errors.Is(err, export.ErrDiskFull):
		key = "cli.export.disk_full"
	case errors.Is(err, export.ErrReadOnly):
		key = "cli.export.read_only"
	case errors.Is(err, export.ErrDeviceGone):
		key = "cli.export.device_gone"
	case errors.Is(err, export.ErrNoFolder):
		key = "cli.export.no_folder"
	case errors.Is(err, export.ErrPermission):
		key = "cli.export.permission"
	case errors.Is(err, export.ErrSource):
		key, out = "cli.db.read", map[string]any{"DB": o.db}
	case o.out == "-":
		key = "cli.export.failed_stdout"
	}
	return failWith(key, out, err)
}
