package launch

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestDeleteExpired on a real file: nothing goes while the setting keeps
// forever; with 30 days, the synced responses started more than 30 days
// ago go, the unsynced one of the same age and the recent synced ones stay.
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
	if n, err := deleteExpired(ctx, st, now); err != nil || n != 0 {
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
	if n, err := deleteExpired(ctx, st, now); err != nil || n != 2 {
		t.Fatalf("keeping 30 days: deleted %d, %v; want the 90- and 45-day-old synced ones", n, err)
	}
	for i, want := range []bool{false, true, false, true, true} {
		_, err := st.Response(ctx, ids[i])
		if got := err == nil; got != want {
			t.Errorf("response %d days old: kept %v, want %v (%v)", []int{90, 60, 45, 10, 1}[i], got, want, err)
		}
	}
}
