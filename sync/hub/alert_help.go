package hub

import (
	"context"
	"fmt"
	"time"
)

// RuleHelpWait is the kind of HelpWait.
const RuleHelpWait = "help_request_wait"

// DefaultAlertHelpWait is how long a help request may wait for staff
// before HelpWait alerts: the /help page shows a wait in red from then.
const DefaultAlertHelpWait = 15 * time.Minute

// HelpWait raises an alert for each open staff help request that has
// waited more than Limit since it was raised (the kiosk's clock, as the
// /help page counts it), and clears it when the request gets its outcome.
// Subject is the request's id. Only requests that did wait too long get
// an alert row: a request answered in time leaves none.
type HelpWait struct {
	Source interface {
		HelpRequests(ctx context.Context, f HelpFilter) ([]HelpRequest, error)
		Alerts(ctx context.Context) ([]Alert, error)
	}
	Limit time.Duration
}

// Kind implements AlertRule.
func (r *HelpWait) Kind() string { return RuleHelpWait }

// CheckHelpWait checks the rule's limit: at least a minute (0 is for
// serve to leave the rule out).
func CheckHelpWait(limit time.Duration) error {
	if limit < time.Minute {
		return fmt.Errorf("help wait alert %s: want at least 1m (or 0 for none)", limit)
	}
	return nil
}

// Check implements AlertRule. It ignores touched: a wait grows with time,
// not with uploads, and the open requests are few.
func (r *HelpWait) Check(ctx context.Context, now time.Time, _ []string) ([]Alert, error) {
	t := true
	open, err := r.Source.HelpRequests(ctx, HelpFilter{Open: &t})
	if err != nil {
		return nil, err
	}
	stored, err := r.Source.Alerts(ctx)
	if err != nil {
		return nil, err
	}
	return r.Judge(now, open, stored), nil
}

// Judge is the rule's one decision: from the open requests and the
// stored alerts (of any rule), the findings to store. An open request
// waiting more than Limit is active; an active stored alert of the rule
// whose request is no longer open, or no longer waits too long (a larger
// Limit), clears. Nothing else is returned, so no row is stored for a
// request answered in time.
func (r *HelpWait) Judge(now time.Time, open []HelpRequest, stored []Alert) []Alert {
	limit := int(r.Limit / time.Minute)
	raised := map[string]Alert{}
	for _, a := range stored {
		if a.Rule == RuleHelpWait && a.Active {
			raised[a.Subject] = a
		}
	}
	var out []Alert
	for i := range open {
		q := &open[i]
		waited := now.Sub(q.CreatedAt)
		_, was := raised[q.ID]
		delete(raised, q.ID)
		if waited <= r.Limit && !was {
			continue
		}
		out = append(out, Alert{Rule: RuleHelpWait, Subject: q.ID, ServicePoint: q.ServicePoint, Active: waited > r.Limit, At: now,
			Figures: AlertFigures{WaitedMinutes: max(int(waited/time.Minute), 0), LimitMinutes: limit}})
	}
	for _, a := range stored {
		if _, ok := raised[a.Subject]; !ok || a.Rule != RuleHelpWait {
			continue
		}
		// Resolved (or gone): the alert clears with the wait it had.
		out = append(out, Alert{Rule: RuleHelpWait, Subject: a.Subject, ServicePoint: a.ServicePoint, Active: false, At: now,
			Figures: AlertFigures{WaitedMinutes: a.Figures.WaitedMinutes, LimitMinutes: limit}})
	}
	return out
}
