package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Alerts (issue #11, docs/webhooks.md): a rule looks at what the store
// holds and says, for each of its subjects (a service point, or whatever
// the rule watches), whether the alert is active, with the figures behind
// it. The hub stores each finding (WebhookStore.SetAlert); a crossing, from
// inactive to active or back, enqueues one alert event in the same
// transaction, so a webhook hears of a crossing once, not on every
// response while the alert stays up. The dashboard shows the stored alerts.

// AlertRule is one kind of alert. A rule is stateless: the store keeps
// the state, so that several hub processes agree.
//
// To add a rule kind (a help request waiting more than M minutes, say):
// give it a Kind of its own, return one Alert per subject from Check
// (Subject the request's id, ServicePoint its point, Active whether it
// waits too long, its figures in Figures: add the fields it needs there),
// add it to Config.AlertRules, and give the dashboard's alerts page a line
// for its kind.
type AlertRule interface {
	// Kind names the rule in the store, events and the dashboard
	// ("dissatisfied_share").
	Kind() string
	// Check returns the rule's findings at now. touched names the service
	// points that just received data, which a rule may check alone; nil
	// asks for every subject (the periodic sweep, which also catches what
	// a hub stopped before checking).
	Check(ctx context.Context, now time.Time, touched []string) ([]Alert, error)
}

// Alert is a rule's finding for one subject, as stored.
type Alert struct {
	Rule         string
	Subject      string
	ServicePoint string
	Active       bool
	// At is when the finding was made; Since when Active last changed
	// (set by the store).
	At, Since time.Time
	Figures   AlertFigures
}

// AlertFigures are the figures behind an alert. The dissatisfied share
// rule fills Window, Answers, Dissatisfied, Share and Threshold, the help
// wait rule WaitedMinutes and LimitMinutes; a rule kind that needs other
// figures adds its fields here.
type AlertFigures struct {
	// Window is the number of last answers the rule looks at; Answers how
	// many there are (at most Window), Dissatisfied how many of them were
	// dissatisfied, Share Dissatisfied ÷ Answers (0 when Answers is below
	// MinCell: the figures are then not shown).
	Window       int     `json:"window,omitempty"`
	Answers      int     `json:"answers"`
	Dissatisfied int     `json:"dissatisfied"`
	Share        float64 `json:"share"`
	Threshold    float64 `json:"threshold"`
	// WaitedMinutes and LimitMinutes are the help request wait rule's
	// (HelpWait): how long the request has waited (when it cleared: had
	// waited at the last check), and the limit.
	WaitedMinutes int `json:"waited_minutes,omitempty"`
	LimitMinutes  int `json:"limit_minutes,omitempty"`
}

// MinCell is the smallest number of answers any figure is shown or alerted
// on: report.MinCell, the one small-cell rule.
const MinCell = report.MinCell

// RuleDissatisfiedShare is the kind of DissatisfiedShare.
const RuleDissatisfiedShare = "dissatisfied_share"

// DissatisfiedShare raises an alert for a service point when more than
// Threshold of its last Window answers were dissatisfied, never on fewer
// than MinAnswers (at least MinCell) answers; it clears when the share is
// back at or below Threshold.
type DissatisfiedShare struct {
	Source interface {
		AlertAnswers(ctx context.Context, servicePoint string, n int) (AnswerWindow, error)
		AlertPoints(ctx context.Context) ([]string, error)
	}
	Window     int
	Threshold  float64
	MinAnswers int
}

// Defaults of DissatisfiedShare.
const (
	DefaultAlertWindow    = 20
	DefaultAlertThreshold = 0.3
)

// Kind implements AlertRule.
func (r *DissatisfiedShare) Kind() string { return RuleDissatisfiedShare }

// CheckDissatisfiedShare checks a rule's settings.
func CheckDissatisfiedShare(window int, threshold float64, minAnswers int) error {
	switch {
	case window < MinCell:
		return fmt.Errorf("alert window %d: want at least %d answers", window, MinCell)
	case threshold <= 0 || threshold >= 1:
		return fmt.Errorf("alert threshold %g: want a share between 0 and 1 (0.3 for 30 %%)", threshold)
	case minAnswers > window:
		return fmt.Errorf("alert minimum %d: more than the window of %d answers", minAnswers, window)
	}
	return nil
}

// Judge is the rule's one decision, from a point's window.
func (r *DissatisfiedShare) Judge(w AnswerWindow) (active bool, f AlertFigures) {
	min := max(r.MinAnswers, MinCell)
	f = AlertFigures{Window: r.Window, Answers: w.Answers, Threshold: r.Threshold}
	if w.Answers < min {
		return false, f
	}
	f.Dissatisfied = w.Dissatisfied
	f.Share = float64(w.Dissatisfied) / float64(w.Answers)
	return f.Share > r.Threshold, f
}

// Check implements AlertRule.
func (r *DissatisfiedShare) Check(ctx context.Context, now time.Time, touched []string) ([]Alert, error) {
	points := touched
	if points == nil {
		var err error
		if points, err = r.Source.AlertPoints(ctx); err != nil {
			return nil, err
		}
	}
	out := make([]Alert, 0, len(points))
	for _, p := range points {
		w, err := r.Source.AlertAnswers(ctx, p, r.Window)
		if err != nil {
			return nil, fmt.Errorf("alert answers of %q: %w", p, err)
		}
		active, f := r.Judge(w)
		out = append(out, Alert{Rule: r.Kind(), Subject: p, ServicePoint: p, Active: active, At: now, Figures: f})
	}
	return out, nil
}

// Dissatisfied reports whether r, a response to s, has a rating answer
// that counts and is dissatisfied (Không hài lòng or Rất không hài lòng);
// rated reports whether it has any rating answer that counts. The
// dissatisfied share rule counts rated responses only.
func Dissatisfied(s *survey.Survey, r *survey.Response) (dissatisfied, rated bool) {
	for i := range s.Questions {
		q := &s.Questions[i]
		if !q.Type.IsRating() || len(r.Answers[q.Code]) == 0 {
			continue
		}
		switch r.Answers[q.Code][0] {
		case survey.CodeVerySatisfied, survey.CodeSatisfied:
			rated = true
		case survey.CodeNotSatisfied:
			rated, dissatisfied = true, true
		case survey.CodeNeutral:
			rated = rated || q.Type == survey.Rating5
		case survey.CodeVeryDissatisfied:
			if q.Type == survey.Rating5 {
				rated, dissatisfied = true, true
			}
		}
	}
	return dissatisfied, rated
}

// CodedAnswers are r's answers to s's questions that take codes (ratings,
// choices, yes/no): what a webhook may carry. Comments, and answers to
// questions s does not have, are left out.
func CodedAnswers(s *survey.Survey, r *survey.Response) survey.Answers {
	out := survey.Answers{}
	for code, a := range r.Answers {
		q := s.Question(code)
		if q == nil || q.Type == survey.Comment || q.Type == survey.Info || q.Type == survey.Feedback {
			continue
		}
		out[code] = append([]string(nil), a...)
	}
	return out
}

// AlertData is the data of an alert event.
type AlertData struct {
	Rule         string       `json:"rule"`
	Subject      string       `json:"subject"`
	ServicePoint string       `json:"service_point"`
	State        string       `json:"state"` // "raised" or "cleared"
	At           time.Time    `json:"at"`
	Figures      AlertFigures `json:"figures"`
}

// CheckAlerts runs every alert rule (touched as in AlertRule.Check) and
// stores the findings; each crossing enqueues one alert event. It returns
// the crossings. An error of one rule does not stop the others.
func (h *Hub) CheckAlerts(ctx context.Context, touched []string) ([]Alert, error) {
	now := h.now().UTC().Truncate(time.Millisecond)
	var crossed []Alert
	var errs []error
	for _, rule := range h.alertRules {
		found, err := rule.Check(ctx, now, touched)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert rule %s: %w", rule.Kind(), err))
			continue
		}
		for _, a := range found {
			state := "cleared"
			if a.Active {
				state = "raised"
			}
			ev, err := NewEvent(EventAlert, now, AlertData{Rule: a.Rule, Subject: a.Subject, ServicePoint: a.ServicePoint, State: state, At: now, Figures: a.Figures})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			changed, err := h.store.SetAlert(ctx, a, ev)
			if err != nil {
				errs = append(errs, fmt.Errorf("alert %s %q: %w", a.Rule, a.Subject, err))
				continue
			}
			if changed {
				h.metrics.alerts.WithLabelValues(a.Rule, state).Inc()
				crossed = append(crossed, a)
				h.log.Info("alert "+state, "rule", a.Rule, "subject", a.Subject, "answers", a.Figures.Answers, "dissatisfied", a.Figures.Dissatisfied)
			}
		}
	}
	if len(crossed) > 0 {
		h.eventsQueued()
	}
	return crossed, errors.Join(errs...)
}
