package store

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// contentHashRef is contentHash as first written, through fmt: stored
// rows carry hashes made this way, so contentHash must give the same.
func contentHashRef(rec *record) string {
	r := &rec.r
	h := sha256.New()
	for _, f := range []string{
		r.ID, r.SurveyID, fmt.Sprint(r.SurveyVersion), rec.answers,
		formatTime(r.StartedAt), formatTime(r.FinishedAt), r.ServicePoint, r.DeviceID, r.Lang,
		string(r.Status), fmt.Sprint(r.Misuse), r.MisuseReason, r.EventTag, fmt.Sprint(r.Assisted),
	} {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestContentHashUnchanged(t *testing.T) {
	start := time.Date(2026, 11, 25, 3, 4, 5, 123456789, time.UTC)
	base := survey.Response{
		ID: "019abcde-f012-7345-8678-9abcdef01234", SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers:   survey.Answers{"chung": {"hl"}, "y_kien": {"Cán bộ nhiệt tình; 1:2"}},
		StartedAt: start, FinishedAt: start.Add(42 * time.Second),
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", Lang: "vi", Status: survey.StatusComplete,
	}
	flagged := base
	flagged.SurveyVersion, flagged.Misuse, flagged.MisuseReason, flagged.Assisted, flagged.EventTag = 12, true, "bấm liên tục", true, "KCN Thăng Long – ca sáng"
	empty := base
	empty.Answers, empty.ServicePoint, empty.Status = nil, "", survey.StatusAbandoned
	for name, r := range map[string]survey.Response{"plain": base, "flags": flagged, "empty": empty} {
		rec, err := newRecord(&r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := contentHashRef(rec); rec.hash != want {
			t.Errorf("%s: content hash %s, stored rows have %s", name, rec.hash, want)
		}
	}
}
