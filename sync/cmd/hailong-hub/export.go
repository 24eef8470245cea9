package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// exportFlags are `hailong-hub export`'s flags, as typed.
type exportFlags struct {
	out, format, from, to, survey, servicePoint, status, device, event, lang string
	labels                                                                   bool
}

func (e *exportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&e.out, "out", "", "output `FILE`, or - for standard output (required)")
	fs.StringVar(&e.format, "format", "", "csv, xlsx or jsonl (default: from the --out extension)")
	fs.StringVar(&e.from, "from", "", "first day included, YYYY-MM-DD (Asia/Ho_Chi_Minh)")
	fs.StringVar(&e.to, "to", "", "last day included, YYYY-MM-DD (Asia/Ho_Chi_Minh)")
	fs.StringVar(&e.survey, "survey", "", "survey `ID[@VERSION]`")
	fs.StringVar(&e.servicePoint, "service-point", "", "service point `NAME`")
	fs.StringVar(&e.status, "status", "", "complete or abandoned")
	fs.StringVar(&e.device, "device", "", "device `ID`")
	fs.StringVar(&e.event, "event", "", "outreach event `TAG`")
	fs.BoolVar(&e.labels, "labels", false, "add a Vietnamese label column after each choice question")
	fs.StringVar(&e.lang, "lang", "vi", "language of the XLSX sheet names, headers and question texts: vi or en")
}

// exportJob is a checked `hailong-hub export` command line.
type exportJob struct {
	out    string
	format export.Format
	filter hub.Filter
	opt    export.Options
}

// parse checks the flags; errors say which flag and what is wanted.
func (e *exportFlags) parse() (*exportJob, error) {
	j := &exportJob{out: e.out, opt: export.Options{Labels: e.labels, Lang: e.lang}}
	if e.out == "" {
		return nil, errors.New("export: --out is required (a file, or - for standard output)")
	}
	format := e.format
	if format == "" {
		if e.out == "-" {
			return nil, errors.New("export: --format is required when writing to standard output")
		}
		format = strings.TrimPrefix(filepath.Ext(e.out), ".")
	}
	var err error
	if j.format, err = export.ParseFormat(format); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	loc := survey.Location()
	day := func(flag, s string) (time.Time, error) {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("export: --%s %q: want a day as YYYY-MM-DD, e.g. 2026-11-25", flag, s)
		}
		return d, nil
	}
	if e.from != "" {
		d, err := day("from", e.from)
		if err != nil {
			return nil, err
		}
		j.filter.From = d.UTC()
	}
	if e.to != "" {
		d, err := day("to", e.to)
		if err != nil {
			return nil, err
		}
		j.filter.To = d.AddDate(0, 0, 1).UTC() // the whole last day
	}
	if !j.filter.From.IsZero() && !j.filter.To.IsZero() && !j.filter.From.Before(j.filter.To) {
		return nil, fmt.Errorf("export: --from %s is after --to %s", e.from, e.to)
	}
	if e.survey != "" {
		id, ver, hasVer := strings.Cut(e.survey, "@")
		if id == "" {
			return nil, fmt.Errorf("export: --survey %q: the survey id is missing", e.survey)
		}
		j.filter.SurveyID = id
		if hasVer {
			v, err := strconv.Atoi(ver)
			if err != nil || v < 1 {
				return nil, fmt.Errorf("export: --survey %q: the version after @ must be a whole number from 1", e.survey)
			}
			j.filter.SurveyVersion = v
		}
	}
	switch survey.Status(e.status) {
	case "", survey.StatusComplete, survey.StatusAbandoned:
		j.filter.Status = survey.Status(e.status)
	default:
		return nil, fmt.Errorf("export: --status %q: want complete or abandoned", e.status)
	}
	if e.lang != "vi" && e.lang != "en" {
		return nil, fmt.Errorf("export: --lang %q: want vi or en", e.lang)
	}
	j.filter.ServicePoint = norm.NFC.String(strings.TrimSpace(e.servicePoint))
	j.filter.DeviceID = strings.TrimSpace(e.device)
	j.filter.EventTag = norm.NFC.String(strings.TrimSpace(e.event))
	return j, nil
}

// exportCommand is `hailong-hub export`: it writes the hub's responses
// matching the filters to a file (through a temporary file renamed at the
// end, so a failed export leaves nothing) or to standard output.
type exportCommand struct {
	typed    exportFlags
	feedback feedbackFlags // the deadline clocks in the workbook, as serve's
	job      *exportJob
}

func (c *exportCommand) flags(fs *flag.FlagSet) {
	c.typed.register(fs)
	c.feedback.flags(fs)
}

func (c *exportCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if err := c.feedback.parse(name); err != nil {
		return err
	}
	var err error
	c.job, err = c.typed.parse()
	return err
}

func (c *exportCommand) run(ctx context.Context, m *Main) error {
	j := c.job
	defs, err := hub.ParsedSurveys(ctx, m.store)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if id := j.filter.SurveyID; id != "" {
		defs = slices.DeleteFunc(defs, func(s *survey.Survey) bool { return s.ID != id })
	}
	j.opt.Surveys = defs
	devs, err := m.store.Devices(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	j.opt.DeviceName = hub.DeviceNames(devs)
	if j.format == export.XLSX {
		if j.opt.Files, err = hub.FilesReturned(ctx, m.store, j.filter.From, j.filter.To, j.filter.ServicePoint); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if hub.DayAligned(j.filter) { // the slip figures, from the store's sums (docs/reports.md)
			counts, err := hub.SlipFigures(ctx, m.store, j.filter)
			if err != nil {
				return fmt.Errorf("export: %w", err)
			}
			tab := report.NewSlipTable(counts)
			j.opt.Slips = &tab
		}
		if j.opt.Feedback, err = c.feedback.rules.FeedbackExport(ctx, m.store, j.filter, time.Now()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if j.opt.Help, err = hub.HelpExport(ctx, m.store, j.filter); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	details := hub.FilterDetails(j.filter)
	details.Set("format", string(j.format))
	details.Set("out", j.out)
	if err := m.audit(ctx, hub.AuditExport, details); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	rows, channel := hub.SlipChannels(ctx, m.store, m.store.Responses(ctx, j.filter))
	j.opt.SlipChannel = channel
	var n int
	if j.out == "-" {
		n, err = export.Write(ctx, m.Stdout, j.format, rows, j.opt)
	} else {
		n, err = export.ToFile(ctx, j.out, j.format, rows, j.opt)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	dest := j.out
	if dest == "-" {
		dest = "standard output"
	}
	m.Logger.Info("export", "format", j.format, "rows", n, "out", dest)
	fmt.Fprintf(m.Stderr, "Đã xuất %d phiếu vào %s. / %d responses written to %s.\n", n, dest, n, dest)
	return nil
}
