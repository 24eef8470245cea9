package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func signedCase(t *testing.T, d *hubtest.Device, n int, cat feedback.Category, text string) protocol.FeedbackItem {
	t.Helper()
	code, err := feedback.NewCode(bytes.NewReader([]byte{byte(n), 2, 3, 4, 5}))
	if err != nil {
		t.Fatal(err)
	}
	c := protocol.FeedbackV1{
		ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Code: code.Compact(), Category: string(cat), Text: text,
		Source: "welcome", Lang: "vi", ServicePoint: "Phường Hoàn Kiếm", DeviceID: d.ID, CreatedAt: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC),
	}
	if cat.Sealed() {
		if c.Sealed, err = feedback.Seal(d.InspectionKey, text); err != nil {
			t.Fatal(err)
		}
		c.Text = ""
	}
	it, err := protocol.SignFeedback(d.Key, c)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func postFeedback(t *testing.T, s *hubtest.Server, d *hubtest.Device, items ...protocol.FeedbackItem) protocol.BatchResult {
	t.Helper()
	body, err := (&protocol.FeedbackBatch{Items: items}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	status, data := s.Post(t, d.Token, protocol.PathFeedback, body)
	if status != http.StatusOK {
		t.Fatalf("post feedback: %d %s", status, data)
	}
	var res protocol.BatchResult
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestFeedbackOverHTTP: cases reach a real hub once; a misconduct case is
// stored sealed and opens only with the hub's inspection key; bad cases are
// refused one by one.
func TestFeedbackOverHTTP(t *testing.T) {
	s := hubtest.Start(t)
	d := s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
	other := s.Enroll(t, "Kiosk 2", "Phường Hoàn Kiếm")
	if len(d.InspectionKey) != feedback.KeySize || !bytes.Equal(d.InspectionKey, other.InspectionKey) {
		t.Fatalf("inspection keys at enrollment: %x, %x", d.InspectionKey, other.InspectionKey)
	}
	open := signedCase(t, d, 1, feedback.CategoryProcedure, "Hồ sơ phải nộp hai lần")
	sealed := signedCase(t, d, 2, feedback.CategoryMisconduct, "Cán bộ đòi 200.000 đồng")
	badSig := signedCase(t, d, 3, feedback.CategoryOther, "Khác")
	badSig.Case.Text = "Đã sửa"
	foreign := signedCase(t, other, 4, feedback.CategoryOther, "Của máy khác")
	inClear := signedCase(t, d, 5, feedback.CategoryOther, "x")
	inClear.Case.Category = string(feedback.CategoryMisconduct)
	inClear, _ = protocol.SignFeedback(d.Key, inClear.Case)
	res := postFeedback(t, s, d, open, sealed, badSig, foreign, inClear)
	want := []string{"accepted/", "accepted/", "rejected/bad_signature", "rejected/device_mismatch", "rejected/invalid"}
	for i, r := range res.Results {
		if got := string(r.Outcome) + "/" + r.Reason; got != want[i] {
			t.Errorf("result %d: %s (%s), want %s", i, got, r.Message, want[i])
		}
	}
	if res := postFeedback(t, s, d, open, sealed); res.Results[0].Outcome != protocol.Duplicate || res.Results[1].Outcome != protocol.Duplicate {
		t.Fatalf("sent again: %+v", res)
	}
	ctx := context.Background()
	list, err := s.Store.FeedbackCases(ctx, hub.FeedbackFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("stored %d cases, %v; want 2", len(list), err)
	}
	c, err := s.Store.FeedbackCase(ctx, sealed.Case.Code)
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "" || bytes.Contains(c.Sealed, []byte("200.000")) {
		t.Fatalf("the misconduct case is stored in clear: %+v", c)
	}
	if text, err := s.Hub.OpenFeedback(ctx, c); err != nil || text != "Cán bộ đòi 200.000 đồng" {
		t.Fatalf("OpenFeedback = %q, %v", text, err)
	}
	// A batch of nothing, or with a field the protocol lacks, is refused whole.
	if status, _ := s.Post(t, d.Token, protocol.PathFeedback, []byte(`{"items":[]}`)); status != http.StatusBadRequest {
		t.Fatalf("empty batch: %d", status)
	}
	if status, _ := s.Post(t, "hl1_nobody", protocol.PathFeedback, []byte(`{"items":[]}`)); status != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", status)
	}
}

func TestApplyFeedbackUpdate(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	st := func(s hub.FeedbackState) *hub.FeedbackState { return &s }
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name          string
		start         hub.FeedbackCase
		u             hub.FeedbackUpdate
		ack, answered bool
		wantErr       bool
		wantState     hub.FeedbackState
	}{
		{"assign acknowledges", hub.FeedbackCase{State: hub.FeedbackNew}, hub.FeedbackUpdate{Assignee: str("An")}, true, false, false, hub.FeedbackNew},
		{"in progress acknowledges", hub.FeedbackCase{State: hub.FeedbackNew}, hub.FeedbackUpdate{State: st(hub.FeedbackInProgress)}, true, false, false, hub.FeedbackInProgress},
		{"a public mark alone does not", hub.FeedbackCase{State: hub.FeedbackNew}, hub.FeedbackUpdate{}, false, false, false, hub.FeedbackNew},
		{"answer with reply", hub.FeedbackCase{State: hub.FeedbackInProgress}, hub.FeedbackUpdate{State: st(hub.FeedbackAnswered), Reply: str("Đã xử lý")}, true, true, false, hub.FeedbackAnswered},
		{"answer without reply", hub.FeedbackCase{State: hub.FeedbackInProgress}, hub.FeedbackUpdate{State: st(hub.FeedbackAnswered)}, false, false, true, ""},
		{"close unanswered", hub.FeedbackCase{State: hub.FeedbackNew}, hub.FeedbackUpdate{State: st(hub.FeedbackClosed)}, true, false, false, hub.FeedbackClosed},
		{"unknown state", hub.FeedbackCase{State: hub.FeedbackNew}, hub.FeedbackUpdate{State: st("lost")}, false, false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.start
			tc.u.At = t0
			err := hub.ApplyFeedbackUpdate(&c, tc.u)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if c.State != tc.wantState || c.AckAt.Equal(t0) != tc.ack || c.AnsweredAt.Equal(t0) != tc.answered {
				t.Fatalf("case %+v: want state %s ack %v answered %v", c, tc.wantState, tc.ack, tc.answered)
			}
		})
	}
}

func TestFeedbackDeadlinesAndFigures(t *testing.T) {
	r := hub.DefaultFeedbackRules()
	r.AnswerDays = 2
	ict := time.FixedZone("ICT", 7*3600)
	local := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, ict)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	// Received Friday 4 December 2026 at 16:00: acknowledge by Monday 16:00,
	// answer by Tuesday 16:00.
	recv := local("2026-12-04 16:00")
	for _, tc := range []struct {
		name                string
		c                   hub.FeedbackCase
		now                 string
		ackLate, answerLate bool
	}{
		{"fresh", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackNew}, "2026-12-07 15:59", false, false},
		{"not acknowledged", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackNew}, "2026-12-07 16:01", true, false},
		{"acknowledged in time", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackInProgress, AckAt: local("2026-12-07 09:00")}, "2026-12-08 15:00", false, false},
		{"not answered", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackInProgress, AckAt: local("2026-12-07 09:00")}, "2026-12-08 16:01", false, true},
		{"answered late", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackAnswered, AckAt: local("2026-12-08 09:00"), AnsweredAt: local("2026-12-09 08:30")}, "2026-12-10 08:00", true, true},
		{"closed unanswered is not late to answer", hub.FeedbackCase{ReceivedAt: recv, State: hub.FeedbackClosed, AckAt: local("2026-12-07 08:00")}, "2026-12-20 08:00", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := r.Deadlines(&tc.c, local(tc.now))
			if !d.AckBy.Equal(local("2026-12-07 16:00")) || !d.AnswerBy.Equal(local("2026-12-08 16:00")) {
				t.Fatalf("deadlines %s, %s", d.AckBy.In(ict), d.AnswerBy.In(ict))
			}
			if d.AckLate != tc.ackLate || d.AnswerLate != tc.answerLate {
				t.Fatalf("late: ack %v answer %v, want %v %v", d.AckLate, d.AnswerLate, tc.ackLate, tc.answerLate)
			}
		})
	}
	cases := []hub.FeedbackCase{
		{ServicePoint: "B", ReceivedAt: recv, AnsweredAt: local("2026-12-07 09:00"), State: hub.FeedbackAnswered}, // 2 working hours
		{ServicePoint: "B", ReceivedAt: recv, AnsweredAt: local("2026-12-07 13:00"), State: hub.FeedbackAnswered}, // 5 h
		{ServicePoint: "B", ReceivedAt: recv, AnsweredAt: local("2026-12-09 09:00"), State: hub.FeedbackClosed},   // 18 h, late
		{ServicePoint: "B", ReceivedAt: recv, State: hub.FeedbackNew},
		{ServicePoint: "A", ReceivedAt: recv, State: hub.FeedbackNew},
	}
	got := r.FeedbackFigures(cases, local("2026-12-10 08:00"))
	want := []hub.FeedbackFigure{
		{ServicePoint: "A", Received: 1},
		{ServicePoint: "B", Received: 4, Answered: 3, OnTime: 2, MedianAnswer: 5 * time.Hour},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("figures %+v, want %+v", got, want)
	}
}
