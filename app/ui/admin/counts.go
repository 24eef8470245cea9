package admin

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// countsTab ("Số liệu") shows how many responses the kiosk holds.
type countsTab struct {
	p                                *Panel
	day                              *widget.Label
	today, total, abandoned, flagged *widget.Label
	status                           *widget.Label
	refreshBtn                       *widget.Button
	content                          fyne.CanvasObject
}

// vietnam is Asia/Ho_Chi_Minh (UTC+7 when the machine has no zone data).
func vietnam() *time.Location { return survey.Location() }

// startOfDay is midnight of t's day in Vietnam.
func startOfDay(t time.Time) time.Time {
	t = t.In(vietnam())
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func newCountsTab(p *Panel) *countsTab {
	c := &countsTab{p: p}
	num := func() *widget.Label {
		n := widget.NewLabelWithStyle("–", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		n.SizeName = theme.SizeNameHeadingText
		return n
	}
	c.day = widget.NewLabel("")
	c.today, c.total, c.abandoned, c.flagged = num(), num(), num(), num()
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.status.Importance = widget.DangerImportance
	c.refreshBtn = widget.NewButtonWithIcon(p.l("admin.counts.refresh"), theme.ViewRefreshIcon(), func() {
		p.touch()
		c.refresh()
	})
	card := func(label, help string, value *widget.Label) fyne.CanvasObject {
		t := widget.NewLabelWithStyle(label, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		h := widget.NewLabelWithStyle(help, fyne.TextAlignCenter, fyne.TextStyle{})
		h.Importance = widget.LowImportance
		h.Wrapping = fyne.TextWrapWord
		return widget.NewCard("", "", container.NewVBox(value, t, h))
	}
	grid := container.NewVBox(
		c.day,
		container.NewGridWithColumns(4,
			card(p.l("admin.counts.today"), p.l("admin.counts.today.help"), c.today),
			card(p.l("admin.counts.total"), p.l("admin.counts.total.help"), c.total),
			card(p.l("admin.counts.abandoned"), p.l("admin.counts.abandoned.help"), c.abandoned),
			card(p.l("admin.counts.flagged"), p.l("admin.counts.flagged.help"), c.flagged),
		),
	)
	// The refresh button stays in sight; the cards scroll on a short screen.
	bottom := container.NewBorder(nil, nil, nil, minSized(c.refreshBtn, 0, 56), c.status)
	c.content = container.NewBorder(nil, container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(grid)))
	c.refresh()
	return c
}

// refresh reads the counts again, off the UI goroutine (counting a
// year of responses is a scan).
func (c *countsTab) refresh() {
	now := c.p.d.Now()
	since := startOfDay(now)
	c.day.SetText(c.p.l("admin.counts.day", map[string]any{"Date": since.Format("02/01/2006")}))
	c.refreshBtn.Disable()
	c.p.background(func(ctx context.Context) func() {
		n, err := c.p.d.Store.Counts(ctx, since.UTC())
		return func() { c.show(n, err) }
	})
}

// show puts counts read by refresh on screen.
func (c *countsTab) show(n store.Counts, err error) {
	c.refreshBtn.Enable()
	if err != nil {
		c.p.d.Log.Error("admin: counts", "err", err)
		for _, v := range []*widget.Label{c.today, c.total, c.abandoned, c.flagged} {
			v.SetText("–")
		}
		c.status.SetText(c.p.l("admin.counts.error"))
		return
	}
	c.status.SetText("")
	c.today.SetText(strconv.Itoa(n.Since))
	c.total.SetText(strconv.Itoa(n.Total))
	c.abandoned.SetText(strconv.Itoa(n.Abandoned))
	c.flagged.SetText(strconv.Itoa(n.Flagged))
}
