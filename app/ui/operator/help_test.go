package operator_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// TestOperatorHelp: a request raised on the kiosk shows at once in the
// operator's column with its wait; the operator records the outcome there
// and the kiosk's banner goes.
func TestOperatorHelp(t *testing.T) {
	ctx := context.Background()
	app := test.NewTempApp(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	builtin, err := survey.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	k, err := ui.New(app, ui.Deps{
		Store:  st,
		Help:   st,
		Config: func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
		Survey: func(_ context.Context, id string) (*survey.Survey, error) {
			for _, s := range survey.Newest(builtin) {
				if s.ID == id {
					return s, nil
				}
			}
			return nil, fmt.Errorf("no survey %q", id)
		},
		Clock:    &clock{now: now},
		Go:       func(f func()) { f() },
		DeviceID: "operator-test",
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := operator.Attach(ctx, k, operator.Deps{Store: st, Help: st, Builtin: builtin, Go: func(f func()) { f() }})
	if err != nil {
		t.Fatal(err)
	}
	if p.Help == nil || len(p.Help.Rows) != 0 || p.Help.Empty.Text == "" {
		t.Fatal("no empty help section in the operator's column")
	}
	test.Tap(k.Welcome.Help)
	if k.HelpBanner == nil || len(p.Help.Rows) != 1 {
		t.Fatalf("after the welcome button: banner %v, %d rows", k.HelpBanner != nil, len(p.Help.Rows))
	}
	if !strings.HasPrefix(p.Help.Rows[0].Waited.Text, "Chờ 0 phút") {
		t.Errorf("wait %q", p.Help.Rows[0].Waited.Text)
	}
	test.Tap(p.Help.Rows[0].Record)
	p.Help.Form.Outcome.SetSelected(p.Help.Form.Outcome.Options[0]) // helped online
	if p.Help.Form.Reason.Visible() || p.Help.Form.Save.Disabled() {
		t.Fatal("helped online asks for a reason")
	}
	test.Tap(p.Help.Form.Save)
	if k.HelpBanner != nil || len(p.Help.Rows) != 0 {
		t.Fatalf("after the outcome: banner %v, %d rows", k.HelpBanner != nil, len(p.Help.Rows))
	}
	pending, err := st.PendingHelp(ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].Outcome != help.Helped {
		t.Fatalf("pending %+v, %v", pending, err)
	}
}
