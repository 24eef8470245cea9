package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// Errors a Store returns, tested with errors.Is. Implementations wrap them
// with context; the hub maps them to protocol error codes.
var (
	// ErrNotFound means no row matches: no such device, code, token or survey.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change contradicts what is stored (a survey
	// version published again with different content, a device id reused).
	ErrConflict = errors.New("conflict with stored data")
	// ErrNotDayAligned means a Filter's From or To is not the start of a
	// day, the grain of Store.Figures.
	ErrNotDayAligned = errors.New("filter times are not the start of a day")
	// ErrOutcomeUnknown means the database may or may not have committed
	// the change (its connection broke with the change sent, and the store
	// could not find out which).
	ErrOutcomeUnknown = errors.New("outcome unknown: the database connection broke")
)

// Device is a kiosk or laptop known to the hub. It is pending from
// `device enroll` until the kiosk claims it with the one-time code, then
// active until revoked.
type Device struct {
	// ID is the device id carried in every response of the device.
	ID string
	// Name and ServicePoint are what the operator entered.
	Name         string
	ServicePoint string
	// PublicKey is the device's Ed25519 key, nil while pending.
	PublicKey ed25519.PublicKey
	// CreatedAt is when the operator created it; EnrolledAt when the kiosk
	// claimed it (zero while pending); RevokedAt when revoked (zero if not).
	CreatedAt  time.Time
	EnrolledAt time.Time
	RevokedAt  time.Time
	// CodeExpiresAt is when the pending enrollment code stops working.
	CodeExpiresAt time.Time
}

// State is a device's state: "pending", "active" or "revoked".
func (d *Device) State() string {
	switch {
	case !d.RevokedAt.IsZero():
		return "revoked"
	case d.EnrolledAt.IsZero():
		return "pending"
	}
	return "active"
}

// Incoming is one item that passed every check except duplicate/conflict,
// ready to be stored.
type Incoming struct {
	// Response is normalised (protocol.Normalize); Content is its
	// protocol.Canonical encoding, the bytes compared and stored.
	Response  *survey.Response
	Content   []byte
	Signature []byte
	// Seq is the device's sequence number of the response, signed in
	// Content (protocol version 2), or 0 for a version 1 item.
	Seq int64
	// Figures is the response's cell of the report (report.CellOf with its
	// survey version), which the store adds to its rollup when it accepts
	// the item. A zero Figures (no Responses) adds nothing.
	Figures report.Cell
	// Slip is the rating slip the item carried: its compact code (or, for
	// text that is no code, that text, which matches no printed slip), ""
	// for none. See Store.Ingest.
	Slip string
	// SlipStatus is set by the store inside Ingest, once it has used the
	// slip, for RollupRows: callers leave it empty.
	SlipStatus SlipStatus
	// Dissatisfied is set when a rating answer of the response is
	// dissatisfied (hub.Dissatisfied): the store records it for the
	// alerts of a rated item (Figures.Rated), see WebhookStore.
	Dissatisfied bool
	// Coded are the response's answers a webhook may carry (CodedAnswers:
	// no comment); nil carries none.
	Coded survey.Answers
}

// DeviceMark is a device's signed high-water mark (protocol.Mark) as the
// hub keeps it: the highest number the device said it had assigned.
type DeviceMark struct {
	DeviceID string
	// From is the first number the device answers for under its id
	// (protocol.Mark.From); Seq the highest it has assigned.
	From int64
	Seq  int64
	// SignedAt is the device's time in the mark; Signature its signature.
	SignedAt   time.Time
	Signature  []byte
	ReceivedAt time.Time
}

// SeqRange is the run of sequence numbers First to Last, both included.
type SeqRange struct{ First, Last int64 }

// String is "7" for one number, "3-5" for a run.
func (r SeqRange) String() string {
	if r.First == r.Last {
		return strconv.FormatInt(r.First, 10)
	}
	return strconv.FormatInt(r.First, 10) + "-" + strconv.FormatInt(r.Last, 10)
}

// DeviceGaps is what the hub knows of one device's numbering: its highest
// signed mark, how many of the numbers From to Mark it holds a response
// for, and the numbers in that range it never received (responses deleted
// or lost on the device before they were delivered), in order.
type DeviceGaps struct {
	DeviceID string
	From     int64 // 1, or for a kiosk enrolled again the first number of its new id
	Mark     int64
	MarkAt   time.Time // the device's time in the mark
	Received int64
	Missing  []SeqRange
}

// MissingCount is how many numbers Missing holds.
func (g *DeviceGaps) MissingCount() int64 {
	var n int64
	for _, r := range g.Missing {
		n += r.Last - r.First + 1
	}
	return n
}

// Conflict is a delivery of a stored response id with different content.
// The first content stays; conflicts are kept for the operator.
type Conflict struct {
	ResponseID string
	DeviceID   string
	// Content is the canonical encoding of the refused content.
	Content    []byte
	ReceivedAt time.Time
}

// PublishedSurvey is one stored survey version.
type PublishedSurvey struct {
	ID          string
	Version     int
	Definition  []byte // exactly as published
	PublishedAt time.Time
}

// PublishedSlides is one stored slide set (survey.Slides).
type PublishedSlides struct {
	// Version numbers the publications 1, 2, ... in order; kiosks use the
	// highest.
	Version     int
	Definition  []byte // the JSON exactly as published
	PublishedAt time.Time
	PublishedBy string // the admin who published it
}

// Filter selects responses for export. Zero fields match everything; times
// are a half-open range [From, To) over StartedAt.
type Filter struct {
	From, To      time.Time
	SurveyID      string
	SurveyVersion int
	ServicePoint  string
	DeviceID      string
	Status        survey.Status
	EventTag      string
	// CountedFor, when set, lets Figures leave out every counter but the
	// number of responses of the cells that a report with these options
	// counts in its totals alone (abandoned ones without IncludeAbandoned,
	// misuse-flagged ones without IncludeFlagged): report.FromCells with
	// the same options gives the same report from fewer rows. Responses
	// and DeviceCounts ignore it.
	CountedFor *report.Options
}

// FilterTerm is one condition of a filter (Filter, FeedbackFilter,
// HelpFilter): Column Op Value, where Column names a column as both
// backends store it and Value is a time.Time (UTC), an int or a string.
// The Terms methods are the one place that says which field of a filter
// restricts which column; a backend only spells the terms in its SQL.
type FilterTerm struct {
	Column, Op string
	Value      any
}

// Terms lists f's conditions over the responses in a fixed order; a zero
// field adds none. CountedFor is not a condition on responses and adds
// none.
func (f Filter) Terms() []FilterTerm {
	var t []FilterTerm
	add := func(col, op string, v any) { t = append(t, FilterTerm{col, op, v}) }
	if !f.From.IsZero() {
		add("started_at", ">=", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("started_at", "<", f.To.UTC())
	}
	if f.SurveyID != "" {
		add("survey_id", "=", f.SurveyID)
	}
	if f.SurveyVersion != 0 {
		add("survey_version", "=", f.SurveyVersion)
	}
	if f.ServicePoint != "" {
		add("service_point", "=", f.ServicePoint)
	}
	if f.DeviceID != "" {
		add("device_id", "=", f.DeviceID)
	}
	if f.Status != "" {
		add("status", "=", string(f.Status))
	}
	if f.EventTag != "" {
		add("event_tag", "=", f.EventTag)
	}
	return t
}

// Store is the hub's durable storage. The SQLite implementation is in
// sync/hub/sqlite; every implementation must pass sync/hub/storetest.Run.
// All methods are safe for concurrent use. A method that returns nil has
// made its change durable (it survives a power cut or SIGKILL right after);
// a method that returns an error has changed nothing.
type Store interface {
	// CreateDevice stores a new pending device with the SHA-256 of its
	// one-time enrollment code. d.ID must be new (ErrConflict otherwise).
	CreateDevice(ctx context.Context, d *Device, codeHash []byte) error

	// ClaimDevice turns the pending device whose code hash is codeHash and
	// whose code has not expired at now into an active device with the given
	// public key and token hash, and forgets the code, atomically: of two
	// concurrent claims with one code exactly one succeeds. An unknown, used,
	// expired or revoked code gives ErrNotFound.
	//
	// An error means the claim did not commit: the code still works and
	// the kiosk may claim again. A lost reply to the commit (the connection
	// breaks with the claim sent) must not make a committed claim look
	// failed, which would leave a device active whose kiosk has no token:
	// the store finds out whether the claim committed before it answers
	// (see the PostgreSQL store). When it cannot find out, it returns an
	// error wrapping ErrOutcomeUnknown, the only error after which the code
	// may be spent.
	ClaimDevice(ctx context.Context, codeHash []byte, pub ed25519.PublicKey, tokenHash []byte, now time.Time) (*Device, error)

	// DeviceByToken returns the device whose token hash is tokenHash, revoked
	// or not (the caller tells 401 from 403), or ErrNotFound.
	DeviceByToken(ctx context.Context, tokenHash []byte) (*Device, error)

	// Device returns the device with the given id, or ErrNotFound.
	Device(ctx context.Context, id string) (*Device, error)

	// Devices returns every device, pending, active and revoked, oldest first.
	Devices(ctx context.Context) ([]*Device, error)

	// RevokeDevice marks the device revoked at the given time. It must be
	// idempotent: revoking again keeps the first time. The device's
	// responses stay. Unknown id: ErrNotFound.
	RevokeDevice(ctx context.Context, id string, at time.Time) error

	// PublishSurvey stores one survey version's definition. It must be
	// idempotent: publishing identical bytes again is a no-op; different
	// bytes for a stored id and version give ErrConflict.
	PublishSurvey(ctx context.Context, s PublishedSurvey) error

	// Survey returns one published version, or ErrNotFound.
	Survey(ctx context.Context, id string, version int) (*PublishedSurvey, error)

	// LatestSurveys returns the newest version of every survey, by id.
	LatestSurveys(ctx context.Context) ([]*PublishedSurvey, error)

	// Surveys returns every published version of every survey, ordered by
	// id then version (oldest first): what an export needs to name the
	// questions of responses to any version.
	Surveys(ctx context.Context) ([]*PublishedSurvey, error)

	// PublishSlides stores a slide set (already validated) as the next
	// version, 1 for the first, and returns that version. Two concurrent
	// publications get two versions.
	PublishSlides(ctx context.Context, s PublishedSlides) (int, error)

	// LatestSlides returns the slide set of the highest version, or
	// ErrNotFound when none was ever published.
	LatestSlides(ctx context.Context) (*PublishedSlides, error)

	// PutAdmin creates the dashboard administrator name, or replaces the
	// password hash of an existing one (keeping its CreatedAt, setting
	// UpdatedAt to now). It must be idempotent: putting the same name and
	// hash again leaves one admin with that hash. The name is normalised
	// with AdminName first (NFC, trimmed; case is kept and significant);
	// an invalid name or a hash that is not a bcrypt hash (CheckAdmin) is
	// refused with an error wrapping ErrInvalidAdmin and nothing changes.
	// Passwords are hashed by the caller: a store never sees one in clear.
	PutAdmin(ctx context.Context, name string, passwordHash []byte, now time.Time) error

	// AdminPasswordHash returns the bcrypt hash stored for the admin whose
	// normalised name equals AdminName(name), or an error wrapping
	// ErrNotFound.
	AdminPasswordHash(ctx context.Context, name string) ([]byte, error)

	// Admins returns every administrator, ordered by name (byte order),
	// without their hashes.
	Admins(ctx context.Context) ([]Admin, error)

	// DeleteAdmin removes the admin whose normalised name equals
	// AdminName(name); an unknown name gives ErrNotFound. Dashboard
	// sessions already open are not the store's concern.
	DeleteAdmin(ctx context.Context, name string) error

	// PutAdminAs is PutAdmin that also sets the admin's role, in the same
	// change: a new admin never exists, even briefly, with another role.
	// An unknown role is refused with ErrInvalidAdmin. (PutAdmin creates
	// admins with RoleAdmin and keeps the role of an existing one.)
	PutAdminAs(ctx context.Context, name string, passwordHash []byte, role Role, now time.Time) error

	// AdminRole returns the role of the admin whose normalised name equals
	// AdminName(name), or an error wrapping ErrNotFound.
	AdminRole(ctx context.Context, name string) (Role, error)

	// AppendAudit appends e to the audit log as NextAuditEntry after the
	// current head, in one transaction (concurrent appends are serialised:
	// Seq has no gaps), and returns the entry as stored. Entries are never
	// changed or removed through a Store.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)

	// AuditLog streams the audit log in Seq order, holding at most a page
	// in memory; iteration stops at the first error, which is yielded.
	AuditLog(ctx context.Context) iter.Seq2[AuditEntry, error]

	// CreateSession stores a dashboard session. Sessions and failed logins
	// live in the store, not in a hub's memory, so that every hub process
	// sharing the database sees them: a login on one hub works on the
	// next, a logout or an expiry ends the session on all, and the login
	// limit counts the failures made through any hub.
	CreateSession(ctx context.Context, s Session) error

	// Session returns the session whose token hash is tokenHash and whose
	// Expires is after now, or an error wrapping ErrNotFound.
	Session(ctx context.Context, tokenHash []byte, now time.Time) (*Session, error)

	// DeleteSession ends the session whose token hash is tokenHash, and
	// forgets every session expired at now. Ending an unknown session is
	// no error.
	DeleteSession(ctx context.Context, tokenHash []byte, now time.Time) error

	// LoginFailed counts one failed login from key (a client address) at
	// now and returns key's failures in its current window, atomically
	// across hub processes: a window starts at the first failure after the
	// previous window (window long) has passed.
	LoginFailed(ctx context.Context, key string, now time.Time, window time.Duration) (LoginFailures, error)

	// LoginFailures returns key's failures in its window at now (zero
	// when none, or when the window has passed).
	LoginFailures(ctx context.Context, key string, now time.Time, window time.Duration) (LoginFailures, error)

	// ResetLogins forgets key's failures (after a good login).
	ResetLogins(ctx context.Context, key string) error

	// Ingest stores a batch of items the hub has fully checked and
	// verified, in ONE transaction, and returns one outcome per item, in
	// order: Accepted when the id was new (now stored), Duplicate when the
	// id is stored with the same Content, Conflict when the id is stored
	// with different Content (the stored one stays; the conflict is
	// recorded once per distinct content, see Conflicts). Items later in
	// the batch see earlier ones: of two items with one id, the first
	// decides. It must be idempotent: ingesting the same items again
	// changes nothing and answers Duplicate. receivedAt is recorded with
	// accepted items and conflicts. An empty batch answers an empty slice.
	//
	// Concurrency: batches may be ingested at the same time, by one hub
	// process or several sharing the database, with overlapping ids. For
	// each id exactly one delivery is ever Accepted; every other delivery
	// of the same content answers Duplicate and of other content Conflict,
	// whichever batch commits first. No interleaving may give an error
	// that a lone batch would not.
	//
	// Retries: when the database aborts the transaction for a reason that
	// says nothing about the data (a serialization failure or a deadlock
	// between concurrent batches), the store runs the whole batch again in
	// a new transaction, a bounded number of times; outcomes are those of
	// the attempt that committed, so a retry never turns an Accepted into a
	// Duplicate. Any other failure, or ctx ending before the commit, rolls
	// back and returns the error with nothing of the batch stored: the
	// caller answers the kiosk with an error and the kiosk sends the batch
	// again, which idempotency makes safe. A nil error means the whole
	// batch is durable.
	//
	// Slips: an accepted item with a Slip uses it in the same transaction,
	// as UseSlip does (the slip is marked used by the item's response and
	// device at receivedAt if it was unused), and the status found is
	// stored with the response (ResponseSlip). A Duplicate or Conflict
	// uses nothing. An item is never refused for its slip. A first use
	// by a response from another service point than the slip was printed
	// for is stored as SlipElsewhere (SlipAt); the slip is used all the
	// same. The rollup counts each accepted rating in its slip channel
	// (SlipChannel, RollupRows), and a flagged one by its status too, in
	// the same transaction.
	Ingest(ctx context.Context, items []Incoming, receivedAt time.Time) ([]protocol.Outcome, error)

	// SlipKey returns the hub's slip signing key. The first call on a new
	// database stores candidate and returns it; every later call, from any
	// hub process sharing the database, returns that stored key and
	// ignores its candidate: of concurrent first calls, exactly one
	// candidate is kept and all of them return it.
	SlipKey(ctx context.Context, candidate ed25519.PrivateKey, now time.Time) (ed25519.PrivateKey, error)

	// IssueSlips stores a print run of new, unused slips in ONE
	// transaction. A code already stored (or given twice) gives an error
	// wrapping ErrConflict and stores none of them.
	IssueSlips(ctx context.Context, slips []Slip) error

	// SlipPrints returns how many slips IssueSlips stored per day of
	// printing (Asia/Ho_Chi_Minh) and service point, for the days in
	// [fromDay, toDay) ("2006-01-02"; an empty bound is open), ordered by
	// day then service point (byte order). It reads sums the store keeps
	// with the slips, not the slips.
	SlipPrints(ctx context.Context, fromDay, toDay string) ([]SlipPrint, error)

	// Slip returns the stored slip with code c, used or not, or an error
	// wrapping ErrNotFound.
	Slip(ctx context.Context, c slip.Code) (*Slip, error)

	// UseSlip marks the slip with code text code (compact) used by the
	// response responseID of device at `at` if it is unused, and answers
	// SlipFirst; answers SlipFirst again, changing nothing, when that same
	// response already used it (a retry); SlipReused, changing nothing,
	// when another response did; SlipUnknown when no slip has that code.
	// Atomically: of concurrent uses of one slip by different responses,
	// from any hub process, exactly one answers SlipFirst.
	UseSlip(ctx context.Context, code, responseID, deviceID string, at time.Time) (SlipStatus, error)

	// ResponseSlip returns the slip text a stored response carried and
	// the status Ingest found for it; "" and SlipNone when it carried
	// none or is not stored.
	ResponseSlip(ctx context.Context, responseID string) (string, SlipStatus, error)

	// ResponseSlips returns the status Ingest found for the slip of each
	// of the given stored responses that carried one, by response id
	// (those without a slip, or not stored, are absent), in one read: an
	// export asks it for a page of responses at a time (SlipChannels).
	// The figures never read it: they come from the rollup.
	ResponseSlips(ctx context.Context, responseIDs []string) (map[string]SlipStatus, error)

	// Figures yields the report cells (report.Cell) of the responses
	// matching f, from a rollup the store updates in the same transaction
	// as it accepts responses, so the figures never disagree with the
	// stored responses: report.FromCells over them equals report.Compute
	// over Responses(f). Cells come grouped by day, service point, survey
	// version, status and misuse flag, so their number grows with days and
	// service points, not with responses. f.From and f.To must be zero or
	// the start of a day in Asia/Ho_Chi_Minh (report.DayOf), the rollup's
	// grain; otherwise Figures yields an error wrapping ErrNotDayAligned
	// (see Report).
	Figures(ctx context.Context, f Filter) iter.Seq2[report.Cell, error]

	// DeviceCounts returns how many responses match f per service point
	// and device, ordered by service point then device id (byte order),
	// pairs with none left out: the dashboard's list of the service
	// points seen and its device table. It reads the same rollup as
	// Figures, kept in the same transactions, so it counts what Responses
	// would count by point and device, purged responses included (Purge
	// leaves the rollup as it is), and its cost grows with service points
	// and devices (and days, when f has a period), not with responses.
	// f.From and f.To must be zero or the start of a day, as for Figures
	// (ErrNotDayAligned otherwise).
	DeviceCounts(ctx context.Context, f Filter) ([]DeviceCount, error)

	// Every item IngestSeq answers Accepted also gets the next entry of the
	// acceptance chain (NextChainEntry after the head, with receivedAt), in
	// the same transaction: a response is stored if and only if it has an
	// entry. Entries are never changed or removed.

	// Chain streams every acceptance chain entry in order, each beside the
	// content stored now for its response (nil when the response row is
	// missing), holding at most a page in memory; iteration stops at the
	// first error, which is yielded.
	Chain(ctx context.Context) iter.Seq2[StoredEntry, error]

	// UnchainedResponses returns the ids of stored responses that have no
	// chain entry, in id order (none, unless the database was edited).
	UnchainedResponses(ctx context.Context) ([]string, error)

	// DayRoots returns the root of every chain day (ChainDay of the
	// entries' times), oldest first, read from the stored entries.
	DayRoots(ctx context.Context) ([]DayRoot, error)

	// ReceiptDays returns the chain days, in order, on which a response with
	// receipt code r was accepted: usually one, none when the hub holds no
	// such response.
	ReceiptDays(ctx context.Context, r protocol.Receipt) ([]string, error)

	// RecordMark keeps m as its device's high-water mark if it is higher
	// than the one stored (a lower or equal one changes nothing), so marks
	// may arrive in any order and again. Incoming.Seq of the items
	// IngestSeq stores is kept with them for Gaps.
	RecordMark(ctx context.Context, m DeviceMark) error

	// Gaps returns, for every device with a recorded mark, ordered by
	// device id, the numbers from the mark's From to its Seq that no
	// stored response of that device carries (several responses claiming
	// one number count once). The From of the highest mark applies.
	Gaps(ctx context.Context) ([]DeviceGaps, error)

	// Response returns one stored response, or ErrNotFound.
	Response(ctx context.Context, id string) (*survey.Response, error)

	// Responses streams the stored responses matching f, ordered by
	// StartedAt then ID, holding at most a page or two in memory (a store
	// may read the next page while the caller takes one); iteration stops
	// at the first error, which is yielded.
	//
	// An export may run for minutes while kiosks upload. Responses never
	// holds one transaction for the whole iteration (it reads page by page,
	// so it pins no snapshot and blocks neither writers nor a replica's
	// replay), and it guarantees: every matching response committed before
	// the call is yielded exactly once, in order; a response committed
	// during the iteration is yielded at most once, and never if it sorts
	// before the last response already yielded (the order never goes
	// back). Whether one that sorts after is yielded depends on the page it
	// falls in: a report that must be exact over a period filters on a
	// period that has ended (Filter.To). A store that reads from a
	// streaming replica (postgres.ReadFrom) answers for what the replica
	// has replayed: "committed" above then means "replayed there".
	Responses(ctx context.Context, f Filter) iter.Seq2[*survey.Response, error]

	// Conflicts returns every recorded conflict, oldest first.
	Conflicts(ctx context.Context) ([]Conflict, error)

	// PutFileCounts stores the given day counts of returned files in ONE
	// transaction: each replaces the count stored for its day and service
	// point (the agency corrects a day by recording it again). Every count
	// is checked with CheckFileCount first; if one is refused, nothing is
	// stored and the error wraps ErrInvalidFileCount. Idempotent.
	PutFileCounts(ctx context.Context, counts []FileCount, now time.Time) error

	// FileCounts returns the stored counts whose Day is in [fromDay, toDay)
	// ("2006-01-02"; an empty bound is open), ordered by day then service
	// point (byte order).
	FileCounts(ctx context.Context, fromDay, toDay string) ([]FileCount, error)

	// FileTotals returns, for each service point with a stored count in
	// [fromDay, toDay) (bounds as for FileCounts), the sum of those counts
	// (Day empty), ordered by service point (byte order): FileCounts summed
	// by point in the store, so that the coverage and slip figures read one
	// row per point, not one per point and day.
	FileTotals(ctx context.Context, fromDay, toDay string) ([]FileCount, error)

	// Purge deletes what req names, in ONE transaction with the audit entry
	// that records it (req.Entry, details PurgeDetails), and returns the
	// counts (retention.go, docs/retention.md):
	//   - responses whose StartedAt is before req.ResponsesBefore, exactly
	//     per instant; their id and device sequence number are kept (so a
	//     delivery again answers Duplicate or Conflict as before, Gaps
	//     counts them received, Chain yields their entries with Purged set),
	//     and the figures rollup, the acceptance chain and the device marks
	//     stay as they are;
	//   - conflicts received before req.ConflictsBefore;
	//   - audit entries whose At is before req.AuditBefore, moving the
	//     checkpoint (AuditCheckpoint) to the last one removed.
	// Purges of every hub process sharing the database follow one another.
	// With req.ClaimDay set, the first purge to claim that day runs and
	// any other answers ErrPurgeClaimed, changing nothing. Purging again
	// with the same times removes nothing more (and records zero counts).
	Purge(ctx context.Context, req PurgeRequest) (PurgeResult, error)

	// AuditCheckpoint returns the audit log's checkpoint, nil while no
	// entry was ever purged. AuditLog yields the entries after it.
	AuditCheckpoint(ctx context.Context) (*AuditCheckpoint, error)

	// Ping checks that the store answers (for /healthz).
	Ping(ctx context.Context) error

	// FeedbackStore holds the citizens' feedback cases (feedback.go).
	FeedbackStore

	// HelpStore holds the staff help requests (help.go).
	HelpStore
	// WebhookStore holds the webhooks, their outbox and the alerts
	// (webhook.go, alert.go).
	WebhookStore

	// Close releases the store. Methods called after Close fail.
	Close() error
}

// Session is one logged-in dashboard administrator.
type Session struct {
	// TokenHash is the SHA-256 of the session cookie's token; the token
	// itself is never stored.
	TokenHash []byte
	// Admin is the admin's name. PasswordHash is the admin's password hash
	// at login: when the stored one changes or goes, the session ends.
	Admin        string
	PasswordHash []byte
	// CSRF is the token every POST of the session must carry.
	CSRF string
	// Expires is when the session ends.
	Expires time.Time
}

// LoginFailures is the count of failed logins from one client address in
// the window that started at Since.
type LoginFailures struct {
	Count int
	Since time.Time
}

// ErrInvalidAdmin means an admin name or password hash was refused before
// anything was stored (empty or over-long name, control characters, a hash
// that is not bcrypt).
var ErrInvalidAdmin = errors.New("invalid admin account")

// MaxAdminName is the longest admin name, in characters.
const MaxAdminName = 64

// Admin is one dashboard administrator. Its password hash is read only
// through Store.AdminPasswordHash, for logging in.
type Admin struct {
	// Name is the login name: NFC, trimmed, case-sensitive.
	Name string
	// Role is what the admin may do in the dashboard.
	Role Role
	// CreatedAt is when the admin was first added; UpdatedAt when its
	// password was last set.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ParsedSurveys parses every survey version published in st (survey.Parse),
// grouped by id and newest version first within an id, so that export
// columns follow the newest question order. A stored definition that no
// longer parses is an error naming it.
func ParsedSurveys(ctx context.Context, st Store) ([]*survey.Survey, error) {
	pubs, err := st.Surveys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*survey.Survey, 0, len(pubs))
	for _, ps := range pubs {
		s, err := survey.Parse(ps.Definition)
		if err != nil {
			return nil, fmt.Errorf("published survey %s v%d no longer parses: %w", ps.ID, ps.Version, err)
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b *survey.Survey) int {
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return b.Version - a.Version
	})
	return out, nil
}

// Role is what a dashboard account may do.
type Role string

const (
	// RoleAdmin may do everything: enroll and revoke devices, publish
	// surveys, change settings, as well as what a viewer does.
	RoleAdmin Role = "admin"
	// RoleViewer sees the figures and exports them, and changes nothing.
	RoleViewer Role = "viewer"
	// RoleInspector (thanh tra) handles misconduct reports, the one role
	// that sees their text (feedback.go); it sees the figures as a viewer
	// does.
	RoleInspector Role = "inspector"
)

// ParseRole reads a role name ("admin" or "viewer"); errors wrap
// ErrInvalidAdmin.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.TrimSpace(s)); r {
	case RoleAdmin, RoleViewer, RoleInspector:
		return r, nil
	}
	return "", fmt.Errorf("%w: role %q is not %q, %q or %q", ErrInvalidAdmin, s, RoleAdmin, RoleViewer, RoleInspector)
}

// AdminName normalises an admin name as every Store method and the
// dashboard's login do: NFC, surrounding white space trimmed. Case is kept
// ("An" and "an" are two admins).
func AdminName(name string) string { return strings.TrimSpace(norm.NFC.String(name)) }

// CheckAdmin normalises name with AdminName and checks it and the hash a
// Store is asked to keep. Errors wrap ErrInvalidAdmin.
func CheckAdmin(name string, passwordHash []byte) (string, error) {
	name = AdminName(name)
	switch {
	case name == "":
		return "", fmt.Errorf("%w: the name is empty", ErrInvalidAdmin)
	case !utf8.ValidString(name):
		return "", fmt.Errorf("%w: the name is not valid UTF-8", ErrInvalidAdmin)
	case utf8.RuneCountInString(name) > MaxAdminName:
		return "", fmt.Errorf("%w: the name is longer than %d characters", ErrInvalidAdmin, MaxAdminName)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", fmt.Errorf("%w: the name holds a control character", ErrInvalidAdmin)
	}
	if passwordHash != nil {
		if _, err := bcrypt.Cost(passwordHash); err != nil {
			return "", fmt.Errorf("%w: the password hash of %q is not a bcrypt hash (%v)", ErrInvalidAdmin, name, err)
		}
	}
	return name, nil
}

// DayAligned reports whether f's times suit Store.Figures.
func DayAligned(f Filter) bool {
	ok := func(t time.Time) bool { return t.IsZero() || report.DayOf(t).Equal(t) }
	return ok(f.From) && ok(f.To)
}

// ReportSource is what Report reads; every Store is one.
type ReportSource interface {
	Responses(ctx context.Context, f Filter) iter.Seq2[*survey.Response, error]
	Figures(ctx context.Context, f Filter) iter.Seq2[report.Cell, error]
}

// Report computes the report of the responses in st matching f: from the
// store's rollup (Store.Figures) when f is day-aligned, else from every
// response (report.Compute over Store.Responses). Both give the same
// figures; the rollup's cost does not grow with the number of responses.
func Report(ctx context.Context, st ReportSource, defs []*survey.Survey, f Filter, opt report.Options) (*report.Report, error) {
	if DayAligned(f) {
		f.CountedFor = &opt
		return report.FromCells(ctx, defs, st.Figures(ctx, f), opt)
	}
	return report.Compute(ctx, defs, st.Responses(ctx, f), opt)
}

// NewIncoming is r, a response to s, as the hub hands it to Store.Ingest:
// normalised, with its canonical content and its report cell. (The hub's
// own ingest builds the same from the checks it has already run; this is
// for tools and tests that fill a store directly.)
func NewIncoming(s *survey.Survey, r *survey.Response, signature []byte) (Incoming, error) {
	protocol.Normalize(r)
	c, err := protocol.Canonical(protocol.NewResponseV1(r))
	if err != nil {
		return Incoming{}, err
	}
	dis, _ := Dissatisfied(s, r)
	return Incoming{Response: r, Content: c, Signature: signature, Figures: report.CellOf(s, r), Dissatisfied: dis, Coded: CodedAnswers(s, r)}, nil
}
