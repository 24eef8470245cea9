package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// audit appends a command's action to the hub's audit log. The actor is
// "cli:" and the operating-system user running the command, the address
// "local". A command that changed something calls it after the change;
// its error then says that the change is made but not recorded.
func (m *Main) audit(ctx context.Context, action string, details url.Values) error {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	} else if s := os.Getenv("USER"); s != "" {
		name = s
	}
	if _, err := m.store.AppendAudit(ctx, hub.NewAuditEntry(time.Now(), "cli:"+name, action, "local", details)); err != nil {
		return fmt.Errorf("ghi nhật ký quản trị / write the audit log (%s): %w", action, err)
	}
	return nil
}

// auditVerifyCommand is `hailong-hub audit verify`: recompute the audit
// log's hash chain and report the first entry that was changed or follows
// a deleted one (exit 1), or the number of entries and the head hash to
// note down (an edit that also cuts off every later entry shows only
// against a head noted earlier).
type auditVerifyCommand struct{}

func (c *auditVerifyCommand) flags(*flag.FlagSet) {}

func (c *auditVerifyCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *auditVerifyCommand) run(ctx context.Context, m *Main) error {
	rep, err := hub.VerifyAudit(ctx, m.store.AuditLog(ctx))
	if err != nil {
		return err
	}
	if rep.Break != nil {
		fmt.Fprintf(m.Stdout, "Nhật ký quản trị: %d mục đầu nguyên vẹn; hỏng ở mục %d: %s.\nAudit log: the first %d entries hold; it breaks at %s.\n",
			rep.Entries, rep.Break.Seq, rep.Break.Reason, rep.Entries, rep.Break)
		return fmt.Errorf("audit verify: the audit log breaks at %s", rep.Break)
	}
	fmt.Fprintf(m.Stdout, "Nhật ký quản trị nguyên vẹn: %d mục, mục cuối có mã %s. Hãy ghi lại mã này để so lần sau.\nThe audit log holds: %d entries, the last one's hash is %s. Note it down to compare next time.\n",
		rep.Entries, rep.HeadHex(), rep.Entries, rep.HeadHex())
	return nil
}
