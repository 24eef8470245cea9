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

// auditVerifyCommand is `hailong-hub audit verify [--head ENTRY:HASH]`:
// recompute the audit log's hash chain and report the first entry that was
// changed or follows a deleted one (exit 1), or the number of entries and
// the head to note down. Removing the newest entries leaves a chain that
// holds: --head, a head noted earlier, shows that too.
type auditVerifyCommand struct {
	headFlag string
	noted    map[int64][32]byte
}

func (c *auditVerifyCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.headFlag, "head", "", "a head printed by an earlier audit verify (ENTRY:HASH): it must still be in the log")
}

func (c *auditVerifyCommand) parse(name string, args []string, given func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if given("head") {
		seq, h, err := hub.ParseAuditHead(c.headFlag)
		if err != nil {
			return fmt.Errorf("audit verify --head %w", err)
		}
		c.noted = map[int64][32]byte{seq: h}
	}
	return nil
}

func (c *auditVerifyCommand) run(ctx context.Context, m *Main) error {
	cp, err := m.store.AuditCheckpoint(ctx)
	if err != nil {
		return err
	}
	rep, err := hub.VerifyAudit(ctx, cp, m.store.AuditLog(ctx), c.noted)
	if err != nil {
		return err
	}
	if rep.Break != nil {
		fmt.Fprintf(m.Stdout, "Nhật ký quản trị: %d mục đầu nguyên vẹn; hỏng ở mục %d: %s.\nAudit log: the first %d entries hold; it breaks at %s.\n",
			rep.Entries, rep.Break.Seq, rep.Break.Reason, rep.Entries, rep.Break)
		return fmt.Errorf("audit verify: the audit log breaks at %s", rep.Break)
	}
	if cp != nil {
		fmt.Fprintf(m.Stdout, "Các mục 1 đến %d đã được xoá theo thời hạn lưu trữ; chuỗi bắt đầu từ điểm mốc %s.\nEntries 1 to %d were purged under the retention period; the chain starts from the checkpoint %s.\n",
			cp.Seq, cp, cp.Seq, cp)
	}
	head := fmt.Sprintf("%d:%s", rep.Entries, rep.HeadHex())
	fmt.Fprintf(m.Stdout, "Nhật ký quản trị nguyên vẹn: %d mục. Hãy ghi lại đầu chuỗi %s để lần sau kiểm tra bằng --head.\nThe audit log holds: %d entries. Note down its head %s and check it next time with --head.\n",
		rep.Entries, head, rep.Entries, head)
	return nil
}
