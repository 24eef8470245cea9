package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/help"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func helpV1(d *hubtest.Device, n int) protocol.HelpV1 {
	return protocol.HelpV1{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", 700+n), Source: help.SourceWelcome, Lang: "vi",
		ServicePoint: "Phường Hoàn Kiếm", DeviceID: d.ID, CreatedAt: time.Date(2026, 12, 3, 2, n, 0, 0, time.UTC)}
}

func postHelp(t *testing.T, s *hubtest.Server, d *hubtest.Device, items ...protocol.HelpItem) []protocol.Result {
	t.Helper()
	body, err := (&protocol.HelpBatch{Items: items}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	status, data := s.Post(t, d.Token, protocol.PathHelp, body)
	if status != http.StatusOK {
		t.Fatalf("post help: %d %s", status, data)
	}
	var res protocol.BatchResult
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return res.Results
}

// TestHelpOverHTTP: requests reach a real hub, the resolution of one sent
// open replaces it, redeliveries are duplicates, and bad requests are
// refused one by one.
func TestHelpOverHTTP(t *testing.T) {
	s := hubtest.Start(t)
	d := s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
	other := s.Enroll(t, "Kiosk 2", "Phường Hoàn Kiếm")
	sign := func(r protocol.HelpV1) protocol.HelpItem {
		t.Helper()
		it, err := protocol.SignHelp(d.Key, r)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	open := helpV1(d, 1)
	done := open
	done.Outcome, done.Reason, done.ResolvedAt = string(help.NotPossible), string(help.ReasonDocuments), open.CreatedAt.Add(8*time.Minute)
	forged := sign(helpV1(d, 2))
	forged.Request.Note = "x"
	noReason := helpV1(d, 3)
	noReason.Outcome, noReason.ResolvedAt = string(help.NotPossible), noReason.CreatedAt.Add(time.Minute)
	foreign := helpV1(other, 4)
	res := postHelp(t, s, d, sign(open), forged, sign(noReason), sign(foreign))
	want := []struct {
		o      protocol.Outcome
		reason string
	}{{protocol.Accepted, ""}, {protocol.Rejected, protocol.ReasonBadSignature}, {protocol.Rejected, protocol.ReasonInvalid}, {protocol.Rejected, protocol.ReasonDeviceMismatch}}
	for i, w := range want {
		if res[i].Outcome != w.o || res[i].Reason != w.reason {
			t.Errorf("item %d: %s %s (%s), want %s %s", i, res[i].Outcome, res[i].Reason, res[i].Message, w.o, w.reason)
		}
	}
	res = postHelp(t, s, d, sign(done), sign(open), sign(done))
	if res[0].Outcome != protocol.Accepted || res[1].Outcome != protocol.Duplicate || res[2].Outcome != protocol.Duplicate {
		t.Fatalf("resolution and redeliveries: %+v", res)
	}
	reqs, err := s.Store.HelpRequests(context.Background(), hub.HelpFilter{})
	if err != nil || len(reqs) != 1 || reqs[0].Outcome != help.NotPossible || reqs[0].Reason != help.ReasonDocuments {
		t.Fatalf("hub holds %+v, %v", reqs, err)
	}
	if status, _ := s.Post(t, "hl1_nobody", protocol.PathHelp, []byte(`{"items":[]}`)); status != http.StatusUnauthorized {
		t.Errorf("no token: %d", status)
	}
	if status, _ := s.Post(t, d.Token, protocol.PathHelp, []byte(`{"items":[]}`)); status != http.StatusBadRequest {
		t.Errorf("empty batch: %d", status)
	}
}
