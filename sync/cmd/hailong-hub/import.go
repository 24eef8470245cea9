package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/sync/hub"
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

func (c *importCommand) checkInput() error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	return f.Close()
}

func (c *importCommand) run(ctx context.Context, m *Main) error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	rep, err := m.hub.Import(ctx, f)
	m.say(m.Stdout, "hubcli.import.bundle", "Path", c.path, "Device", rep.DeviceID, "Count", rep.Batches)
	for _, o := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Rejected} {
		fmt.Fprintf(m.Stdout, "  %-9s %d\n", o, rep.Outcomes[o])
	}
	refused := m.writeRefusals(m.Stdout, rep.Rejected)
	details := url.Values{"file": {c.path}, "device": {rep.DeviceID}}
	for _, o := range []protocol.Outcome{protocol.Accepted, protocol.Duplicate, protocol.Conflict, protocol.Rejected} {
		details.Set(string(o), strconv.Itoa(rep.Outcomes[o]))
	}
	if aerr := m.audit(ctx, hub.AuditImport, details); aerr != nil {
		return errors.Join(err, aerr)
	}
	if errors.Is(err, protocol.ErrTruncated) {
		return fmt.Errorf("%w: the batches above were imported; export the bundle again and import it (nothing is counted twice)", err)
	}
	if err != nil {
		return err
	}
	if refused > 0 {
		// The bundle's answers never reach the kiosk: the exit status is
		// how the operator learns that some of them were not taken.
		return fmt.Errorf("%d of %d responses were not imported (see the reasons above); they stay on the kiosk", refused, refused+rep.Outcomes[protocol.Accepted]+rep.Outcomes[protocol.Duplicate])
	}
	return nil
}

// writeRefusals prints the refused items of an import counted by reason,
// each with its most frequent messages (for unknown_survey, the survey
// versions to publish), and returns how many there were.
func (m *Main) writeRefusals(w io.Writer, refused []protocol.Result) int {
	type group struct {
		n        int
		messages map[string]int
	}
	var order []string
	groups := map[string]*group{}
	for _, r := range refused {
		g := groups[r.Reason]
		if g == nil {
			g = &group{messages: map[string]int{}}
			groups[r.Reason] = g
			order = append(order, r.Reason)
		}
		g.n++
		g.messages[r.Message]++
	}
	if len(order) > 0 {
		m.say(w, "hubcli.import.refused")
	}
	for _, reason := range order {
		g := groups[reason]
		fmt.Fprintf(w, "  %-16s %d\n", reason, g.n)
		msgs := slices.Collect(maps.Keys(g.messages))
		slices.SortFunc(msgs, func(a, b string) int {
			if c := g.messages[b] - g.messages[a]; c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		for i, msg := range msgs {
			if i == maxRefusalMessages {
				m.say(w, "hubcli.import.more_messages", "Count", len(msgs)-i)
				break
			}
			fmt.Fprintf(w, "      %d × %s\n", g.messages[msg], msg)
		}
		if hint, ok := refusalHints[reason]; ok {
			m.say(w, hint)
		}
	}
	return len(refused)
}

// maxRefusalMessages bounds the messages shown for one refusal reason.
const maxRefusalMessages = 5

// refusalHints are the keys (hubcli area) of what the operator can do
// about a reason.
var refusalHints = map[string]string{
	protocol.ReasonUnknownSurvey: "hubcli.import.hint.unknown_survey",
	protocol.ReasonUnknownDevice: "hubcli.import.hint.unknown_device",
	protocol.ReasonDeviceRevoked: "hubcli.import.hint.device_revoked",
	protocol.ReasonConflict:      "hubcli.import.hint.conflict",
}
