package launch

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// TestDeleteExpired on a real file: nothing goes while the setting keeps
// forever; with 30 days, the synced responses started more than 30 days
// ago go, the unsynced one of the same age and the recent synced ones stay;
// synced feedback cases go by the same setting.
func TestDeleteExpired(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	var ids []string
	for i, age := range []int{90, 60, 45, 10, 1} { // days before now
		start := now.AddDate(0, 0, -age)
		r := &survey.Response{ID: "019abcde-f012-7345-8678-00000000000" + string(rune('a'+i)), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
			Answers: survey.Answers{"q1": {survey.CodeSatisfied}}, StartedAt: start, FinishedAt: start.Add(time.Minute),
			ServicePoint: "Bộ phận Một cửa", DeviceID: "kiosk-01", Lang: "vi", Status: survey.StatusComplete}
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if err := st.MarkSynced(ctx, []string{ids[0], ids[2], ids[3], ids[4]}); err != nil { // ids[1] not synced
		t.Fatal(err)
	}
	fs := make([]*store.Feedback, 2)
	for i, age := range []int{45, 10} { // days before now, both synced
		code, err := feedback.NewCode(nil)
		if err != nil {
			t.Fatal(err)
		}
		fs[i] = &store.Feedback{ID: "019abcde-f012-7345-8678-0000000000f" + string(rune('a'+i)), Code: code, Category: feedback.CategoryProcedure,
			Text: "Phải nộp bản sao hai lần", Source: "welcome", Lang: "vi", ServicePoint: "Bộ phận Một cửa", DeviceID: "kiosk-01", CreatedAt: now.AddDate(0, 0, -age)}
		if err := st.SaveFeedback(ctx, fs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkFeedbackSynced(ctx, []string{fs[0].ID, fs[1].ID}); err != nil {
		t.Fatal(err)
	}
	if n, cases, err := deleteExpired(ctx, st, now); err != nil || n != 0 || cases != 0 {
		t.Fatalf("with the default setting: deleted %d, %v; want none", n, err)
	}
	c, err := settings.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepSyncedDays = 30
	if err := settings.Save(ctx, st, c); err != nil {
		t.Fatal(err)
	}
	if n, cases, err := deleteExpired(ctx, st, now); err != nil || n != 2 || cases != 1 {
		t.Fatalf("keeping 30 days: deleted %d responses, %d feedback cases, %v; want the 90- and 45-day-old synced responses and the 45-day-old case", n, cases, err)
	}
	if _, sy, _, err := st.FeedbackCounts(ctx); err != nil || sy != 1 {
		t.Errorf("synced feedback cases left: %d, %v; want the 10-day-old one", sy, err)
	}
	for i, want := range []bool{false, true, false, true, true} {
		_, err := st.Response(ctx, ids[i])
		if got := err == nil; got != want {
			t.Errorf("response %d days old: kept %v, want %v (%v)", []int{90, 60, 45, 10, 1}[i], got, want, err)
		}
	}
}
