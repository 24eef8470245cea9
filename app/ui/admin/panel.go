package admin

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// panelText is the text size inside the panel's tabs.
const panelText = 21

// mainScreen is the open panel: a header with the way back and the way out,
// and the tabs.
type mainScreen struct {
	title *widget.Label
	back  *widget.Button
	quit  *widget.Button
	tabs  *container.AppTabs
	// quitDialog is the open exit confirmation, if any.
	quitDialog *dialog.ConfirmDialog
	// tabClose are the extra tabs' Close functions.
	tabClose []func()
}

// open shows the panel after a right PIN.
func (p *Panel) open() {
	if p.pad != nil {
		p.pad.stopCountdown()
		p.pad = nil
	}
	m := &mainScreen{}
	p.main = m
	m.title = widget.NewLabelWithStyle(p.l("admin.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	m.title.SizeName = theme.SizeNameHeadingText
	m.title.Truncation = fyne.TextTruncateEllipsis // the buttons keep their room on a narrow screen
	m.back = p.backButton()
	m.back.Importance = widget.HighImportance
	m.quit = widget.NewButtonWithIcon(p.l("admin.quit"), theme.LogoutIcon(), p.confirmQuit)
	m.quit.Importance = widget.DangerImportance
	if p.d.Quit == nil {
		m.quit.Hide()
	}

	p.general = newGeneralTab(p)
	p.links = newLinksTab(p)
	p.change = newChangeTab(p)
	items := []*container.TabItem{
		container.NewTabItemWithIcon(p.l("admin.tab.general"), theme.SettingsIcon(), p.general.content),
		container.NewTabItemWithIcon(p.l("admin.tab.links"), theme.GridIcon(), p.links.content),
		container.NewTabItemWithIcon(p.l("admin.tab.pin"), theme.AccountIcon(), p.change.content),
	}
	p.counts = newCountsTab(p)
	items = append(items, container.NewTabItemWithIcon(p.l("admin.tab.counts"), theme.InfoIcon(), p.counts.content))
	var open *container.TabItem
	for _, t := range p.d.Tabs {
		if t.Content == nil {
			continue
		}
		items = append(items, container.NewTabItem(t.Title, t.Content(p.w)))
		if t.Open && open == nil {
			open = items[len(items)-1]
		}
		if t.Close != nil {
			m.tabClose = append(m.tabClose, t.Close)
		}
	}
	m.tabs = container.NewAppTabs(items...)
	if open != nil {
		m.tabs.Select(open)
	}
	m.tabs.OnSelected = func(it *container.TabItem) {
		p.touch()
		if it.Content == p.counts.content {
			p.counts.refresh()
		}
		if it.Content == p.change.content {
			p.change.start("")
		}
	}
	header := container.NewBorder(nil, nil, nil,
		container.NewHBox(minSized(m.back, 0, 56), minSized(m.quit, 0, 56)), m.title)
	// Staff read the panel closer than citizens read the kiosk: somewhat
	// smaller text than the kiosk theme's, so that each tab fits a screen.
	p.setContent(container.NewBorder(container.NewPadded(header), nil, nil, nil, compact(m.tabs)))
}

// confirmQuit asks before leaving the kiosk application.
func (p *Panel) confirmQuit() {
	p.touch()
	d := dialog.NewConfirm(p.l("admin.quit.title"), p.l("admin.quit.body"), func(ok bool) {
		p.main.quitDialog = nil
		if ok && p.d.Quit != nil {
			p.d.Quit()
		}
	}, p.w)
	d.SetConfirmText(p.l("admin.quit.confirm"))
	d.SetDismissText(p.l("admin.quit.cancel"))
	d.SetConfirmImportance(widget.DangerImportance)
	p.main.quitDialog = d
	d.Show()
}
