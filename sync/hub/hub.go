// Package hub is the central sync endpoint: an http.Handler that enrolls
// devices, takes signed batches of responses and answers per item
// (accepted, duplicate, conflict, rejected) only after one durable commit,
// publishes survey definitions, and serves /healthz and /metrics. The same
// per-item semantics ingest USB bundles (Import). Storage is behind the
// Store interface (sync/hub/sqlite today). It never imports Fyne.
package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultCodeTTL is how long an enrollment code works.
const DefaultCodeTTL = 7 * 24 * time.Hour

// TokenPrefix starts every bearer token the hub issues.
const TokenPrefix = "hl1_"

// Config configures a Hub.
type Config struct {
	// Store is the hub's storage; required.
	Store Store
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// AlertRules are the alert rules CheckAlerts runs; nil means one
	// DissatisfiedShare over Store with its defaults, an empty slice none.
	AlertRules []AlertRule
	// ReceiptsURL is the public page where citizens check receipt codes,
	// given to kiosks at enrollment (protocol.EnrollResponse.ReceiptsURL);
	// "" gives none.
	ReceiptsURL string
	// EventsQueued is called, without blocking for long, after the hub has
	// enqueued webhook events (a Deliverer's Wake); nil calls nothing.
	EventsQueued func()
}

// Hub is the hub's logic and its http.Handler. Create it with New.
type Hub struct {
	store   Store
	log     *slog.Logger
	now     func() time.Time
	metrics *metrics
	handler http.Handler

	alertRules   []AlertRule
	eventsQueued func()
	receiptsURL  string

	mu            sync.Mutex
	surveys       map[surveyKey]*survey.Survey // parsed published versions (immutable once published)
	slipKey       ed25519.PrivateKey           // the stored slip key, once read (SlipKey)
	inspectionKey []byte                       // the stored inspection private key, once read (InspectionKey)
}

type surveyKey struct {
	id      string
	version int
}

// New returns a Hub over cfg.Store.
func New(cfg Config) *Hub {
	h := &Hub{
		store:   cfg.Store,
		log:     cfg.Logger,
		now:     cfg.Now,
		metrics: newMetrics(),
		surveys: map[surveyKey]*survey.Survey{},

		alertRules:   cfg.AlertRules,
		eventsQueued: cfg.EventsQueued,
		receiptsURL:  cfg.ReceiptsURL,
	}
	if h.alertRules == nil {
		h.alertRules = []AlertRule{&DissatisfiedShare{Source: cfg.Store, Window: DefaultAlertWindow, Threshold: DefaultAlertThreshold, MinAnswers: MinCell}}
	}
	if h.eventsQueued == nil {
		h.eventsQueued = func() {}
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if c, ok := cfg.Store.(prometheus.Collector); ok { // the store's own series (pools, query times, replica lag)
		h.metrics.reg.MustRegister(c)
	}
	h.handler = h.routes()
	return h
}

// Registry is the hub's own Prometheus registry, served at /metrics.
func (h *Hub) Registry() *prometheus.Registry { return h.metrics.reg }

// Store returns the hub's store.
func (h *Hub) Store() Store { return h.store }

// hashSecret is how codes and tokens are kept: SHA-256, never the secret.
func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// NewDevice creates a pending device and returns it with its one-time
// enrollment code, which works once within ttl (DefaultCodeTTL if ≤ 0).
// Only the code's hash is stored.
func (h *Hub) NewDevice(ctx context.Context, name, servicePoint string, ttl time.Duration) (*Device, string, error) {
	if name == "" {
		return nil, "", errors.New("new device: a name is required")
	}
	if ttl <= 0 {
		ttl = DefaultCodeTTL
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, "", fmt.Errorf("new device: %w", err)
	}
	code, err := protocol.NewCode()
	if err != nil {
		return nil, "", fmt.Errorf("new device: %w", err)
	}
	now := h.now().UTC()
	d := &Device{
		ID: "dev-" + id.String(), Name: normText(name), ServicePoint: normText(servicePoint),
		CreatedAt: now, CodeExpiresAt: now.Add(ttl),
	}
	if err := h.store.CreateDevice(ctx, d, hashSecret(protocol.NormalizeCode(code))); err != nil {
		return nil, "", fmt.Errorf("new device: %w", err)
	}
	h.log.Info("device created", "device", d.ID, "name", d.Name, "service_point", d.ServicePoint, "code_expires", d.CodeExpiresAt)
	return d, code, nil
}

// RevokeDevice revokes the device id at the given time (Store.RevokeDevice:
// idempotent; its responses stay; unknown id: ErrNotFound).
func (h *Hub) RevokeDevice(ctx context.Context, id string, at time.Time) error {
	if err := h.store.RevokeDevice(ctx, id, at); err != nil {
		return err
	}
	h.log.Info("device revoked", "device", id)
	return nil
}

// Enroll claims a pending device with its code and the kiosk's public key,
// and returns the device id and a new bearer token (only its hash is kept).
// A bad code gives a *protocol.Error with CodeBadCode.
func (h *Hub) Enroll(ctx context.Context, req *protocol.EnrollRequest) (*protocol.EnrollResponse, error) {
	if len(req.PublicKey) != ed25519.PublicKeySize {
		return nil, protocol.Errorf(protocol.CodeInvalid, "public_key has %d bytes, want %d", len(req.PublicKey), ed25519.PublicKeySize)
	}
	code := protocol.NormalizeCode(req.Code)
	if code == "" {
		return nil, protocol.Errorf(protocol.CodeInvalid, "code is empty")
	}
	// The slip key is read (made, on a new hub) before the claim: the
	// claim spends the code, and a kiosk must not end up enrolled without
	// the key because reading it failed afterwards.
	slipKey, err := h.SlipKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("enroll: %w", err)
	}
	slipPub := []byte(slipKey.Public().(ed25519.PublicKey))
	inspectionPub, _, err := h.InspectionKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("enroll: %w", err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("enroll: token: %w", err)
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	d, err := h.store.ClaimDevice(ctx, hashSecret(code), ed25519.PublicKey(req.PublicKey), hashSecret(token), h.now().UTC())
	if errors.Is(err, ErrNotFound) {
		h.metrics.enrollments.WithLabelValues("refused").Inc()
		h.log.Warn("enrollment refused", "reason", "unknown, used, expired or revoked code")
		return nil, protocol.Errorf(protocol.CodeBadCode, "the enrollment code is unknown, already used or expired; ask the hub operator for a new one")
	}
	if err != nil {
		return nil, fmt.Errorf("enroll: %w", err)
	}
	h.metrics.enrollments.WithLabelValues("ok").Inc()
	h.log.Info("device enrolled", "device", d.ID, "name", d.Name)
	return &protocol.EnrollResponse{DeviceID: d.ID, Token: token, Name: d.Name, ServicePoint: d.ServicePoint, SlipKey: slipPub, InspectionKey: inspectionPub,
		ReceiptsURL: h.receiptsURL}, nil
}

// Authenticate returns the device a bearer token belongs to. Unknown
// tokens give CodeUnauthorized, revoked devices CodeForbidden.
func (h *Hub) Authenticate(ctx context.Context, token string) (*Device, error) {
	if token == "" {
		return nil, protocol.Errorf(protocol.CodeUnauthorized, "missing bearer token")
	}
	d, err := h.store.DeviceByToken(ctx, hashSecret(token))
	if errors.Is(err, ErrNotFound) {
		return nil, protocol.Errorf(protocol.CodeUnauthorized, "unknown bearer token")
	}
	if err != nil {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	if d.State() == "revoked" {
		return nil, protocol.Errorf(protocol.CodeForbidden, "device %s was revoked at %s", d.ID, d.RevokedAt.Format(time.RFC3339))
	}
	return d, nil
}

// PublishSurvey checks a survey definition with survey.Parse and publishes
// it. Publishing the same bytes again is a no-op; different bytes under a
// published id and version give ErrConflict.
func (h *Hub) PublishSurvey(ctx context.Context, raw []byte) (*survey.Survey, error) {
	s, err := h.publishSurvey(ctx, raw)
	if err != nil {
		return nil, err
	}
	h.log.Info("survey published", "survey", s.ID, "version", s.Version)
	return s, nil
}

// publishSurvey is PublishSurvey without the log line.
func (h *Hub) publishSurvey(ctx context.Context, raw []byte) (*survey.Survey, error) {
	// Kiosks get the definition embedded in JSON: no byte order mark.
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	s, err := survey.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("publish survey: %w", err)
	}
	ps := PublishedSurvey{ID: s.ID, Version: s.Version, Definition: raw, PublishedAt: h.now().UTC()}
	if err := h.store.PublishSurvey(ctx, ps); err != nil {
		return nil, fmt.Errorf("publish survey: %w", err)
	}
	return s, nil
}

// surveyVersion returns a published survey version, parsed and cached.
func (h *Hub) surveyVersion(ctx context.Context, id string, version int) (*survey.Survey, error) {
	k := surveyKey{id, version}
	h.mu.Lock()
	s, ok := h.surveys[k]
	h.mu.Unlock()
	if ok {
		return s, nil
	}
	ps, err := h.store.Survey(ctx, id, version)
	if err != nil {
		return nil, err
	}
	s, err = survey.Parse(ps.Definition)
	if err != nil {
		return nil, fmt.Errorf("stored survey %s v%d no longer parses: %w", id, version, err)
	}
	h.mu.Lock()
	h.surveys[k] = s
	h.mu.Unlock()
	return s, nil
}
