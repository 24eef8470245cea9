// Package report computes an internal SIPAS-style satisfaction index: for
// each rating question the share of answers that are "Hài lòng" or "Rất hài
// lòng", averaged into the elements of the SIPAS method and an overall index,
// grouped by day, week, month and service point. It is a proxy computed from
// the kiosk's own surveys, not the Ministry of Home Affairs' SIPAS (a household
// survey the kiosk does not run). Every figure carries the number of
// responses behind it; a figure resting on fewer than MinCell responses is
// suppressed, and so is, in every published table, what would let it be
// recovered by subtraction (docs/reports.md).
//
// The package imports neither Fyne nor SQL: it aggregates a stream of
// responses in one pass, so the kiosk, the hub and the export share it.
package report

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// MinCell is the smallest number of responses a published figure may rest
// on. Figures with fewer are suppressed and shown as "< 5".
const MinCell = 5

// SuppressedText is how a figure suppressed for resting on fewer than
// MinCell responses is shown, in every language.
const SuppressedText = "< 5"

// SmallCell renders a figure that is not a share but rests on n items
// (a median time over n answered cases, say) by the same rule: "" when
// nothing feeds it, SuppressedText under MinCell items, value() otherwise.
func SmallCell(n int, value func() string) string {
	switch {
	case n <= 0:
		return ""
	case n < MinCell:
		return SuppressedText
	}
	return value()
}

// Figure is one published number: a satisfaction share in percent and the
// number of responses behind it.
type Figure struct {
	// N is the number of responses the figure rests on. It is a count and
	// is always given, suppressed or not: a count reveals no answer.
	N int
	// Value is the share of satisfied answers in percent (0–100). It is zero
	// when Suppressed.
	Value float64
	// Suppressed is set when Value must not be shown: nothing feeds the
	// figure (N == 0, see NoData), it rests on fewer than MinCell responses,
	// or it is Secondary.
	Suppressed bool
	// Secondary is set on a figure that rests on enough responses but is
	// hidden so that a suppressed figure of the same table cannot be
	// recovered by subtracting the published ones from the total.
	Secondary bool
}

// NoData reports whether no response feeds the figure: screens say "no
// data", not "< 5".
func (f Figure) NoData() bool { return f.N == 0 }

// figureWords returns key of the catalog's report area in lang: the words
// a figure shows in place of a value. The catalog is shared (i18n.Shared),
// as dashboards format figures often and from several goroutines.
func figureWords(lang, key string) string {
	cat, _ := i18n.Shared("report") // a nil catalog gives the key
	return cat.In(lang).T(key)
}

// Format renders the figure's value for people: "86,5 %" in Vietnamese,
// "86.5 %" in English; "< 5" when it rests on too few responses; "ẩn" /
// "hidden" when it is a Secondary suppression; "chưa có dữ liệu" / "no data"
// when nothing feeds it.
func (f Figure) Format(lang string) string {
	switch {
	case f.NoData():
		return figureWords(lang, "report.stats.nodata")
	case f.Secondary:
		return figureWords(lang, "report.stats.hidden")
	case f.Suppressed:
		return SuppressedText
	}
	s := strconv.FormatFloat(f.Value, 'f', 1, 64)
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " %"
}

// Count renders the number of responses the figure rests on. It is shown
// whether or not the figure is suppressed.
func (f Figure) Count() string { return strconv.Itoa(f.N) }

// Question is a rating question that feeds the index.
type Question struct {
	// SurveyID and Code identify the question across survey versions.
	SurveyID string
	Code     string
	// Type is rating3 or rating5.
	Type survey.QuestionType
	// Text is the question as asked (from the newest version given).
	Text survey.Text
	// Index is the question's index tag, e.g. "sipas:cong-chuc".
	Index string
	// Element is the SIPAS element from the tag ("cong-chuc"), or "".
	Element string
}

// Group is the index figures of one slice of the responses: everything, one
// day, week or month, or one service point.
type Group struct {
	// Key names the group: "" for everything, "2026-11-25" for a day,
	// "2026-W48" for an ISO week, "2026-11" for a month, the service point's
	// name for a service point.
	Key string
	// Start is the first instant of a period group in Asia/Ho_Chi_Minh; zero
	// for the other groups.
	Start time.Time
	// Responses is the number of responses in the group that count towards
	// the index: a count, shown as it is.
	Responses int
	// Index is the overall satisfaction index of the group.
	Index Figure
	// Elements are the SIPAS element figures, parallel to Report.Elements.
	Elements []Figure
	// Questions are the per-question figures, parallel to Report.Questions.
	Questions []Figure
}

// Totals counts the responses read, whatever the index made of them. These
// are operational counts for staff (how many abandoned, how many flagged);
// they reveal no answer and are not suppressed.
type Totals struct {
	// Responses is every response read.
	Responses int
	// Complete and Abandoned split Responses by status.
	Complete  int
	Abandoned int
	// Flagged counts responses marked as possible misuse.
	Flagged int
	// Unknown counts responses whose survey version was not among the
	// definitions given; they are left out of the index.
	Unknown int
	// Counted is the number of responses the index was computed from.
	Counted int
	// BySurvey counts the responses counted towards the index, by survey id,
	// so that screens can leave out the questions of surveys not in use.
	BySurvey map[string]int
}

// Report is the result of one aggregation.
type Report struct {
	// Totals are the raw counts.
	Totals Totals
	// Questions are the rating questions, in survey then question order.
	Questions []Question
	// Elements are the SIPAS elements met, in the method's order.
	Elements []string
	// Overall is the figures over every counted response.
	Overall Group
	// Days, Weeks and Months are the period groups in Asia/Ho_Chi_Minh,
	// oldest first; only periods with responses appear. Each is a table
	// protected against complementary disclosure (see Builder.Report).
	Days, Weeks, Months []Group
	// ServicePoints are the groups by service point, in Vietnamese
	// alphabetical order; a protected table too.
	ServicePoints []Group

	// ratings counts, by service point ("" for all), the responses with a
	// rating answer and those satisfied throughout: what Coverage needs.
	// Unexported: only protected figures leave the package.
	ratings map[string]counter
}

// Options choose which responses count towards the index. By default only
// complete responses not flagged as misuse count.
type Options struct {
	// IncludeAbandoned counts the rating answers of abandoned responses.
	IncludeAbandoned bool
	// IncludeFlagged counts responses flagged as possible misuse.
	IncludeFlagged bool
}

// Compute reads every response from rows and returns the report. defs are
// the survey definitions (every version the responses may refer to).
func Compute(ctx context.Context, defs []*survey.Survey, rows iter.Seq2[*survey.Response, error], opt Options) (*Report, error) {
	b := NewBuilder(defs, opt)
	n := 0 // responses read, for checking ctx now and then
	for r, err := range rows {
		if err != nil {
			return nil, fmt.Errorf("read responses: %w", err)
		}
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("compute report: %w", err)
			}
		}
		b.Add(r)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("compute report: %w", err)
	}
	return b.Report(), nil
}
