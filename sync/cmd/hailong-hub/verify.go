package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/web"
)

// verifyCommand is `hailong-hub verify [--roots FILE]`: recompute the
// acceptance chain from the database and report the first break, checking
// it against roots copied earlier from /api/v1/roots (docs/receipts.md).
type verifyCommand struct {
	rootsFile string
	published map[int64][32]byte // entry number → root, from rootsFile
}

func (c *verifyCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.rootsFile, "roots", "", "a copy of /api/v1/roots taken earlier: each root must match the entry it names")
}

func (c *verifyCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if c.rootsFile == "" {
		return nil
	}
	data, err := os.ReadFile(c.rootsFile)
	if err != nil {
		return fmt.Errorf("verify: --roots: %w", err)
	}
	if c.published, err = parseRoots(data); err != nil {
		return fmt.Errorf("verify: --roots %s: %w", c.rootsFile, err)
	}
	return nil
}

// parseRoots reads a saved /api/v1/roots answer into entry number → root.
func parseRoots(data []byte) (map[int64][32]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var list web.RootsList
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("not a saved /api/v1/roots answer: %w", err)
	}
	if list.Hash != "sha256" {
		return nil, fmt.Errorf("hash %q, want sha256", list.Hash)
	}
	if len(list.Roots) == 0 {
		return nil, errors.New("it holds no roots")
	}
	out := make(map[int64][32]byte, len(list.Roots))
	for _, r := range list.Roots {
		b, err := hex.DecodeString(r.Root)
		if err != nil || len(b) != 32 {
			return nil, fmt.Errorf("day %s: root %q is not 64 hexadecimal digits", r.Day, r.Root)
		}
		if r.LastEntry < 1 {
			return nil, fmt.Errorf("day %s: last_entry %d", r.Day, r.LastEntry)
		}
		var root [32]byte
		copy(root[:], b)
		if have, ok := out[r.LastEntry]; ok && have != root {
			return nil, fmt.Errorf("entry %d has two different roots in the file", r.LastEntry)
		}
		out[r.LastEntry] = root
	}
	return out, nil
}

func (c *verifyCommand) run(ctx context.Context, m *Main) error {
	rep, err := hub.VerifyChain(ctx, m.store, c.published)
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
		m.say(m.Stdout, "hubcli.verify.breaks", "Count", rep.Entries, "Break", fmt.Sprint(rep.Break))
		return fmt.Errorf("verify: the acceptance chain breaks at %s (the roots above are those up to the break)", rep.Break)
	}
	if c.published != nil {
		m.say(m.Stdout, "hubcli.verify.holds_roots", "Count", rep.Entries, "Roots", len(c.published), "File", c.rootsFile)
		return nil
	}
	m.say(m.Stdout, "hubcli.verify.holds", "Count", rep.Entries)
	return nil
}
