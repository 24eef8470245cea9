package ui

import (
	"context"
	"crypto/ed25519"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Rating slips (issue #15: one rating per visit). A survey whose slip
// policy is required or optional asks, on the welcome screen, for the
// one-time slip the desk handed out: read by a USB barcode/QR scanner,
// which types the QR's text and Enter like a keyboard (captured on the
// canvas while the welcome or slip screen is on show), or typed on the
// slip screen's on-screen keyboard. The kiosk checks offline what it can
// (checkSlip); the hub has the final word at sync.

// Slips is what the kiosk needs to check a rating slip offline (app/launch
// adapts the store and the sync settings to it).
type Slips interface {
	// SlipUsed reports whether a response saved at this kiosk took the
	// slip (compact code).
	SlipUsed(ctx context.Context, code string) (bool, error)
	// SlipKey returns the hub's public slip key, or nil when the kiosk
	// does not know it (not enrolled, or enrolled with a hub without
	// slips): a scanned slip's signature is then left to the hub.
	SlipKey(ctx context.Context) (ed25519.PublicKey, error)
}

// scanGap is the longest pause between two keys of one scan: a scanner
// types a whole code in a fraction of a second, so keys further apart
// (stray presses on a keyboard) start a new scan.
const scanGap = time.Second

// maxScan bounds what is kept of one scan; a slip's URL is far shorter.
const maxScan = 512

// SlipScreen asks for a rating slip's code, typed on the on-screen keyboard
// (or scanned). Confirm checks it and starts the survey; Skip, shown only
// when the survey's slip is optional, starts without one; Back returns to
// the welcome screen.
type SlipScreen struct {
	Title    *widget.Label
	Hint     *widget.Label
	Code     *widget.Entry
	Message  *widget.Label
	Keyboard *osk.Keyboard
	Confirm  *widget.Button
	Skip     *widget.Button // nil unless the slip is optional
	Back     *widget.Button
	root     fyne.CanvasObject
	box      *fyne.Container // hint, code and message, laid out again when the message shows
}

// showMessage shows msg under the code.
func (s *SlipScreen) showMessage(msg string, imp widget.Importance) {
	s.Message.SetText(msg)
	s.Message.Importance = imp
	s.Message.Show()
	s.box.Refresh()
}

// slipState is the kiosk's rating slip state.
type slipState struct {
	// code is the slip accepted for the survey about to start or running
	// (compact form), "" for none; stamp puts it on the response.
	code string
	// shown is the code as printed, for the welcome screen's message.
	shown string
	// scan collects the keys of a scan in progress; lastKey is when the
	// last one came.
	scan    []rune
	lastKey time.Time
	// keyboard is the slip screen's on-screen keyboard in plain mode,
	// made once: the comment keyboard keeps its own state.
	keyboard *osk.Keyboard
}

// slipPolicy is the active survey's slip policy.
func (k *Kiosk) slipPolicy() survey.SlipPolicy {
	if k.survey == nil {
		return ""
	}
	return k.survey.Slip
}

// forgetSlip drops the accepted slip: each citizen brings their own.
func (k *Kiosk) forgetSlip() {
	k.slip.code, k.slip.shown, k.slip.scan = "", "", nil
}

// listenForScans captures typed keys on the canvas (a scanner's) while the
// screen on show takes slips; any other screen stops it.
func (k *Kiosk) listenForScans(on bool) {
	c := k.win.Canvas()
	k.slip.scan = nil
	if !on {
		c.SetOnTypedRune(nil)
		c.SetOnTypedKey(nil)
		return
	}
	c.SetOnTypedRune(k.guardRune(k.scanRune))
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		defer k.recoverPanic("scan")
		if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
			k.scanDone()
		}
	})
}

// guardRune is guard for a typed-rune handler.
func (k *Kiosk) guardRune(f func(rune)) func(rune) {
	return func(r rune) {
		defer k.recoverPanic("scan")
		f(r)
	}
}

// scanRune collects one key of a scan.
func (k *Kiosk) scanRune(r rune) {
	now := k.clock.Now()
	if len(k.slip.scan) > 0 && now.Sub(k.slip.lastKey) > scanGap {
		k.slip.scan = k.slip.scan[:0]
	}
	k.slip.lastKey = now
	if len(k.slip.scan) < maxScan {
		k.slip.scan = append(k.slip.scan, r)
	}
}

// scanDone takes a scan ended by Enter: on the slip screen it is checked
// and starts the survey, as Confirm does; on the welcome screen it is
// checked and kept for Start.
func (k *Kiosk) scanDone() {
	text := string(k.slip.scan)
	k.slip.scan = nil
	if text == "" || k.paused || k.busy > 0 || !k.slipPolicy().Uses() {
		return
	}
	switch {
	case k.Slip != nil:
		k.Slip.Code.SetText(text)
		k.confirmSlip()
	case k.Welcome != nil:
		k.checkSlip(text, func(code slip.Code) {
			k.acceptSlip(code)
			if k.Welcome != nil {
				k.Welcome.showSlip(k.tr.T("slip.accepted", map[string]string{"Code": code.String()}), widget.SuccessImportance)
			}
		}, func(msg string) {
			if k.Welcome != nil {
				k.Welcome.showSlip(msg, widget.DangerImportance)
			}
		})
	}
}

// acceptSlip keeps code for the next survey. A citizen who walks away
// does not leave it to the next one: the welcome screen goes home after
// the idle timeout.
func (k *Kiosk) acceptSlip(code slip.Code) {
	k.slip.code, k.slip.shown = code.Compact(), code.String()
	if k.Welcome != nil {
		k.after(k.cfg.IdleTimeout, k.home)
	}
}

// checkSlip checks text (a scan or a typed code) offline: its format and
// check symbol, a scanned slip's signature against the hub's slip key, and
// that this kiosk never took it. It then calls ok with the code or bad
// with the message to show, on the UI goroutine.
func (k *Kiosk) checkSlip(text string, ok func(slip.Code), bad func(msg string)) {
	code, sig, err := slip.ParseScan(text)
	if err != nil {
		k.log.Info("slip refused", "reason", slip.ReasonOf(err))
		bad(k.tr.T(slipReasonKey(slip.ReasonOf(err))))
		return
	}
	slips := k.deps.Slips
	if slips == nil {
		ok(code)
		return
	}
	k.background(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		key := "" // the message's translation key, "" when the slip is good
		if sig != nil {
			pub, err := slips.SlipKey(ctx)
			switch {
			case err != nil:
				k.log.Error("read slip key; the hub will check the slip", "err", err)
			case pub != nil && !slip.Verify(pub, code, sig):
				key = "slip.bad.signature"
			}
		}
		if key == "" {
			used, err := slips.SlipUsed(ctx, code.Compact())
			switch {
			case err != nil:
				// Saving checks again, in its own transaction.
				k.log.Error("check slip use", "err", err)
			case used:
				key = "slip.used"
			}
		}
		return func() {
			if key != "" {
				k.log.Info("slip refused", "reason", key)
				bad(k.tr.T(key))
				return
			}
			ok(code)
		}
	})
}

// slipReasonKey names the message for a slip that does not parse.
func slipReasonKey(r slip.Reason) string {
	switch r {
	case slip.ReasonCheck:
		return "slip.bad.check"
	case slip.ReasonNotSlip:
		return "slip.bad.notSlip"
	case slip.ReasonSignature:
		return "slip.bad.signature"
	}
	return "slip.bad.format"
}

// startOrAskSlip is the welcome screen's Start: a survey that uses slips
// and has none yet asks for one first.
func (k *Kiosk) startOrAskSlip() {
	defer k.recoverPanic("start")
	if k.survey == nil || k.busy > 0 {
		return
	}
	if k.slipPolicy().Uses() && k.slip.code == "" {
		msg := ""
		if k.slipPolicy() == survey.SlipRequired {
			msg = k.tr.T("slip.required")
		}
		k.showSlip(msg)
		return
	}
	k.start()
}

// showSlip shows the slip screen with msg (may be "") under the code.
func (k *Kiosk) showSlip(msg string) {
	s := newSlipScreen(k)
	if msg != "" {
		s.showMessage(msg, widget.WarningImportance)
	}
	k.setScreen(s.root)
	k.Slip = s
	k.listenForScans(true)
	k.after(k.cfg.IdleTimeout, k.home)
}

// confirmSlip checks the code on the slip screen and starts the survey.
func (k *Kiosk) confirmSlip() {
	defer k.recoverPanic("slip")
	s := k.Slip
	if s == nil || k.busy > 0 {
		return
	}
	k.checkSlip(s.Code.Text, func(code slip.Code) {
		if k.Slip != s {
			return
		}
		k.acceptSlip(code)
		k.start()
	}, func(msg string) {
		if k.Slip != s {
			return
		}
		s.showMessage(msg, widget.DangerImportance)
	})
}

// skipSlip starts an optional-slip survey without a slip.
func (k *Kiosk) skipSlip() {
	defer k.recoverPanic("slip")
	if k.busy > 0 || k.slipPolicy() != survey.SlipOptional {
		return
	}
	k.forgetSlip()
	k.start()
}

func newSlipScreen(k *Kiosk) *SlipScreen {
	k.fitScale()
	tr := k.tr
	sc := scale()
	s := &SlipScreen{}
	s.Title = label(tr.T("slip.title"), theme.SizeNameHeadingText, true)
	s.Hint = label(tr.T("slip.hint"), theme.SizeNameText, false)
	s.Code = widget.NewEntry()
	s.Code.SetPlaceHolder(tr.T("slip.placeholder"))
	s.Code.OnSubmitted = func(string) { k.confirmSlip() }
	s.Code.OnChanged = func(string) {
		k.after(k.cfg.IdleTimeout, k.home) // a touch: the citizen is still here
		if s.Message.Visible() && s.Message.Importance == widget.DangerImportance {
			s.Message.Hide() // the code the message was about is being changed
			s.box.Refresh()
		}
	}
	s.Message = label("", theme.SizeNameText, true)
	s.Message.Hide()
	if k.slip.keyboard == nil {
		k.slip.keyboard = osk.ForEntry(s.Code)
		k.slip.keyboard.SetPlain(true)
	} else {
		k.slip.keyboard.Attach(s.Code)
	}
	s.Keyboard = k.slip.keyboard
	s.Keyboard.SetLang(tr.Lang())

	s.Back = widget.NewButtonWithIcon(tr.T("slip.back"), theme.NavigateBackIcon(), k.home)
	s.Confirm = widget.NewButtonWithIcon(tr.T("slip.confirm"), theme.ConfirmIcon(), k.confirmSlip)
	s.Confirm.Importance = widget.HighImportance
	var skip fyne.CanvasObject = layout.NewSpacer()
	if k.slipPolicy() == survey.SlipOptional {
		s.Skip = widget.NewButton(tr.T("slip.skip"), k.skipSlip)
		skip = container.NewCenter(bigButton(s.Skip, 80*sc))
	}
	bottom := container.NewBorder(nil, nil, bigButton(s.Back, 80*sc), bigButton(s.Confirm, 80*sc), skip)
	// The code beside the keyboard, as on a comment screen: screens have
	// width to spare, not height.
	kbShare := float32(0.64)
	if k.area.Width < 900 {
		kbShare = 0.7
	}
	s.Code.TextStyle.Monospace = true // 0 and O, 1 and I look apart
	s.box = column(-1, s.Hint, container.NewStack(minHeight(MinTarget), s.Code), s.Message, layout.NewSpacer())
	s.root = container.NewPadded(column(2,
		s.Title, widget.NewSeparator(),
		container.New(&sideLayout{fraction: kbShare}, s.box, s.Keyboard),
		widget.NewSeparator(), bottom,
	))
	return s
}

// slipPanel is the welcome screen's part for a survey that uses slips:
// how to give one, the button to type it, and what became of the last
// one given.
func (w *Welcome) slipPanel(k *Kiosk) fyne.CanvasObject {
	tr := k.tr
	hint := "slip.welcome.optional"
	if k.slipPolicy() == survey.SlipRequired {
		hint = "slip.welcome.required"
	}
	w.SlipHint = label(tr.T(hint), theme.SizeNameText, false)
	w.SlipHint.Alignment = fyne.TextAlignCenter
	w.SlipEnter = widget.NewButtonWithIcon(tr.T("slip.enter"), theme.DocumentCreateIcon(), func() {
		defer k.recoverPanic("slip")
		if k.busy == 0 {
			k.showSlip("")
		}
	})
	w.SlipStatus = label("", theme.SizeNameText, true)
	w.SlipStatus.Alignment = fyne.TextAlignCenter
	w.SlipStatus.Hide()
	if k.slip.code != "" {
		w.showSlip(tr.T("slip.accepted", map[string]string{"Code": k.slip.shown}), widget.SuccessImportance)
	}
	// The message about a slip takes the hint's place beside the button:
	// the smallest screen has no row to spare for both.
	return container.NewBorder(nil, nil, nil, bigButton(w.SlipEnter, MinTarget),
		container.NewStack(w.SlipHint, w.SlipStatus))
}

// showSlip shows msg about the slip just given.
func (w *Welcome) showSlip(msg string, imp widget.Importance) {
	w.SlipStatus.SetText(msg)
	w.SlipStatus.Importance = imp
	w.SlipHint.Hide()
	w.SlipStatus.Show()
	if w.main != nil {
		w.main.Refresh() // the column makes room for the message
	} else {
		w.SlipStatus.Refresh()
	}
}
