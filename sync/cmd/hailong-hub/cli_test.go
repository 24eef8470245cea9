package main

import (
	"strings"
	"testing"
)

// TestEveryUsageLineHasACommand: each command the usage text shows parses
// to a command type, and a name it does not show does not.
func TestEveryUsageLineHasACommand(t *testing.T) {
	seen := 0
	for _, line := range strings.Split(usage, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "hailong-hub ")
		if !ok {
			continue
		}
		words := strings.Fields(rest)
		name := words[0]
		if name == "device" || name == "survey" || name == "admin" || name == "files" || name == "audit" || name == "webhook" {
			name += " " + words[1]
		}
		if newCommand(name) == nil {
			t.Errorf("usage shows %q, which has no command type", name)
		}
		seen++
	}
	if seen != 22 {
		t.Errorf("usage shows %d commands, want 22", seen)
	}
	for _, name := range []string{"", "device", "serve now", "Import", "admin delete"} {
		if newCommand(name) != nil {
			t.Errorf("newCommand(%q) is a command", name)
		}
	}
}
