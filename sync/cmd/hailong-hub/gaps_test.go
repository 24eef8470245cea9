package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/hub/storetest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func TestGapsCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	if err := st.CreateDevice(ctx, &hub.Device{ID: "dev-a", Name: "Quầy 1", CreatedAt: at, CodeExpiresAt: at}, []byte("code-a")); err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for i, n := range []int64{1, 2, 5, 6, 7} {
		r := storetest.Response(
			[]string{"019abcde-f012-7345-8678-000000000001", "019abcde-f012-7345-8678-000000000002",
				"019abcde-f012-7345-8678-000000000003", "019abcde-f012-7345-8678-000000000004",
				"019abcde-f012-7345-8678-000000000005"}[i], at.Add(time.Duration(i)*time.Minute))
		in := storetest.Incoming(t, r)
		if in.Content, err = protocol.CanonicalV2(protocol.NewResponseV1(r), n); err != nil {
			t.Fatal(err)
		}
		in.Seq = n
		items = append(items, in)
	}
	if _, err := st.Ingest(ctx, items, at); err != nil {
		t.Fatal(err)
	}
	mark := hub.DeviceMark{DeviceID: "dev-a", From: 1, Seq: 7, SignedAt: at, Signature: make([]byte, 64), ReceivedAt: at}
	if err := st.RecordMark(ctx, mark); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := mustRun(t, "gaps", "--db", db)
	if !strings.Contains(out, "dev-a") || !strings.Contains(out, "Quầy 1") || !strings.Contains(out, "3-4") {
		t.Errorf("gaps output:\n%s", out)
	}
	fields := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])
	// DEVICE NAME(2 words) FROM MARK DATE TIME RECEIVED MISSING NUMBERS
	if len(fields) != 10 || fields[3] != "1" || fields[4] != "7" || fields[7] != "5" || fields[8] != "2" || fields[9] != "3-4" {
		t.Errorf("gaps row %q", fields)
	}
	if _, _, code := runCmd(t, "gaps", "extra", "--db", db); code != 2 {
		t.Errorf("gaps with an argument: exit %d, want 2", code)
	}

	if out := mustRun(t, "gaps", "--db", emptyHub(t)); !strings.Contains(out, "No gaps") {
		t.Errorf("gaps on an empty hub:\n%s", out)
	}
}
