package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"image/png"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// quickSurvey is the survey the tests publish.
const quickSurvey = "../../hub/testdata/quick.json"

// runCmd runs one non-serve command through Main and returns its output.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), NewMain(&out, &errb), args)
	return out.String(), errb.String(), code
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("hailong-hub %v: exit %d\nstdout: %s\nstderr: %s", args, code, out, errs)
	}
	return out
}

var codeRE = regexp.MustCompile(`Code:\s+([0-9A-Z]{5}-[0-9A-Z]{5})`)

// enrollCode runs `device enroll` and returns the printed code.
func enrollCode(t *testing.T, db string, extra ...string) string {
	t.Helper()
	out := mustRun(t, append([]string{"device", "enroll", "--db", db, "--name", "Kiosk 1", "--service-point", "Phường Hoàn Kiếm"}, extra...)...)
	m := codeRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no code in output:\n%s", out)
	}
	return m[1]
}

// device is a kiosk identity enrolled over HTTP.
type device struct {
	id, token   string
	key         ed25519.PrivateKey
	receiptsURL string // the hub's receipts page, as enrollment gave it
}

func enrollHTTP(t *testing.T, client *http.Client, base, code string) *device {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(nil)
	body, _ := json.Marshal(protocol.EnrollRequest{Code: code, PublicKey: priv.Public().(ed25519.PublicKey)})
	res, err := client.Post(base+protocol.PathEnroll, protocol.ContentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("enroll: %d %s", res.StatusCode, data)
	}
	var er protocol.EnrollResponse
	if err := json.Unmarshal(data, &er); err != nil {
		t.Fatal(err)
	}
	return &device{id: er.DeviceID, token: er.Token, key: priv, receiptsURL: er.ReceiptsURL}
}

// items makes n signed responses to the quick survey.
func (d *device) items(t testing.TB, n int) []protocol.Item {
	t.Helper()
	out := make([]protocol.Item, n)
	start := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	for i := range out {
		id, _ := uuid.NewV7()
		r := &survey.Response{
			ID: id.String(), SurveyID: "quick", SurveyVersion: 1, Answers: survey.Answers{"q1": {"hl"}},
			StartedAt: start, FinishedAt: start.Add(20 * time.Second), ServicePoint: "Phường Hoàn Kiếm",
			DeviceID: d.id, Lang: "vi", Status: survey.StatusComplete,
		}
		it, err := protocol.Sign(d.key, r)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = it
	}
	return out
}

// post uploads a batch and returns the status and decoded results.
func (d *device) post(client *http.Client, base string, items []protocol.Item) (int, *protocol.BatchResult, error) {
	body, err := (&protocol.Batch{Items: items}).Encode()
	if err != nil {
		return 0, nil, err
	}
	req, _ := http.NewRequest(http.MethodPost, base+protocol.PathBatch, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", protocol.ContentType)
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	if res.StatusCode != 200 {
		return res.StatusCode, nil, nil
	}
	var br protocol.BatchResult
	if err := json.Unmarshal(data, &br); err != nil {
		return 0, nil, err
	}
	return res.StatusCode, &br, nil
}

func TestNoFyneInHub(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps printed only %d packages", len(deps))
	}
	for _, p := range deps {
		if strings.HasPrefix(p, "fyne.io/") || strings.Contains(p, "/app/ui") {
			t.Errorf("hailong-hub depends on %s: the hub must build without Fyne or app/ui", p)
		}
	}
}

// TestCommands runs every command on each backend --db chooses.
func TestCommands(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testCommands(t, filepath.Join(t.TempDir(), "hub.db")) })
	t.Run("postgres", func(t *testing.T) { testCommands(t, cluster.NewDatabase(t)) })
}

func testCommands(t *testing.T, db string) {
	dir := t.TempDir()
	out := mustRun(t, "survey", "publish", quickSurvey, "--db", db)
	if !strings.Contains(out, "Đã công bố khảo sát quick phiên bản 1.") || !strings.Contains(out, "Published quick version 1") {
		t.Errorf("publish output: %s", out)
	}
	mustRun(t, "survey", "publish", "--db", db, quickSurvey) // identical again: no-op
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"id":"x","version":1,"title":{"vi":"X"},"questions":[{"code":"a","type":"nope","text":{"vi":"?"}}]}`), 0o644)
	if _, errs, code := runCmd(t, "survey", "publish", "--db", db, bad); code != 1 || !strings.Contains(errs, "bad.json") {
		t.Errorf("invalid survey: exit %d, stderr %s", code, errs)
	}

	qr := filepath.Join(dir, "kiosk1.png")
	code := enrollCode(t, db, "--qr", qr, "--hub-url", "https://hub.example")
	f, err := os.Open(qr)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	hubURL, qrCode, err := protocol.ParseEnrollURI(res.GetText())
	if err != nil || qrCode != code || hubURL != "https://hub.example" {
		t.Errorf("QR holds %q (%q, %q, %v), want code %s", res.GetText(), hubURL, qrCode, err, code)
	}

	m := NewMain(io.Discard, io.Discard)
	if err := m.ParseFlags(context.Background(), []string{"serve", "--db", db, "--listen", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	base := "http://" + m.Addr().String()
	d := enrollHTTP(t, http.DefaultClient, base, code)

	list := mustRun(t, "device", "list", "--db", db)
	if !strings.Contains(list, d.id) || !strings.Contains(list, "active") || !strings.Contains(list, "Phường Hoàn Kiếm") {
		t.Errorf("device list:\n%s", list)
	}
	items := d.items(t, 3)
	if status, br, err := d.post(http.DefaultClient, base, items); err != nil || status != 200 || br.Counts()[protocol.Accepted] != 3 {
		t.Fatalf("upload: %d %+v %v", status, br, err)
	}
	// /metrics covers the backend: pools and query times (after an upload).
	res2, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metricsText, _ := io.ReadAll(res2.Body)
	res2.Body.Close()
	for _, want := range []string{"hailong_store_pool_connections{", "hailong_store_query_seconds_bucket{", "hailong_store_pool_acquire_wait_seconds_total{"} {
		if !strings.Contains(string(metricsText), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// A bundle of the same device: 3 duplicates, 2 new; twice changes nothing.
	bundle := filepath.Join(dir, protocol.BundleFileName(d.id, time.Now()))
	var buf bytes.Buffer
	w, _ := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: d.id, CreatedAt: time.Now()})
	for _, it := range append(items, d.items(t, 2)...) {
		w.Add(it)
	}
	w.Close()
	os.WriteFile(bundle, buf.Bytes(), 0o644)
	out = mustRun(t, "import", bundle, "--db", db)
	for _, want := range []string{"accepted  2", "duplicate 3", "conflict  0", "rejected  0"} {
		if !strings.Contains(out, want) {
			t.Errorf("first import lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, "import", "--db", db, bundle)
	if !strings.Contains(out, "accepted  0") || !strings.Contains(out, "duplicate 5") {
		t.Errorf("second import:\n%s", out)
	}
	os.WriteFile(bundle+".cut", buf.Bytes()[:buf.Len()-10], 0o644)
	if out, errs, code := runCmd(t, "import", "--db", db, bundle+".cut"); code != 1 || !strings.Contains(errs, "truncated") {
		t.Errorf("cut bundle: exit %d\n%s\n%s", code, out, errs)
	}

	if out := mustRun(t, "conflicts", "--db", db); !strings.Contains(out, "No conflicts") {
		t.Errorf("conflicts before any: %s", out)
	}
	changed := *items[0].Response
	changed.Answers = survey.Answers{"q1": {"rhl"}}
	it, _ := protocol.Sign(d.key, changed.ToResponse())
	if status, br, err := d.post(http.DefaultClient, base, []protocol.Item{it}); err != nil || status != 200 || br.Results[0].Outcome != protocol.Conflict {
		t.Fatalf("conflicting upload: %d %+v %v", status, br, err)
	}
	if out := mustRun(t, "conflicts", "--db", db); !strings.Contains(out, changed.ID) || !strings.Contains(out, `"rhl"`) {
		t.Errorf("conflicts list:\n%s", out)
	}

	out = mustRun(t, "device", "revoke", d.id, "--db", db)
	if !strings.Contains(out, "Đã thu hồi") || !strings.Contains(out, "Revoked") {
		t.Errorf("revoke output: %s", out)
	}
	if status, _, err := d.post(http.DefaultClient, base, d.items(t, 1)); err != nil || status != 403 {
		t.Errorf("upload after revoke: %d %v, want 403", status, err)
	}
	if _, _, code := runCmd(t, "device", "revoke", "dev-nope", "--db", db); code != 1 {
		t.Errorf("revoke unknown: exit %d, want 1", code)
	}
}

func TestUsage(t *testing.T) {
	tests := [][]string{
		{},
		{"frobnicate"},
		{"device"},
		{"device", "enroll", "--db", "x.db"}, // no --name
		{"device", "revoke"},                 // no id
		{"import", "a", "b"},                 // two files
		{"serve", "--tls-cert", "c.pem"},     // no key
		{"serve", "--log-format", "xml"},     // bad format
		{"survey", "publish", "--nope", "file.json"}, // unknown flag
	}
	for _, args := range tests {
		if _, _, code := runCmd(t, args...); code != 2 {
			t.Errorf("hailong-hub %q: exit %d, want 2", args, code)
		}
	}
	if _, _, code := runCmd(t, "--help"); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	m := NewMain(io.Discard, io.Discard)
	args := []string{"serve", "--db", filepath.Join(dir, "hub.db"), "--listen", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile}
	if err := m.ParseFlags(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get("https://" + m.Addr().String() + protocol.PathHealth)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil {
		t.Errorf("healthz over TLS: %d, TLS %v", res.StatusCode, res.TLS != nil)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and returns its files and a pool trusting it.
func selfSigned(t *testing.T, dir string) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hailong-hub test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// startBinary starts the built hub with `serve` and returns the process and
// its base URL, read from its JSON log.
func startBinary(t *testing.T, bin, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--listen", "127.0.0.1:0", "--log-format", "json")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		var line struct {
			Msg string `json:"msg"`
			URL string `json:"url"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "hub listening" {
			go io.Copy(io.Discard, stderr) // keep draining the log
			return cmd, line.URL
		}
	}
	t.Fatalf("hub exited before listening: %v", sc.Err())
	return nil, ""
}
