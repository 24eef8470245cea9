package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ServeHTTP implements http.Handler.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.handler.ServeHTTP(w, r) }

// routes builds the handler. Methods are checked in the handlers, so that
// 404 and 405 answers are JSON like every other error.
func (h *Hub) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(protocol.PathBatch, h.only(http.MethodPost, handleUpload(h, upload[*protocol.Batch]{
		what: "batch", limit: protocol.MaxBatchBytes, ingest: h.IngestBatch,
		decode: func(r *http.Request) (*protocol.Batch, error) {
			return protocol.DecodeBatchLen(r.Body, r.ContentLength)
		},
	})))
	mux.HandleFunc(protocol.PathFeedback, h.only(http.MethodPost, handleUpload(h, upload[*protocol.FeedbackBatch]{
		what: "feedback", limit: protocol.MaxFeedbackBytes, ingest: h.IngestFeedback,
		decode: func(r *http.Request) (*protocol.FeedbackBatch, error) { return protocol.DecodeFeedbackBatch(r.Body) },
	})))
	mux.HandleFunc(protocol.PathHelp, h.only(http.MethodPost, handleUpload(h, upload[*protocol.HelpBatch]{
		what: "help", limit: protocol.MaxHelpBytes, ingest: h.IngestHelp,
		decode: func(r *http.Request) (*protocol.HelpBatch, error) { return protocol.DecodeHelpBatch(r.Body) },
	})))
	mux.HandleFunc(protocol.PathEnroll, h.only(http.MethodPost, h.handleEnroll))
	mux.HandleFunc(protocol.PathSurveys, h.only(http.MethodGet, h.handleSurveys))
	mux.HandleFunc(protocol.PathSurvey, h.only(http.MethodGet, h.handleSurvey))
	mux.HandleFunc(protocol.PathSlides, h.only(http.MethodGet, h.handleSlides))
	mux.HandleFunc(protocol.PathHealth, h.only(http.MethodGet, h.handleHealth))
	metrics := promhttp.HandlerFor(h.metrics.reg, promhttp.HandlerOpts{Registry: h.metrics.reg})
	mux.Handle(protocol.PathMetrics, h.only(http.MethodGet, metrics.ServeHTTP))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.writeError(w, r, protocol.Errorf(protocol.CodeNotFound, "no such path: %s", r.URL.Path))
	})
	return h.logRequests(mux)
}

// only refuses methods other than method (and HEAD for GET) with 405.
func (h *Hub) only(method string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			h.writeError(w, r, protocol.Errorf(protocol.CodeMethod, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, method))
			return
		}
		next(w, r)
	}
}

// statusOf maps an error code to its HTTP status (docs/protocol.md).
func statusOf(code string) int {
	switch code {
	case protocol.CodeMalformed, protocol.CodeInvalidUTF8, protocol.CodeUnknownField, protocol.CodeInvalid:
		return http.StatusBadRequest
	case protocol.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case protocol.CodeUnauthorized:
		return http.StatusUnauthorized
	case protocol.CodeForbidden, protocol.CodeBadCode:
		return http.StatusForbidden
	case protocol.CodeNotFound:
		return http.StatusNotFound
	case protocol.CodeMethod:
		return http.StatusMethodNotAllowed
	case protocol.CodeUnsupported:
		return http.StatusUnsupportedMediaType
	case protocol.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers err as JSON {code, message}. Errors that are not
// *protocol.Error are internal: logged in full, answered without detail.
func (h *Hub) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *protocol.Error
	if !errors.As(err, &pe) {
		h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		pe = protocol.Errorf(protocol.CodeInternal, "the hub could not complete the request; nothing was stored; retry later")
	}
	if pe.Code == protocol.CodeUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hailong-hub"`)
	}
	writeJSON(w, statusOf(pe.Code), pe)
}

// writeJSON answers v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"code":"internal","message":"encode answer"}`)
	}
	w.Header().Set("Content-Type", protocol.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// checkJSON refuses a Content-Type other than application/json (absent is fine).
func checkJSON(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != protocol.ContentType {
		return protocol.Errorf(protocol.CodeUnsupported, "Content-Type %q is not %s", ct, protocol.ContentType)
	}
	return nil
}

// readLimit wraps the body in http.MaxBytesReader and refuses a declared
// length over limit before reading anything.
func readLimit(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return protocol.Errorf(protocol.CodeTooLarge, "body of %d bytes is over the %d-byte limit", r.ContentLength, limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1)
	return nil
}

// bodyErr classifies a decoding error, turning http.MaxBytesError into 413.
func bodyErr(err error, limit int64) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return protocol.Errorf(protocol.CodeTooLarge, "body is over the %d-byte limit", limit)
	}
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe
	}
	// The client went away or the read failed mid-body: a malformed request.
	return protocol.Errorf(protocol.CodeMalformed, "reading the body failed: %v", err)
}

// bearer returns the bearer token of r, or "".
func bearer(r *http.Request) string {
	v := r.Header.Get(protocol.HeaderAuthorization)
	if len(v) > len(protocol.BearerPrefix) && strings.EqualFold(v[:len(protocol.BearerPrefix)], protocol.BearerPrefix) {
		return strings.TrimSpace(v[len(protocol.BearerPrefix):])
	}
	return ""
}

// upload is one kind of batch a device POSTs: its size limit, strict
// decoding, and what the hub does with it; what names it in logs and errors.
type upload[B any] struct {
	what   string
	limit  int64
	decode func(r *http.Request) (B, error)
	ingest func(ctx context.Context, d *Device, b B) (*protocol.BatchResult, error)
}

// handleUpload takes a batch of kind u: the device's token, a JSON body
// within the limit and strictly decoded, then u.ingest; every refusal is
// the JSON error the protocol names.
func handleUpload[B any](h *Hub, u upload[B]) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		dev, err := h.Authenticate(r.Context(), bearer(r))
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		if err := checkJSON(r); err != nil {
			h.writeError(w, r, err)
			return
		}
		if err := readLimit(w, r, u.limit); err != nil {
			h.writeError(w, r, err)
			return
		}
		b, err := u.decode(r)
		if err != nil {
			h.log.Info(u.what+" refused", "device", dev.ID, "err", err)
			h.writeError(w, r, bodyErr(err, u.limit))
			return
		}
		res, err := u.ingest(r.Context(), dev, b)
		if err != nil {
			h.writeError(w, r, fmt.Errorf("%s from %s: %w", u.what, dev.ID, err))
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}

func (h *Hub) handleEnroll(w http.ResponseWriter, r *http.Request) {
	if err := checkJSON(r); err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := readLimit(w, r, protocol.MaxRequestBytes); err != nil {
		h.writeError(w, r, err)
		return
	}
	var req protocol.EnrollRequest
	if err := protocol.Decode(r.Body, protocol.MaxRequestBytes, &req); err != nil {
		h.writeError(w, r, bodyErr(err, protocol.MaxRequestBytes))
		return
	}
	res, err := h.Enroll(r.Context(), &req)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (h *Hub) handleSurveys(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Authenticate(r.Context(), bearer(r)); err != nil {
		h.writeError(w, r, err)
		return
	}
	latest, err := h.store.LatestSurveys(r.Context())
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	list := protocol.SurveyList{Surveys: []protocol.PublishedSurvey{}}
	sum := sha256.New()
	for _, ps := range latest {
		list.Surveys = append(list.Surveys, protocol.PublishedSurvey{ID: ps.ID, Version: ps.Version, Definition: ps.Definition})
		fmt.Fprintf(sum, "%s\x00%d\x00", ps.ID, ps.Version) // versions are immutable once published
	}
	etag := `"` + hex.EncodeToString(sum.Sum(nil)[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

// etagMatch reports whether an If-None-Match header matches etag.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func (h *Hub) handleSurvey(w http.ResponseWriter, r *http.Request) {
	if _, err := h.Authenticate(r.Context(), bearer(r)); err != nil {
		h.writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	version, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || version < 1 {
		h.writeError(w, r, protocol.Errorf(protocol.CodeNotFound, "survey version %q is not a number ≥ 1", r.PathValue("version")))
		return
	}
	ps, err := h.store.Survey(r.Context(), id, version)
	if errors.Is(err, ErrNotFound) {
		h.writeError(w, r, protocol.Errorf(protocol.CodeNotFound, "survey %s version %d is not published", id, version))
		return
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", protocol.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(ps.Definition)))
	w.Write(ps.Definition)
}

func (h *Hub) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := h.store.Ping(r.Context()); err != nil {
		h.log.Error("health check failed", "err", err)
		h.writeError(w, r, protocol.Errorf(protocol.CodeUnavailable, "the store does not answer"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests logs every request at debug level, and failures at info.
func (h *Hub) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelDebug
		if rec.status >= 400 {
			level = slog.LevelInfo
		}
		h.log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"remote", r.RemoteAddr, "duration", time.Since(start))
	})
}

// MaxHeaderBytes bounds a request's line and headers. Serve the hub and the
// dashboard through LimitHeaders with an http.Server whose own
// MaxHeaderBytes is larger: net/http answers its limit in plain text.
const MaxHeaderBytes = 64 << 10

// LimitHeaders answers requests whose request line and headers are over
// MaxHeaderBytes with a JSON 431, like every other error, and passes the
// others to next.
func LimitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host) + 2
		for k, vs := range r.Header {
			for _, v := range vs {
				n += len(k) + len(v) + 4
			}
		}
		if n > MaxHeaderBytes {
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestHeaderFieldsTooLarge,
				protocol.Errorf(protocol.CodeTooLarge, "request headers of %d bytes are over the %d-byte limit", n, MaxHeaderBytes))
			return
		}
		next.ServeHTTP(w, r)
	})
}
