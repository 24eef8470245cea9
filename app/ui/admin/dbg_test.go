package admin

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/hailong-kiosk/hailong/app/ui"
)

func TestDbgSizes(t *testing.T) {
	r := newRig(t)
	fyne.CurrentApp().Settings().SetTheme(ui.Theme())
	p := r.open()
	t.Logf("general %v links %v change %v counts %v", p.general.content.MinSize(), p.links.content.MinSize(), p.change.content.MinSize(), p.counts.content.MinSize())
	t.Logf("tabs %v back %v quit %v title %v", p.main.tabs.MinSize(), p.main.back.MinSize(), p.main.quit.MinSize(), p.main.title.MinSize())
	t.Logf("idle %v thanks %v misuse %v", p.general.idle.object("giây").MinSize(), p.general.thanks.entry.MinSize(), p.general.misuse.minus.MinSize())
}
