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
	// satisfied), "e:" + a SIPAS element (N responses answering it), or
	// "c:" + a slip channel (SlipChannel: N rated responses with a slip in
	// that channel, Sat of them satisfied; ratings without a slip have no
	// such row, they are the rest of the responses row's rated count), or
	// "f:" + a flagged slip's status (SlipUnknown, SlipReused,
	// SlipElsewhere: N of the rated responses of the "c:flagged" row
	// flagged for that reason).
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
		if ch := SlipChannel(it.SlipStatus, r.DeviceID); ch != "" && c.Rated > 0 {
			add(k, "c:"+ch, c.Rated, c.Satisfied)
			if ch == ChannelFlagged {
				add(k, "f:"+string(it.SlipStatus), c.Rated, 0)
			}
		}
	}
	out := make([]RollupRow, 0, len(sum))
	for _, r := range sum {
		out = append(out, *r)
	}
	slices.SortFunc(out, compareRows)
	return out
}

// SlipChannelRows is the slip channel rows ("c:" metrics) of RollupRows
// alone: what a store adds, for responses already in its rollup, when it
// learns their slip statuses afterwards (the migration that brought the
// channels in).
func SlipChannelRows(items []Incoming) []RollupRow { return rowsOfMetric(items, "c:") }

// SlipFlagRows is the flagged slips' reason rows ("f:" metrics) of
// RollupRows alone: what a store adds, for responses whose channel rows
// are in its rollup already, when it starts keeping the reasons (the
// migration that brought them in).
func SlipFlagRows(items []Incoming) []RollupRow { return rowsOfMetric(items, "f:") }

func rowsOfMetric(items []Incoming, prefix string) []RollupRow {
	return slices.DeleteFunc(RollupRows(items), func(r RollupRow) bool { return !strings.HasPrefix(r.Metric, prefix) })
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
// "figures" and sums of them, so that no dashboard view reads more than a
// few rows per service point and day of the part of its period that is
// not whole months, however many responses there are:
//   - "figures_days" by day (ServicePoint, DeviceID, EventTag empty) and
//     "figures_points" by service point (Day, DeviceID, EventTag empty):
//     the unfiltered view;
//   - "figures_month_points" by month and service point (Day the month's
//     first day, DeviceID, EventTag empty): the service points of a
//     period's whole months;
//   - "figures_devices" by service point and device, and
//     "figures_month_devices" the same by month (EventTag empty, responses
//     rows only): the service point list and the device table
//     (Store.DeviceCounts);
//   - "figures_point_days" by service point and day (DeviceID, EventTag
//     empty) and "figures_device_days" by device, day and service point
//     (EventTag empty), each keyed with its service point or device first:
//     a view of one service point or one device reads one range of one
//     table, a few rows per day of its period, however many devices,
//     event tags and responses there are.
const (
	TableFine         = "figures"
	TableDays         = "figures_days"
	TablePoints       = "figures_points"
	TableMonthPoints  = "figures_month_points"
	TableDevices      = "figures_devices"
	TableMonthDevices = "figures_month_devices"
	TablePointDays    = "figures_point_days"
	TableDeviceDays   = "figures_device_days"
)

// sumRows sums fine rows by the key keep leaves (keep clears fields of the
// key, and refuses a row by returning false), sorted.
func sumRows(fine []RollupRow, keep func(*RollupRow) bool) []RollupRow {
	m := map[RollupRow]int{}
	var out []RollupRow
	for _, r := range fine {
		k := r
		k.N, k.Sat = 0, 0
		if !keep(&k) {
			continue
		}
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

// monthOf is the first day of day's month: "2026-11-25" → "2026-11-01".
func monthOf(day string) string { return day[:8] + "01" }

// CoarseRows sums fine rows into the rows of TableDays and TablePoints,
// sorted.
func CoarseRows(fine []RollupRow) (days, points []RollupRow) {
	days = sumRows(fine, func(k *RollupRow) bool { k.ServicePoint, k.DeviceID, k.EventTag = "", "", ""; return true })
	points = sumRows(fine, func(k *RollupRow) bool { k.Day, k.DeviceID, k.EventTag = "", "", ""; return true })
	return days, points
}

// MonthRows sums fine rows into the rows of TableMonthPoints, and their
// responses rows (Metric "") into those of TableMonthDevices, sorted.
func MonthRows(fine []RollupRow) (points, devices []RollupRow) {
	points = sumRows(fine, func(k *RollupRow) bool { k.Day, k.DeviceID, k.EventTag = monthOf(k.Day), "", ""; return true })
	devices = sumRows(fine, func(k *RollupRow) bool { k.Day, k.EventTag = monthOf(k.Day), ""; return k.Metric == "" })
	return points, devices
}

// DayRows sums fine rows into the rows of TablePointDays and
// TableDeviceDays, sorted.
func DayRows(fine []RollupRow) (points, devices []RollupRow) {
	points = sumRows(fine, func(k *RollupRow) bool { k.DeviceID, k.EventTag = "", ""; return true })
	devices = sumRows(fine, func(k *RollupRow) bool { k.EventTag = ""; return true })
	return points, devices
}

// DeviceRows sums the responses rows (Metric "") of fine rows over days
// and event tags into the rows of TableDevices, sorted.
func DeviceRows(fine []RollupRow) []RollupRow {
	return sumRows(fine, func(k *RollupRow) bool { k.Day, k.EventTag = "", ""; return k.Metric == "" })
}

// DeviceCount is how many responses one device sent from one service
// point (Store.DeviceCounts).
type DeviceCount struct {
	ServicePoint, DeviceID string
	Responses              int
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

// dayRange is the days [from, to) of a rollup table ("" is open).
type dayRange struct{ from, to string }

// source is one rollup table read over a range of its days (for a table
// with no day column, the range is unused).
type source struct {
	table string
	days  dayRange
}

// periodSources splits the days [from, to) (not both open) into the whole
// months in it, read from the month table, and the days before and after
// them, read from the fine table.
func periodSources(from, to, monthTable string) []source {
	mFrom, mTo := from, ""
	if from != "" && from[8:] != "01" {
		t, _ := time.Parse(DayFormat, monthOf(from))
		mFrom = t.AddDate(0, 1, 0).Format(DayFormat)
	}
	if to != "" {
		mTo = monthOf(to)
	}
	if mFrom != "" && mTo != "" && mFrom >= mTo { // no whole month
		return []source{{TableFine, dayRange{from, to}}}
	}
	out := []source{{monthTable, dayRange{mFrom, mTo}}}
	if from != "" && from < mFrom {
		out = append(out, source{TableFine, dayRange{from, mFrom}})
	}
	if to != "" && mTo < to {
		out = append(out, source{TableFine, dayRange{mTo, to}})
	}
	return out
}

// queryBuilder writes one query's conditions, numbering its parameters.
type queryBuilder struct {
	d    Dialect
	args []any
}

func (qb *queryBuilder) param(v any, day bool) string {
	qb.args = append(qb.args, v)
	if day {
		return qb.d.DayParam(len(qb.args))
	}
	return qb.d.Param(len(qb.args))
}

// where is the WHERE clause reading src for f: the days of src (when its
// table has them), f's survey, version and status, and f's service point,
// device and event tag as far as src's table has those columns.
func (qb *queryBuilder) where(src source, f Filter, extra ...string) string {
	cond := extra
	hasDay := src.table != TablePoints && src.table != TableDevices
	hasDevice := src.table == TableFine || src.table == TableDevices || src.table == TableMonthDevices || src.table == TableDeviceDays
	hasPoint := hasDevice || src.table == TablePointDays
	if hasDay && src.days.from != "" {
		cond = append(cond, "day >= "+qb.param(src.days.from, true))
	}
	if hasDay && src.days.to != "" {
		cond = append(cond, "day < "+qb.param(src.days.to, true))
	}
	if f.SurveyID != "" {
		cond = append(cond, "survey_id = "+qb.param(f.SurveyID, false))
	}
	if f.SurveyVersion != 0 {
		cond = append(cond, "survey_version = "+qb.param(f.SurveyVersion, false))
	}
	if f.Status != "" {
		cond = append(cond, "status = "+qb.param(string(f.Status), false))
	}
	if hasPoint && f.ServicePoint != "" {
		cond = append(cond, "service_point = "+qb.param(f.ServicePoint, false))
	}
	if hasDevice && f.DeviceID != "" {
		cond = append(cond, "device_id = "+qb.param(f.DeviceID, false))
	}
	if src.table == TableFine && f.EventTag != "" {
		cond = append(cond, "event_tag = "+qb.param(f.EventTag, false))
	}
	if o := f.CountedFor; o != nil && (!o.IncludeAbandoned || !o.IncludeFlagged) {
		// Of the cells the report counts in its totals alone, only the
		// responses rows (metric '').
		var counted []string
		if !o.IncludeAbandoned {
			counted = append(counted, "status <> "+qb.param(string(survey.StatusAbandoned), false))
		}
		if !o.IncludeFlagged {
			counted = append(counted, "misuse = "+qb.param(false, false))
		}
		cond = append(cond, "(metric = '' OR ("+strings.Join(counted, " AND ")+"))")
	}
	if len(cond) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(cond, " AND ")
}

// FigureQueries are the queries that answer Store.Figures(f): with a
// device filter (and no event tag), the device's rows of TableDeviceDays,
// with a service point filter alone those of TablePointDays, with an event
// tag the fine rows of the match (cells of one day and point in each
// case); otherwise the day sums, and the service point sums: from
// TablePoints without a period, else from the month sums of the period's
// whole months and the fine rows of its other days. Each query yields
// rows as Cells reads them.
func FigureQueries(f Filter, d Dialect) ([]FigureQuery, error) {
	from, to, err := FilterDays(f)
	if err != nil {
		return nil, err
	}
	const cols = "survey_id, survey_version, status, misuse, metric"
	if f.EventTag == "" && (f.ServicePoint != "" || f.DeviceID != "") {
		// One row a key: read in the key's order, the point or device
		// first (fixed by the filter), then day, point and cell; no sort,
		// no grouping.
		src, order := source{TablePointDays, dayRange{from, to}}, "service_point, day, "+cols
		if f.DeviceID != "" {
			src, order = source{TableDeviceDays, dayRange{from, to}}, "device_id, day, service_point, "+cols
		}
		qb := &queryBuilder{d: d}
		q := "SELECT " + d.DayColumn + ", service_point, " + cols + ", n, sat FROM " + src.table + qb.where(src, f) + " ORDER BY " + order
		return []FigureQuery{{SQL: q, Args: qb.args, Part: report.PartAll}}, nil
	}
	if f.EventTag != "" {
		qb := &queryBuilder{d: d}
		g := "day, service_point, " + cols
		q := "SELECT " + d.DayColumn + ", service_point, " + cols + ", SUM(n), SUM(sat) FROM " + TableFine +
			qb.where(source{TableFine, dayRange{from, to}}, f) + " GROUP BY " + g + " ORDER BY " + g
		return []FigureQuery{{SQL: q, Args: qb.args, Part: report.PartAll}}, nil
	}
	qb := &queryBuilder{d: d}
	g := "day, " + cols
	days := FigureQuery{SQL: "SELECT " + d.DayColumn + ", '', " + cols + ", SUM(n), SUM(sat) FROM " + TableDays +
		qb.where(source{TableDays, dayRange{from, to}}, f) + " GROUP BY " + g + " ORDER BY " + g, Args: qb.args, Part: report.PartDays}
	srcs := []source{{TablePoints, dayRange{}}}
	if from != "" || to != "" {
		srcs = periodSources(from, to, TableMonthPoints)
	}
	qb = &queryBuilder{d: d}
	var parts []string
	for _, src := range srcs {
		parts = append(parts, "SELECT service_point, "+cols+", n, sat FROM "+src.table+qb.where(src, f))
	}
	g = "service_point, " + cols
	points := FigureQuery{SQL: "SELECT '', service_point, " + cols + ", SUM(n), SUM(sat) FROM (" + strings.Join(parts, " UNION ALL ") +
		") AS u GROUP BY " + g + " ORDER BY " + g, Args: qb.args, Part: report.PartPoints}
	return []FigureQuery{days, points}, nil
}

// DeviceCountQuery is the query that answers Store.DeviceCounts(f): from
// TableDevices without a period, from the fine rows with an event tag,
// else from the month sums of the period's whole months and the fine rows
// of its other days. It yields service_point, device_id and the number of
// responses, ordered by service point then device id.
func DeviceCountQuery(f Filter, d Dialect) (FigureQuery, error) {
	from, to, err := FilterDays(f)
	if err != nil {
		return FigureQuery{}, err
	}
	f.CountedFor = nil // responses rows alone anyway
	var srcs []source
	switch {
	case f.EventTag != "":
		srcs = []source{{TableFine, dayRange{from, to}}}
	case from != "" || to != "":
		srcs = periodSources(from, to, TableMonthDevices)
	default:
		srcs = []source{{TableDevices, dayRange{}}}
	}
	qb := &queryBuilder{d: d}
	var parts []string
	for _, src := range srcs {
		parts = append(parts, "SELECT service_point, device_id, n FROM "+src.table+qb.where(src, f, "metric = ''"))
	}
	q := "SELECT service_point, device_id, SUM(n) FROM (" + strings.Join(parts, " UNION ALL ") +
		") AS u GROUP BY service_point, device_id ORDER BY service_point, device_id"
	return FigureQuery{SQL: q, Args: qb.args}, nil
}

// Cells turns rollup rows ordered so that the rows of one cell (day,
// service point, survey version, status, misuse) are adjacent, into
// report cells of the given part (a PartPoints row has no day).
func Cells(rows iter.Seq2[RollupRow, error], part report.Part) iter.Seq2[report.Cell, error] {
	return func(yield func(report.Cell, error) bool) {
		var c report.Cell
		var key RollupRow
		have := false
		loc := survey.Location()
		var lastDay string // the Day of the last cell, parsed in day
		var day time.Time
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
				if part == report.PartPoints {
					day, lastDay = time.Time{}, ""
				} else if r.Day != lastDay {
					var err error
					if day, err = time.ParseInLocation(DayFormat, r.Day, loc); err != nil {
						yield(report.Cell{}, fmt.Errorf("rollup day %q: %w", r.Day, err))
						return
					}
					lastDay = r.Day
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
			case strings.HasPrefix(r.Metric, "c:"):
				if c.Slips == nil {
					c.Slips = map[string]report.Counter{}
				}
				q := c.Slips[r.Metric[2:]]
				c.Slips[r.Metric[2:]] = report.Counter{N: q.N + r.N, Sat: q.Sat + r.Sat}
			case strings.HasPrefix(r.Metric, "f:"):
				if c.SlipFlags == nil {
					c.SlipFlags = map[string]int{}
				}
				c.SlipFlags[r.Metric[2:]] += r.N
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
