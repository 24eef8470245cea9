package store_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

func TestSaveResponseRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	r.Misuse, r.MisuseReason = true, "bắt đầu lại sau 2 giây"
	r.EventTag, r.Assisted = "KCN Thăng Long – ca sáng", true
	r.Status = survey.StatusAbandoned
	mustSave(t, s, r)

	got, err := s.Response(ctx, r.ID)
	if err != nil {
		t.Fatalf("Response: %v", err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, r)
	}
	if got.StartedAt.Location() != time.UTC {
		t.Errorf("StartedAt location %v, want UTC", got.StartedAt.Location())
	}
}

func TestSaveResponseNormalisesToNFC(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	nfc := "Trung tâm Phục vụ hành chính công – Hoàn Kiếm"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("test text has no decomposable characters")
	}
	r.ServicePoint = nfd
	r.Answers["comment"] = []string{norm.NFD.String("Tôi rất hài lòng")}
	// Times in another zone are stored in UTC.
	r.StartedAt = r.StartedAt.In(survey.Location())
	mustSave(t, s, r)

	got, err := s.Response(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ServicePoint != nfc {
		t.Errorf("ServicePoint = %+q, want NFC %+q", got.ServicePoint, nfc)
	}
	if c := got.Answers["comment"][0]; c != "Tôi rất hài lòng" || !norm.NFC.IsNormalString(c) {
		t.Errorf("comment = %+q, want NFC", c)
	}
	if !got.StartedAt.Equal(r.StartedAt) || got.StartedAt.Location() != time.UTC {
		t.Errorf("StartedAt = %v, want %v in UTC", got.StartedAt, r.StartedAt)
	}
	if r.ServicePoint != nfd {
		t.Error("SaveResponse modified its argument")
	}
	// The NFC spelling of the same content is the same response.
	r.ServicePoint = nfc
	if err := s.SaveResponse(ctx, r); err != nil {
		t.Errorf("re-save in NFC: %v", err)
	}
}

func TestSaveResponseIdempotentAndConflict(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	mustSave(t, s, r)
	again := *r
	if err := s.SaveResponse(ctx, &again); err != nil {
		t.Fatalf("identical re-save: %v", err)
	}
	if err := s.MarkSynced(ctx, []string{r.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveResponse(ctx, &again); err != nil {
		t.Fatalf("identical re-save after sync: %v", err)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Synced: 1}) {
		t.Errorf("re-save changed sync state: %+v", st)
	}

	changes := map[string]func(r *survey.Response){
		"answer":   func(r *survey.Response) { r.Answers = survey.Answers{"q1": {survey.CodeNotSatisfied}} },
		"finished": func(r *survey.Response) { r.FinishedAt = r.FinishedAt.Add(time.Nanosecond) },
		"status":   func(r *survey.Response) { r.Status = survey.StatusAbandoned },
		"misuse":   func(r *survey.Response) { r.Misuse = true },
		"service":  func(r *survey.Response) { r.ServicePoint = "Khác" },
		"multi order": func(r *survey.Response) {
			r.Answers = survey.Answers{"q1": {"hl"}, "q2": {"b", "a"}, "comment": r.Answers["comment"]}
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			c := *r
			change(&c)
			err := s.SaveResponse(ctx, &c)
			if !errors.Is(err, store.ErrConflict) {
				t.Fatalf("SaveResponse = %v, want ErrConflict", err)
			}
			if !strings.Contains(err.Error(), r.ID) {
				t.Errorf("error %q does not name the id", err)
			}
		})
	}
	got, err := s.Response(ctx, r.ID)
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("stored response changed by conflicts: %+v, %v", got, err)
	}
}

func TestSaveResponseInvalid(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	tests := []struct {
		name   string
		change func(r *survey.Response)
		want   string
	}{
		{"empty id", func(r *survey.Response) { r.ID = "" }, "not a UUID"},
		{"not uuid", func(r *survey.Response) { r.ID = "phiếu-1" }, "not a UUID"},
		{"upper case uuid", func(r *survey.Response) { r.ID = strings.ToUpper(r.ID) }, "lower-case"},
		{"braced uuid", func(r *survey.Response) { r.ID = "{" + r.ID + "}" }, "canonical"},
		{"no survey", func(r *survey.Response) { r.SurveyID = "" }, "survey_id is empty"},
		{"version 0", func(r *survey.Response) { r.SurveyVersion = 0 }, "survey_version 0"},
		{"status", func(r *survey.Response) { r.Status = "done" }, `status "done" is neither`},
		{"empty status", func(r *survey.Response) { r.Status = "" }, "neither complete"},
		{"no start", func(r *survey.Response) { r.StartedAt = time.Time{} }, "must both be set"},
		{"no finish", func(r *survey.Response) { r.FinishedAt = time.Time{} }, "must both be set"},
		{"reversed", func(r *survey.Response) { r.FinishedAt = r.StartedAt.Add(-time.Second) }, "finished_at is before started_at"},
		{"year 10000", func(r *survey.Response) { r.FinishedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "outside years"},
		{"bad utf-8 service point", func(r *survey.Response) { r.ServicePoint = "M\xf4t c\xfaa" }, "service_point: the text is not valid UTF-8"},
		{"bad utf-8 comment", func(r *survey.Response) { r.Answers["comment"] = []string{"ok", "\xff"} }, "answers[comment]: the text is not valid UTF-8"},
		{"bad utf-8 code", func(r *survey.Response) { r.Answers["\xc3"] = []string{"hl"} }, "question code is not valid UTF-8"},
		// The hub's limits (survey.CheckResponse): a kiosk must not save
		// what it can never send.
		{"long service point", func(r *survey.Response) { r.ServicePoint = strings.Repeat("Phường ", 40) }, "service_point: the text is 280 characters long, at most 200"},
		{"long event tag", func(r *survey.Response) { r.EventTag = strings.Repeat("ư", 201) }, "event_tag"},
		{"no lang", func(r *survey.Response) { r.Lang = "" }, "lang is empty"},
		{"long comment", func(r *survey.Response) { r.Answers["comment"] = []string{strings.Repeat("a", 4001)} }, "answers[comment]: the text is 4001 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResponse(t, 0)
			tt.change(r)
			err := s.SaveResponse(ctx, r)
			if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("SaveResponse = %v, want ErrInvalid mentioning %q", err, tt.want)
			}
		})
	}
	if err := s.SaveResponse(ctx, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SaveResponse(nil) = %v, want ErrInvalid", err)
	}
	if c, err := s.Counts(ctx, time.Time{}); err != nil || c.Total != 0 {
		t.Errorf("invalid responses were stored: %+v, %v", c, err)
	}
}

func TestSaveResponseEmptyAnswersAndZeroDuration(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	r.Answers = nil
	r.FinishedAt = r.StartedAt
	r.Status = survey.StatusAbandoned
	mustSave(t, s, r)
	got, err := s.Response(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers == nil || len(got.Answers) != 0 || !got.FinishedAt.Equal(r.FinishedAt) {
		t.Errorf("got %+v", got)
	}
	// nil and empty answers are the same content.
	r.Answers = survey.Answers{}
	if err := s.SaveResponse(ctx, r); err != nil {
		t.Errorf("re-save with empty answers: %v", err)
	}
}

func TestResponseNotFound(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.Response(ctx, "0190a5e0-0000-7000-8000-000000000000"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Response = %v, want ErrNotFound", err)
	}
	if _, err := s.LastResponse(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LastResponse on empty store = %v, want ErrNotFound", err)
	}
}

func TestLastResponse(t *testing.T) {
	ctx := context.Background()
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	resp := func(start, finish time.Time) *survey.Response {
		r := newResponse(t, 0)
		r.StartedAt, r.FinishedAt = start, finish
		return r
	}
	tests := []struct {
		name string
		rs   []*survey.Response
		want int // index of the expected last response
	}{
		{"one", []*survey.Response{resp(at(0), at(1))}, 0},
		{"latest start", []*survey.Response{resp(at(0), at(1)), resp(at(5), at(6)), resp(at(3), at(4))}, 1},
		{"started earlier, finished last", []*survey.Response{resp(at(0), at(1)), resp(at(5), at(6)), resp(at(3), at(7))}, 2},
		{"long one saved first", []*survey.Response{resp(at(-600), at(60)), resp(at(50), at(51)), resp(at(55), at(56))}, 0},
		{"long one saved last", []*survey.Response{resp(at(50), at(51)), resp(at(55), at(56)), resp(at(-600), at(60))}, 2},
		{"just outside the longest duration", []*survey.Response{resp(at(0), at(10)), resp(at(20), at(21))}, 1},
		{"centuries long", []*survey.Response{resp(time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), at(100)), resp(at(50), at(51))}, 0},
		{"zero durations", []*survey.Response{resp(at(5), at(5)), resp(at(4), at(4))}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openTest(t)
			mustSave(t, s, tt.rs...)
			got, err := s.LastResponse(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.rs[tt.want].ID {
				t.Errorf("LastResponse = %s, want response %d (%s)", got.ID, tt.want, tt.rs[tt.want].ID)
			}
			// Same answer after reopening.
			s.Close()
			s2, err := store.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if got, err := s2.LastResponse(ctx); err != nil || got.ID != tt.rs[tt.want].ID {
				t.Errorf("after reopen LastResponse = %v, %v", got, err)
			}
		})
	}
}

func TestSaveResponseCancelled(t *testing.T) {
	s, _ := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newResponse(t, 0)
	if err := s.SaveResponse(ctx, r); !errors.Is(err, context.Canceled) {
		t.Errorf("SaveResponse with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := s.Response(context.Background(), r.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a cancelled save was stored: %v", err)
	}
	mustSave(t, s, r) // the store still works
}

// FuzzSaveResponse saves responses with arbitrary text and checks that a
// saved response reads back as its NFC form, and that anything else is
// refused with ErrInvalid and leaves nothing behind.
func FuzzSaveResponse(f *testing.F) {
	f.Add("Bộ phận Một cửa", "q1", "hl", "Tôi rất hài lòng", "KCN Thăng Long – ca sáng", int64(42_000))
	f.Add(norm.NFD.String("Hoàn Kiếm"), "y_kien", "", "\x00nul", "", int64(0))
	f.Add("\xff", "q", "hl", "x", "", int64(1))
	f.Add("", "", "", "", "", int64(-1))
	s, _ := openTest(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, servicePoint, code, answer, comment, event string, durationNs int64) {
		r := newResponse(t, 0)
		r.ServicePoint, r.EventTag = servicePoint, event
		r.Answers = survey.Answers{code: {answer}, "comment": {comment}}
		r.FinishedAt = r.StartedAt.Add(time.Duration(durationNs))
		err := s.SaveResponse(ctx, r)
		if err != nil {
			if !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("SaveResponse = %v, want nil or ErrInvalid", err)
			}
			if _, err := s.Response(ctx, r.ID); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("refused response was stored: %v", err)
			}
			return
		}
		got, err := s.Response(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *r
		want.ServicePoint, want.EventTag = norm.NFC.String(servicePoint), norm.NFC.String(event)
		want.Answers = survey.Answers{}
		for q, a := range r.Answers {
			want.Answers[norm.NFC.String(q)] = []string{norm.NFC.String(a[0])}
		}
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, &want)
		}
		if err := s.SaveResponse(ctx, r); err != nil {
			t.Fatalf("identical re-save: %v", err)
		}
	})
}

// TestRoundTripOddText saves text holding separators,
// digits, NUL bytes and JSON escapes and reads it back through Response,
// Responses and Pending.
func TestRoundTripOddText(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	r := newResponse(t, 0)
	r.ServicePoint = "12,3;\x00 Phường \"Ba Đình\""
	r.EventTag = ";"
	r.MisuseReason = "\\u0041\n"
	r.Misuse, r.Assisted = true, true
	r.Answers = survey.Answers{"a,b": {"x\"y", "<&>", "\u2028"}, "n": nil, "e": {}, "y_kien": {"Cán bộ\tnhiệt tình"}}
	if err := s.SaveResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Response(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("Response:\n got %#v\nwant %#v", got, r)
	}
	for got, err := range s.Responses(ctx, store.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("Responses:\n got %#v\nwant %#v", got, r)
		}
	}
	pending, err := s.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || !reflect.DeepEqual(pending[0], r) {
		t.Fatalf("Pending: got %#v", pending)
	}
}
