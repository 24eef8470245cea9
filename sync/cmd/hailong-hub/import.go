package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// importCommand is `hailong-hub import FILE.hlbundle`: a USB bundle's
// signed responses, through the same checks as an upload.
type importCommand struct{ path string }

func (c *importCommand) flags(*flag.FlagSet) {}

func (c *importCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.path = args[0]
	return nil
}

func (c *importCommand) run(ctx context.Context, m *Main) error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	rep, err := m.hub.Import(ctx, f)
	fmt.Fprintf(m.Stdout, "Bundle %s from device %s: %d batches\n", c.path, rep.DeviceID, rep.Batches)
	for _, o := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Rejected} {
		fmt.Fprintf(m.Stdout, "  %-9s %d\n", o, rep.Outcomes[o])
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(m.Stdout, "  %s %s: %s (%s)\n", r.Outcome, r.ID, r.Reason, r.Message)
	}
	if errors.Is(err, protocol.ErrTruncated) {
		return fmt.Errorf("%w: the batches above were imported; export the bundle again and import it (nothing is counted twice)", err)
	}
	return err
}
