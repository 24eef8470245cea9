package hub

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// RollupRow is one row of a store's figures rollup: the counters of one
// metric of the responses sharing a key (day, survey version, service
// point, device, status, misuse flag, event tag). Every store keeps these
// rows, summed on conflict, in the transaction that accepts the
// responses; RollupRows makes them and Cells reads them back, so the
// encoding lives here only.
type RollupRow struct {
	// Day is the responses' day in Asia/Ho_Chi_Minh, "2026-11-25".
	Day           string
	SurveyID      string
	SurveyVersion int
	ServicePoint  string
	DeviceID      string
	Status        string
	Misuse        bool
	EventTag      string
	// Metric is "" for the responses themselves (N responses, Sat of them
	// rated), "s" for the rated ones whose every rating answer is
	// satisfied (N of them), "q:" + a question code (N answers that count, Sat
	// satisfied), or "e:" + a SIPAS element (N responses answering it).
	Metric string
	N, Sat int
}

// DayFormat is how a rollup row's day is written.
const DayFormat = "2006-01-02"

// RollupRows turns the Figures of accepted items into rollup rows, summed
// by key and metric, sorted (so concurrent transactions update shared rows
// in one order).
func RollupRows(items []Incoming) []RollupRow {
	sum := map[RollupRow]*RollupRow{} // key with N, Sat zero → the row
	add := func(k RollupRow, metric string, n, sat int) {
		k.Metric = metric
		r := sum[k]
		if r == nil {
			r = &RollupRow{}
			*r = k
			sum[k] = r
		}
		r.N += n
		r.Sat += sat
	}
	for _, it := range items {
		c, r := it.Figures, it.Response
		if c.Responses == 0 {
			continue
		}
		k := RollupRow{Day: c.Day.In(survey.Location()).Format(DayFormat), SurveyID: c.SurveyID, SurveyVersion: c.SurveyVersion,
			ServicePoint: c.ServicePoint, DeviceID: r.DeviceID, Status: string(c.Status), Misuse: c.Misuse, EventTag: r.EventTag}
		add(k, "", c.Responses, c.Rated)
		if c.Satisfied > 0 {
			add(k, "s", c.Satisfied, 0)
		}
		for code, qc := range c.Questions {
			add(k, "q:"+code, qc.N, qc.Sat)
		}
		for el, n := range c.Elements {
			add(k, "e:"+el, n, 0)
		}
	}
	out := make([]RollupRow, 0, len(sum))
	for _, r := range sum {
		out = append(out, *r)
	}
	slices.SortFunc(out, compareRows)
	return out
}

func compareRows(a, b RollupRow) int {
	return cmp.Or(strings.Compare(a.Day, b.Day), strings.Compare(a.SurveyID, b.SurveyID), cmp.Compare(a.SurveyVersion, b.SurveyVersion),
		strings.Compare(a.ServicePoint, b.ServicePoint), strings.Compare(a.DeviceID, b.DeviceID), strings.Compare(a.Status, b.Status),
		cmpBool(a.Misuse, b.Misuse), strings.Compare(a.EventTag, b.EventTag), strings.Compare(a.Metric, b.Metric))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// Rollup tables: every store keeps the fine rows (RollupRows) in
// "figures" and two sums of them that the unfiltered dashboard reads, a
// few rows per day and per service point however many responses there
// are: "figures_days" (ServicePoint, DeviceID, EventTag empty) and
// "figures_points" (Day, DeviceID, EventTag empty).
const (
	TableFine   = "figures"
	TableDays   = "figures_days"
	TablePoints = "figures_points"
	// TableDevices holds the responses per service point and device,
	// summed over days and event tags (DeviceRows): what the dashboard's
	// service point list and device table read when no period or event
	// tag narrows them.
	TableDevices = "figures_devices"
)

// DeviceRows sums the responses rows (Metric "") of fine rows over days
// and event tags into the rows of TableDevices, sorted.
func DeviceRows(fine []RollupRow) []RollupRow {
	m := map[RollupRow]int{}
	var out []RollupRow
	for _, r := range fine {
		if r.Metric != "" {
			continue
		}
		k := r
		k.Day, k.EventTag, k.N, k.Sat = "", "", 0, 0
		i, ok := m[k]
		if !ok {
			i = len(out)
			m[k] = i
			out = append(out, k)
		}
		out[i].N += r.N
		out[i].Sat += r.Sat
	}
	slices.SortFunc(out, compareRows)
	return out
}

// DeviceCount is how many responses one device sent from one service
// point (Store.DeviceCounts).
type DeviceCount struct {
	ServicePoint, DeviceID string
	Responses              int
}

// DeviceCountQuery is the query that answers Store.DeviceCounts(f): from
// TableDevices, or from the fine rows when f has a period or an event tag.
// It yields service_point, device_id and the number of responses, ordered
// by service point then device id.
func DeviceCountQuery(f Filter, d Dialect) (FigureQuery, error) {
	from, to, err := FilterDays(f)
	if err != nil {
		return FigureQuery{}, err
	}
	table := TableDevices
	if from != "" || to != "" || f.EventTag != "" {
		table = TableFine
	}
	cond := []string{"metric = ''"}
	var args []any
	add := func(col string, v any, day bool) {
		args = append(args, v)
		p := d.Param(len(args))
		if day {
			p = d.DayParam(len(args))
		}
		cond = append(cond, col+p)
	}
	if from != "" {
		add("day >= ", from, true)
	}
	if to != "" {
		add("day < ", to, true)
	}
	if f.SurveyID != "" {
		add("survey_id = ", f.SurveyID, false)
	}
	if f.SurveyVersion != 0 {
		add("survey_version = ", f.SurveyVersion, false)
	}
	if f.Status != "" {
		add("status = ", string(f.Status), false)
	}
	if f.ServicePoint != "" {
		add("service_point = ", f.ServicePoint, false)
	}
	if f.DeviceID != "" {
		add("device_id = ", f.DeviceID, false)
	}
	if f.EventTag != "" {
		add("event_tag = ", f.EventTag, false)
	}
	q := "SELECT service_point, device_id, SUM(n) FROM " + table + " WHERE " + strings.Join(cond, " AND ") +
		" GROUP BY service_point, device_id ORDER BY service_point, device_id"
	return FigureQuery{SQL: q, Args: args}, nil
}

// CoarseRows sums fine rows into the rows of TableDays and TablePoints,
// sorted.
func CoarseRows(fine []RollupRow) (days, points []RollupRow) {
	sum := func(keep func(*RollupRow)) []RollupRow {
		m := map[RollupRow]int{}
		var out []RollupRow
		for _, r := range fine {
			k := r
			k.DeviceID, k.EventTag, k.N, k.Sat = "", "", 0, 0
			keep(&k)
			i, ok := m[k]
			if !ok {
				i = len(out)
				m[k] = i
				out = append(out, k)
			}
			out[i].N += r.N
			out[i].Sat += r.Sat
		}
		slices.SortFunc(out, compareRows)
		return out
	}
	return sum(func(k *RollupRow) { k.ServicePoint = "" }), sum(func(k *RollupRow) { k.Day = "" })
}

// FigureQuery is one grouped query of Store.Figures: its SQL, arguments,
// and the part of the report its cells count in.
type FigureQuery struct {
	SQL  string
	Args []any
	Part report.Part
}

// Dialect is how a backend writes FigureQueries' SQL: its n-th
// placeholder, a day parameter compared with the day column, and the day
// column as "2026-11-25" text.
type Dialect struct {
	Param     func(n int) string
	DayParam  func(n int) string
	DayColumn string
}

// FigureQueries are the queries that answer Store.Figures(f): with a
// service point, device or event tag filter, the fine rows of the match
// (cells of one day and point); otherwise the day sums and the service
// point sums (from TablePoints, or from the fine rows of the period when f
// has one). Each query yields rows as Cells reads them.
func FigureQueries(f Filter, d Dialect) ([]FigureQuery, error) {
	from, to, err := FilterDays(f)
	if err != nil {
		return nil, err
	}
	build := func(table string, part report.Part, days bool) FigureQuery {
		var cond []string
		var args []any
		add := func(col string, v any, day bool) {
			args = append(args, v)
			p := d.Param(len(args))
			if day {
				p = d.DayParam(len(args))
			}
			cond = append(cond, col+p)
		}
		if days {
			if from != "" {
				add("day >= ", from, true)
			}
			if to != "" {
				add("day < ", to, true)
			}
		}
		if f.SurveyID != "" {
			add("survey_id = ", f.SurveyID, false)
		}
		if f.SurveyVersion != 0 {
			add("survey_version = ", f.SurveyVersion, false)
		}
		if f.Status != "" {
			add("status = ", string(f.Status), false)
		}
		if table == TableFine {
			if f.ServicePoint != "" {
				add("service_point = ", f.ServicePoint, false)
			}
			if f.DeviceID != "" {
				add("device_id = ", f.DeviceID, false)
			}
			if f.EventTag != "" {
				add("event_tag = ", f.EventTag, false)
			}
		}
		dayCol, pointCol := d.DayColumn, "service_point"
		group := "day, service_point, "
		switch part {
		case report.PartDays:
			pointCol, group = "''", "day, "
		case report.PartPoints:
			dayCol, group = "''", "service_point, "
		}
		q := "SELECT " + dayCol + ", " + pointCol + ", survey_id, survey_version, status, misuse, metric, SUM(n), SUM(sat) FROM " + table
		if len(cond) > 0 {
			q += " WHERE " + strings.Join(cond, " AND ")
		}
		g := group + "survey_id, survey_version, status, misuse, metric"
		return FigureQuery{SQL: q + " GROUP BY " + g + " ORDER BY " + g, Args: args, Part: part}
	}
	if f.ServicePoint != "" || f.DeviceID != "" || f.EventTag != "" {
		return []FigureQuery{build(TableFine, report.PartAll, true)}, nil
	}
	points := build(TablePoints, report.PartPoints, false)
	if from != "" || to != "" {
		points = build(TableFine, report.PartPoints, true)
	}
	return []FigureQuery{build(TableDays, report.PartDays, true), points}, nil
}

// Cells turns rollup rows ordered so that the rows of one cell (day,
// service point, survey version, status, misuse) are adjacent, into
// report cells of the given part (a PartPoints row has no day).
func Cells(rows iter.Seq2[RollupRow, error], part report.Part) iter.Seq2[report.Cell, error] {
	return func(yield func(report.Cell, error) bool) {
		var c report.Cell
		var key RollupRow
		have := false
		for r, err := range rows {
			if err != nil {
				yield(report.Cell{}, err)
				return
			}
			k := r
			k.DeviceID, k.EventTag, k.Metric, k.N, k.Sat = "", "", "", 0, 0
			if !have || k != key {
				if have && !yield(c, nil) {
					return
				}
				var day time.Time
				if part != report.PartPoints {
					var err error
					if day, err = time.ParseInLocation(DayFormat, r.Day, survey.Location()); err != nil {
						yield(report.Cell{}, fmt.Errorf("rollup day %q: %w", r.Day, err))
						return
					}
				}
				c = report.Cell{SurveyID: r.SurveyID, SurveyVersion: r.SurveyVersion, Day: day, ServicePoint: r.ServicePoint,
					Status: survey.Status(r.Status), Misuse: r.Misuse, Part: part}
				key, have = k, true
			}
			switch {
			case r.Metric == "":
				c.Responses += r.N
				c.Rated += r.Sat
			case r.Metric == "s":
				c.Satisfied += r.N
			case strings.HasPrefix(r.Metric, "q:"):
				if c.Questions == nil {
					c.Questions = map[string]report.Counter{}
				}
				q := c.Questions[r.Metric[2:]]
				c.Questions[r.Metric[2:]] = report.Counter{N: q.N + r.N, Sat: q.Sat + r.Sat}
			case strings.HasPrefix(r.Metric, "e:"):
				if c.Elements == nil {
					c.Elements = map[string]int{}
				}
				c.Elements[r.Metric[2:]] += r.N
			default:
				yield(report.Cell{}, fmt.Errorf("rollup metric %q unknown", r.Metric))
				return
			}
		}
		if have {
			yield(c, nil)
		}
	}
}

// FilterDays is f's From and To as rollup days (To exclusive); "" when
// zero. f must be day-aligned (DayAligned), else ErrNotDayAligned.
func FilterDays(f Filter) (from, to string, err error) {
	if !DayAligned(f) {
		return "", "", fmt.Errorf("figures from %v to %v: %w", f.From, f.To, ErrNotDayAligned)
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(survey.Location()).Format(DayFormat)
	}
	return day(f.From), day(f.To), nil
}
