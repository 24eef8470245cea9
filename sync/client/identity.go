package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/sync/feedback"
)

// Setting keys under which the kiosk keeps its sync state in the store's
// settings. Everything is prefixed "sync.".
const (
	// KeyHubURL is the hub's base URL, e.g. "https://hub.example.vn".
	KeyHubURL = "sync.hub_url"
	// KeyDeviceID is the id the hub gave this kiosk at enrollment.
	KeyDeviceID = "sync.device_id"
	// KeyDeviceName is the name the hub's operator gave this kiosk.
	KeyDeviceName = "sync.device_name"
	// KeyToken is the bearer token the hub gave this kiosk.
	KeyToken = "sync.token"
	// KeyPrivateKey is the device's Ed25519 private key, standard base64.
	KeyPrivateKey = "sync.private_key"
	// KeySurveysETag is the ETag of the last survey list pulled.
	KeySurveysETag = "sync.surveys_etag"
	// KeySeqFrom is the first sequence number this kiosk answers for under
	// its device id (decimal): 1, or after enrolling again the number after
	// the highest it had assigned (Identity.SeqFrom).
	KeySeqFrom = "sync.seq_from"
	// KeyLastSuccess is the time of the last complete sync, RFC 3339 UTC.
	KeyLastSuccess = "sync.last_success"
	// KeySlipKey is the hub's public key for rating slips, standard base64
	// of its 32 bytes, as the enrollment answer gave it; "" when the hub
	// gave none. The kiosk checks a scanned slip's signature with it.
	KeySlipKey = "sync.slip_key"
	// KeyReceiptsURL is the hub's public page where a citizen checks a
	// receipt code, "" when the hub gave none at enrollment.
	KeyReceiptsURL = "sync.receipts_url"
	// KeyInspectionKey is the hub's inspection public key (X25519),
	// standard base64 of its 32 bytes, as the enrollment answer gave it;
	// "" when the hub gave none. The kiosk seals misconduct reports to it.
	KeyInspectionKey = "sync.inspection_key"
)

// Identity is what enrollment gives a kiosk: everything it needs to upload.
type Identity struct {
	// HubURL is the hub's base URL without a trailing slash.
	HubURL string
	// DeviceID is stamped on, and signed into, every uploaded response.
	DeviceID string
	// Name is the device name the hub's operator chose.
	Name string
	// Token authenticates this kiosk to the hub.
	Token string
	// Key signs every response.
	Key ed25519.PrivateKey
	// SeqFrom is the first of the kiosk's sequence numbers this device id
	// answers for in its high-water marks (protocol.Mark.From): 1 for the
	// first enrollment, so that every number counts; after enrolling
	// again, the number after the highest assigned before, so that the
	// numbers delivered under the earlier id are not reported missing
	// under this one.
	SeqFrom int64
	// SlipKey is the hub's public key for rating slips, nil when the hub
	// gave none at enrollment.
	SlipKey ed25519.PublicKey
	// InspectionKey is the hub's inspection public key, nil when the hub
	// gave none at enrollment.
	InspectionKey []byte
	// ReceiptsURL is the hub's public page where a citizen checks a
	// receipt code (the thank-you screen names it), "" when the hub gave
	// none at enrollment (a hub started without --public-url).
	ReceiptsURL string
	// ServicePoint is the service point the hub's operator entered for
	// this device, as Enroll's answer gave it; it is not stored, and
	// responses carry the kiosk's own (settings.KeyServicePoint): see
	// AdoptServicePoint.
	ServicePoint string
}

// LoadIdentity reads the kiosk's identity from kv. ok is false when the
// kiosk has never enrolled.
func LoadIdentity(ctx context.Context, kv settings.KV) (id Identity, ok bool, err error) {
	get := func(key string, dst *string) error {
		v, _, err := kv.Setting(ctx, key)
		if err != nil {
			return fmt.Errorf("load identity: %s: %w", key, err)
		}
		*dst = v
		return nil
	}
	var key, from string
	for _, e := range []error{
		get(KeyHubURL, &id.HubURL), get(KeyDeviceID, &id.DeviceID), get(KeyDeviceName, &id.Name),
		get(KeyToken, &id.Token), get(KeyPrivateKey, &key), get(KeySeqFrom, &from),
		get(KeyReceiptsURL, &id.ReceiptsURL),
	} {
		if e != nil {
			return Identity{}, false, &Error{Kind: KindLocal, Op: "load identity", Err: e}
		}
	}
	if id.HubURL == "" || id.DeviceID == "" || id.Token == "" || key == "" {
		return Identity{}, false, nil
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != ed25519.PrivateKeySize {
		return Identity{}, false, &Error{Kind: KindLocal, Op: "load identity",
			Err: fmt.Errorf("setting %s does not hold an Ed25519 private key", KeyPrivateKey)}
	}
	// The signers trust the key's public half (protocol.Sign does not
	// derive it again for every response), so check it once here.
	if !bytes.Equal(ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])[ed25519.SeedSize:], raw[ed25519.SeedSize:]) {
		return Identity{}, false, &Error{Kind: KindLocal, Op: "load identity",
			Err: fmt.Errorf("setting %s holds an Ed25519 key whose public half does not match its seed", KeyPrivateKey)}
	}
	id.Key = ed25519.PrivateKey(raw)
	// A damaged slip key only stops the kiosk's own check of scanned
	// slips' signatures (the hub checks every slip): it does not stop sync.
	id.SlipKey, _ = SlipKey(ctx, kv)
	id.InspectionKey, _ = InspectionKey(ctx, kv)
	id.SeqFrom = 1 // enrolled before the kiosk numbered responses: every number counts
	if from != "" {
		if id.SeqFrom, err = strconv.ParseInt(from, 10, 64); err != nil || id.SeqFrom < 1 {
			return Identity{}, false, &Error{Kind: KindLocal, Op: "load identity",
				Err: fmt.Errorf("setting %s holds %q, not a sequence number", KeySeqFrom, from)}
		}
	}
	return id, true, nil
}

// save stores id in kv in one transaction and forgets the survey and
// slides ETags, so the next sync pulls the new hub's surveys and slides.
func (id Identity) save(ctx context.Context, kv settings.KV) error {
	if err := kv.SetSettings(ctx, map[string]string{
		KeyHubURL: id.HubURL, KeyDeviceID: id.DeviceID, KeyDeviceName: id.Name, KeyToken: id.Token,
		KeyPrivateKey:    base64.StdEncoding.EncodeToString(id.Key),
		KeySeqFrom:       strconv.FormatInt(max(id.SeqFrom, 1), 10),
		KeySlipKey:       encodeSlipKey(id.SlipKey),
		KeyInspectionKey: encodeKey(id.InspectionKey),
		KeyReceiptsURL:   id.ReceiptsURL,
		KeySurveysETag:   "",
		KeySlidesETag:    "",
	}); err != nil {
		return &Error{Kind: KindLocal, Op: "save identity", Err: err}
	}
	return nil
}

// NormalizeHubURL checks an address typed by an admin and returns it as a
// base URL: "https://" is assumed when no scheme is given, the trailing
// slash is dropped, and query or fragment are refused.
func NormalizeHubURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", &Error{Kind: KindBadURL, Op: "hub address", Err: fmt.Errorf("empty address")}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", &Error{Kind: KindBadURL, Op: "hub address", Err: err}
	case u.Scheme != "http" && u.Scheme != "https":
		return "", &Error{Kind: KindBadURL, Op: "hub address", Err: fmt.Errorf("scheme %q is not http or https", u.Scheme)}
	case u.Host == "" || u.Hostname() == "":
		return "", &Error{Kind: KindBadURL, Op: "hub address", Err: fmt.Errorf("%q has no host", raw)}
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", &Error{Kind: KindBadURL, Op: "hub address", Err: fmt.Errorf("%q must not carry a query, fragment or user", raw)}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

func encodeSlipKey(k ed25519.PublicKey) string {
	if len(k) == 0 {
		return ""
	}
	return base64.StdEncoding.EncodeToString(k)
}

// SlipKey returns the hub's public key for rating slips as enrollment
// stored it, or nil when the kiosk has none (not enrolled, or enrolled with
// a hub that gave none). It reads that one setting only. A setting that
// does not hold a 32-byte key is an error: the kiosk then checks slips
// without their signatures, and the hub still checks every slip.
func SlipKey(ctx context.Context, kv settings.KV) (ed25519.PublicKey, error) {
	v, _, err := kv.Setting(ctx, KeySlipKey)
	if err != nil {
		return nil, fmt.Errorf("load slip key: %w", err)
	}
	if v == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("setting %s does not hold an Ed25519 public key", KeySlipKey)
	}
	return ed25519.PublicKey(raw), nil
}

// InspectionKey is the hub's inspection public key as enrollment stored
// it, nil when the kiosk has none: misconduct reports are sealed to it.
func InspectionKey(ctx context.Context, kv settings.KV) ([]byte, error) {
	v, _, err := kv.Setting(ctx, KeyInspectionKey)
	if err != nil {
		return nil, fmt.Errorf("load inspection key: %w", err)
	}
	if v == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) != feedback.KeySize {
		return nil, fmt.Errorf("setting %s does not hold an inspection key", KeyInspectionKey)
	}
	return raw, nil
}

// encodeKey is a key's setting: standard base64, "" for none.
func encodeKey(k []byte) string {
	if len(k) == 0 {
		return ""
	}
	return base64.StdEncoding.EncodeToString(k)
}

// DeviceName is the name the hub's operator gave this kiosk, or "" before
// enrollment. It reads that one setting only, so that an export, which
// names the kiosk, does not depend on the signing key being readable.
func DeviceName(ctx context.Context, kv settings.KV) (string, error) {
	name, _, err := kv.Setting(ctx, KeyDeviceName)
	if err != nil {
		return "", fmt.Errorf("load device name: %w", err)
	}
	return name, nil
}

// ReceiptsURL returns the hub's receipts page stored at enrollment
// (Identity.ReceiptsURL), "" when the kiosk never enrolled or the hub gave
// none.
func ReceiptsURL(ctx context.Context, kv settings.KV) (string, error) {
	v, _, err := kv.Setting(ctx, KeyReceiptsURL)
	if err != nil {
		return "", &Error{Kind: KindLocal, Op: "receipts page", Err: err}
	}
	return v, nil
}
