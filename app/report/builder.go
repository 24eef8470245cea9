package report

import (
	"sort"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// sipasPrefix starts the index tag of a question that belongs to a SIPAS element.
const sipasPrefix = "sipas:"

// Builder aggregates responses one at a time; Report renders the figures.
// It keeps only counters, so memory does not grow with the number of
// responses (only with the number of days, weeks, months and service points).
// A Builder is not safe for concurrent use.
type Builder struct {
	opt       Options
	loc       *time.Location
	defs      map[defKey]*def
	questions []Question
	qElem     []int // question index → element index, or -1
	elements  []string
	totals    Totals

	overall                     *acc
	days, weeks, months, points map[string]*acc
	lastDef                     *def
	lastKey                     defKey
	dayFrom, dayTo              time.Time // the cached day's bounds
	cDay, cWeek, cMonth, cPoint *acc
	touched                     []int // scratch: element stamps for the current response
	stamp                       int
}

type defKey struct {
	id      string
	version int
}

// def is a survey version reduced to its rating questions.
type def struct {
	ratings []rated
}

type rated struct {
	code string
	q    int  // index into Builder.questions
	elem int  // index into Builder.elements, or -1
	five bool // rating5: the neutral and very-dissatisfied codes are valid too
}

// acc holds the counters of one group.
type acc struct {
	key       string
	start     time.Time
	responses int       // responses counted
	rated     int       // of which with at least one valid rating answer
	satisfied int       // of which with every valid rating answer satisfied
	q         []counter // per question
	elemN     []int     // per element: responses answering at least one of its questions
}

type counter struct{ n, sat int }

// NewBuilder prepares an aggregation over responses to the given survey
// definitions. Questions are identified by survey id and code across versions.
func NewBuilder(defs []*survey.Survey, opt Options) *Builder {
	b := &Builder{
		opt:    opt,
		loc:    survey.Location(),
		defs:   make(map[defKey]*def),
		days:   make(map[string]*acc),
		weeks:  make(map[string]*acc),
		months: make(map[string]*acc),
		points: make(map[string]*acc),
	}
	qIndex := make(map[[2]string]int)
	elemIndex := make(map[string]int)
	var qVersion []int // the version each question's text comes from
	for _, s := range defs {
		if s == nil {
			continue
		}
		d := &def{}
		for i := range s.Questions {
			q := &s.Questions[i]
			if !q.Type.IsRating() {
				continue
			}
			k := [2]string{s.ID, q.Code}
			qi, ok := qIndex[k]
			if !ok {
				qi = len(b.questions)
				qIndex[k] = qi
				el := ""
				if strings.HasPrefix(q.Index, sipasPrefix) {
					el = strings.TrimPrefix(q.Index, sipasPrefix)
				}
				b.questions = append(b.questions, Question{SurveyID: s.ID, Code: q.Code, Type: q.Type, Text: q.Text, Index: q.Index, Element: el})
				ei := -1
				if el != "" {
					var seen bool
					if ei, seen = elemIndex[el]; !seen {
						ei = len(b.elements)
						elemIndex[el] = ei
						b.elements = append(b.elements, el)
					}
				}
				b.qElem = append(b.qElem, ei)
				qVersion = append(qVersion, s.Version)
			} else if s.Version > qVersion[qi] {
				b.questions[qi].Text = q.Text // the newest version's wording wins
				qVersion[qi] = s.Version
			}
			d.ratings = append(d.ratings, rated{code: q.Code, q: qi, elem: b.qElem[qi], five: q.Type == survey.Rating5})
		}
		b.defs[defKey{s.ID, s.Version}] = d
	}
	b.sortElements()
	b.touched = make([]int, len(b.elements))
	b.overall = b.newAcc("", time.Time{})
	return b
}

func (b *Builder) newAcc(key string, start time.Time) *acc {
	return &acc{key: key, start: start, q: make([]counter, len(b.questions)), elemN: make([]int, len(b.elements))}
}

// Add counts one response.
func (b *Builder) Add(r *survey.Response) {
	if r == nil {
		return
	}
	t := &b.totals
	t.Responses++
	switch r.Status {
	case survey.StatusAbandoned:
		t.Abandoned++
	default:
		t.Complete++
	}
	if r.Misuse {
		t.Flagged++
	}
	k := defKey{r.SurveyID, r.SurveyVersion}
	d := b.lastDef
	if d == nil || k != b.lastKey {
		d = b.defs[k]
		if d == nil {
			t.Unknown++
			return
		}
		b.lastDef, b.lastKey = d, k
	}
	if r.Status == survey.StatusAbandoned && !b.opt.IncludeAbandoned {
		return
	}
	if r.Misuse && !b.opt.IncludeFlagged {
		return
	}
	t.Counted++
	if t.BySurvey == nil {
		t.BySurvey = make(map[string]int)
	}
	t.BySurvey[r.SurveyID]++
	b.groups(r)
	groups := [5]*acc{b.overall, b.cDay, b.cWeek, b.cMonth, b.cPoint}
	b.stamp++
	answered, allSat := false, true
	for _, q := range d.ratings {
		a := r.Answers[q.code]
		if len(a) == 0 {
			continue
		}
		sat, ok := ratingOf(a[0], q.five)
		if !ok {
			continue
		}
		answered = true
		allSat = allSat && sat == 1
		newElem := q.elem >= 0 && b.touched[q.elem] != b.stamp
		if newElem {
			b.touched[q.elem] = b.stamp
		}
		for _, g := range groups {
			c := &g.q[q.q]
			c.n++
			c.sat += sat
			if newElem {
				g.elemN[q.elem]++
			}
		}
	}
	for _, g := range groups {
		g.responses++
		if answered {
			g.rated++
			if allSat {
				g.satisfied++
			}
		}
	}
}

// ratingOf is the one rule for a rating answer: whether code counts
// towards the index (rating5 also knows the neutral and very dissatisfied
// codes), and 1 when it is satisfied.
func ratingOf(code string, five bool) (sat int, ok bool) {
	switch code {
	case survey.CodeVerySatisfied, survey.CodeSatisfied:
		return 1, true
	case survey.CodeNotSatisfied:
		return 0, true
	case survey.CodeNeutral, survey.CodeVeryDissatisfied:
		return 0, five
	}
	return 0, false
}

// groups points the cached period and service point groups at r's.
func (b *Builder) groups(r *survey.Response) { b.groupsAt(r.StartedAt, r.ServicePoint) }

// groupsAt points the cached period and service point groups at the
// groups of instant at and service point point.
func (b *Builder) groupsAt(at time.Time, point string) {
	b.periodsAt(at)
	if b.cPoint == nil || b.cPoint.key != point {
		b.cPoint = b.period(b.points, point, time.Time{})
	}
}

// periodsAt points the cached day, week and month groups at at's.
func (b *Builder) periodsAt(at time.Time) {
	if b.cDay == nil || at.Before(b.dayFrom) || !at.Before(b.dayTo) {
		local := at.In(b.loc)
		y, m, d := local.Date()
		b.dayFrom = time.Date(y, m, d, 0, 0, 0, 0, b.loc)
		b.dayTo = b.dayFrom.AddDate(0, 0, 1)
		b.cDay = b.period(b.days, b.dayFrom.Format("2006-01-02"), b.dayFrom)
		wd := (int(b.dayFrom.Weekday()) + 6) % 7 // Monday = 0
		monday := b.dayFrom.AddDate(0, 0, -wd)
		wy, wn := b.dayFrom.ISOWeek()
		b.cWeek = b.period(b.weeks, isoWeekKey(wy, wn), monday)
		first := time.Date(y, m, 1, 0, 0, 0, 0, b.loc)
		b.cMonth = b.period(b.months, first.Format("2006-01"), first)
	}
}

func (b *Builder) period(m map[string]*acc, key string, start time.Time) *acc {
	g := m[key]
	if g == nil {
		g = b.newAcc(key, start)
		m[key] = g
	}
	return g
}

func isoWeekKey(year, week int) string {
	buf := make([]byte, 0, 8)
	buf = appendInt(buf, year, 4)
	buf = append(buf, '-', 'W')
	buf = appendInt(buf, week, 2)
	return string(buf)
}

func appendInt(buf []byte, v, width int) []byte {
	var tmp [8]byte
	i := len(tmp)
	for v > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	for pad := width - (len(tmp) - i); pad > 0; pad-- {
		buf = append(buf, '0')
	}
	return append(buf, tmp[i:]...)
}

// sortElements puts the SIPAS elements in the order the method lists them
// (survey.SIPASElements), others after in order of appearance, and renumbers
// the questions' element indexes to match.
func (b *Builder) sortElements() {
	rank := func(e string) int {
		for i, k := range survey.SIPASElements() {
			if k == e {
				return i
			}
		}
		return len(survey.SIPASElements())
	}
	old := append([]string(nil), b.elements...)
	sort.SliceStable(b.elements, func(i, j int) bool { return rank(b.elements[i]) < rank(b.elements[j]) })
	remap := make([]int, len(old))
	for i, e := range old {
		for j, f := range b.elements {
			if e == f {
				remap[i] = j
			}
		}
	}
	for i, e := range b.qElem {
		if e >= 0 {
			b.qElem[i] = remap[e]
		}
	}
	for _, d := range b.defs {
		for i := range d.ratings {
			if e := d.ratings[i].elem; e >= 0 {
				d.ratings[i].elem = remap[e]
			}
		}
	}
}
