package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// filesImportCommand is `hailong-hub files import FILE.csv`: the agency's
// counts of returned files per day and service point (date, service
// point, files returned), all stored or none.
type filesImportCommand struct{ path string }

func (c *filesImportCommand) flags(*flag.FlagSet) {}

func (c *filesImportCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.path = args[0]
	return nil
}

func (c *filesImportCommand) checkInput() error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("open file counts: %w", err)
	}
	return f.Close()
}

func (c *filesImportCommand) run(ctx context.Context, m *Main) error {
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("open file counts: %w", err)
	}
	defer f.Close()
	counts, err := hub.ParseFileCountsCSV(f)
	if err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	if err := m.store.PutFileCounts(ctx, counts, time.Now()); err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.Files
	}
	m.say(m.Stdout, "hubcli.files.imported", "Count", len(counts), "Files", total, "Path", c.path)
	return nil
}
