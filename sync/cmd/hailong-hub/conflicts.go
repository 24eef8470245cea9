package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// conflictsCommand is `hailong-hub conflicts`: deliveries of a stored
// response id with other content.
type conflictsCommand struct{}

func (c *conflictsCommand) flags(*flag.FlagSet) {}

func (c *conflictsCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *conflictsCommand) run(ctx context.Context, m *Main) error {
	cs, err := m.store.Conflicts(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		m.say(m.Stdout, "hubcli.conflicts.none")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESPONSE\tDEVICE\tRECEIVED\tREFUSED CONTENT")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ResponseID, c.DeviceID, c.ReceivedAt.In(survey.Location()).Format("2006-01-02 15:04"), c.Content)
	}
	return tw.Flush()
}
