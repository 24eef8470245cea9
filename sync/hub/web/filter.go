package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// filterForm is the dashboard's and the export API's query: dates are days
// in Asia/Ho_Chi_Minh, both ends included.
type filterForm struct {
	From, To     string // YYYY-MM-DD
	Survey       string // id or id@version
	ServicePoint string
	Status       string // "", complete, abandoned
}

func formOf(q url.Values) filterForm {
	get := func(k string) string { return strings.TrimSpace(norm.NFC.String(q.Get(k))) }
	return filterForm{From: get("from"), To: get("to"), Survey: get("survey"),
		ServicePoint: get("service_point"), Status: get("status")}
}

// query encodes the form back, leaving out empty fields.
func (f filterForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"from": f.From, "to": f.To, "survey": f.Survey,
		"service_point": f.ServicePoint, "status": f.Status} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// filter turns the form into a store filter, or an error in Vietnamese that
// an admin understands.
func (f filterForm) filter() (hub.Filter, error) {
	var out hub.Filter
	loc := survey.Location()
	day := func(s, what string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s %q không hợp lệ: nhập theo dạng NNNN-TT-NN, ví dụ 2026-11-25", what, s)
		}
		return t, nil
	}
	var err error
	if f.From != "" {
		if out.From, err = day(f.From, "Ngày bắt đầu"); err != nil {
			return out, err
		}
	}
	if f.To != "" {
		var to time.Time
		if to, err = day(f.To, "Ngày kết thúc"); err != nil {
			return out, err
		}
		out.To = to.AddDate(0, 0, 1) // the whole last day
	}
	if !out.From.IsZero() && !out.To.IsZero() && !out.From.Before(out.To) {
		return out, fmt.Errorf("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc")
	}
	if f.Survey != "" {
		id, ver, found := strings.Cut(f.Survey, "@")
		out.SurveyID = id
		if found {
			if out.SurveyVersion, err = strconv.Atoi(ver); err != nil || out.SurveyVersion < 1 {
				return out, fmt.Errorf("Phiên bản khảo sát %q không hợp lệ", ver)
			}
		}
	}
	out.ServicePoint = f.ServicePoint
	switch survey.Status(f.Status) {
	case "", survey.StatusComplete, survey.StatusAbandoned:
		out.Status = survey.Status(f.Status)
	default:
		return out, fmt.Errorf("Trạng thái %q không hợp lệ (complete hoặc abandoned)", f.Status)
	}
	return out, nil
}

//lint:file-ignore ST1005 these errors are Vietnamese sentences the dashboard shows as they are (until the hub's texts move to the translation catalog)
