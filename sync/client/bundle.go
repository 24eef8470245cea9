package client

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// BundleSource is what a bundle export reads: the outbox's settings,
// pending responses and counts (see Outbox).
type BundleSource interface {
	settings.KV
	PendingAfter(ctx context.Context, after int64, limit int) ([]Outgoing, error)
	SyncStats(ctx context.Context) (SyncStats, error)
	HighWater(ctx context.Context) (int64, error)
}

// bundlePage is how many outbox rows a bundle export reads at a time.
const bundlePage = 1000

// WriteBundle writes every pending response of src to w as the protocol's
// signed bundle, dated now, and returns how many it holds. The responses
// stay pending: when the kiosk later reaches the hub over the network, the
// hub answers "duplicate" for what the bundle delivered and the kiosk marks
// them synced. An empty outbox gives a valid bundle with no items.
func WriteBundle(ctx context.Context, src BundleSource, w io.Writer, now time.Time) (int, error) {
	id, ok, err := LoadIdentity(ctx, src)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errNotEnrolled
	}
	stats, err := src.SyncStats(ctx)
	if err != nil {
		return 0, &Error{Kind: KindLocal, Op: "export bundle", Err: err}
	}
	// Read after the stats: the mark covers every response the walk takes.
	mark, err := signedMark(ctx, src, id, now)
	if err != nil {
		return 0, err
	}
	bw, err := protocol.NewBundleWriter(w, protocol.BundleHeader{DeviceID: id.DeviceID, CreatedAt: now, Mark: mark})
	if err != nil {
		return 0, &Error{Kind: KindExport, Op: "export bundle", Err: err}
	}
	// The walk takes as many responses as were pending when it started;
	// responses saved during the export are left for the next one.
	for after, n := int64(0), 0; n < stats.Pending; {
		page, err := src.PendingAfter(ctx, after, min(bundlePage, stats.Pending-n))
		if err != nil {
			return 0, &Error{Kind: KindLocal, Op: "export bundle", Err: err}
		}
		if len(page) == 0 {
			break
		}
		for _, o := range page {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			it, _, err := outgoingItem(id, o)
			if err != nil {
				return 0, err
			}
			if err := bw.Add(it); err != nil {
				return 0, &Error{Kind: KindExport, Op: "export bundle", Err: err}
			}
		}
		after, n = page[len(page)-1].Seq, n+len(page)
	}
	if err := bw.Close(); err != nil {
		return 0, &Error{Kind: KindExport, Op: "export bundle", Err: err}
	}
	return bw.Counts().Items, nil
}

// ExportBundle writes the pending responses as a bundle file in dir (a USB
// stick, say), named by protocol.BundleFileName, and returns its path and
// item count. The file appears whole or not at all: it is written under a
// temporary name, synced, then renamed; on any error the partial file is
// removed. Errors are *Error with KindExport (the stick was pulled out, is
// full or write-protected), KindLocal or KindNotEnrolled.
func ExportBundle(ctx context.Context, src BundleSource, dir string, now time.Time) (path string, n int, err error) {
	id, ok, err := LoadIdentity(ctx, src)
	if err != nil {
		return "", 0, err
	}
	if !ok {
		return "", 0, errNotEnrolled
	}
	path = filepath.Join(dir, protocol.BundleFileName(id.DeviceID, now))
	f, err := os.CreateTemp(dir, ".hailong-bundle-*.tmp")
	if err != nil {
		return "", 0, &Error{Kind: KindExport, Op: "export bundle", Err: err}
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	n, err = WriteBundle(ctx, src, f, now)
	if err != nil {
		return "", 0, err
	}
	if err = f.Sync(); err != nil {
		return "", 0, &Error{Kind: KindExport, Op: "export bundle", Err: fmt.Errorf("sync %s: %w", tmp, err)}
	}
	if err = f.Close(); err != nil {
		return "", 0, &Error{Kind: KindExport, Op: "export bundle", Err: fmt.Errorf("close %s: %w", tmp, err)}
	}
	if err = os.Rename(tmp, path); err != nil {
		return "", 0, &Error{Kind: KindExport, Op: "export bundle", Err: err}
	}
	syncDir(dir)
	return path, n, nil
}

// syncDir makes a rename durable where the platform allows syncing a
// directory; failure is harmless (Windows and some FAT drivers refuse).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
