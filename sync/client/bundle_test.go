package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

func TestExportBundle(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	pub := enrollDirect(t, st, "http://127.0.0.1:1", "dev-7")
	ids := fill(t, st, 1203, "") // collected before enrollment: stamped dev-7
	dir := t.TempDir()
	path, n, err := ExportBundle(ctx, st, dir, base)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(ids) {
		t.Errorf("exported %d, want %d", n, len(ids))
	}
	if want := filepath.Join(dir, protocol.BundleFileName("dev-7", base)); path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the bundle (no temporary left)", len(entries))
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br, err := protocol.NewBundleReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if h := br.Header(); h.DeviceID != "dev-7" || !h.CreatedAt.Equal(base) {
		t.Errorf("header = %+v", h)
	}
	var got []string
	batches := 0
	for {
		b, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		batches++
		for _, it := range b.Items {
			if err := protocol.Verify(pub, it); err != nil {
				t.Fatalf("item %s: %v", it.Response.ID, err)
			}
			got = append(got, it.Response.ID)
		}
	}
	if len(got) != len(ids) || batches != 3 {
		t.Fatalf("bundle holds %d items in %d batches, want %d in 3", len(got), batches, len(ids))
	}
	for i := range ids {
		if got[i] != ids[i] {
			t.Fatalf("item %d = %s, want %s (oldest first)", i, got[i], ids[i])
		}
	}
	if s := stats(t, st); s.Pending != len(ids) || s.Synced != 0 {
		t.Errorf("after export: %+v; responses must stay pending", s)
	}
}

func TestExportBundleEmptyOutbox(t *testing.T) {
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-7")
	path, n, err := ExportBundle(context.Background(), st, t.TempDir(), base)
	if err != nil || n != 0 {
		t.Fatalf("ExportBundle = %d, %v", n, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br, err := protocol.NewBundleReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := br.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("empty bundle: Next = %v, want EOF", err)
	}
}

func TestExportBundleNotEnrolled(t *testing.T) {
	st := openStore(t)
	fill(t, st, 2, "")
	dir := t.TempDir()
	if _, _, err := ExportBundle(context.Background(), st, dir, base); KindOf(err) != KindNotEnrolled {
		t.Errorf("ExportBundle = %v, want not enrolled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files", len(entries))
	}
}

func TestExportBundleMissingFolder(t *testing.T) {
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-7")
	fill(t, st, 2, "")
	_, _, err := ExportBundle(context.Background(), st, filepath.Join(t.TempDir(), "usb-removed"), base)
	if KindOf(err) != KindExport {
		t.Errorf("ExportBundle = %v, want an export error", err)
	}
}

// cancelOnPending cancels the export's context once it starts reading the
// outbox, as if the admin gave up half way.
type cancelOnPending struct {
	BundleSource
	cancel context.CancelFunc
}

func (c cancelOnPending) PendingAfter(ctx context.Context, after int64, limit int) ([]Outgoing, error) {
	rs, err := c.BundleSource.PendingAfter(ctx, after, limit)
	c.cancel()
	return rs, err
}

func TestExportBundleRemovesPartialFile(t *testing.T) {
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-7")
	fill(t, st, 600, "")
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, _, err := ExportBundle(ctx, cancelOnPending{st, cancel}, dir, base)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ExportBundle = %v, want cancelled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled export left %d files", len(entries))
	}
}

// failAfter fails every write after n bytes, like a stick pulled out.
type failAfter struct {
	n   int
	buf bytes.Buffer
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.buf.Len()+len(p) > f.n {
		return 0, errors.New("input/output error")
	}
	return f.buf.Write(p)
}

func TestWriteBundleWriteError(t *testing.T) {
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-7")
	fill(t, st, 700, "")
	for _, n := range []int{0, 100, 200_000} {
		_, err := WriteBundle(context.Background(), st, &failAfter{n: n}, base)
		if KindOf(err) != KindExport {
			t.Errorf("fail after %d bytes: %v, want an export error", n, err)
		}
	}
}
