package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// retentionFlags are the retention periods of serve (its daily purge) and
// purge: how long each kind of raw data is kept (docs/retention.md).
type retentionFlags struct {
	responses, conflicts, feedback, audit string
	r                                     hub.Retention
}

func (f *retentionFlags) flags(fs *flag.FlagSet) {
	fs.StringVar(&f.responses, "keep-responses", "0", "keep responses this `PERIOD` after they started (90d, 24m, 5y; 0 keeps forever)")
	fs.StringVar(&f.conflicts, "keep-conflicts", "0", "keep conflicting deliveries this `PERIOD` after they arrived (0 keeps forever)")
	fs.StringVar(&f.feedback, "keep-feedback", "0", "keep the citizens' texts of feedback cases this `PERIOD` after they arrived, and staff's notes on help requests as long after they were resolved; the cases and requests stay, blanked (0 keeps forever)")
	fs.StringVar(&f.audit, "keep-audit", "0", "keep audit log entries this `PERIOD` (at least as long as the others; 0 keeps forever)")
}

func (f *retentionFlags) parse(name string) error {
	var err error
	for _, k := range []struct {
		flag, text string
		p          *hub.Period
	}{{"keep-responses", f.responses, &f.r.Responses}, {"keep-conflicts", f.conflicts, &f.r.Conflicts}, {"keep-feedback", f.feedback, &f.r.Feedback}, {"keep-audit", f.audit, &f.r.Audit}} {
		if *k.p, err = hub.ParsePeriod(k.text); err != nil {
			return fmt.Errorf("%s --%s: %w", name, k.flag, err)
		}
	}
	if err := f.r.Check(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// purgeCommand is `hailong-hub purge`: delete the raw data older than the
// retention periods, or the responses and conflicts before --before, and
// count what went in the audit log.
type purgeCommand struct {
	keep   retentionFlags
	before string
	cut    time.Time // start of --before's day, zero without it
	now    func() time.Time
}

func (c *purgeCommand) flags(fs *flag.FlagSet) {
	c.keep.flags(fs)
	fs.StringVar(&c.before, "before", "", "delete responses started and conflicts received before this `YYYY-MM-DD` (Asia/Ho_Chi_Minh)")
}

func (c *purgeCommand) parse(name string, args []string, given func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if err := c.keep.parse(name); err != nil {
		return err
	}
	if c.now == nil {
		c.now = time.Now
	}
	if given("before") {
		d, err := time.ParseInLocation("2006-01-02", c.before, survey.Location())
		if err != nil {
			return fmt.Errorf("%s --before %q: want a date YYYY-MM-DD", name, c.before)
		}
		if d.After(report.DayOf(c.now())) {
			return fmt.Errorf("%s --before %s: the date is after today; nothing recorded later than today can be purged", name, c.before)
		}
		if a := c.keep.r.Audit.Cut(c.now()); !c.keep.r.Audit.Forever() && a.After(d) {
			return fmt.Errorf("%s: --keep-audit %s would purge audit entries after --before %s: the audit log must be kept longest", name, c.keep.r.Audit, c.before)
		}
		c.cut = d
	} else if !c.keep.r.Enabled() {
		return fmt.Errorf("%s: nothing to purge: give --before DATE or a --keep-responses, --keep-conflicts, --keep-feedback or --keep-audit period", name)
	}
	return nil
}

func (c *purgeCommand) run(ctx context.Context, m *Main) error {
	now := c.now()
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	} else if s := os.Getenv("USER"); s != "" {
		name = s
	}
	req := c.keep.r.Request(now, hub.NewAuditEntry(now, "cli:"+name, hub.AuditPurge, "local", nil))
	if !c.cut.IsZero() {
		req.ResponsesBefore, req.ConflictsBefore = c.cut, c.cut
	}
	res, err := m.store.Purge(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Đã xoá %d phiếu trả lời, %d lần gửi mâu thuẫn, nội dung của %d phản ánh, ghi chú của %d yêu cầu hỗ trợ, %d mục nhật ký quản trị (ghi ở mục nhật ký %d).\nPurged %d responses, %d conflicting deliveries, the texts of %d feedback cases, the notes of %d help requests, %d audit entries (recorded as audit entry %d).\n",
		res.Responses, res.Conflicts, res.Feedback, res.HelpNotes, res.Audit, res.Entry.Seq, res.Responses, res.Conflicts, res.Feedback, res.HelpNotes, res.Audit, res.Entry.Seq)
	if res.Checkpoint != nil {
		fmt.Fprintf(m.Stdout, "Điểm mốc nhật ký: %s.\nAudit checkpoint: %s.\n", res.Checkpoint, res.Checkpoint)
	}
	return nil
}

// purgeSchedule is serve's daily purge: a run at start and one at each
// day start after (Asia/Ho_Chi_Minh), each claiming its day in the store
// so that of several hubs sharing a database one purges per day.
type purgeSchedule struct {
	store  hub.Store
	keep   hub.Retention
	logger *slog.Logger
	now    func() time.Time
	cancel context.CancelFunc
	done   chan struct{}
}

// runOnce purges for today unless another run has claimed it.
func (p *purgeSchedule) runOnce(ctx context.Context) {
	now := p.now()
	req := p.keep.Request(now, hub.NewAuditEntry(now, "hub:scheduled", hub.AuditPurge, "local", nil))
	req.ClaimDay = report.DayOf(now).Format("2006-01-02")
	res, err := p.store.Purge(ctx, req)
	switch {
	case errors.Is(err, hub.ErrPurgeClaimed):
		p.logger.Debug("scheduled purge already ran today", "day", req.ClaimDay)
	case err != nil:
		p.logger.Error("scheduled purge failed; it runs again tomorrow", "day", req.ClaimDay, "err", err)
	default:
		p.logger.Info("scheduled purge", "day", req.ClaimDay, "responses", res.Responses, "conflicts", res.Conflicts, "feedback", res.Feedback, "help_notes", res.HelpNotes, "audit", res.Audit, "audit_entry", res.Entry.Seq)
	}
}

// start runs today's purge, then the next at each day start, until stop.
func (p *purgeSchedule) start(ctx context.Context) {
	p.runOnce(ctx)
	ctx, p.cancel = context.WithCancel(ctx)
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		for {
			next := report.DayOf(p.now()).AddDate(0, 0, 1).Add(time.Minute)
			t := time.NewTimer(time.Until(next))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
				p.runOnce(ctx)
			}
		}
	}()
}

// stop ends the schedule and waits for a run under way.
func (p *purgeSchedule) stop() {
	if p.cancel != nil {
		p.cancel()
		<-p.done
	}
}
