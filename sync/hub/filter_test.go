package hub

import (
	"reflect"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestFilterTerms(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, hanoi)
	tests := []struct {
		name string
		f    Filter
		want []FilterTerm
	}{
		{"everything", Filter{CountedFor: &report.Options{}}, nil},
		{"a period, in UTC", Filter{From: from, To: from.AddDate(0, 0, 1)}, []FilterTerm{
			{"started_at", ">=", from.UTC()}, {"started_at", "<", from.AddDate(0, 0, 1).UTC()}}},
		{"every field", Filter{SurveyID: "sipas", SurveyVersion: 2, ServicePoint: "Phường Cửa Nam", DeviceID: "d1",
			Status: survey.StatusAbandoned, EventTag: "kcn-2026"}, []FilterTerm{
			{"survey_id", "=", "sipas"}, {"survey_version", "=", 2}, {"service_point", "=", "Phường Cửa Nam"},
			{"device_id", "=", "d1"}, {"status", "=", "abandoned"}, {"event_tag", "=", "kcn-2026"}}},
	}
	for _, tt := range tests {
		if got := tt.f.Terms(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Terms() = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}
