// Command hailong-hub is the central sync server of Hài Lòng kiosks: it
// enrolls devices, takes their signed uploads and USB bundles, publishes
// survey definitions, and serves the admin dashboard and exports. It runs
// headless and never imports Fyne.
//
//	hailong-hub serve --db hub.db --listen 127.0.0.1:8080 [--tls-cert F --tls-key F]
//	hailong-hub device enroll --name "Kiosk 1" --service-point "Phường Hoàn Kiếm" [--qr kiosk1.png]
//	hailong-hub device list
//	hailong-hub device revoke ID
//	hailong-hub survey publish FILE.json
//	hailong-hub import FILE.hlbundle
//	hailong-hub conflicts
//	hailong-hub gaps
//	hailong-hub admin add NAME | admin list | admin remove NAME
//	hailong-hub export --out FILE [--format csv|xlsx|jsonl] [--from --to --survey ID[@V] --service-point --status]
//	hailong-hub files import FILE.csv
//	hailong-hub verify [--roots SAVED-ROOTS.json]
//
// main only wires signals and exit codes; Main does the work, so tests
// reuse the same start-up.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdout, os.Stderr)
	m.Stdin = os.Stdin
	code := run(ctx, m, os.Args[1:])
	os.Exit(code)
}

// run parses, runs, waits for a signal when serving, closes, and maps errors
// to exit codes: 0 done, 1 failed, 2 usage.
func run(ctx context.Context, m *Main, args []string) int {
	if err := m.ParseFlags(ctx, args); err != nil {
		if errors.Is(err, errHelp) {
			return 0
		}
		fmt.Fprintln(m.Stderr, "hailong-hub:", err)
		return 2
	}
	err := m.Run(ctx)
	if err == nil && m.Serving() {
		<-ctx.Done()
		m.Logger.Info("shutting down", "reason", "signal")
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(m.Stderr, "hailong-hub:", err)
		return 1
	}
	return 0
}
