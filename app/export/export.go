// Package export writes survey responses as CSV, XLSX and JSON Lines for the
// admins who report to the city. Writers stream over an iterator of responses
// and never hold the whole set in memory; the kiosk admin panel, the CLI and
// the hub share them. The package imports neither Fyne nor SQL: filtering is
// the store's job, export only lays out what it is given.
package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Format is an export file format; its value is also the file extension.
type Format string

// The export formats.
const (
	CSV   Format = "csv"
	XLSX  Format = "xlsx"
	JSONL Format = "jsonl"
)

// Formats lists the formats in the order they are offered to people.
var Formats = []Format{XLSX, CSV, JSONL}

// ParseFormat turns "csv", "xlsx" or "jsonl" (any case) into a Format.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, XLSX, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("unknown export format %q (want csv, xlsx or jsonl)", s)
}

// Options shape an export.
type Options struct {
	// Surveys are the definitions of the surveys being exported (every
	// version the responses may refer to). They give the question columns,
	// the labels, the Codebook and the Summary. Answers to questions no
	// definition names are kept in a last "other_answers" column.
	Surveys []*survey.Survey
	// Labels adds, after each choice question's code column, a column with
	// the Vietnamese labels of the chosen answers (CSV and XLSX).
	Labels bool
	// DeviceName gives the name of the device with the given id (the name
	// the hub's operator chose at enrollment), or "" when it is not known;
	// it fills the device_name column. It is called once per row and must
	// be quick. Nil leaves the column empty.
	DeviceName func(deviceID string) string
	// SlipChannel gives the slip_channel code of a response (one of
	// Channels), which the hub knows from what it found of the response's
	// slip (hub.SlipChannels); it is called once per row, must be
	// quick and keeps nothing of r but its strings (see Write). Nil is
	// the kiosk's view: ChannelDesk for a response given with a slip,
	// ChannelNone without.
	SlipChannel func(r *survey.Response) string
	// Lang is the language of the XLSX sheet names, headings and question
	// texts: "vi" (the default) or "en". CSV column names, JSONL field
	// names and codes never change.
	Lang string
	// Files are the files returned per service point over the exported
	// period (hub.FileCount summed), for the Summary's coverage table
	// (report.Coverage); nil leaves the table out (the kiosk records no
	// files).
	Files map[string]int
	// Slips are the slip figures of the exported period (the hub's,
	// report.NewSlipTable over its aggregates), for the Summary's slip
	// table, which then replaces the coverage table; nil leaves it out.
	Slips *report.SlipTable
	// Feedback are the feedback figures of the cases received in the
	// exported period (the hub's inbox), for the Summary's feedback
	// table; nil leaves it out (the kiosk keeps no answers to cases).
	Feedback *FeedbackTable
	// Help are the staff help figures per service point over the
	// exported period (the hub's, hub.HelpExportRows), for the Summary's
	// help table; none leaves it out (the kiosk keeps its requests out
	// of its exports).
	Help []HelpRow
	// Now is the clock that dates an XLSX file's properties; nil means
	// time.Now.
	Now func() time.Time
	// Progress, when set, is called with the number of responses written so
	// far, every ProgressEvery responses and once at the end. It runs on the
	// writing goroutine and must be quick.
	Progress func(written int)
}

// ErrSource marks an export that failed because the responses could not be
// read (the store failed), not because of the output.
var ErrSource = errors.New("read responses")

// ProgressEvery is how many responses pass between two Progress calls.
const ProgressEvery = 500

// Write writes rows to w in the given format and returns how many responses
// it wrote. On error the output is incomplete and must be discarded.
//
// Every writer is done with a response, its Answers map and their slices
// included, before it asks rows for the next one, and keeps none of them
// (strings aside), so rows may lend the same response value for every row
// (store.BorrowResponses). Options' callbacks get it on the same terms.
func Write(ctx context.Context, w io.Writer, format Format, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	switch format {
	case CSV:
		return WriteCSV(ctx, w, rows, opt)
	case XLSX:
		return WriteXLSX(ctx, w, rows, opt)
	case JSONL:
		return WriteJSONL(ctx, w, rows, opt)
	}
	return 0, fmt.Errorf("export: unknown format %q", format)
}

// each runs fn over rows, checking ctx and reporting progress, and returns
// the number of responses fn accepted. fn must be done with its response
// when it returns (see Write).
func each(ctx context.Context, rows iter.Seq2[*survey.Response, error], opt Options, fn func(*survey.Response) error) (int, error) {
	n := 0
	for r, err := range rows {
		if err != nil {
			return n, fmt.Errorf("%w: %w", ErrSource, err)
		}
		if r == nil {
			continue
		}
		if err := fn(r); err != nil {
			return n, err
		}
		n++
		if n%ProgressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return n, fmt.Errorf("export cancelled: %w", err)
			}
			if opt.Progress != nil {
				opt.Progress(n)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return n, fmt.Errorf("export cancelled: %w", err)
	}
	if opt.Progress != nil {
		opt.Progress(n)
	}
	return n, nil
}

// FeedbackTable is the feedback figures per service point and in total.
type FeedbackTable struct {
	Points []FeedbackRow
	Total  FeedbackRow
}

// FeedbackRow is one service point's feedback cases: received, answered,
// answered on time, and the median working time to the answer. The
// on-time share and the median rest on the answered cases and are left
// out under report.MinCell of them; counts are always given.
type FeedbackRow struct {
	ServicePoint               string
	Received, Answered, OnTime int
	MedianAnswer               time.Duration
}

// HelpRow is one service point's staff help figures (issue #11) in an
// export: requests, still open, helped to file online, not possible (by
// reason code, help.Reasons), and the median time from request to
// outcome.
type HelpRow struct {
	ServicePoint                        string
	Requests, Open, Helped, NotPossible int
	ByReason                            map[string]int
	MedianOutcome                       time.Duration
}
