package hub

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Errors a Store returns, tested with errors.Is. Implementations wrap them
// with context; the hub maps them to protocol error codes.
var (
	// ErrNotFound means no row matches: no such device, code, token or survey.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change contradicts what is stored (a survey
	// version published again with different content, a device id reused).
	ErrConflict = errors.New("conflict with stored data")
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

	// IngestSeq stores a batch of checked items in ONE transaction and
	// returns one outcome per item yielded, in order: Accepted when the id
	// was new (now stored), Duplicate when the id is stored with the same
	// Content, Conflict when the id is stored with different Content (the
	// stored one stays; the conflict is recorded once per distinct content,
	// see Conflicts). Items later in the batch see earlier ones. It must be
	// idempotent: ingesting the same items again changes nothing and answers
	// Duplicate. items may block (the hub still checks signatures while the
	// transaction runs); if it yields an error, or anything fails, the
	// transaction rolls back, nothing of the batch is stored, and the error
	// is returned. The store must range over items to its end before it
	// commits: the hub's last step of the sequence waits for the signature
	// verdicts and yields an error if an item already written turned out
	// badly signed. receivedAt is recorded with accepted items and conflicts.
	IngestSeq(ctx context.Context, items iter.Seq2[Incoming, error], receivedAt time.Time) ([]protocol.Outcome, error)

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

	// Response returns one stored response, or ErrNotFound.
	Response(ctx context.Context, id string) (*survey.Response, error)

	// Responses streams the stored responses matching f, ordered by
	// StartedAt then ID, holding at most a page in memory; iteration stops
	// at the first error, which is yielded.
	Responses(ctx context.Context, f Filter) iter.Seq2[*survey.Response, error]

	// Conflicts returns every recorded conflict, oldest first.
	Conflicts(ctx context.Context) ([]Conflict, error)

	// Ping checks that the store answers (for /healthz).
	Ping(ctx context.Context) error

	// Close releases the store. Methods called after Close fail.
	Close() error
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
)

// ParseRole reads a role name ("admin" or "viewer"); errors wrap
// ErrInvalidAdmin.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.TrimSpace(s)); r {
	case RoleAdmin, RoleViewer:
		return r, nil
	}
	return "", fmt.Errorf("%w: role %q is neither %q nor %q", ErrInvalidAdmin, s, RoleAdmin, RoleViewer)
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
