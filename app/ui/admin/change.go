package admin

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/hailong-kiosk/hailong/app/pin"
)

// changeTab ("Mã PIN") changes the PIN in three steps on the keypad: the
// current PIN, the new one, the new one again.
type changeTab struct {
	p       *Panel
	pad     *pinPad
	content fyne.CanvasObject
}

func newChangeTab(p *Panel) *changeTab {
	c := &changeTab{p: p, pad: newPINPad(p.l, p.touch)}
	c.content = container.NewVScroll(container.NewCenter(c.pad.content))
	c.start("")
	return c
}

// start asks for the current PIN, with msg as the message line.
func (c *changeTab) start(msg string) {
	c.pad.stopCountdown()
	c.pad.setLocked(false)
	c.pad.prompt(c.p.l("admin.change.title"), c.p.l("admin.change.old"), func(old string) {
		if _, err := pin.Normalize(old); err != nil {
			c.pad.showError(c.p.l("admin.pin.invalid"))
			c.pad.clear()
			return
		}
		c.pad.showInfo("")
		c.pad.prompt(c.p.l("admin.change.title"), c.p.l("admin.change.new"), func(pin1 string) {
			if _, err := pin.Normalize(pin1); err != nil {
				c.pad.showError(c.p.l("admin.pin.invalid"))
				c.pad.clear()
				return
			}
			c.pad.showInfo("")
			c.pad.prompt(c.p.l("admin.change.title"), c.p.l("admin.change.confirm"), func(pin2 string) {
				if pin2 != pin1 {
					c.start(c.p.l("admin.setup.mismatch"))
					return
				}
				c.commit(old, pin1)
			})
		})
	})
	if msg != "" {
		c.pad.showError(msg)
	} else {
		c.pad.showInfo("")
	}
}

// commit changes the PIN off the UI goroutine (bcrypt, twice).
func (c *changeTab) commit(old, pin1 string) {
	c.pad.checking(c.p.l("admin.saving"))
	c.p.background(func(ctx context.Context) func() {
		err := c.p.pin.Change(ctx, old, pin1)
		return func() {
			c.pad.setLocked(false)
			c.committed(err)
		}
	})
}

func (c *changeTab) committed(err error) {
	var wrong *pin.WrongPINError
	var locked *pin.LockedError
	switch {
	case err == nil:
		c.start("")
		c.pad.showSuccess(c.p.l("admin.change.done"))
	case errors.As(err, &wrong):
		c.start(c.p.l("admin.change.wrong_old", map[string]any{"Tries": wrong.TriesLeft}))
	case errors.As(err, &locked):
		// Too many wrong tries here too: leave the panel, the lock applies.
		c.p.Close()
	default:
		c.p.d.Log.Error("admin: change pin", "err", err)
		c.start(c.p.l("admin.error.save"))
	}
}
