// Package hubtest starts a real hub (SQLite store in a temporary directory,
// HTTP on 127.0.0.1) for tests of the hub itself and of its clients
// (sync/client). It is for tests only.
package hubtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Server is a running hub.
type Server struct {
	// URL is the hub's base URL, "http://127.0.0.1:port".
	URL string
	// Hub and Store are the hub and its SQLite store, for inspection.
	Hub   *hub.Hub
	Store *sqlite.Store
	// HTTP is the underlying test server.
	HTTP *httptest.Server
}

// Start starts a hub with an empty database under t.TempDir(), stopped at
// the end of the test. Logs go to t.Log.
func Start(t testing.TB) *Server {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Config{Store: st, Logger: slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return &Server{URL: srv.URL, Hub: h, Store: st, HTTP: srv}
}

// tWriter sends log lines to t.Log.
type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// NewCode creates a pending device and returns its one-time enrollment code.
func (s *Server) NewCode(t testing.TB, name, servicePoint string) string {
	t.Helper()
	_, code, err := s.Hub.NewDevice(context.Background(), name, servicePoint, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// Publish publishes a survey definition (JSON, checked by survey.Parse).
func (s *Server) Publish(t testing.TB, raw []byte) *survey.Survey {
	t.Helper()
	sv, err := s.Hub.PublishSurvey(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// Device is an enrolled test device.
type Device struct {
	ID    string
	Token string
	Key   ed25519.PrivateKey
	// SlipKey is the hub's slip public key from the enrollment answer.
	SlipKey ed25519.PublicKey
	// InspectionKey is the hub's inspection public key from the
	// enrollment answer, to which misconduct reports are sealed.
	InspectionKey []byte
}

// Enroll creates a device and enrolls it over HTTP as a kiosk would.
func (s *Server) Enroll(t testing.TB, name, servicePoint string) *Device {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	req := protocol.EnrollRequest{Code: s.NewCode(t, name, servicePoint), PublicKey: priv.Public().(ed25519.PublicKey)}
	body, _ := json.Marshal(req)
	resp, err := http.Post(s.URL+protocol.PathEnroll, protocol.ContentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("enroll: %s: %s", resp.Status, data)
	}
	var er protocol.EnrollResponse
	if err := json.Unmarshal(data, &er); err != nil {
		t.Fatal(err)
	}
	return &Device{ID: er.DeviceID, Token: er.Token, Key: priv, SlipKey: er.SlipKey, InspectionKey: er.InspectionKey}
}

// Sign signs r as device d (setting r.DeviceID to d.ID first).
func (d *Device) Sign(t testing.TB, r *survey.Response) protocol.Item {
	t.Helper()
	r.DeviceID = d.ID
	it, err := protocol.Sign(d.Key, r)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// Post sends body to path with d's token and returns the status and body.
func (s *Server) Post(t testing.TB, token, path string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", protocol.ContentType)
	if token != "" {
		req.Header.Set(protocol.HeaderAuthorization, protocol.BearerPrefix+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}
