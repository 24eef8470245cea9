package syncstore_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
	"github.com/hailong-kiosk/hailong/sync/client"
)

func TestOutboxOverRealStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out client.Outbox = syncstore.New(st)
	start := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 3 {
		id, _ := uuid.NewV7()
		r := &survey.Response{ID: id.String(), SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
			Answers:   survey.Answers{"chung": {survey.CodeSatisfied}},
			StartedAt: start.Add(time.Duration(i) * time.Minute), FinishedAt: start.Add(time.Duration(i)*time.Minute + 30*time.Second),
			ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-1", Lang: "vi", Status: survey.StatusComplete}
		if i == 0 {
			err = st.SaveSignedResponse(ctx, r, bytes.Repeat([]byte{1}, 64))
		} else {
			err = st.SaveResponse(ctx, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	pending, err := out.PendingAfter(ctx, 0, 10)
	if err != nil || len(pending) != 3 {
		t.Fatalf("PendingAfter = %d rows, %v", len(pending), err)
	}
	for i, o := range pending {
		if o.Response.ID != ids[i] || (i == 0) != (o.Signature != nil) || (i > 0 && o.Seq <= pending[i-1].Seq) {
			t.Errorf("row %d = seq %d id %s signature %x", i, o.Seq, o.Response.ID, o.Signature)
		}
		// The device's sequence number is what the item signs (protocol
		// version 2): dropping it would send every response as version 1.
		if n, err := st.DeviceSeq(ctx, o.Response.ID); err != nil || o.DeviceSeq != n || n != int64(i+1) {
			t.Errorf("row %d: device sequence %d, store has %d (%v), want %d", i, o.DeviceSeq, n, err, i+1)
		}
	}
	if rest, err := out.PendingAfter(ctx, pending[0].Seq, 10); err != nil || len(rest) != 2 || rest[0].Response.ID != ids[1] {
		t.Errorf("PendingAfter(first) = %d rows, %v", len(rest), err)
	}
	if err := out.MarkSyncedSeq(ctx, []int64{pending[0].Seq}); err != nil {
		t.Fatal(err)
	}
	if err := out.MarkRejected(ctx, ids[0], "invalid"); !errors.Is(err, client.ErrAlreadySynced) {
		t.Errorf("MarkRejected of a synced response = %v, want ErrAlreadySynced", err)
	}
	if err := out.MarkRejected(ctx, ids[1], "invalid"); err != nil {
		t.Errorf("MarkRejected = %v", err)
	}
	if err := out.MarkRejected(ctx, "019abcde-f012-7345-8678-9abcdef01234", "invalid"); !errors.Is(err, store.ErrNotFound) || errors.Is(err, client.ErrAlreadySynced) {
		t.Errorf("MarkRejected of an unknown id = %v", err)
	}
	if s, err := out.SyncStats(ctx); err != nil || s != (client.SyncStats{Pending: 1, Synced: 1, Rejected: 1}) {
		t.Errorf("SyncStats = %+v, %v", s, err)
	}

	raw, err := assets.Surveys.ReadFile("surveys/mot-cua-nhanh.json")
	if err != nil {
		t.Fatal(err)
	}
	changed := regexp.MustCompile(`"version": *[0-9]+`).ReplaceAll(raw, []byte(`"version": 77`))
	if bytes.Equal(changed, raw) {
		t.Fatal("test survey has no version to change")
	}
	if err := out.SaveSurvey(ctx, changed); err != nil {
		t.Fatalf("SaveSurvey = %v", err)
	}
	other := bytes.Replace(changed, []byte(`"id"`), []byte(` "id"`), 1)
	if err := out.SaveSurvey(ctx, other); !errors.Is(err, client.ErrSurveyConflict) {
		t.Errorf("SaveSurvey of a different definition of a stored version = %v, want ErrSurveyConflict", err)
	}
	if err := out.SaveSurvey(ctx, []byte("{")); err == nil || errors.Is(err, client.ErrSurveyConflict) {
		t.Errorf("SaveSurvey of a broken definition = %v", err)
	}
}
