package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// feedbackCase is a case numbered n from the service point sp.
func feedbackCase(t *testing.T, n int, sp string, cat feedback.Category) hub.FeedbackCase {
	t.Helper()
	code, err := feedback.NewCode(bytes.NewReader([]byte{byte(n), byte(n >> 8), 3, 4, 5}))
	if err != nil {
		t.Fatal(err)
	}
	c := hub.FeedbackCase{
		ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Code: code.Compact(), Category: string(cat),
		Text: fmt.Sprintf("Góp ý số %d", n), Source: "welcome", Lang: "vi", ServicePoint: sp, DeviceID: "dev-a",
		CreatedAt: t0.Add(time.Duration(n) * time.Minute), Signature: bytes.Repeat([]byte{7}, 64), State: hub.FeedbackNew,
	}
	if cat.Sealed() {
		c.Text, c.Sealed = "", bytes.Repeat([]byte{byte(n)}, 60)
	}
	c.Content = []byte("content of " + c.ID + c.Text)
	return c
}

func testFeedbackIngest(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a := feedbackCase(t, 1, "Phường Hoàn Kiếm", feedback.CategoryProcedure)
	b := feedbackCase(t, 2, "Phường Cửa Nam", feedback.CategoryMisconduct)
	changed := a
	changed.Content = []byte("other content")
	sameCode := feedbackCase(t, 3, "Phường Hoàn Kiếm", feedback.CategoryOther)
	sameCode.Code = a.Code
	outs, err := s.IngestFeedback(ctx, []hub.FeedbackCase{a, b, a, changed, sameCode}, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []protocol.Outcome{protocol.Accepted, protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Conflict}
	if fmt.Sprint(outs) != fmt.Sprint(want) {
		t.Fatalf("outcomes %v, want %v", outs, want)
	}
	if outs, err := s.IngestFeedback(ctx, []hub.FeedbackCase{b}, t0.Add(time.Hour)); err != nil || outs[0] != protocol.Duplicate {
		t.Fatalf("redelivery: %v, %v", outs, err)
	}
	got, err := s.FeedbackCase(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Code != a.Code || got.Text != a.Text || got.ServicePoint != a.ServicePoint || !got.CreatedAt.Equal(a.CreatedAt) ||
		!got.ReceivedAt.Equal(t0) || got.State != hub.FeedbackNew || !bytes.Equal(got.Content, a.Content) ||
		!bytes.Equal(got.Signature, a.Signature) || got.Sealed != nil || !got.AckAt.IsZero() || got.Public {
		t.Fatalf("stored case %+v, want %+v", got, a)
	}
	byCode, err := s.FeedbackCase(ctx, b.Code)
	if err != nil || byCode.ID != b.ID || !bytes.Equal(byCode.Sealed, b.Sealed) || byCode.Text != "" {
		t.Fatalf("case by code: %+v, %v", byCode, err)
	}
	if _, err := s.FeedbackCase(ctx, "ZZZZZZZZ"); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("unknown case: %v, want ErrNotFound", err)
	}
	yes, no := true, false
	for _, tc := range []struct {
		f    hub.FeedbackFilter
		want []string
	}{
		{hub.FeedbackFilter{}, []string{b.ID, a.ID}},
		{hub.FeedbackFilter{Sealed: &yes}, []string{b.ID}},
		{hub.FeedbackFilter{Sealed: &no}, []string{a.ID}},
		{hub.FeedbackFilter{ServicePoint: "Phường Cửa Nam"}, []string{b.ID}},
		{hub.FeedbackFilter{State: hub.FeedbackAnswered}, nil},
	} {
		list, err := s.FeedbackCases(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("FeedbackCases(%+v) = %v, want %v", tc.f, ids, tc.want)
		}
	}
}

func testFeedbackUpdate(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a := feedbackCase(t, 1, "Phường Hoàn Kiếm", feedback.CategoryProcedure)
	if _, err := s.IngestFeedback(ctx, []hub.FeedbackCase{a}, t0); err != nil {
		t.Fatal(err)
	}
	ptr := func(s hub.FeedbackState) *hub.FeedbackState { return &s }
	str := func(s string) *string { return &s }
	yes := true
	t1, t2, t3 := t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)
	c, err := s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{Assignee: str("Chị Lan"), At: t1})
	if err != nil || c.Assignee != "Chị Lan" || !c.AckAt.Equal(t1) || c.State != hub.FeedbackNew {
		t.Fatalf("assign: %+v, %v", c, err)
	}
	if _, err := s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{State: ptr(hub.FeedbackAnswered), At: t2}); !errors.Is(err, hub.ErrInvalidFeedback) {
		t.Fatalf("answered without a reply: %v, want ErrInvalidFeedback", err)
	}
	if _, err := s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{State: ptr("lost"), At: t2}); !errors.Is(err, hub.ErrInvalidFeedback) {
		t.Fatalf("unknown state: %v, want ErrInvalidFeedback", err)
	}
	c, err = s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{State: ptr(hub.FeedbackAnswered), Reply: str("Đã rút gọn hồ sơ."), Public: &yes, At: t2})
	if err != nil || c.State != hub.FeedbackAnswered || !c.AnsweredAt.Equal(t2) || !c.AckAt.Equal(t1) || !c.Public {
		t.Fatalf("answer: %+v, %v", c, err)
	}
	c, err = s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{State: ptr(hub.FeedbackClosed), At: t3})
	if err != nil || !c.AnsweredAt.Equal(t2) || !c.UpdatedAt.Equal(t3) {
		t.Fatalf("close: %+v, %v", c, err)
	}
	got, err := s.FeedbackCase(ctx, a.Code)
	if err != nil || got.State != hub.FeedbackClosed || got.Reply != "Đã rút gọn hồ sơ." || !got.Public || !got.AnsweredAt.Equal(t2) || !got.AckAt.Equal(t1) {
		t.Fatalf("stored after updates: %+v, %v", got, err)
	}
	if _, err := s.UpdateFeedback(ctx, "01938a7e-0000-7000-8000-999999999999", hub.FeedbackUpdate{At: t3}); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("update of an unknown case: %v", err)
	}
	// Concurrent assignments apply one after the other: the case is
	// acknowledged once, at one of their times.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{Assignee: str(fmt.Sprint("cán bộ ", i)), At: t3.Add(time.Duration(i) * time.Minute)})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.FeedbackCase(ctx, a.ID); err != nil || !got.AckAt.Equal(t1) {
		t.Fatalf("after concurrent updates: %+v, %v", got, err)
	}
}

func testInspectionKey(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if _, err := s.InspectionKey(ctx, nil, t0); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("InspectionKey on a new store without a candidate: %v, want ErrNotFound", err)
	}
	first, err := s.InspectionKey(ctx, bytes.Repeat([]byte{1}, 32), t0)
	if err != nil || !bytes.Equal(first, bytes.Repeat([]byte{1}, 32)) {
		t.Fatalf("first InspectionKey: %x, %v", first, err)
	}
	again, err := s.InspectionKey(ctx, bytes.Repeat([]byte{2}, 32), t0)
	if err != nil || !bytes.Equal(again, first) {
		t.Fatalf("later InspectionKey changed the key: %x, %v", again, err)
	}
	// The slip key is another key.
	if k, err := s.SlipKey(ctx, nil, t0); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("SlipKey after InspectionKey: %x, %v; want ErrNotFound", k, err)
	}
}

func testInspectorRole(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if err := s.PutAdminAs(ctx, "thanh tra", bcryptHash(t, "ba"), hub.RoleInspector, t0); err != nil {
		t.Fatal(err)
	}
	if r, err := s.AdminRole(ctx, "thanh tra"); err != nil || r != hub.RoleInspector {
		t.Fatalf("AdminRole = %q, %v", r, err)
	}
}

// testFeedbackPurge: a purge with FeedbackBefore blanks the text and the
// sealed box of the cases received before the cut, in clear or sealed,
// and keeps the rows with their code, state, clocks, reply and public
// flag; a redelivery of a purged case is still a duplicate (a changed one
// a conflict); the count is in the result and the purge's audit entry,
// and a second purge counts nothing.
func testFeedbackPurge(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a := feedbackCase(t, 1, "Phường Hoàn Kiếm", feedback.CategoryProcedure)
	b := feedbackCase(t, 2, "Phường Hoàn Kiếm", feedback.CategoryMisconduct)
	c := feedbackCase(t, 3, "Phường Hoàn Kiếm", feedback.CategoryOther)
	cut := t0.Add(24 * time.Hour)
	if _, err := s.IngestFeedback(ctx, []hub.FeedbackCase{a, b}, cut.Add(-time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IngestFeedback(ctx, []hub.FeedbackCase{c}, cut); err != nil {
		t.Fatal(err)
	}
	answered, reply, yes := hub.FeedbackAnswered, "Đã rút gọn hồ sơ.", true
	t1 := cut.Add(time.Hour)
	if _, err := s.UpdateFeedback(ctx, a.ID, hub.FeedbackUpdate{State: &answered, Reply: &reply, Public: &yes, At: t1}); err != nil {
		t.Fatal(err)
	}
	before, err := s.FeedbackCase(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}

	now := cut.Add(30 * 24 * time.Hour)
	req := hub.PurgeRequest{FeedbackBefore: cut, Entry: hub.NewAuditEntry(now, "cli:root", hub.AuditPurge, "local", nil)}
	res, err := s.Purge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Feedback != 2 || res.Responses != 0 || res.Conflicts != 0 || res.Audit != 0 {
		t.Fatalf("Purge = %+v; want the texts of 2 feedback cases", res)
	}
	if d, _ := url.ParseQuery(res.Entry.Details); d.Get("feedback") != "2" || d.Get("feedback_before") != cut.Format(protocol.TimeFormat) || d.Has("responses") {
		t.Errorf("purge entry details %q", res.Entry.Details)
	}
	for _, orig := range []hub.FeedbackCase{a, b} {
		got, err := s.FeedbackCase(ctx, orig.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Text != "" || got.Sealed != nil || !got.Purged() || !got.TextPurgedAt.Equal(now) ||
			!bytes.Equal(got.Content, hub.PurgedContent(orig.Content)) {
			t.Errorf("case %d after purge: text %q, sealed %v, purged at %v, content %x", orig.CreatedAt.Minute(), got.Text, got.Sealed, got.TextPurgedAt, got.Content)
		}
		if got.ID != orig.ID || got.Category != orig.Category || got.ServicePoint != orig.ServicePoint || !got.ReceivedAt.Equal(cut.Add(-time.Millisecond)) || !got.CreatedAt.Equal(orig.CreatedAt) {
			t.Errorf("case %s lost more than its text: %+v", orig.Code, got)
		}
	}
	if got, err := s.FeedbackCase(ctx, a.ID); err != nil || got.State != hub.FeedbackAnswered || got.Reply != reply || !got.Public ||
		!got.AnsweredAt.Equal(before.AnsweredAt) || !got.AckAt.Equal(before.AckAt) || !got.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("the answered case after purge: %+v, %v; want its state, reply, public flag and clocks kept", got, err)
	}
	if got, err := s.FeedbackCase(ctx, c.ID); err != nil || got.Text != c.Text || got.Purged() || !bytes.Equal(got.Content, c.Content) {
		t.Errorf("the case received at the cut: %+v, %v; want it whole", got, err)
	}
	if all, err := s.FeedbackCases(ctx, hub.FeedbackFilter{}); err != nil || len(all) != 3 {
		t.Errorf("FeedbackCases after purge: %d, %v; want the 3 rows kept", len(all), err)
	}
	changed := a
	changed.Content = []byte("other content")
	if outs, err := s.IngestFeedback(ctx, []hub.FeedbackCase{a, b, changed}, now); err != nil ||
		fmt.Sprint(outs) != fmt.Sprint([]protocol.Outcome{protocol.Duplicate, protocol.Duplicate, protocol.Conflict}) {
		t.Errorf("redelivering purged cases: %v, %v; want duplicate, duplicate, conflict", outs, err)
	}
	req.Entry = hub.NewAuditEntry(now.Add(time.Hour), "cli:root", hub.AuditPurge, "local", nil)
	if again, err := s.Purge(ctx, req); err != nil || again.Feedback != 0 {
		t.Errorf("the same purge again = %+v, %v; want no case counted twice", again, err)
	}
	if got, err := s.FeedbackCase(ctx, a.ID); err != nil || !got.TextPurgedAt.Equal(now) {
		t.Errorf("a second purge moved the purge time: %+v, %v", got, err)
	}
}
