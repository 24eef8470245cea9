package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// verifyCommand is `hailong-hub verify`: recompute the acceptance chain
// from the database and report the first break (docs/receipts.md).
type verifyCommand struct{}

func (c *verifyCommand) flags(*flag.FlagSet) {}

func (c *verifyCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *verifyCommand) run(ctx context.Context, m *Main) error {
	rep, err := hub.VerifyChain(ctx, m.store)
	if err != nil {
		return err
	}
	if len(rep.Roots) > 0 {
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DAY\tENTRIES\tLAST ENTRY\tROOT")
		for _, r := range rep.Roots {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", r.Day, r.Entries, r.LastSeq, r.RootHex())
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if rep.Break != nil {
		fmt.Fprintf(m.Stdout, "%d entries hold; the chain breaks at %s.\n", rep.Entries, rep.Break)
		return fmt.Errorf("verify: the acceptance chain breaks at %s (the roots above are those up to the break)", rep.Break)
	}
	fmt.Fprintf(m.Stdout, "The chain holds: %d entries, one per stored response, none changed. Compare the roots above with copies taken from /receipts or /api/v1/roots.\n", rep.Entries)
	return nil
}
