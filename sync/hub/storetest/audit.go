package storetest

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// testAudit appends entries, some concurrently: numbered from 1 without
// gaps, read back in order exactly as returned, and the chain holds.
func testAudit(t *testing.T, s hub.Store) {
	ctx := context.Background()
	rep, err := hub.VerifyAudit(ctx, nil, s.AuditLog(ctx), nil)
	if err != nil || rep.Entries != 0 || rep.Break != nil {
		t.Fatalf("empty log: %+v, %v", rep, err)
	}
	first, err := s.AppendAudit(ctx, hub.NewAuditEntry(t0, "Nguye\u0302\u0303n An", hub.AuditLogin, "192.0.2.1", nil))
	if err != nil {
		t.Fatal(err)
	}
	if first.Seq != 1 || first.Actor != "Nguyễn An" || first.Hash != hub.AuditHash([32]byte{}, &first) {
		t.Errorf("first entry %+v", first)
	}
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.AppendAudit(ctx, hub.NewAuditEntry(t0.Add(time.Duration(i)*time.Second), "cli:root", hub.AuditDeviceRevoke, "local",
				url.Values{"id": {fmt.Sprintf("dev-%d", i)}}))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent AppendAudit: %v", err)
		}
	}
	var got []hub.AuditEntry
	for e, err := range s.AuditLog(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if len(got) != n+1 || got[0] != first {
		t.Fatalf("AuditLog: %d entries, first %+v; want %d, first %+v", len(got), got[0], n+1, first)
	}
	seen := map[string]bool{}
	for i, e := range got {
		if e.Seq != int64(i+1) {
			t.Errorf("entry %d has Seq %d", i, e.Seq)
		}
		if i > 0 {
			seen[e.Details] = true
		}
	}
	if len(seen) != n {
		t.Errorf("details of the concurrent entries: %v", seen)
	}
	rep, err = hub.VerifyAudit(ctx, nil, s.AuditLog(ctx), nil)
	if err != nil || rep.Break != nil || rep.Entries != n+1 || rep.Head != got[n].Hash {
		t.Errorf("VerifyAudit = %+v, %v; want %d entries holding, head of the last", rep, err, n+1)
	}
}
