package admin

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/pin"
)

// backButton returns to the kiosk.
func (p *Panel) backButton() *widget.Button {
	return widget.NewButtonWithIcon(p.l("admin.back"), theme.NavigateBackIcon(), p.Close)
}

// showSetup asks for a new PIN twice (first run).
func (p *Panel) showSetup() {
	p.pad = newPINPad(p.l, p.touch)
	back := p.backButton()
	if p.required {
		back.Hide()
	}
	p.setContent(padScreen(p.pad, back))
	p.focusPad()
	p.setupFirst("")
}

// focusPad gives the PIN field the keyboard, so that an admin at a desk PC
// types the PIN without first clicking the field.
func (p *Panel) focusPad() { p.w.Canvas().Focus(p.pad.entry) }

func (p *Panel) setupFirst(msg string) {
	p.pad.prompt(p.l("admin.setup.title"), p.l("admin.setup.hint"), func(first string) {
		if _, err := pin.Normalize(first); err != nil {
			p.setupFirst(p.l("admin.pin.invalid"))
			return
		}
		p.pad.showInfo("")
		p.pad.prompt(p.l("admin.setup.title"), p.l("admin.setup.confirm"), func(second string) {
			if second != first {
				p.setupFirst(p.l("admin.setup.mismatch"))
				return
			}
			pad := p.pad
			pad.checking(p.l("admin.saving"))
			p.background(func(ctx context.Context) func() {
				err := p.pin.Setup(ctx, first)
				return func() {
					if p.pad != pad {
						return
					}
					pad.setLocked(false)
					switch {
					case errors.Is(err, pin.ErrAlreadySet):
						// Someone set it meanwhile (another window): ask for it.
						p.required = false
						p.showEntry()
					case err != nil:
						p.d.Log.Error("admin: set pin", "err", err)
						p.setupFirst(p.l("admin.error.storage"))
					default:
						p.required = false
						p.open()
					}
				}
			})
		})
	})
	if msg != "" {
		p.pad.showError(msg)
	} else {
		p.pad.showInfo("")
	}
}

// showEntry asks for the PIN, showing a lock that is already running.
func (p *Panel) showEntry() {
	p.pad = newPINPad(p.l, p.touch)
	p.setContent(padScreen(p.pad, p.backButton()))
	p.focusPad()
	p.pad.prompt(p.l("admin.entry.title"), p.l("admin.entry.hint"), p.verify)
	pad := p.pad
	p.background(func(ctx context.Context) func() {
		st, err := p.pin.Status(ctx)
		return func() {
			switch {
			case p.pad != pad:
			case err != nil:
				p.d.Log.Error("admin: pin status", "err", err)
				pad.showError(p.l("admin.error.storage"))
			case st.LockedFor > 0:
				p.lock(st.LockedFor)
			}
		}
	})
}

// verify checks s off the UI goroutine (bcrypt takes a good part of a
// second on purpose); the pad says so meanwhile and takes no keys.
func (p *Panel) verify(s string) {
	pad := p.pad
	pad.checking(p.l("admin.pin.checking"))
	p.background(func(ctx context.Context) func() {
		err := p.pin.Verify(ctx, s)
		return func() {
			if p.pad != pad {
				return
			}
			pad.setLocked(false)
			p.verified(err)
		}
	})
}

// verified takes the outcome of a PIN check.
func (p *Panel) verified(err error) {
	var wrong *pin.WrongPINError
	var locked *pin.LockedError
	switch {
	case err == nil:
		p.open()
	case errors.As(err, &locked):
		p.lock(locked.Remaining)
	case errors.As(err, &wrong):
		p.pad.clear()
		p.pad.showError(p.l("admin.pin.wrong", map[string]any{"Tries": wrong.TriesLeft}))
	case errors.Is(err, pin.ErrInvalidPIN):
		p.pad.clear()
		p.pad.showError(p.l("admin.pin.invalid"))
	case errors.Is(err, pin.ErrNotSet):
		p.showSetup()
	default:
		p.d.Log.Error("admin: verify pin", "err", err)
		p.pad.clear()
		p.pad.showError(p.l("admin.error.storage"))
	}
}

// lock disables the pad and counts down, once a second, until the lock ends.
func (p *Panel) lock(remaining time.Duration) {
	p.pad.setLocked(true)
	p.pad.showError(p.l("admin.pin.locked", map[string]any{
		"Minutes": int(pin.LockFor / time.Minute), "Time": clockText(remaining)}))
	p.pad.stopCountdown()
	pad := p.pad
	pad.cancel = p.d.After(tick(remaining), func() {
		if p.closed || p.pad != pad {
			return
		}
		ctx, cancel := p.op()
		defer cancel()
		st, err := p.pin.Status(ctx)
		if err != nil {
			p.d.Log.Error("admin: pin status", "err", err)
			pad.showError(p.l("admin.error.storage"))
			return
		}
		if st.LockedFor > 0 {
			p.lock(st.LockedFor)
			return
		}
		pad.cancel = nil
		pad.setLocked(false)
		pad.showInfo(p.l("admin.pin.unlocked"))
	})
}

// tick is the wait until the countdown's next whole second.
func tick(remaining time.Duration) time.Duration {
	if r := remaining % time.Second; r > 0 {
		return r
	}
	return time.Second
}
