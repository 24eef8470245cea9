package client

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"golang.org/x/text/unicode/norm"
)

// EnrollStore is what Enroll writes the identity to: the kiosk's settings
// and its high-water mark (see Outbox).
type EnrollStore interface {
	settings.KV
	HighWater(ctx context.Context) (int64, error)
}

// Enroll joins this kiosk to the hub at hubURL with a one-time code from
// `hailong-hub device enroll`: it makes a new Ed25519 key, sends the public
// half with the code, and stores the hub's device id and token, the private
// key, the hub URL and the hub's slip key (when it gives one) in kv (keys
// "sync.*") in one transaction. hc may be
// nil for a client with a 30-second timeout.
//
// Errors are *Error: KindBadURL for an address that is not one, KindNotHub
// when something else answers there, KindNotTLS when the address is https
// (an address without a scheme is) but the hub speaks plain HTTP,
// KindNeedsTLS for the other way round, KindCertificate when the hub's
// certificate is not trusted,
// KindUnreachable or KindTimeout when
// nothing does, KindBadCode for a wrong, used or expired code, KindLocal when
// the identity cannot be stored. Enrolling again replaces the identity;
// responses not yet synced stay in the outbox and go to the new hub. The
// new device id answers, in its high-water marks, for every sequence
// number on a first enrollment, and after enrolling again for the numbers
// after the highest assigned so far (Identity.SeqFrom).
// maxReceiptsURL is the longest receipts page address a kiosk takes: it is
// shown on one line of the thank-you screen.
const maxReceiptsURL = 200

func Enroll(ctx context.Context, kv EnrollStore, hc *http.Client, hubURL, code string) (Identity, error) {
	base, err := NormalizeHubURL(hubURL)
	if err != nil {
		return Identity{}, err
	}
	code = strings.TrimSpace(norm.NFC.String(code))
	if protocol.NormalizeCode(code) == "" {
		return Identity{}, &Error{Kind: KindBadCode, Op: "enroll", Err: fmt.Errorf("empty code")}
	}
	if hc == nil {
		hc = defaultHTTPClient()
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Identity{}, &Error{Kind: KindLocal, Op: "enroll", Err: fmt.Errorf("make device key: %w", err)}
	}
	h := &remote{base: base, hc: hc}
	er, err := h.enroll(ctx, protocol.EnrollRequest{Code: code, PublicKey: pub})
	if err != nil {
		return Identity{}, err
	}
	id := Identity{HubURL: base, DeviceID: er.DeviceID, Name: er.Name, Token: er.Token, Key: priv, SeqFrom: 1,
		ServicePoint: strings.TrimSpace(norm.NFC.String(er.ServicePoint))}
	switch len(er.SlipKey) {
	case 0: // a hub without rating slips
	case ed25519.PublicKeySize:
		id.SlipKey = ed25519.PublicKey(er.SlipKey)
	default:
		return Identity{}, &Error{Kind: KindNotHub, Op: "enroll", Err: fmt.Errorf("the hub's slip key has %d bytes, want %d", len(er.SlipKey), ed25519.PublicKeySize)}
	}
	switch len(er.InspectionKey) {
	case 0: // a hub without feedback
	case feedback.KeySize:
		id.InspectionKey = er.InspectionKey
	default:
		return Identity{}, &Error{Kind: KindNotHub, Op: "enroll", Err: fmt.Errorf("the hub's inspection key has %d bytes, want %d", len(er.InspectionKey), feedback.KeySize)}
	}
	if er.ReceiptsURL != "" {
		u, err := url.Parse(er.ReceiptsURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(er.ReceiptsURL) > maxReceiptsURL {
			return Identity{}, &Error{Kind: KindNotHub, Op: "enroll", Err: fmt.Errorf("the hub's receipts page %q is not an http(s) address of at most %d bytes", er.ReceiptsURL, maxReceiptsURL)}
		}
		id.ReceiptsURL = er.ReceiptsURL
	}
	if _, had, err := LoadIdentity(ctx, kv); had || err != nil { // enrolled before (a damaged identity too)
		hw, err := kv.HighWater(ctx)
		if err != nil {
			return Identity{}, &Error{Kind: KindLocal, Op: "enroll", Err: fmt.Errorf("read high-water mark: %w", err)}
		}
		id.SeqFrom = hw + 1
	}
	if err := id.save(ctx, kv); err != nil {
		return Identity{}, err
	}
	slog.InfoContext(ctx, "sync: enrolled", "hub", base, "device", er.DeviceID, "name", er.Name)
	return id, nil
}

// AdoptServicePoint aligns the service point the kiosk writes on its
// responses (its settings in kv) with the one the hub recorded for id at
// enrollment: the dashboard's figures by service point, the files
// returned there and the coverage follow the responses, its device list
// the hub. A kiosk whose service point was never set, or is still the
// default placeholder (settings.Default), takes the hub's (adopted). One
// set to another is left as it is and returned as own, so that the admin
// can align them. Both are zero when they agree or the hub
// recorded none.
func AdoptServicePoint(ctx context.Context, kv settings.KV, id Identity) (own string, adopted bool, err error) {
	if id.ServicePoint == "" {
		return "", false, nil
	}
	set, ok, err := kv.Setting(ctx, settings.KeyServicePoint)
	if err != nil {
		return "", false, &Error{Kind: KindLocal, Op: "service point", Err: err}
	}
	if !ok || set == settings.Default().ServicePoint {
		if err := kv.SetSettings(ctx, map[string]string{settings.KeyServicePoint: id.ServicePoint}); err != nil {
			return "", false, &Error{Kind: KindLocal, Op: "service point", Err: err}
		}
		return "", true, nil
	}
	if own := strings.TrimSpace(norm.NFC.String(set)); own != id.ServicePoint {
		return own, false, nil
	}
	return "", false, nil
}
