package hub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/help"
)

// Webhooks (issue #11, docs/webhooks.md): the hub POSTs a signed JSON event
// to every webhook subscribed to its kind. Events are written to an outbox
// in the hub's database in the same transaction as what they report (a
// batch of responses, feedback cases, an alert's crossing), so a hub that
// stops, even killed, loses none; a Deliverer claims the due deliveries
// with a lease, so that several hub processes sharing a PostgreSQL
// database send each delivery once, and retries a failed one with
// exponential backoff and jitter up to a limit, then marks it failed.

// EventKind is what an event reports; a webhook subscribes to kinds.
type EventKind string

// The event kinds.
const (
	// EventResponses is a batch of responses accepted from one upload,
	// without comments or anything else typed in free text.
	EventResponses EventKind = "responses"
	// EventFeedback is new feedback cases, never their text (a
	// misconduct report shows only its id and code).
	EventFeedback EventKind = "feedback"
	// EventAlert is an alert rule's crossing: raised or cleared.
	EventAlert EventKind = "alert"
	// EventHelpRequest is a staff help request stored: new, or resolved
	// with its outcome; never the staff note.
	EventHelpRequest EventKind = "help_request"
)

// EventKinds lists every kind, in the order the dashboard shows them.
var EventKinds = []EventKind{EventResponses, EventFeedback, EventAlert, EventHelpRequest}

// Valid reports whether k is one of EventKinds.
func (k EventKind) Valid() bool { return slices.Contains(EventKinds, k) }

// ErrInvalidWebhook means a webhook was refused before anything was stored
// (a bad URL, no or an unknown event kind).
var ErrInvalidWebhook = errors.New("invalid webhook")

// ParseEventKinds reads a comma-separated list of kinds ("responses,alert"),
// in EventKinds order without repeats. Errors wrap ErrInvalidWebhook.
func ParseEventKinds(s string) ([]EventKind, error) {
	seen := map[EventKind]bool{}
	for _, f := range strings.Split(s, ",") {
		k := EventKind(strings.TrimSpace(f))
		if k == "" {
			continue
		}
		if !k.Valid() {
			return nil, fmt.Errorf("%w: unknown event kind %q (want %s)", ErrInvalidWebhook, k, kindList(EventKinds))
		}
		seen[k] = true
	}
	var out []EventKind
	for _, k := range EventKinds {
		if seen[k] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no event kind (want one or more of %s)", ErrInvalidWebhook, kindList(EventKinds))
	}
	return out, nil
}

func kindList(ks []EventKind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ",")
}

// KindList is ks joined by commas, as ParseEventKinds reads it.
func KindList(ks []EventKind) string { return kindList(ks) }

// MaxWebhookURL is the longest webhook URL, in bytes.
const MaxWebhookURL = 2000

// CheckWebhookURL checks a webhook's address: an absolute http or https
// URL with a host and no user or password in it. Errors wrap
// ErrInvalidWebhook.
func CheckWebhookURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "", fmt.Errorf("%w: the URL is empty", ErrInvalidWebhook)
	case len(raw) > MaxWebhookURL:
		return "", fmt.Errorf("%w: the URL is longer than %d bytes", ErrInvalidWebhook, MaxWebhookURL)
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrInvalidWebhook, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%w: the URL %q is not http or https", ErrInvalidWebhook, raw)
	case u.Host == "":
		return "", fmt.Errorf("%w: the URL %q has no host", ErrInvalidWebhook, raw)
	case u.User != nil:
		return "", fmt.Errorf("%w: the URL holds a user or password; use the signing secret instead", ErrInvalidWebhook)
	}
	return raw, nil
}

// Webhook is one receiver of events.
type Webhook struct {
	// ID names it ("wh-" and a UUID).
	ID  string
	URL string
	// Kinds are the event kinds it receives, in EventKinds order.
	Kinds []EventKind
	// Secret signs its deliveries (SignWebhook). The hub shows it once,
	// when the webhook is added; the store keeps it to sign with.
	Secret string
	// CreatedAt is when it was added, CreatedBy by whom (an account, or
	// "cli:" and a user, as in the audit log).
	CreatedAt time.Time
	CreatedBy string
}

// Wants reports whether w receives events of kind k.
func (w *Webhook) Wants(k EventKind) bool { return slices.Contains(w.Kinds, k) }

// WebhookSecretPrefix starts every webhook secret.
const WebhookSecretPrefix = "whsec_"

// NewWebhook makes a webhook for url and kinds with a new id and secret.
func NewWebhook(rawURL string, kinds []EventKind, by string, now time.Time) (*Webhook, error) {
	u, err := CheckWebhookURL(rawURL)
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		return nil, fmt.Errorf("%w: no event kind", ErrInvalidWebhook)
	}
	ks, err := ParseEventKinds(kindList(kinds))
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	return &Webhook{
		ID: "wh-" + id.String(), URL: u, Kinds: ks,
		Secret:    WebhookSecretPrefix + base64.RawURLEncoding.EncodeToString(raw[:]),
		CreatedAt: now.UTC().Truncate(time.Millisecond), CreatedBy: by,
	}, nil
}

// Event is one event in the outbox: Body is the JSON envelope sent, and
// signed, byte for byte.
type Event struct {
	ID   string
	Kind EventKind
	At   time.Time
	Body []byte
}

// envelope is every event's body.
type envelope struct {
	ID        string    `json:"id"`
	Kind      EventKind `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// NewEvent wraps data in the envelope of a new event of kind k at `at`.
func NewEvent(k EventKind, at time.Time, data any) (Event, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Event{}, err
	}
	at = at.UTC().Truncate(time.Millisecond)
	ev := Event{ID: "evt-" + id.String(), Kind: k, At: at}
	if ev.Body, err = json.Marshal(envelope{ID: ev.ID, Kind: k, CreatedAt: at, Data: data}); err != nil {
		return Event{}, fmt.Errorf("event %s: %w", k, err)
	}
	return ev, nil
}

// ResponseData is one response in a responses event: what was chosen,
// never what was typed (comments are left out, and so is the slip code,
// which could tie the answer to a printed slip).
type ResponseData struct {
	ID            string         `json:"id"`
	SurveyID      string         `json:"survey_id"`
	SurveyVersion int            `json:"survey_version"`
	ServicePoint  string         `json:"service_point"`
	DeviceID      string         `json:"device_id"`
	StartedAt     time.Time      `json:"started_at"`
	FinishedAt    time.Time      `json:"finished_at"`
	Lang          string         `json:"lang,omitempty"`
	Status        survey.Status  `json:"status"`
	Misuse        bool           `json:"misuse,omitempty"`
	Assisted      bool           `json:"assisted,omitempty"`
	Answers       survey.Answers `json:"answers"`
	Dissatisfied  bool           `json:"dissatisfied"`
}

// ResponsesData is the data of a responses event: one upload's accepted
// responses.
type ResponsesData struct {
	ReceivedAt time.Time      `json:"received_at"`
	Count      int            `json:"count"`
	Responses  []ResponseData `json:"responses"`
}

// ResponsesEvent is the event of the items one Store.Ingest accepted; a
// store calls it inside that transaction, with the accepted items only.
func ResponsesEvent(accepted []Incoming, receivedAt time.Time) (Event, error) {
	d := ResponsesData{ReceivedAt: receivedAt.UTC().Truncate(time.Millisecond), Count: len(accepted), Responses: make([]ResponseData, len(accepted))}
	for i, it := range accepted {
		r := it.Response
		a := it.Coded
		if a == nil {
			a = survey.Answers{}
		}
		d.Responses[i] = ResponseData{
			ID: r.ID, SurveyID: r.SurveyID, SurveyVersion: r.SurveyVersion, ServicePoint: r.ServicePoint, DeviceID: r.DeviceID,
			StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(), Lang: r.Lang, Status: r.Status, Misuse: r.Misuse,
			Assisted: r.Assisted, Answers: a, Dissatisfied: it.Dissatisfied,
		}
	}
	return NewEvent(EventResponses, receivedAt, d)
}

// FeedbackData is one case in a feedback event. A misconduct report
// (Misconduct) carries its id, code and time only: what it says, and where,
// is for inspectors.
type FeedbackData struct {
	ID           string    `json:"id"`
	Code         string    `json:"code"`
	Misconduct   bool      `json:"misconduct"`
	Category     string    `json:"category,omitempty"`
	ServicePoint string    `json:"service_point,omitempty"`
	DeviceID     string    `json:"device_id,omitempty"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
	ReceivedAt   time.Time `json:"received_at"`
}

// FeedbackEventData is the data of a feedback event.
type FeedbackEventData struct {
	Count int            `json:"count"`
	Cases []FeedbackData `json:"cases"`
}

// FeedbackEvent is the event of the cases one Store.IngestFeedback
// accepted; a store calls it inside that transaction. No case's text is
// ever in it.
func FeedbackEvent(accepted []FeedbackCase, receivedAt time.Time) (Event, error) {
	at := receivedAt.UTC().Truncate(time.Millisecond)
	d := FeedbackEventData{Count: len(accepted), Cases: make([]FeedbackData, len(accepted))}
	for i, c := range accepted {
		f := FeedbackData{ID: c.ID, Code: c.Code, Misconduct: c.IsSealed(), ReceivedAt: at}
		if !f.Misconduct {
			f.Category, f.ServicePoint, f.DeviceID, f.CreatedAt = c.Category, c.ServicePoint, c.DeviceID, c.CreatedAt.UTC()
		}
		d.Cases[i] = f
	}
	return NewEvent(EventFeedback, receivedAt, d)
}

// HelpEventData is the data of a help_request event: one state of a
// staff help request, as the hub stored it. State is "open" for a new
// request still waiting, "resolved" for one with its outcome (a request
// raised and resolved offline arrives once, resolved). Never the staff
// note: it is typed text.
type HelpEventData struct {
	ID           string       `json:"id"`
	State        string       `json:"state"`
	ServicePoint string       `json:"service_point"`
	Source       string       `json:"source"`
	DeviceID     string       `json:"device_id"`
	CreatedAt    time.Time    `json:"created_at"`
	Outcome      help.Outcome `json:"outcome,omitempty"`
	Reason       help.Reason  `json:"reason,omitempty"`
	ResolvedAt   time.Time    `json:"resolved_at,omitzero"`
	ReceivedAt   time.Time    `json:"received_at"`
}

// The states of a HelpEventData.
const (
	HelpEventOpen     = "open"
	HelpEventResolved = "resolved"
)

// HelpEvent is the event of one state of a help request that
// Store.IngestHelp stored (a new request, or an open one resolved); a
// store calls it inside that transaction, once per state stored.
func HelpEvent(r *HelpRequest, receivedAt time.Time) (Event, error) {
	d := HelpEventData{
		ID: r.ID, State: HelpEventOpen, ServicePoint: r.ServicePoint, Source: r.Source, DeviceID: r.DeviceID,
		CreatedAt: r.CreatedAt.UTC(), ReceivedAt: receivedAt.UTC().Truncate(time.Millisecond),
	}
	if !r.Open() {
		d.State, d.Outcome, d.Reason, d.ResolvedAt = HelpEventResolved, r.Outcome, r.Reason, r.ResolvedAt.UTC()
	}
	return NewEvent(EventHelpRequest, receivedAt, d)
}

// DeliveryState is where a delivery stands.
type DeliveryState string

// The states of a delivery.
const (
	DeliveryPending   DeliveryState = "pending"   // due at NextAt (again, after a failed attempt)
	DeliveryDelivered DeliveryState = "delivered" // the receiver answered 2xx
	DeliveryFailed    DeliveryState = "failed"    // attempts used up, or the webhook was removed
)

// Delivery is one event's delivery to one webhook.
type Delivery struct {
	ID        int64
	EventID   string
	Kind      EventKind
	WebhookID string
	URL       string
	State     DeliveryState
	// Attempts is how many times it was sent; NextAt when it is due
	// (pending only); LastStatus the HTTP status of the last attempt (0
	// when it got none) and LastError what went wrong ("" after success).
	Attempts   int
	NextAt     time.Time
	LastStatus int
	LastError  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ClaimedDelivery is a delivery a Deliverer holds the lease of, with what
// it needs to send it.
type ClaimedDelivery struct {
	Delivery
	Secret string
	Body   []byte
	// Lease is the claim's token; FinishDelivery needs it.
	Lease string
}

// DeliveryResult is what an attempt came to.
type DeliveryResult struct {
	At time.Time
	// State is DeliveryDelivered, DeliveryPending (try again at NextAt)
	// or DeliveryFailed.
	State  DeliveryState
	NextAt time.Time
	Status int
	Error  string
}

// ErrLeaseLost means a delivery's lease had passed to another claim
// before FinishDelivery: the result is not recorded (the other claim's is).
var ErrLeaseLost = errors.New("delivery lease lost")

// WebhookStore is the part of Store that keeps webhooks, the event outbox
// and the alerts' state.
//
// Ingest and IngestFeedback also write to it: when a call accepts at least
// one item, the store enqueues ResponsesEvent (or FeedbackEvent) of the
// accepted items in the same transaction, as Enqueue does, and Ingest
// records every accepted rated item (Figures.Rated) for AlertAnswers,
// dissatisfied or not (Incoming.Dissatisfied).
type WebhookStore interface {
	// AddWebhook stores w (its id must be new: ErrConflict otherwise).
	AddWebhook(ctx context.Context, w Webhook) error
	// Webhooks returns the webhooks, oldest first, with their secrets.
	Webhooks(ctx context.Context) ([]Webhook, error)
	// RemoveWebhook removes the webhook id; its pending deliveries become
	// failed ("webhook removed"); those done stay in the log. Unknown id:
	// ErrNotFound.
	RemoveWebhook(ctx context.Context, id string, at time.Time) error

	// Enqueue stores ev with one pending delivery, due at ev.At, for each
	// webhook that wants ev.Kind, in one transaction; with no such
	// webhook it stores nothing.
	Enqueue(ctx context.Context, ev Event) error
	// ClaimDeliveries leases up to limit pending deliveries due at now
	// whose lease, if any, has passed, for `lease`, oldest due first, and
	// returns them with a new lease token each. Atomically: of concurrent
	// claims, from any hub process, each delivery goes to one.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]ClaimedDelivery, error)
	// FinishDelivery records an attempt's result and ends the lease: the
	// attempts count one more. A lease token that is no longer the
	// delivery's gives ErrLeaseLost and changes nothing.
	FinishDelivery(ctx context.Context, id int64, lease string, r DeliveryResult) error
	// Deliveries returns the latest limit deliveries, newest first.
	Deliveries(ctx context.Context, limit int) ([]Delivery, error)
	// RetryDelivery makes the failed delivery id pending again, due at
	// `at`, with its attempts counted from zero (an admin's Gửi lại after
	// a receiver's long outage). A delivery that is not failed, or whose
	// webhook was removed, gives ErrNotFound.
	RetryDelivery(ctx context.Context, id int64, at time.Time) error
	// PruneDeliveries deletes the deliveries done (delivered or failed)
	// whose last change is before `before`, and the events left without a
	// delivery, in one transaction, and returns how many deliveries it
	// deleted. Pending deliveries stay, however old.
	PruneDeliveries(ctx context.Context, before time.Time) (int, error)

	// AlertAnswers returns the last n answers Ingest recorded for the
	// service point (in the order it accepted them): how many (at most n) and how many of them were
	// dissatisfied, and when the last was received.
	AlertAnswers(ctx context.Context, servicePoint string, n int) (AnswerWindow, error)
	// AlertPoints returns every service point with a recorded answer.
	AlertPoints(ctx context.Context) ([]string, error)
	// SetAlert stores a rule's finding for a subject: when the stored
	// Active differs (or none is stored and a.Active), it stores a with
	// Since = a.At and enqueues ev, in one transaction, and answers true;
	// otherwise it only updates the figures and answers false. Of
	// concurrent calls for one rule and subject, from any hub process,
	// one crossing answers true once.
	SetAlert(ctx context.Context, a Alert, ev Event) (bool, error)
	// Alerts returns every stored alert, by rule then subject.
	Alerts(ctx context.Context) ([]Alert, error)
}

// AnswerWindow is a service point's last answers (WebhookStore.AlertAnswers).
type AnswerWindow struct {
	Answers, Dissatisfied int
	LastAt                time.Time
}

// Signature headers of a delivery.
const (
	HeaderSignature = "X-HaiLong-Signature" // "sha256=" and the hex HMAC-SHA256
	HeaderTimestamp = "X-HaiLong-Timestamp" // Unix seconds, part of what is signed
	HeaderEvent     = "X-HaiLong-Event"     // the event kind
	HeaderEventID   = "X-HaiLong-Event-Id"  // the event's id: the same on every attempt
	HeaderDelivery  = "X-HaiLong-Delivery"  // the delivery's number
)

// SignWebhook is the signature of body sent at Unix time ts with secret:
// "sha256=" and the hex HMAC-SHA256, keyed with the secret's text, of the
// timestamp's decimal digits, a dot and the body.
func SignWebhook(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is wrapped by VerifyWebhook's refusals.
var ErrBadSignature = errors.New("bad webhook signature")

// VerifyWebhook is what a receiver (written in Go) does with a delivery:
// it checks the signature header against body and the timestamp header,
// and that the timestamp is within tolerance of now (a replay of an old
// delivery is refused). A receiver should also drop an event id it has
// already handled: a delivery whose answer was lost is sent again.
func VerifyWebhook(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: no timestamp", ErrBadSignature)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %d is %s from now", ErrBadSignature, ts, d.Round(time.Second))
	}
	want := SignWebhook(secret, ts, body)
	if !hmac.Equal([]byte(h.Get(HeaderSignature)), []byte(want)) {
		return fmt.Errorf("%w: signature does not match", ErrBadSignature)
	}
	return nil
}
