package storetest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// slipBatch makes n slips for point printed at t0.
func slipBatch(t *testing.T, point string, n int) []hub.Slip {
	t.Helper()
	slips, err := hub.NewSlipBatch(point, n, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return slips
}

func slipKeyOf(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func testSlipKey(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if _, err := s.SlipKey(ctx, nil, t0); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("SlipKey on a new store without a candidate: %v, want ErrNotFound", err)
	}
	// Concurrent first calls: one candidate is kept, every call returns it.
	const n = 8
	got := make([]ed25519.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.SlipKey(ctx, slipKeyOf(byte(i+1)), t0) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("SlipKey %d: %v", i, errs[i])
		}
		if !bytes.Equal(got[i], got[0]) {
			t.Fatalf("concurrent SlipKey calls returned different keys")
		}
	}
	kept := -1
	for i := range n {
		if bytes.Equal(got[0], slipKeyOf(byte(i+1))) {
			kept = i
		}
	}
	if kept < 0 {
		t.Fatal("the stored key is none of the candidates")
	}
	again, err := s.SlipKey(ctx, slipKeyOf(99), t0.Add(time.Hour))
	if err != nil || !bytes.Equal(again, got[0]) {
		t.Fatalf("later SlipKey: %v; the key changed or failed", err)
	}
	if again, err := s.SlipKey(ctx, nil, t0); err != nil || !bytes.Equal(again, got[0]) {
		t.Fatalf("SlipKey without a candidate after one is stored: %v", err)
	}
}

func testSlipsIssueAndLookUp(t *testing.T, s hub.Store) {
	ctx := context.Background()
	nfd := "Phu\u031bo\u031b\u0300ng Hoa\u0300n Kie\u0302\u0301m"
	batch := slipBatch(t, " "+nfd, 5)
	if err := s.IssueSlips(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, want := range batch {
		got, err := s.Slip(ctx, want.Code)
		if err != nil {
			t.Fatalf("Slip %s: %v", want.Code, err)
		}
		if got.Code != want.Code || got.ServicePoint != "Phường Hoàn Kiếm" || got.BatchID != want.BatchID ||
			!got.PrintedAt.Equal(t0) || got.UsedBy != "" || !got.UsedAt.IsZero() || got.UsedDevice != "" {
			t.Errorf("Slip %s = %+v, want %+v", want.Code, got, want)
		}
	}
	other, _ := slip.New(strings.NewReader("zzzzzz"))
	if _, err := s.Slip(ctx, other); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("Slip of a code never issued: %v, want ErrNotFound", err)
	}
	// A run holding one stored code is refused whole.
	next := slipBatch(t, "Xã Sóc Sơn", 3)
	clash := append(next, batch[2])
	if err := s.IssueSlips(ctx, clash); !errors.Is(err, hub.ErrConflict) {
		t.Fatalf("IssueSlips with a stored code: %v, want ErrConflict", err)
	}
	for _, sl := range next {
		if _, err := s.Slip(ctx, sl.Code); !errors.Is(err, hub.ErrNotFound) {
			t.Errorf("a refused run left %s: %v", sl.Code, err)
		}
	}
	if err := s.IssueSlips(ctx, append(next, next[0])); !errors.Is(err, hub.ErrConflict) {
		t.Fatalf("IssueSlips with a code given twice: %v, want ErrConflict", err)
	}
	if err := s.IssueSlips(ctx, next); err != nil {
		t.Fatal(err)
	}
}

func testUseSlip(t *testing.T, s hub.Store) {
	ctx := context.Background()
	batch := slipBatch(t, "Phường Hoàn Kiếm", 2)
	if err := s.IssueSlips(ctx, batch); err != nil {
		t.Fatal(err)
	}
	code := batch[0].Code.Compact()
	steps := []struct {
		code, resp string
		want       hub.SlipStatus
	}{
		{code, "r1", hub.SlipFirst},
		{code, "r1", hub.SlipFirst}, // a retry of the same response
		{code, "r2", hub.SlipReused},
		{"ZZZZZZZZZZ", "r3", hub.SlipUnknown},
		{"not a code", "r3", hub.SlipUnknown},
	}
	for _, st := range steps {
		got, err := s.UseSlip(ctx, st.code, st.resp, "dev-a", t0.Add(time.Minute))
		if err != nil || got != st.want {
			t.Fatalf("UseSlip(%s, %s) = %q, %v; want %q", st.code, st.resp, got, err, st.want)
		}
	}
	got, err := s.Slip(ctx, batch[0].Code)
	if err != nil || got.UsedBy != "r1" || got.UsedDevice != "dev-a" || !got.UsedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("used slip = %+v, %v", got, err)
	}
	if got, err := s.Slip(ctx, batch[1].Code); err != nil || got.UsedBy != "" {
		t.Fatalf("unused slip = %+v, %v", got, err)
	}
}

// testUseSlipConcurrent: many responses use one slip at once, through
// UseSlip and through Ingest: exactly one is first.
func testUseSlipConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	batch := slipBatch(t, "Phường Hoàn Kiếm", 2)
	if err := s.IssueSlips(ctx, batch); err != nil {
		t.Fatal(err)
	}
	const n = 8
	code := batch[0].Code.Compact()
	got := make([]hub.SlipStatus, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.UseSlip(ctx, code, fmt.Sprintf("r%d", i), "dev-a", t0) })
	}
	wg.Wait()
	first := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("UseSlip %d: %v", i, errs[i])
		}
		switch got[i] {
		case hub.SlipFirst:
			first++
		case hub.SlipReused:
		default:
			t.Fatalf("UseSlip %d: %q", i, got[i])
		}
	}
	if first != 1 {
		t.Fatalf("%d concurrent uses were first, want 1: %v", first, got)
	}

	code = batch[1].Code.Compact()
	outs := make([][]protocol.Outcome, n)
	for i := range n {
		wg.Go(func() {
			in := Incoming(t, Response(uuidN(100+i), t0.Add(time.Duration(i)*time.Second)))
			in.Slip = code
			outs[i], errs[i] = s.Ingest(ctx, []hub.Incoming{in}, t0)
		})
	}
	wg.Wait()
	statuses := map[hub.SlipStatus]int{}
	for i := range n {
		if errs[i] != nil || len(outs[i]) != 1 || outs[i][0] != protocol.Accepted {
			t.Fatalf("Ingest %d: %v, %v", i, outs[i], errs[i])
		}
		c, st, err := s.ResponseSlip(ctx, uuidN(100+i))
		if err != nil || c != code {
			t.Fatalf("ResponseSlip %d: %q, %v", i, c, err)
		}
		statuses[st]++
	}
	if want := map[hub.SlipStatus]int{hub.SlipFirst: 1, hub.SlipReused: n - 1}; !maps.Equal(statuses, want) {
		t.Fatalf("concurrent ingests with one slip: %v, want %v", statuses, want)
	}
}

// testIngestSlips: Ingest uses an accepted item's slip and stores the
// status with the response; duplicates and conflicts use nothing; no item
// is refused for its slip.
func testIngestSlips(t *testing.T, s hub.Store) {
	ctx := context.Background()
	batch := slipBatch(t, "Phường Hoàn Kiếm", 3)
	if err := s.IssueSlips(ctx, batch); err != nil {
		t.Fatal(err)
	}
	with := func(id int, code string) hub.Incoming {
		in := Incoming(t, Response(uuidN(id), t0.Add(time.Duration(id)*time.Minute)))
		in.Slip = code
		return in
	}
	a, b := batch[0].Code.Compact(), batch[1].Code.Compact()
	items := []hub.Incoming{
		with(1, a),
		with(2, a),            // the same slip again in the batch: reused
		with(3, "ZZZZZZZZZZ"), // never printed
		with(4, ""),           // no slip
		with(5, b),
	}
	want := []hub.SlipStatus{hub.SlipFirst, hub.SlipReused, hub.SlipUnknown, hub.SlipNone, hub.SlipFirst}
	if got := ingest(t, s, items...); !allAccepted(got) {
		t.Fatalf("outcomes %v, want all accepted", got)
	}
	for i, w := range want {
		c, st, err := s.ResponseSlip(ctx, uuidN(i+1))
		if err != nil || st != w || c != items[i].Slip {
			t.Errorf("ResponseSlip %d = %q, %q, %v; want %q, %q", i+1, c, st, err, items[i].Slip, w)
		}
	}
	sl, err := s.Slip(ctx, batch[0].Code)
	if err != nil || sl.UsedBy != uuidN(1) || sl.UsedDevice != "dev-a" || !sl.UsedAt.Equal(t0) {
		t.Fatalf("slip after ingest: %+v, %v", sl, err)
	}
	// Delivered again: duplicates, statuses unchanged (the first stays first).
	if got := ingest(t, s, items...); !allOutcome(got, protocol.Duplicate) {
		t.Fatalf("replay: %v", got)
	}
	// A conflicting delivery carrying an unused slip does not use it.
	misused := Response(uuidN(4), t0.Add(4*time.Minute))
	misused.Misuse = true
	changed := Incoming(t, misused)
	changed.Slip = batch[2].Code.Compact()
	if got := ingest(t, s, changed); got[0] != protocol.Conflict {
		t.Fatalf("changed delivery: %v", got)
	}
	if sl, err := s.Slip(ctx, batch[2].Code); err != nil || sl.UsedBy != "" {
		t.Fatalf("a conflict used a slip: %+v, %v", sl, err)
	}
	for i, w := range want {
		if _, st, _ := s.ResponseSlip(ctx, uuidN(i+1)); st != w {
			t.Errorf("after replay ResponseSlip %d = %q, want %q", i+1, st, w)
		}
	}
	// ResponseSlips reads the statuses of many ids at once (more than a
	// query's worth, most of them unknown): the slips alone.
	ids := []string{uuidN(5), uuidN(4), uuidN(3), uuidN(2), uuidN(1)}
	for i := range 1200 {
		ids = append(ids, uuidN(10_000+i))
	}
	got, err := s.ResponseSlips(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	wantSlips := map[string]hub.SlipStatus{uuidN(1): hub.SlipFirst, uuidN(2): hub.SlipReused, uuidN(3): hub.SlipUnknown, uuidN(5): hub.SlipFirst}
	if !maps.Equal(got, wantSlips) {
		t.Errorf("ResponseSlips = %v, want %v", got, wantSlips)
	}
	if got, err := s.ResponseSlips(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("ResponseSlips of no id = %v, %v", got, err)
	}
}

func allAccepted(out []protocol.Outcome) bool { return allOutcome(out, protocol.Accepted) }

func allOutcome(out []protocol.Outcome, o protocol.Outcome) bool {
	for _, x := range out {
		if x != o {
			return false
		}
	}
	return len(out) > 0
}

// testSlipChannels: hub.SlipChannels over Responses gives every response
// its export channel from what Ingest found of its slip (desk, home,
// none, flagged unknown, reused, elsewhere), across more than a page of
// responses, and stops with its caller.
func testSlipChannels(t *testing.T, s hub.Store) {
	ctx := context.Background()
	own, other := slipBatch(t, "Phường Hoàn Kiếm", 600), slipBatch(t, "Xã Sóc Sơn", 200)
	if err := s.IssueSlips(ctx, append(own, other...)); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	var items []hub.Incoming
	for i := range 1100 {
		r := Response(uuidN(50_000+i), t0.Add(time.Duration(i)*time.Second))
		if i%6 == 2 {
			r.DeviceID = hub.WebDeviceID
		}
		in := Incoming(t, r)
		switch i % 6 {
		case 0:
			want[r.ID] = export.ChannelNone
		case 1:
			in.Slip, want[r.ID] = own[i/6].Code.Compact(), export.ChannelDesk
		case 2:
			in.Slip, want[r.ID] = own[300+i/6].Code.Compact(), export.ChannelHome
		case 3:
			in.Slip, want[r.ID] = own[(i-2)/6].Code.Compact(), export.ChannelFlaggedReused // case 1's slip
		case 4:
			in.Slip, want[r.ID] = "ZZZZZZZZZZ", export.ChannelFlaggedUnknown
		case 5:
			in.Slip, want[r.ID] = other[i/6].Code.Compact(), export.ChannelFlaggedElsewhere
		}
		items = append(items, in)
	}
	for b := 0; b < len(items); b += 250 {
		if got := ingest(t, s, items[b:min(b+250, len(items))]...); !allAccepted(got) {
			t.Fatalf("outcomes %v", got)
		}
	}
	rows, channel := hub.SlipChannels(ctx, s, s.Responses(ctx, hub.Filter{}))
	n := 0
	for r, err := range rows {
		if err != nil {
			t.Fatal(err)
		}
		if got := channel(r); got != want[r.ID] {
			t.Errorf("response %d: channel %q, want %q", n, got, want[r.ID])
		}
		n++
	}
	if n != len(items) {
		t.Errorf("%d responses, want %d", n, len(items))
	}
	n = 0
	for r, err := range rows {
		if err != nil || channel(r) != want[r.ID] {
			t.Fatalf("again: %v, %q", err, channel(r))
		}
		if n++; n == 700 {
			break
		}
	}
}
