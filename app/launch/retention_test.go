package launch

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// TestDeleteExpired on a real file: nothing goes while the setting keeps
// forever; with 30 days, the synced responses started more than 30 days
// ago go, the unsynced one of the same age and the recent synced ones stay;
// synced feedback cases and help requests go by the same setting, and a
// help request stays while open or while the hub lacks its resolution.
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
	// Help requests, 45 days old unless said: resolved and synced (goes);
	// resolved, the hub holding only the open state (stays); open, synced
	// open (stays); resolved and synced 10 days ago (stays).
	helpID := func(i int) string { return "019abcde-f012-7345-8678-0000000000c" + string(rune('a'+i)) }
	for i, age := range []int{45, 45, 45, 10} {
		at := now.AddDate(0, 0, -age)
		if err := st.RaiseHelp(ctx, &store.HelpRequest{ID: helpID(i), Source: help.SourceWelcome, Lang: "vi", ServicePoint: "Bộ phận Một cửa",
			DeviceID: "kiosk-01", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := st.MarkHelpSynced(ctx, []store.HelpSent{{ID: helpID(i)}}); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			continue
		}
		if err := st.ResolveHelp(ctx, helpID(i), help.NotPossible, help.ReasonLeft, "Ông về lấy CCCD", at.Add(5*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if i != 1 {
			if err := st.MarkHelpSynced(ctx, []store.HelpSent{{ID: helpID(i), Resolved: true}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if e, err := deleteExpired(ctx, st, now); err != nil || e != (expired{}) {
		t.Fatalf("with the default setting: deleted %+v, %v; want none", e, err)
	}
	c, err := settings.Load(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	c.KeepSyncedDays = 30
	if err := settings.Save(ctx, st, c); err != nil {
		t.Fatal(err)
	}
	if e, err := deleteExpired(ctx, st, now); err != nil || e != (expired{Responses: 2, Feedback: 1, Help: 1}) {
		t.Fatalf("keeping 30 days: deleted %+v, %v; want the 90- and 45-day-old synced responses, the 45-day-old case and the 45-day-old synced help request", e, err)
	}
	for i, want := range []error{store.ErrNotFound, store.ErrConflict, nil, store.ErrConflict} {
		// Resolving again tells a deleted request (not found) from a kept
		// one; the open one resolves.
		err := st.ResolveHelp(ctx, helpID(i), help.Helped, "", "", now)
		if !errors.Is(err, want) {
			t.Errorf("help request %d after retention: resolving gives %v, want %v", i, err, want)
		}
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
