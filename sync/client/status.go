package client

import "time"

// Status is a snapshot of the uploader for the admin panel.
type Status struct {
	// Enrolled is false until the kiosk has joined a hub.
	Enrolled bool
	// HubURL and DeviceID are the enrolled identity, empty before.
	HubURL   string
	DeviceID string
	// Pending, Synced and Rejected count the outbox's rows.
	Pending  int
	Synced   int
	Rejected int
	// Waiting counts the pending responses the hub answered "not yet"
	// (their survey version is not published there); part of Pending.
	Waiting int
	// LastRejected counts the responses the hub refused for good during
	// the last sync: a sync that refused some is not a plain success.
	LastRejected int
	// Syncing is true while a sync is under way.
	Syncing bool
	// LastAttempt is when the last sync ended, successful or not.
	LastAttempt time.Time
	// LastSuccess is when a sync last ended without failing: every
	// response it could send got the hub's answer and the surveys were
	// pulled (Waiting and LastRejected say what the hub did not take); it
	// survives restarts.
	LastSuccess time.Time
	// NextAttempt is when the uploader will try again by itself.
	NextAttempt time.Time
	// Failures counts consecutive failed syncs (drives the backoff).
	Failures int
	// LastError is the last sync's failure, nil after a success.
	LastError *Error
}

// ErrorKey returns the translation key of LastError's message for staff
// (Kind.Key), or "" when the last sync succeeded.
func (s Status) ErrorKey() string {
	if s.LastError == nil {
		return ""
	}
	return s.LastError.Key()
}
