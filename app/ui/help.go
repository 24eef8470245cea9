package ui

import (
	"context"
	"image/color"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// HelpStore raises staff help requests and lists the open ones
// (*store.Store implements it). Staff resolve them elsewhere: the admin
// panel's tab or the operator panel (app/ui/helpui).
type HelpStore interface {
	// RaiseHelp durably saves an open request.
	RaiseHelp(ctx context.Context, r *store.HelpRequest) error
	// OpenHelp returns the open requests, oldest first.
	OpenHelp(ctx context.Context) ([]store.HelpRequest, error)
}

// HelpBanner is the staff alert over every kiosk screen while a help
// request is open. A citizen's tap does nothing to it: its button opens
// the admin panel, which asks for the PIN, and only staff resolve the
// request there (or in the operator panel).
type HelpBanner struct {
	// Citizen tells the citizen that staff are called; Staff tells staff
	// how many requests wait since when, and how to resolve them.
	Citizen, Staff *widget.Label
	// Resolve opens the admin panel (PIN).
	Resolve *widget.Button
	root    fyne.CanvasObject
}

// bannerColor is the alert's background: amber, seen from the desk, with
// the theme's dark text on it (contrast above 7:1).
var bannerColor = color.NRGBA{R: 0xff, G: 0xc1, B: 0x07, A: 0xff}

// OpenHelp returns the open help requests the kiosk shows its banner for.
func (k *Kiosk) OpenHelp() []store.HelpRequest { return slices.Clone(k.helpOpen) }

// RefreshHelp reads the open help requests again (off the UI goroutine)
// and updates the banner: staff resolved one in a panel beside the
// kiosk's screens.
func (k *Kiosk) RefreshHelp() {
	if k.deps.Help == nil {
		return
	}
	k.background(func() func() {
		open, ok := k.loadHelp()
		return func() {
			if ok {
				k.setHelp(open)
			}
		}
	})
}

// loadHelp reads the open requests; it runs off the UI goroutine.
func (k *Kiosk) loadHelp() ([]store.HelpRequest, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	open, err := k.deps.Help.OpenHelp(ctx)
	if err != nil {
		k.log.Error("read open help requests", "err", err)
		return nil, false
	}
	return open, true
}

// HelpRemind is how often the alert is said again while a request stays
// open: one announcement is easily missed at a busy desk.
const HelpRemind = 3 * time.Minute

// setHelp shows the banner for open (none: no banner) over the screen on
// show, and keeps the reminder running while a request is open.
func (k *Kiosk) setHelp(open []store.HelpRequest) {
	k.helpOpen = open
	if len(open) == 0 && k.helpTimer != nil {
		k.helpTimer.Stop()
		k.helpTimer = nil
	}
	if len(open) > 0 && k.helpTimer == nil {
		k.remindHelp()
	}
	if k.bare != nil {
		k.present(k.bare)
	}
}

// remindHelp says the alert again after HelpRemind, and so on, while a
// request is open.
func (k *Kiosk) remindHelp() {
	k.helpTimer = k.clock.AfterFunc(HelpRemind, func() {
		fyne.Do(k.guard("help reminder", func() {
			k.helpTimer = nil
			if len(k.helpOpen) > 0 {
				if !k.paused { // staff are in the admin panel already
					k.soundAlarm()
				}
				k.remindHelp()
			}
		}))
	})
}

// raiseHelp saves a new open request from source and, once it is saved,
// shows the banner and sounds the alarm. A request that cannot be saved
// is logged; the citizen's flow goes on.
func (k *Kiosk) raiseHelp(source string) {
	if k.deps.Help == nil {
		return
	}
	id, err := uuid.NewV7()
	if err != nil {
		k.log.Error("help request id", "err", err)
		return
	}
	r := &store.HelpRequest{
		ID: id.String(), Source: source, Lang: k.tr.Lang(), ServicePoint: k.cfg.ServicePoint,
		DeviceID: k.deps.DeviceID, CreatedAt: k.clock.Now().UTC(),
	}
	k.background(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		if err := k.deps.Help.RaiseHelp(ctx, r); err != nil {
			k.log.Error("raise help request", "source", source, "err", err)
			return nil
		}
		k.log.Info("help request raised", "id", r.ID, "source", source)
		open, ok := k.loadHelp()
		return func() {
			if !ok {
				open = append(k.OpenHelp(), *r)
			}
			k.setHelp(open)
			k.soundAlarm()
			if k.hooks.HelpRaised != nil {
				k.hooks.HelpRaised()
			}
		}
	})
}

// soundAlarm says the staff alert aloud through Deps.Alarm.
func (k *Kiosk) soundAlarm() {
	if k.deps.Alarm == nil {
		return
	}
	k.deps.Alarm.Speak(context.Background(), k.tr.T("help.alarm"))
}

// askedHelp raises a request when the citizen moves on from the survey's
// help question answered "yes", once per session.
func (k *Kiosk) askedHelp() {
	ss := k.session
	q := ss.Current()
	if !q.AsksHelp() || !slices.Equal(ss.Selected(q.Code), []string{survey.CodeYes}) || k.helpSession == ss {
		return
	}
	k.helpSession = ss
	s := ss.Survey()
	k.raiseHelp(help.SurveySource(s.ID, s.Version))
}

// withHelp puts the banner above screen while a request is open.
func (k *Kiosk) withHelp(screen fyne.CanvasObject) fyne.CanvasObject {
	k.HelpBanner = nil
	if len(k.helpOpen) == 0 {
		return screen
	}
	b := k.newHelpBanner()
	k.HelpBanner = b
	return container.New(helpLayout{}, b.root, screen)
}

// helpLayout puts the banner (objs[0]) above the screen (objs[1]), which
// gets the rest of the area and lays itself out for it. Like a screen's
// root it asks for no more than MinScreen: a full-screen canvas larger
// than the screen would be drawn with its top cut off (layout.go).
type helpLayout struct{}

func (helpLayout) MinSize([]fyne.CanvasObject) fyne.Size { return MinScreen }

func (helpLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := min(objs[0].MinSize().Height, size.Height/3)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h))
}

func (k *Kiosk) newHelpBanner() *HelpBanner {
	tr := k.tr
	first := k.helpOpen[0].CreatedAt.In(k.clock.Now().Location())
	b := &HelpBanner{
		Citizen: label(tr.T("help.banner.citizen"), theme.SizeNameText, true),
		Staff: label(tr.T("help.banner.staff", map[string]any{
			"Count": len(k.helpOpen), "Since": first.Format("15:04"),
		}), theme.SizeNameCaptionText, false),
	}
	b.Resolve = widget.NewButtonWithIcon(tr.T("help.banner.resolve"), theme.AccountIcon(), k.openAdmin)
	bg := canvas.NewRectangle(bannerColor)
	icon := widget.NewIcon(theme.WarningIcon())
	text := container.NewVBox(b.Citizen, b.Staff)
	b.root = container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, icon,
		container.NewCenter(b.Resolve), text)))
	return b
}
