package web

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// filterForm is the dashboard's and the export API's query: the filters of
// `hailong-hub export`, under the same names with "_" for "-". Dates are
// days in Asia/Ho_Chi_Minh, both ends included.
type filterForm struct {
	From, To     string // YYYY-MM-DD
	Survey       string // id or id@version
	ServicePoint string
	Device       string // device id
	Event        string // outreach event tag
	Status       string // "", complete, abandoned
}

// filterParams are the query parameters of filterForm, in the order the
// forms show them.
var filterParams = []string{"from", "to", "survey", "service_point", "device", "event", "status"}

// formProblem is what is wrong with a filter form: a key of the web area
// and its arguments, shown in the page's language (text).
type formProblem struct {
	key  string
	args []any // name, value pairs
}

// Error is the problem in Vietnamese, the default language.
func (p *formProblem) Error() string {
	c, _ := i18n.Shared("web")
	return (&texts{lang: "vi", web: c.In("vi")}).T(p.key, p.args...)
}

func problem(key string, args ...any) error { return &formProblem{key, args} }

// text is err in x's language: a formProblem's text, else err's own.
func (x *texts) text(err error) string {
	var p *formProblem
	if errors.As(err, &p) {
		return x.T(p.key, p.args...)
	}
	return err.Error()
}

// formOf reads the filters of q and refuses a parameter not
// in allowed (a misspelt "service-point" must not silently export every
// row) or given twice.
func formOf(q url.Values, allowed ...string) (filterForm, error) {
	var unknown []string
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
			continue
		}
		if len(vs) > 1 {
			return filterForm{}, problem("web.filter.twice", "Name", strconv.Quote(k), "Count", len(vs))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return filterForm{}, problem("web.filter.unknown", "Names", strings.Join(unknown, ", "), "Allowed", strings.Join(allowed, ", "))
	}
	get := func(k string) string { return strings.TrimSpace(norm.NFC.String(q.Get(k))) }
	return filterForm{From: get("from"), To: get("to"), Survey: get("survey"),
		ServicePoint: get("service_point"), Device: get("device"), Event: get("event"), Status: get("status")}, nil
}

// query encodes the form back, leaving out empty fields.
func (f filterForm) query() url.Values {
	q := url.Values{}
	for i, v := range []string{f.From, f.To, f.Survey, f.ServicePoint, f.Device, f.Event, f.Status} {
		if v != "" {
			q.Set(filterParams[i], v)
		}
	}
	return q
}

// filter turns the form into a store filter, or a formProblem that an
// admin understands.
func (f filterForm) filter() (hub.Filter, error) {
	var out hub.Filter
	loc := survey.Location()
	day := func(s, key string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return time.Time{}, problem(key, "Day", strconv.Quote(s))
		}
		return t, nil
	}
	var err error
	if f.From != "" {
		if out.From, err = day(f.From, "web.filter.bad_from"); err != nil {
			return out, err
		}
	}
	if f.To != "" {
		var to time.Time
		if to, err = day(f.To, "web.filter.bad_to"); err != nil {
			return out, err
		}
		out.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if !out.From.IsZero() && !out.To.IsZero() && !out.From.Before(out.To) {
		return out, problem("web.filter.order")
	}
	if f.Survey != "" {
		id, ver, found := strings.Cut(f.Survey, "@")
		if id == "" {
			return out, problem("web.filter.survey_id", "Survey", strconv.Quote(f.Survey))
		}
		out.SurveyID = id
		if found {
			if out.SurveyVersion, err = strconv.Atoi(ver); err != nil || out.SurveyVersion < 1 {
				return out, problem("web.filter.survey_version", "Version", strconv.Quote(ver))
			}
		}
	}
	out.ServicePoint = f.ServicePoint
	out.DeviceID = f.Device
	out.EventTag = f.Event
	switch survey.Status(f.Status) {
	case "", survey.StatusComplete, survey.StatusAbandoned:
		out.Status = survey.Status(f.Status)
	default:
		return out, problem("web.filter.status", "Status", strconv.Quote(f.Status))
	}
	return out, nil
}

// fold is s for searching: lower case, without Vietnamese diacritics
// ("Phường Ba Đình" → "phuong ba dinh").
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// matchPoint resolves what an admin typed in the service-point box against
// the points the hub knows, ignoring case and diacritics: an exact name
// wins, then a folded equal name, then the only name containing the folded
// text. It returns the matches when there is no single one.
func matchPoint(typed string, known []string) (string, []string) {
	if typed == "" || slices.Contains(known, typed) {
		return typed, nil
	}
	t := fold(typed)
	var equal, within []string
	for _, k := range known {
		switch fk := fold(k); {
		case fk == t:
			equal = append(equal, k)
		case strings.Contains(fk, t):
			within = append(within, k)
		}
	}
	switch {
	case len(equal) == 1:
		return equal[0], nil
	case len(equal) > 1:
		return "", equal
	case len(within) == 1:
		return within[0], nil
	}
	return "", within
}
