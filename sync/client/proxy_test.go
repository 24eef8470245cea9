package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fault is what the fault-injecting proxy does to one request.
type fault int

const (
	// pass forwards the request and the answer untouched.
	pass fault = iota
	// dropAfter forwards the request, lets the hub commit, then closes the
	// connection without an answer.
	dropAfter
	// dropBefore closes the connection without forwarding.
	dropBefore
	// error500Before answers 500 without forwarding.
	error500Before
	// error500After forwards (the hub commits) but answers 500.
	error500After
	// stallAfter forwards, then holds the connection until the client gives up.
	stallAfter
	// stallBefore holds the connection, without forwarding, until the client gives up.
	stallBefore
	numFaults
)

var faultNames = [...]string{"pass", "dropAfter", "dropBefore", "error500Before", "error500After", "stallAfter", "stallBefore"}

func (f fault) String() string { return faultNames[f] }

// faultProxy is an HTTP proxy in front of a real hub that misbehaves on
// purpose, request by request, as plan says.
type faultProxy struct {
	t      *testing.T
	target *url.URL
	plan   func(n int, r *http.Request) fault
	hc     *http.Client
	srv    *httptest.Server
	done   chan struct{}
	// forwarded, when set, is called after the hub answered a forwarded
	// request and before the fault is applied.
	forwarded func(r *http.Request, f fault)

	mu         sync.Mutex
	n          int
	counts     map[fault]int
	nForwarded int
}

// newFaultProxy starts a proxy on 127.0.0.1 in front of target.
func newFaultProxy(t *testing.T, target string, plan func(n int, r *http.Request) fault) *faultProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, target: u, plan: plan, hc: &http.Client{}, done: make(chan struct{}), counts: map[fault]int{}}
	p.srv = httptest.NewServer(p)
	t.Cleanup(func() {
		close(p.done)
		p.srv.CloseClientConnections()
		p.srv.Close()
	})
	return p
}

// URL is the proxy's base URL.
func (p *faultProxy) URL() string { return p.srv.URL }

// Counts returns how many requests met each fault, and how many reached the hub.
func (p *faultProxy) Counts() (map[fault]int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := make(map[fault]int, len(p.counts))
	for k, v := range p.counts {
		c[k] = v
	}
	return c, p.nForwarded
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.n++
	f := p.plan(p.n, r)
	p.counts[f]++
	p.mu.Unlock()

	switch f {
	case dropBefore:
		p.drop(w)
		return
	case error500Before:
		p.fail(w)
		return
	case stallBefore:
		p.stall(r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	// The hub must see the whole request even when the client gives up.
	ctx := context.WithoutCancel(r.Context())
	out, err := http.NewRequestWithContext(ctx, r.Method, p.target.JoinPath(r.URL.Path).String(), bytes.NewReader(body))
	if err != nil {
		p.t.Errorf("proxy: %v", err)
		p.fail(w)
		return
	}
	out.URL.RawQuery = r.URL.RawQuery
	out.Header = r.Header.Clone()
	resp, err := p.hc.Do(out)
	if err != nil {
		p.fail(w)
		return
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	p.mu.Lock()
	p.nForwarded++
	p.mu.Unlock()
	if p.forwarded != nil {
		p.forwarded(r, f)
	}
	if err != nil {
		p.fail(w)
		return
	}
	switch f {
	case dropAfter:
		p.drop(w)
		return
	case error500After:
		p.fail(w)
		return
	case stallAfter:
		p.stall(r)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	w.Write(answer)
}

func (p *faultProxy) drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		p.t.Errorf("proxy hijack: %v", err)
		return
	}
	conn.Close()
}

func (p *faultProxy) fail(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, `{"code":"injected","message":"injected fault"}`)
}

// stall holds the request until the client closes the connection (its
// timeout) or the test ends.
func (p *faultProxy) stall(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-p.done:
	}
}

// TestFaultProxy checks that each fault does what the sync tests rely on.
func TestFaultProxy(t *testing.T) {
	var mu sync.Mutex
	hits := 0
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(backend.Close)
	tests := []struct {
		f       fault
		wantOK  bool
		reached bool
	}{
		{pass, true, true},
		{dropAfter, false, true},
		{dropBefore, false, false},
		{error500Before, false, false},
		{error500After, false, true},
		{stallAfter, false, true},
		{stallBefore, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.f.String(), func(t *testing.T) {
			mu.Lock()
			before := hits
			mu.Unlock()
			p := newFaultProxy(t, backend.URL, func(int, *http.Request) fault { return tt.f })
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.URL()+"/x", bytes.NewReader([]byte("hello")))
			resp, err := http.DefaultClient.Do(req)
			ok := err == nil && resp.StatusCode == 200
			if resp != nil {
				resp.Body.Close()
			}
			if ok != tt.wantOK {
				t.Errorf("ok = %v (err %v), want %v", ok, err, tt.wantOK)
			}
			mu.Lock()
			reached := hits > before
			mu.Unlock()
			if reached != tt.reached {
				t.Errorf("backend reached = %v, want %v", reached, tt.reached)
			}
		})
	}
}
