package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// gapsCommand is `hailong-hub gaps`: per device, the sequence numbers
// from its first number (FROM: 1 unless the kiosk was enrolled again) to
// its signed high-water mark that the hub never received (responses
// deleted or lost on the device before sync).
type gapsCommand struct{}

func (c *gapsCommand) flags(*flag.FlagSet) {}

func (c *gapsCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *gapsCommand) run(ctx context.Context, m *Main) error {
	gs, err := m.hub.Gaps(ctx)
	if err != nil {
		return err
	}
	devs, err := m.store.Devices(ctx)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, d := range devs {
		names[d.ID] = d.Name
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	shown := 0
	for _, g := range gs {
		if len(g.Missing) == 0 {
			continue
		}
		if shown == 0 {
			fmt.Fprintln(tw, "DEVICE\tNAME\tFROM\tMARK\tMARK SIGNED\tRECEIVED\tMISSING\tNUMBERS MISSING")
		}
		shown++
		ranges := make([]string, len(g.Missing))
		for i, r := range g.Missing {
			ranges[i] = r.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%d\t%s\n", g.DeviceID, names[g.DeviceID], g.From, g.Mark,
			g.MarkAt.In(survey.Location()).Format("2006-01-02 15:04"), g.Received, g.MissingCount(), strings.Join(ranges, ", "))
	}
	if shown == 0 {
		m.say(m.Stdout, "hubcli.gaps.none", "Count", len(gs))
		return nil
	}
	return tw.Flush()
}
