package client

import (
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// scriptedHub is a hub double for the kiosk-side rules the real hub cannot
// be made to produce on demand (a missing answer, an unknown outcome, a
// chosen status). The end-to-end tests use the real hub from sync/hub.
type scriptedHub struct {
	t   *testing.T
	srv *httptest.Server
	pub ed25519.PublicKey // verifies every item when set

	mu       sync.Mutex
	statuses []int // answered (with a protocol error body) before any batch is taken
	answer   func(it protocol.Item) (protocol.Result, bool)
	batches  [][]string
	requests chan string // path of every request, when not nil
	surveys  *protocol.SurveyList
	etag     string
	ifNone   []string
}

func newScriptedHub(t *testing.T) *scriptedHub {
	h := &scriptedHub{t: t}
	h.answer = func(it protocol.Item) (protocol.Result, bool) {
		return protocol.Result{ID: it.Response.ID, Outcome: protocol.Accepted}, true
	}
	h.srv = httptest.NewServer(h)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *scriptedHub) fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", protocol.ContentType)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(protocol.Error{Code: code, Message: "scripted"})
}

func (h *scriptedHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.requests != nil {
		defer func() { h.requests <- r.URL.Path }()
	}
	if len(h.statuses) > 0 {
		st := h.statuses[0]
		h.statuses = h.statuses[1:]
		code := map[int]string{401: protocol.CodeUnauthorized, 403: protocol.CodeForbidden, 413: protocol.CodeTooLarge}[st]
		if code == "" {
			code = protocol.CodeInternal
		}
		h.fail(w, st, code)
		return
	}
	switch r.URL.Path {
	case protocol.PathBatch:
		b, err := protocol.DecodeBatch(r.Body)
		if err != nil {
			h.t.Errorf("scripted hub: bad batch: %v", err)
			h.fail(w, 400, protocol.ErrorCode(err))
			return
		}
		var ids []string
		var res protocol.BatchResult
		for _, it := range b.Items {
			ids = append(ids, it.Response.ID)
			if h.pub != nil {
				if err := protocol.Verify(h.pub, it); err != nil {
					h.t.Errorf("scripted hub: item %s: %v", it.Response.ID, err)
				}
			}
			if got := r.Header.Get("Authorization"); got == "" {
				h.t.Errorf("scripted hub: no Authorization header")
			}
			if rr, ok := h.answer(it); ok {
				res.Results = append(res.Results, rr)
			}
		}
		h.batches = append(h.batches, ids)
		w.Header().Set("Content-Type", protocol.ContentType)
		json.NewEncoder(w).Encode(res)
	case protocol.PathSurveys:
		h.ifNone = append(h.ifNone, r.Header.Get("If-None-Match"))
		if h.surveys == nil {
			w.Header().Set("Content-Type", protocol.ContentType)
			io.WriteString(w, `{"surveys":[]}`)
			return
		}
		if h.etag != "" && r.Header.Get("If-None-Match") == h.etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", h.etag)
		w.Header().Set("Content-Type", protocol.ContentType)
		json.NewEncoder(w).Encode(h.surveys)
	default:
		h.fail(w, 404, protocol.CodeNotFound)
	}
}

// batchSizes returns the number of items of each batch received.
func (h *scriptedHub) batchSizes() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	var n []int
	for _, b := range h.batches {
		n = append(n, len(b))
	}
	return n
}
