// Package storetest is the conformance suite every hub.Store implementation
// must pass (sync/hub/sqlite and sync/hub/postgres), including the points
// of the contract that concurrency decides (overlapping ingests, exports
// during ingests, concurrent claims and failed logins) and a property test
// of the figures rollup against report.Compute. Run it from the
// implementation's tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) hub.Store { return openTestStore(t) })
//	}
//
// open must return a new, empty store for each call and arrange its cleanup
// (Close) with t.Cleanup.
package storetest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open func(t *testing.T) hub.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s hub.Store)
	}{
		{"DeviceLifecycle", testDeviceLifecycle},
		{"ClaimRefusals", testClaimRefusals},
		{"ClaimConcurrent", testClaimConcurrent},
		{"RevokeIdempotent", testRevokeIdempotent},
		{"PublishSurvey", testPublishSurvey},
		{"IngestOutcomes", testIngestOutcomes},
		{"IngestSameIDInBatch", testIngestSameIDInBatch},
		{"IngestCancelled", testIngestCancelled},
		{"IngestConcurrentOverlap", testIngestConcurrentOverlap},
		{"ResponsesDuringIngest", testResponsesDuringIngest},
		{"ResponseRoundTrip", testResponseRoundTrip},
		{"ResponsesFilterAndOrder", testResponsesFilterAndOrder},
		{"ResponsesPaging", testResponsesPaging},
		{"Ping", testPing},
		{"Gaps", testGaps},
		{"MarkKeepsHighest", testMarkKeepsHighest},
		{"GapsConcurrent", testGapsConcurrent},
		{"FiguresMatchCompute", testFiguresMatchCompute},
		{"SessionLifecycle", testSessionLifecycle},
		{"LoginFailures", testLoginFailures},
		{"LoginFailuresConcurrent", testLoginFailuresConcurrent},
		{"AdminLifecycle", testAdminLifecycle},
		{"AdminNames", testAdminNames},
		{"AdminRefusals", testAdminRefusals},
		{"AdminConcurrentPut", testAdminConcurrentPut},
		{"AdminRoles", testAdminRoles},
		{"Audit", testAudit},
		{"Chain", testChain},
		{"FileCounts", testFileCounts},
		{"Purge", testPurge},
		{"PurgeDuringIngest", testPurgeDuringIngest},
		{"SlipKey", testSlipKey},
		{"SlipsIssueAndLookUp", testSlipsIssueAndLookUp},
		{"UseSlip", testUseSlip},
		{"UseSlipConcurrent", testUseSlipConcurrent},
		{"IngestSlips", testIngestSlips},
		{"SlipElsewhere", testSlipElsewhere},
		{"SlipPrints", testSlipPrints},
		{"SlipFiguresMatchRows", testSlipFiguresMatchRows},
		{"SlipChannels", testSlipChannels},
		{"FeedbackIngest", testFeedbackIngest},
		{"FeedbackUpdate", testFeedbackUpdate},
		{"FeedbackPurge", testFeedbackPurge},
		{"InspectionKey", testInspectionKey},
		{"InspectorRole", testInspectorRole},
		{"Slides", testSlides},
		{"HelpIngest", testHelpIngest},
		{"HelpNotesPurge", testHelpNotesPurge},
		{"HelpConcurrent", testHelpConcurrent},
		{"HelpEvents", testHelpEvents},
		{"WebhookLifecycle", testWebhookLifecycle},
		{"WebhookOutbox", testWebhookOutbox},
		{"WebhookLease", testWebhookLease},
		{"WebhookClaimConcurrent", testWebhookClaimConcurrent},
		{"AlertState", testAlertState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// t0 is the suite's fixed clock.
var t0 = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

func hash(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }

func key(seed byte) ed25519.PublicKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)).Public().(ed25519.PublicKey)
}

func newDevice(t *testing.T, s hub.Store, id, code string) *hub.Device {
	t.Helper()
	d := &hub.Device{ID: id, Name: "Kiosk " + id, ServicePoint: "Phường Hoàn Kiếm", CreatedAt: t0, CodeExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := s.CreateDevice(context.Background(), d, hash(code)); err != nil {
		t.Fatalf("CreateDevice %s: %v", id, err)
	}
	return d
}

func testDeviceLifecycle(t *testing.T, s hub.Store) {
	ctx := context.Background()
	newDevice(t, s, "dev-a", "CODEA")
	newDevice(t, s, "dev-b", "CODEB")
	if err := s.CreateDevice(ctx, &hub.Device{ID: "dev-a", CreatedAt: t0, CodeExpiresAt: t0}, hash("OTHER")); !errors.Is(err, hub.ErrConflict) {
		t.Errorf("CreateDevice with a used id: %v, want ErrConflict", err)
	}
	d, err := s.Device(ctx, "dev-a")
	if err != nil {
		t.Fatal(err)
	}
	if d.State() != "pending" || d.PublicKey != nil || d.Name != "Kiosk dev-a" || d.ServicePoint != "Phường Hoàn Kiếm" ||
		!d.CreatedAt.Equal(t0) || !d.CodeExpiresAt.Equal(t0.Add(7*24*time.Hour)) {
		t.Errorf("pending device read back as %+v", d)
	}
	claimed, err := s.ClaimDevice(ctx, hash("CODEA"), key(1), hash("token-a"), t0.Add(time.Hour))
	if err != nil {
		t.Fatalf("ClaimDevice: %v", err)
	}
	if claimed.ID != "dev-a" || claimed.State() != "active" || !bytes.Equal(claimed.PublicKey, key(1)) || !claimed.EnrolledAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("claimed device %+v", claimed)
	}
	byTok, err := s.DeviceByToken(ctx, hash("token-a"))
	if err != nil || byTok.ID != "dev-a" {
		t.Fatalf("DeviceByToken: %+v, %v", byTok, err)
	}
	if _, err := s.DeviceByToken(ctx, hash("token-x")); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("DeviceByToken unknown: %v, want ErrNotFound", err)
	}
	if _, err := s.Device(ctx, "nope"); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("Device unknown: %v, want ErrNotFound", err)
	}
	all, err := s.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range all {
		ids = append(ids, d.ID+":"+d.State())
	}
	if !slices.Equal(ids, []string{"dev-a:active", "dev-b:pending"}) {
		t.Errorf("Devices = %v", ids)
	}
}

func testClaimRefusals(t *testing.T, s hub.Store) {
	ctx := context.Background()
	newDevice(t, s, "dev-a", "CODEA")
	newDevice(t, s, "dev-r", "CODER")
	if err := s.RevokeDevice(ctx, "dev-r", t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		code string
		now  time.Time
	}{
		{"unknown code", "NOPE", t0},
		{"expired code", "CODEA", t0.Add(7 * 24 * time.Hour)},
		{"revoked before claim", "CODER", t0},
	}
	for _, tt := range tests {
		if _, err := s.ClaimDevice(ctx, hash(tt.code), key(1), hash("tok-"+tt.name), tt.now); !errors.Is(err, hub.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", tt.name, err)
		}
	}
	if _, err := s.ClaimDevice(ctx, hash("CODEA"), key(1), hash("tok-1"), t0.Add(time.Minute)); err != nil {
		t.Fatalf("first claim: %v", err)
	}
	if _, err := s.ClaimDevice(ctx, hash("CODEA"), key(2), hash("tok-2"), t0.Add(2*time.Minute)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("second claim of a used code: %v, want ErrNotFound", err)
	}
	d, err := s.Device(ctx, "dev-a")
	if err != nil || !bytes.Equal(d.PublicKey, key(1)) {
		t.Errorf("a refused claim changed the device: %+v, %v", d, err)
	}
}

func testClaimConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	newDevice(t, s, "dev-a", "CODEA")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.ClaimDevice(ctx, hash("CODEA"), key(byte(i+1)), hash(fmt.Sprint("tok", i)), t0.Add(time.Minute))
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, hub.ErrNotFound):
			t.Errorf("concurrent claim: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent claims of one code succeeded, want exactly 1", ok)
	}
	// A refused claim committed nothing: the winner's token finds the
	// device, no loser's does.
	for i, err := range errs {
		d, lookErr := s.DeviceByToken(ctx, hash(fmt.Sprint("tok", i)))
		switch {
		case err == nil && (lookErr != nil || d.ID != "dev-a" || !bytes.Equal(d.PublicKey, key(byte(i+1)))):
			t.Errorf("winner %d: DeviceByToken = %+v, %v", i, d, lookErr)
		case err != nil && !errors.Is(lookErr, hub.ErrNotFound):
			t.Errorf("loser %d: DeviceByToken = %+v, %v; want ErrNotFound", i, d, lookErr)
		}
	}
}

func testRevokeIdempotent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	newDevice(t, s, "dev-a", "CODEA")
	if _, err := s.ClaimDevice(ctx, hash("CODEA"), key(1), hash("tok"), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeDevice(ctx, "dev-a", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeDevice(ctx, "dev-a", t0.Add(2*time.Hour)); err != nil {
		t.Fatalf("second revoke: %v", err)
	}
	d, err := s.DeviceByToken(ctx, hash("tok"))
	if err != nil {
		t.Fatalf("a revoked device must still be found by token (for 403): %v", err)
	}
	if d.State() != "revoked" || !d.RevokedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("revoked device %+v: want the first revocation time kept", d)
	}
	if err := s.RevokeDevice(ctx, "nope", t0); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("revoke unknown: %v, want ErrNotFound", err)
	}
}

func testPublishSurvey(t *testing.T, s hub.Store) {
	ctx := context.Background()
	pub := func(id string, v int, def string) error {
		return s.PublishSurvey(ctx, hub.PublishedSurvey{ID: id, Version: v, Definition: []byte(def), PublishedAt: t0})
	}
	for _, p := range []struct {
		id  string
		v   int
		def string
	}{{"a", 1, `{"v":1}`}, {"a", 2, `{"v":2}`}, {"b", 1, `{"b":"Hài lòng"}`}} {
		if err := pub(p.id, p.v, p.def); err != nil {
			t.Fatal(err)
		}
	}
	if err := pub("a", 1, `{"v":1}`); err != nil {
		t.Errorf("publishing identical content again: %v, want nil", err)
	}
	if err := pub("a", 1, `{"v":"changed"}`); !errors.Is(err, hub.ErrConflict) {
		t.Errorf("publishing different content for a stored version: %v, want ErrConflict", err)
	}
	got, err := s.Survey(ctx, "a", 1)
	if err != nil || string(got.Definition) != `{"v":1}` || !got.PublishedAt.Equal(t0) {
		t.Errorf("Survey(a,1) = %+v, %v", got, err)
	}
	if _, err := s.Survey(ctx, "a", 3); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("Survey(a,3): %v, want ErrNotFound", err)
	}
	latest, err := s.LatestSurveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ps := range latest {
		names = append(names, fmt.Sprintf("%s@%d=%s", ps.ID, ps.Version, ps.Definition))
	}
	if want := []string{`a@2={"v":2}`, `b@1={"b":"Hài lòng"}`}; !slices.Equal(names, want) {
		t.Errorf("LatestSurveys = %v, want %v", names, want)
	}
	all, err := s.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names = nil
	for _, ps := range all {
		names = append(names, fmt.Sprintf("%s@%d=%s", ps.ID, ps.Version, ps.Definition))
		if !ps.PublishedAt.Equal(t0) {
			t.Errorf("Surveys: %s@%d published at %v, want %v", ps.ID, ps.Version, ps.PublishedAt, t0)
		}
	}
	if want := []string{`a@1={"v":1}`, `a@2={"v":2}`, `b@1={"b":"Hài lòng"}`}; !slices.Equal(names, want) {
		t.Errorf("Surveys = %v, want %v", names, want)
	}
}

// Response makes a valid normalised response with the given id and start.
func Response(id string, start time.Time) *survey.Response {
	r := &survey.Response{
		ID: id, SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers:   survey.Answers{"q1": {"hl"}, "why": {"Nhân viên tận tình"}},
		StartedAt: start, FinishedAt: start.Add(30 * time.Second),
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: "dev-a", Lang: "vi", Status: survey.StatusComplete,
	}
	protocol.Normalize(r)
	return r
}

// Incoming wraps r as the hub passes it to Ingest.
func Incoming(t testing.TB, r *survey.Response) hub.Incoming {
	t.Helper()
	c, err := protocol.Canonical(protocol.NewResponseV1(r))
	if err != nil {
		t.Fatal(err)
	}
	return hub.Incoming{Response: r, Content: c, Signature: bytes.Repeat([]byte{1}, ed25519.SignatureSize)}
}

func uuidN(n int) string { return fmt.Sprintf("019abcde-f012-7345-8678-%012x", n) }

func ingest(t *testing.T, s hub.Store, items ...hub.Incoming) []protocol.Outcome {
	t.Helper()
	out, err := s.Ingest(context.Background(), items, t0)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if len(out) != len(items) {
		t.Fatalf("Ingest returned %d outcomes for %d items", len(out), len(items))
	}
	return out
}

func testIngestOutcomes(t *testing.T, s hub.Store) {
	ctx := context.Background()
	a, b := Response(uuidN(1), t0), Response(uuidN(2), t0.Add(time.Minute))
	if got := ingest(t, s, Incoming(t, a), Incoming(t, b)); !slices.Equal(got, []protocol.Outcome{protocol.Accepted, protocol.Accepted}) {
		t.Errorf("first delivery: %v", got)
	}
	changed := Response(uuidN(1), t0)
	changed.Answers["q1"] = []string{"khl"}
	c := Response(uuidN(3), t0.Add(2*time.Minute))
	got := ingest(t, s, Incoming(t, a), Incoming(t, changed), Incoming(t, c), Incoming(t, changed))
	want := []protocol.Outcome{protocol.Duplicate, protocol.Conflict, protocol.Accepted, protocol.Conflict}
	if !slices.Equal(got, want) {
		t.Errorf("second delivery: %v, want %v", got, want)
	}
	stored, err := s.Response(ctx, uuidN(1))
	if err != nil {
		t.Fatal(err)
	}
	if stored.Answers["q1"][0] != "hl" {
		t.Errorf("conflict replaced the first content: %v", stored.Answers)
	}
	// The same conflict again is recorded once.
	ingest(t, s, Incoming(t, changed))
	conflicts, err := s.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflicts) != 1 || conflicts[0].ResponseID != uuidN(1) || conflicts[0].DeviceID != "dev-a" ||
		!bytes.Equal(conflicts[0].Content, Incoming(t, changed).Content) || !conflicts[0].ReceivedAt.Equal(t0) {
		t.Errorf("Conflicts = %+v, want the one changed delivery", conflicts)
	}
	if got := ingest(t, s, Incoming(t, a), Incoming(t, b), Incoming(t, c)); !slices.Equal(got, []protocol.Outcome{protocol.Duplicate, protocol.Duplicate, protocol.Duplicate}) {
		t.Errorf("replay: %v, want all duplicate", got)
	}
	if out, err := s.Ingest(ctx, nil, t0); err != nil || len(out) != 0 {
		t.Errorf("empty Ingest: %v, %v", out, err)
	}
}

func testIngestSameIDInBatch(t *testing.T, s hub.Store) {
	a := Response(uuidN(1), t0)
	changed := Response(uuidN(1), t0)
	changed.Misuse = true
	got := ingest(t, s, Incoming(t, a), Incoming(t, a), Incoming(t, changed))
	if want := []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict}; !slices.Equal(got, want) {
		t.Errorf("same id thrice in one batch: %v, want %v", got, want)
	}
}

func testIngestCancelled(t *testing.T, s hub.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items := []hub.Incoming{Incoming(t, Response(uuidN(1), t0)), Incoming(t, Response(uuidN(2), t0))}
	if _, err := s.Ingest(ctx, items, t0); !errors.Is(err, context.Canceled) {
		t.Fatalf("Ingest with a cancelled context: %v, want context.Canceled", err)
	}
	for _, id := range []string{uuidN(1), uuidN(2)} {
		if _, err := s.Response(context.Background(), id); !errors.Is(err, hub.ErrNotFound) {
			t.Errorf("a failed Ingest left %s: %v", id, err)
		}
	}
	// The batch goes through once the caller sends it again.
	if got := ingest(t, s, items...); !slices.Equal(got, []protocol.Outcome{protocol.Accepted, protocol.Accepted}) {
		t.Errorf("after the failure: %v", got)
	}
}

// testIngestConcurrentOverlap: batches ingested at the same time share
// ids, in opposite orders (the order that deadlocks two transactions that
// lock rows as they go), some with other content. Every call succeeds;
// each id is accepted exactly once; every other delivery is duplicate or
// conflict as its content says.
func testIngestConcurrentOverlap(t *testing.T, s hub.Store) {
	const workers, ids, rounds = 6, 120, 3
	for round := range rounds {
		base := round * ids
		type delivery struct {
			id      string
			changed bool
			out     protocol.Outcome
		}
		got := make([][]delivery, workers)
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for w := range workers {
			var items []hub.Incoming
			for k := range ids {
				i := k
				if w%2 == 1 {
					i = ids - 1 - k // the other order
				}
				r := Response(uuidN(base+i), t0.Add(time.Duration(i)*time.Second))
				changed := w >= 4 && i%5 == 0 // workers 4 and 5 bring other content for some ids
				if changed {
					r.Answers["q1"] = []string{"khl"}
				}
				items = append(items, Incoming(t, r))
				got[w] = append(got[w], delivery{id: r.ID, changed: changed})
			}
			wg.Go(func() {
				out, err := s.Ingest(context.Background(), items, t0)
				if err == nil && len(out) != len(items) {
					err = fmt.Errorf("%d outcomes for %d items", len(out), len(items))
				}
				errs[w] = err
				for k := range out {
					got[w][k].out = out[k]
				}
			})
		}
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("round %d, batch %d: %v", round, w, err)
			}
		}
		accepted := map[string]bool{} // id → the accepted delivery was changed content
		for w := range workers {
			for _, d := range got[w] {
				if d.out != protocol.Accepted {
					continue
				}
				if _, twice := accepted[d.id]; twice {
					t.Errorf("round %d: %s accepted twice", round, d.id)
				}
				accepted[d.id] = d.changed
			}
		}
		if len(accepted) != ids {
			t.Fatalf("round %d: %d ids accepted, want %d", round, len(accepted), ids)
		}
		for w := range workers {
			for _, d := range got[w] {
				want := protocol.Duplicate
				if d.changed != accepted[d.id] {
					want = protocol.Conflict
				}
				if d.out != protocol.Accepted && d.out != want {
					t.Errorf("round %d, batch %d: %s answered %s, want %s", round, w, d.id, d.out, want)
				}
			}
		}
	}
	if n := len(collect(t, s, hub.Filter{})); n != rounds*ids {
		t.Errorf("%d responses stored, want %d", n, rounds*ids)
	}
}

// testResponsesDuringIngest: rows committed while an export runs never
// make it repeat or go back, and every row stored before it starts is
// yielded once (Store.Responses).
func testResponsesDuringIngest(t *testing.T, s hub.Store) {
	const n = 2345 // several pages of any sensible page size
	for b := 0; b < n; b += protocol.MaxBatchItems {
		var items []hub.Incoming
		for i := b; i < min(b+protocol.MaxBatchItems, n); i++ {
			items = append(items, Incoming(t, Response(uuidN(i+10), t0.Add(time.Duration(i+10)*time.Second))))
		}
		ingest(t, s, items...)
	}
	var ids []string
	seen := map[string]int{}
	for r, err := range s.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) > 0 && ids[len(ids)-1] >= r.ID { // ids grow with the start here
			t.Fatalf("order went back: %s after %s", r.ID, ids[len(ids)-1])
		}
		ids = append(ids, r.ID)
		seen[r.ID]++
		if len(ids) == 100 { // mid-export: one row before the cursor, one after, one at the end
			ingest(t, s,
				Incoming(t, Response(uuidN(1), t0.Add(time.Second))),
				Incoming(t, Response(uuidN(n+500), t0.Add(time.Duration(n+500)*time.Second))),
				Incoming(t, Response(uuidN(200), t0.Add(time.Duration(200)*time.Second+time.Millisecond))))
		}
	}
	if seen[uuidN(1)] != 0 {
		t.Errorf("a row committed mid-export before the cursor was yielded")
	}
	for i := range n {
		if seen[uuidN(i+10)] != 1 {
			t.Fatalf("row %d stored before the export was yielded %d times", i+10, seen[uuidN(i+10)])
		}
	}
	for id, k := range seen {
		if k > 1 {
			t.Errorf("%s yielded %d times", id, k)
		}
	}
}

func testResponseRoundTrip(t *testing.T, s hub.Store) {
	r := Response(uuidN(1), t0.Add(123*time.Millisecond))
	r.Misuse, r.MisuseReason, r.EventTag, r.Assisted = true, "quá nhanh", "KCN Thăng Long – ca sáng", true
	r.Status = survey.StatusAbandoned
	in := Incoming(t, r)
	ingest(t, s, in)
	got, err := s.Response(context.Background(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := protocol.Canonical(protocol.NewResponseV1(got))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c, in.Content) {
		t.Errorf("read back differs:\n got %s\nwant %s", c, in.Content)
	}
	if _, err := s.Response(context.Background(), uuidN(9)); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("Response unknown: %v, want ErrNotFound", err)
	}
}

func collect(t *testing.T, s hub.Store, f hub.Filter) []string {
	t.Helper()
	var ids []string
	for r, err := range s.Responses(context.Background(), f) {
		if err != nil {
			t.Fatalf("Responses: %v", err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

func testResponsesFilterAndOrder(t *testing.T, s hub.Store) {
	var items []hub.Incoming
	// Inserted out of order; ids 1..6 at starts 5,4,3,2,1,1 minutes.
	starts := []int{5, 4, 3, 2, 1, 1}
	for i, m := range starts {
		r := Response(uuidN(i+1), t0.Add(time.Duration(m)*time.Minute))
		switch i + 1 {
		case 2:
			r.SurveyID, r.SurveyVersion = "sipas", 2
		case 3:
			r.ServicePoint = "Xã Sóc Sơn"
		case 4:
			r.DeviceID = "dev-b"
		case 5:
			r.Status = survey.StatusAbandoned
		case 6:
			r.EventTag = "KCN Thăng Long – ca sáng"
		}
		items = append(items, Incoming(t, r))
	}
	ingest(t, s, items...)
	tests := []struct {
		name string
		f    hub.Filter
		want []int
	}{
		{"all by start then id", hub.Filter{}, []int{5, 6, 4, 3, 2, 1}},
		{"from inclusive", hub.Filter{From: t0.Add(3 * time.Minute)}, []int{3, 2, 1}},
		{"to exclusive", hub.Filter{To: t0.Add(3 * time.Minute)}, []int{5, 6, 4}},
		{"survey", hub.Filter{SurveyID: "sipas"}, []int{2}},
		{"survey version", hub.Filter{SurveyID: "mot-cua-nhanh", SurveyVersion: 1}, []int{5, 6, 4, 3, 1}},
		{"service point", hub.Filter{ServicePoint: "Xã Sóc Sơn"}, []int{3}},
		{"device", hub.Filter{DeviceID: "dev-b"}, []int{4}},
		{"status", hub.Filter{Status: survey.StatusAbandoned}, []int{5}},
		{"event tag", hub.Filter{EventTag: "KCN Thăng Long – ca sáng"}, []int{6}},
		{"combined", hub.Filter{SurveyID: "mot-cua-nhanh", From: t0.Add(2 * time.Minute), Status: survey.StatusComplete}, []int{4, 3, 1}},
		{"nothing", hub.Filter{SurveyID: "none"}, nil},
	}
	for _, tt := range tests {
		var want []string
		for _, n := range tt.want {
			want = append(want, uuidN(n))
		}
		if got := collect(t, s, tt.f); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", tt.name, got, want)
		}
	}
}

func testResponsesPaging(t *testing.T, s hub.Store) {
	const n = 2345 // several pages of any sensible page size
	for b := 0; b < n; b += protocol.MaxBatchItems {
		var items []hub.Incoming
		for i := b; i < min(b+protocol.MaxBatchItems, n); i++ {
			// Groups of three share a start time, so the id breaks ties across pages.
			items = append(items, Incoming(t, Response(uuidN(i), t0.Add(time.Duration(i/3)*time.Second))))
		}
		ingest(t, s, items...)
	}
	ids := collect(t, s, hub.Filter{})
	if len(ids) != n {
		t.Fatalf("streamed %d responses, stored %d", len(ids), n)
	}
	for i, id := range ids {
		if id != uuidN(i) {
			t.Fatalf("position %d: %s, want %s", i, id, uuidN(i))
		}
	}
	seen := 0
	for _, err := range s.Responses(context.Background(), hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		if seen == 10 {
			break
		}
	}
	if seen != 10 {
		t.Errorf("early break: saw %d", seen)
	}
}

func testPing(t *testing.T, s hub.Store) {
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
