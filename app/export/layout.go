package export

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// The fixed columns of a response row, named as the response's JSON fields
// plus device_name (survey.ReservedCodes keeps question codes off these
// names). docs/exports.md says what each holds.
var fixedColumns = []string{
	"id", "survey_id", "survey_version", "service_point", "device_id", "device_name",
	"started_at", "finished_at", "lang", "status", "misuse", "misuse_reason",
	"event_tag", "assisted", "with_slip", "slip_channel",
}

// Indexes of the fixed columns, in fixedColumns' order.
const (
	colID = iota
	colSurvey
	colVersion // a number in XLSX
	colServicePoint
	colDevice
	colDeviceName
	colStarted // a date-time in XLSX
	colFinished
	colLang
	colStatus
	colMisuse // 0 or 1; a number in XLSX
	colMisuseReason
	colEvent
	colAssisted    // 0 or 1; a number in XLSX
	colWithSlip    // 0 or 1 (given with a rating slip); a number in XLSX
	colSlipChannel // a code of Channels; its words in XLSX
)

// LabelSuffix ends the name of a label column: "tiep_can.label". Question
// codes cannot hold a dot, so the name never meets a question's.
const LabelSuffix = ".label"

// OtherColumn is the last column: answers to questions that no given
// definition names, as "code=a|b; code2=c", so that nothing is dropped.
// Question codes start with a letter, so the name never meets a question's.
const OtherColumn = "_other_answers"

// TimeLayout is ISO 8601 with the UTC offset of Asia/Ho_Chi_Minh (+07:00).
const TimeLayout = "2006-01-02T15:04:05-07:00"

// MultiSeparator joins the codes (and labels) of a multiple-choice answer.
const MultiSeparator = "|"

type defKey struct {
	id      string
	version int
}

// qcol is one question column (and its label column, if any).
type qcol struct {
	code  string
	col   int // index of the code column
	label int // index of the label column, or -1
}

// layout maps responses to rows of cells.
type layout struct {
	header   []string
	qcols    []qcol
	byCode   map[string]int // question code → index into qcols
	defs     map[defKey]*survey.Survey
	firstDef map[string]*survey.Question // question code → first definition naming it
	labels   map[defKey]map[string]map[string]string
	loc      *time.Location
	other    int // index of OtherColumn
	// times is scratch space for the row's formatted times, reused from
	// row to row; the cells are a string made of it once per row.
	times []byte
	// deviceName is Options.DeviceName, slipChannel Options.SlipChannel
	// (kioskChannel when nil), never nil.
	deviceName  func(id string) string
	slipChannel func(r *survey.Response) string
}

// newLayout lays out the columns: the fixed ones, then one per question code
// over every survey in order (the union, in question order; info screens,
// which take no answer, have none), then OtherColumn.
func newLayout(opt Options) *layout {
	l := &layout{
		header:   append([]string(nil), fixedColumns...),
		byCode:   make(map[string]int),
		defs:     make(map[defKey]*survey.Survey),
		firstDef: make(map[string]*survey.Question),
		labels:   make(map[defKey]map[string]map[string]string),
		loc:      survey.Location(),
	}
	if l.deviceName = opt.DeviceName; l.deviceName == nil {
		l.deviceName = func(string) string { return "" }
	}
	if l.slipChannel = opt.SlipChannel; l.slipChannel == nil {
		l.slipChannel = kioskChannel
	}
	for _, s := range opt.Surveys {
		if s == nil {
			continue
		}
		l.defs[defKey{s.ID, s.Version}] = s
		for i := range s.Questions {
			q := &s.Questions[i]
			if !q.IsQuestion() {
				continue // an info screen is never answered: no column
			}
			if _, seen := l.byCode[q.Code]; seen {
				continue
			}
			l.firstDef[q.Code] = q
			c := qcol{code: q.Code, col: len(l.header), label: -1}
			l.header = append(l.header, q.Code)
			if opt.Labels && q.Type != survey.Comment {
				c.label = len(l.header)
				l.header = append(l.header, q.Code+LabelSuffix)
			}
			l.byCode[q.Code] = len(l.qcols)
			l.qcols = append(l.qcols, c)
		}
	}
	l.other = len(l.header)
	l.header = append(l.header, OtherColumn)
	return l
}

// row fills dst (len(l.header) cells) with r's values as text, as they are:
// the CSV writer guards them against formula injection, the XLSX writer
// stores them as text cells, which never run. Numeric columns hold plain
// digits, time columns ISO 8601 in Asia/Ho_Chi_Minh.
func (l *layout) row(r *survey.Response, dst []string) {
	dst[colID] = r.ID
	dst[colSurvey] = r.SurveyID
	dst[colVersion] = strconv.Itoa(r.SurveyVersion)
	dst[colServicePoint] = r.ServicePoint
	dst[colDevice] = r.DeviceID
	dst[colDeviceName] = l.deviceName(r.DeviceID)
	dst[colStarted], dst[colFinished] = l.twoTimes(r.StartedAt, r.FinishedAt)
	dst[colLang] = r.Lang
	dst[colStatus] = string(r.Status)
	dst[colMisuse] = bit(r.Misuse)
	dst[colMisuseReason] = r.MisuseReason
	dst[colEvent] = r.EventTag
	dst[colAssisted] = bit(r.Assisted)
	dst[colWithSlip] = bit(r.Slip != "")
	dst[colSlipChannel] = l.slipChannel(r)
	clear(dst[len(fixedColumns):])
	var other []string
	for code, vals := range r.Answers {
		i, ok := l.byCode[code]
		if !ok {
			if len(vals) > 0 {
				other = append(other, code+"="+strings.Join(vals, MultiSeparator))
			}
			continue
		}
		c := l.qcols[i]
		dst[c.col] = strings.Join(vals, MultiSeparator)
		if c.label >= 0 && len(vals) > 0 {
			dst[c.label] = l.labelOf(r, code, vals)
		}
	}
	if len(other) > 0 {
		sort.Strings(other)
		dst[l.other] = strings.Join(other, "; ")
	}
}

// labelOf returns the Vietnamese labels of the chosen codes, from the
// response's own survey version when known, else from the first definition
// naming the question. Codes without a label stay as they are.
func (l *layout) labelOf(r *survey.Response, code string, vals []string) string {
	k := defKey{r.SurveyID, r.SurveyVersion}
	byQ, ok := l.labels[k]
	if !ok {
		byQ = make(map[string]map[string]string)
		if s := l.defs[k]; s != nil {
			for i := range s.Questions {
				byQ[s.Questions[i].Code] = optionLabels(&s.Questions[i])
			}
		}
		l.labels[k] = byQ
	}
	m, ok := byQ[code]
	if !ok {
		if q := l.firstDef[code]; q != nil {
			m = optionLabels(q)
		}
		byQ[code] = m
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if lab, ok := m[v]; ok {
			out[i] = lab
		} else {
			out[i] = v
		}
	}
	return strings.Join(out, MultiSeparator)
}

func optionLabels(q *survey.Question) map[string]string {
	m := make(map[string]string)
	for _, o := range q.OptionsOf() {
		m[o.Code] = o.Label.In("vi")
	}
	return m
}

// twoTimes formats a and b as TimeLayout in the layout's zone, a zero
// time as "", into one new string.
func (l *layout) twoTimes(a, b time.Time) (string, string) {
	buf := l.times[:0]
	if !a.IsZero() {
		buf = appendTime(buf, a, l.loc)
	}
	mid := len(buf)
	if !b.IsZero() {
		buf = appendTime(buf, b, l.loc)
	}
	l.times = buf
	s := string(buf)
	return s[:mid], s[mid:]
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// Guard defuses a CSV cell that a spreadsheet would run as a formula: text
// that starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, as OWASP recommends for CSV injection. Everything else is
// returned unchanged. XLSX needs no guard: its text cells never run.
func Guard(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// titles are the XLSX header cells: each column's name in t's language (a
// question's text in lang), with the CSV column name below it in brackets,
// so that a column can be found in the Codebook, in docs/exports.md and in
// the CSV of the same export.
func (l *layout) titles(t *i18n.Translator, lang string) []string {
	out := make([]string, len(l.header))
	for i, name := range l.header {
		var text string
		switch {
		case i < len(fixedColumns) || i == l.other:
			text = t.T("export.column." + name)
		case strings.HasSuffix(name, LabelSuffix):
			code := strings.TrimSuffix(name, LabelSuffix)
			text = t.T("export.column.label", map[string]any{"Question": l.firstDef[code].Text.In(lang)})
		default:
			text = l.firstDef[name].Text.In(lang)
		}
		if text == "" {
			out[i] = name
			continue
		}
		out[i] = text + "\n[" + name + "]"
	}
	return out
}
