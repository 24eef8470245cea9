package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Enroll runs "hailong enroll" with args (the arguments after "enroll") and
// returns the process exit code: 0 on success, 2 for a usage error, 1 when
// the hub refused or could not be reached (the reason in Vietnamese and
// English, from the sync tab's messages) or the database failed.
func Enroll(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	tx := loadTexts()
	fs := newFlagSet("hailong enroll")
	db := fs.String("db", store.DefaultPath(), "kiosk database `FILE`")
	hubURL := fs.String("hub", "", "hub address `URL`")
	code := fs.String("code", "", "one-time enrollment `CODE`, or the enrollment QR code's text")
	if err := parseFlags(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageText("cli.usage.enroll"))
			return 0
		}
		return tx.usage(stderr, "hailong enroll", err, "cli.usage.enroll")
	}
	if fs.NArg() > 0 {
		return tx.usage(stderr, "hailong enroll", fail("cli.arg.unexpected", map[string]any{"Arg": fs.Arg(0)}), "cli.usage.enroll")
	}
	if u, c, err := protocol.ParseEnrollURI(strings.TrimSpace(*code)); err == nil {
		if u != "" && *hubURL == "" {
			*hubURL = u
		}
		*code = c
	}
	if strings.TrimSpace(*hubURL) == "" || strings.TrimSpace(*code) == "" {
		return tx.usage(stderr, "hailong enroll", fail("cli.enroll.required", nil), "cli.usage.enroll")
	}
	id, prev, own, adopted, err := enroll(ctx, *db, nil, *hubURL, *code)
	cat, _ := i18n.Load("sync")
	vi, en := cat.In("vi"), cat.In("en")
	if err != nil {
		if k := client.KindOf(err); k != "" {
			fmt.Fprintf(stderr, "hailong enroll: %s\n%s\n(%v)\n", vi.T(k.Key()), en.T(k.Key()), err)
		} else if _, ok := errors.AsType[*problem](err); ok {
			tx.say(stderr, "hailong enroll", err)
		} else {
			tx.say(stderr, "hailong enroll", failWith("cli.enroll.failed", nil, err))
		}
		return 1
	}
	key, done := "sync.connect.done", map[string]any{"Device": id.DeviceID}
	switch {
	case adopted:
		key, done["HubPoint"] = "sync.connect.done_adopted_point", id.ServicePoint
	case own != "":
		key, done["HubPoint"], done["KioskPoint"] = "sync.connect.done_other_point", id.ServicePoint, own
	}
	fmt.Fprintf(stdout, "%s\n%s\n", vi.T(key, done), en.T(key, done))
	if prev.DeviceID != "" {
		was := map[string]any{"Hub": prev.HubURL, "Device": prev.DeviceID}
		fmt.Fprintf(stdout, "%s\n%s\n", vi.T("sync.connect.replaced", was), en.T("sync.connect.replaced", was))
	}
	return 0
}

// enroll joins the kiosk database at path (created with its folder when
// there is none) to the hub; hc nil is the client's default. prev is the
// enrollment it replaced (zero for a first one); own and adopted are
// client.AdoptServicePoint's.
func enroll(ctx context.Context, path string, hc *http.Client, hubURL, code string) (id, prev client.Identity, own string, adopted bool, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return id, prev, "", false, failWith("cli.db.folder", map[string]any{"Folder": filepath.Dir(path)}, err)
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return id, prev, "", false, failWith("cli.db.open", map[string]any{"DB": path}, err)
	}
	defer st.Close()
	// A damaged earlier identity is replaced all the same; it is only named.
	prev, _, _ = client.LoadIdentity(ctx, st)
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if id, err = client.Enroll(tctx, st, hc, hubURL, code); err != nil {
		return id, prev, "", false, err
	}
	// Enrolled: a settings read failing now costs only the note.
	own, adopted, _ = client.AdoptServicePoint(ctx, st, id)
	return id, prev, own, adopted, nil
}
