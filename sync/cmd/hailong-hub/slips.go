package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/slipsheet"
)

// slipsCommand is `hailong-hub slips`: a print run of one-time rating
// slips for one service point, stored at the hub and written as an A4 PDF
// to cut (docs/slips.md).
type slipsCommand struct {
	servicePoint string
	count        int
	out          string
	hubURL       string
	lang         string
}

func (c *slipsCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.servicePoint, "service-point", "", "service point (desk) the slips are handed out at (required)")
	fs.IntVar(&c.count, "count", 0, fmt.Sprintf("number of slips, 1 to %d (required)", hub.MaxSlipBatch))
	fs.StringVar(&c.out, "out", "", "PDF file to write (required)")
	fs.StringVar(&c.hubURL, "hub-url", "", "hub URL citizens' phones reach, put in the QR codes (required)")
	fs.StringVar(&c.lang, "lang", "vi", "language of the slips' texts: vi or en")
}

func (c *slipsCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if _, err := hub.CheckServicePoint(c.servicePoint); err != nil {
		return fmt.Errorf("slips: --service-point: cần tên điểm phục vụ / %v", err)
	}
	if c.count < 1 || c.count > hub.MaxSlipBatch {
		return fmt.Errorf("slips: --count %d: cần từ 1 đến %d phiếu / want 1 to %d slips", c.count, hub.MaxSlipBatch, hub.MaxSlipBatch)
	}
	if c.out == "" {
		return errors.New("slips: cần --out (tệp PDF) / --out FILE.pdf is required")
	}
	if c.hubURL == "" {
		return errors.New("slips: cần --hub-url (địa chỉ điện thoại của người dân mở được) / --hub-url is required: the QR codes open the survey there")
	}
	u, err := checkHubURL(c.hubURL)
	if err != nil {
		return fmt.Errorf("slips: %w", err)
	}
	c.hubURL = u
	if c.lang != "vi" && c.lang != "en" {
		return fmt.Errorf("slips: --lang %q: cần vi hoặc en / want vi or en", c.lang)
	}
	return nil
}

func (c *slipsCommand) run(ctx context.Context, m *Main) error {
	key, err := m.hub.SlipKey(ctx)
	if err != nil {
		return err
	}
	// The file is written beside its target and renamed: a failure leaves
	// no half sheet that could be printed. Checked before the slips are
	// stored, so a bad --out stores nothing.
	tmp, err := os.CreateTemp(filepath.Dir(c.out), ".slips-*.pdf")
	if err != nil {
		return fmt.Errorf("slips: không ghi được / cannot write %s: %w", c.out, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	slips, err := m.hub.IssueSlips(ctx, c.servicePoint, c.count)
	if err != nil {
		return err
	}
	if err := slipsheet.Write(tmp, slips, slipsheet.Options{BaseURL: c.hubURL, Key: key, Lang: c.lang}); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("slips: write %s: %w", c.out, err)
	}
	if err := os.Rename(tmp.Name(), c.out); err != nil {
		return fmt.Errorf("slips: write %s: %w", c.out, err)
	}
	first := slips[0]
	if err := m.audit(ctx, hub.AuditSlipsPrint, url.Values{"batch": {first.BatchID}, "service_point": {first.ServicePoint}, "count": {strconv.Itoa(len(slips))}}); err != nil {
		return err
	}
	pages := (len(slips) + slipsheet.PerPage - 1) / slipsheet.PerPage
	fmt.Fprintf(m.Stdout, "Đã tạo %d phiếu đánh giá cho %s (%d trang A4): %s\n", len(slips), first.ServicePoint, pages, c.out)
	fmt.Fprintf(m.Stdout, "Created %s for %s (%s): %s\n", plural(len(slips), "rating slip", "rating slips"), first.ServicePoint, plural(pages, "A4 page", "A4 pages"), c.out)
	fmt.Fprintf(m.Stdout, "Đợt in / Batch: %s\n", first.BatchID)
	return nil
}

// plural is "1 one" or "n many", for the English half of a message.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
