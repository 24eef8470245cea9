// Package help is a citizen's request for staff help with the online
// public-service portal (dichvucong): raised on the kiosk by a "yes" to a
// survey's help question or by the welcome screen's button, resolved by
// staff with an outcome. Kiosk and hub share it; it imports neither Fyne,
// SQL nor net/http.
//
// A request carries no personal data: where and when it was raised, from
// what, and, once resolved, the outcome, a reason from a short list and
// an optional note (digits masked on the kiosk, as comments are).
package help

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Outcome is how staff resolved a request; "" while it is open.
type Outcome string

// The outcomes.
const (
	// Open is a request no staff member resolved yet.
	Open Outcome = ""
	// Helped: the citizen filed (or was shown how to file) online.
	Helped Outcome = "helped_online"
	// NotPossible: filing online could not be done; Reason says why.
	NotPossible Outcome = "not_possible"
)

// Outcomes lists the resolved outcomes in the order staff see them.
var Outcomes = []Outcome{Helped, NotPossible}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes, o) }

// Key is o's translation key.
func (o Outcome) Key() string { return "help.outcome." + string(o) }

// Reason is why filing online was not possible.
type Reason string

// The reasons, a short list staff choose from.
const (
	ReasonNotOnline  Reason = "not_online"     // the procedure is not offered online
	ReasonNoAccount  Reason = "no_account"     // no electronic identity (VNeID level 2) account
	ReasonDocuments  Reason = "documents"      // papers missing or not scanned
	ReasonPortalDown Reason = "portal_down"    // the portal or the network failed
	ReasonInPerson   Reason = "prefers_person" // the citizen chose to file at the desk
	ReasonLeft       Reason = "left"           // the citizen had gone before staff came
	ReasonOther      Reason = "other"          // something else; the note may say what
)

// Reasons lists the reasons in the order staff see them.
var Reasons = []Reason{ReasonNotOnline, ReasonNoAccount, ReasonDocuments, ReasonPortalDown, ReasonInPerson, ReasonLeft, ReasonOther}

// Valid reports whether r is one of Reasons.
func (r Reason) Valid() bool { return slices.Contains(Reasons, r) }

// Key is r's translation key.
func (r Reason) Key() string { return "help.reason." + string(r) }

// MaxNote is the longest note, in characters.
const MaxNote = 200

// Sources of a request: the welcome screen's button, or a survey's help
// question ("survey:<id>@<version>").
const SourceWelcome = "welcome"

// SurveySource is the source of a request raised by survey id's version v.
func SurveySource(id string, v int) string { return fmt.Sprintf("survey:%s@%d", id, v) }

// ErrInvalid is wrapped by every refusal of CheckResolution.
var ErrInvalid = errors.New("invalid help outcome")

// CheckResolution is the one rule of a resolution, on every side: an open
// request has no reason, note nor time; a resolved one has a known
// outcome, a reason exactly when it was not possible, a note of at most
// MaxNote characters (always optional) and a time not before the
// request was raised.
func CheckResolution(o Outcome, r Reason, note string, created, resolved time.Time) error {
	if o == Open {
		if r != "" || note != "" || !resolved.IsZero() {
			return fmt.Errorf("%w: an open request has no reason, note or resolution time", ErrInvalid)
		}
		return nil
	}
	if !o.Valid() {
		return fmt.Errorf("%w: unknown outcome %q", ErrInvalid, o)
	}
	switch {
	case o == NotPossible && !r.Valid():
		return fmt.Errorf("%w: %q is not a reason from the list", ErrInvalid, r)
	case o == Helped && r != "":
		return fmt.Errorf("%w: a request helped online has no reason", ErrInvalid)
	case utf8.RuneCountInString(note) > MaxNote:
		return fmt.Errorf("%w: the note is over %d characters", ErrInvalid, MaxNote)
	case resolved.IsZero():
		return fmt.Errorf("%w: a resolved request needs its time", ErrInvalid)
	case resolved.Before(created):
		return fmt.Errorf("%w: resolved before it was raised", ErrInvalid)
	}
	return nil
}

// Median returns the median of ds (the mean of the middle two for an even
// count), 0 for none. ds is not changed.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Waited is how long a request raised at created has waited by now, in
// whole minutes rounded down (never negative: a kiosk's clock may run
// ahead of the hub's).
func Waited(created, now time.Time) time.Duration {
	d := now.Sub(created).Truncate(time.Minute)
	return max(d, 0)
}
