package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// maxAnswerBytes bounds what the client reads of any hub answer: a batch
// result or the survey list (definitions included).
const maxAnswerBytes = 16 << 20

// remote talks HTTP to one hub.
type remote struct {
	base  string
	token string
	hc    *http.Client
}

// call sends one request and returns the answer's status, headers and body.
// Transport failures come back classified; statuses are left to the caller
// except through statusError.
func (h *remote) call(ctx context.Context, op, method, path string, body []byte, hdr http.Header) (*http.Response, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, h.base+path, rd)
	if err != nil {
		return nil, nil, &Error{Kind: KindBadURL, Op: op, Err: err}
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	if body != nil {
		req.Header.Set("Content-Type", protocol.ContentType)
	}
	req.Header.Set("Accept", protocol.ContentType)
	if h.token != "" {
		req.Header.Set(protocol.HeaderAuthorization, protocol.BearerPrefix+h.token)
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return nil, nil, transportError(op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return nil, nil, transportError(op, fmt.Errorf("read answer: %w", err))
	}
	if len(data) > maxAnswerBytes {
		return nil, nil, &Error{Kind: KindProtocol, Op: op, Err: fmt.Errorf("answer is over %d bytes", maxAnswerBytes)}
	}
	return resp, data, nil
}

// statusError classifies a non-2xx answer from its status and, when the
// body is a protocol error, its code.
func statusError(op string, resp *http.Response, body []byte) *Error {
	var pe protocol.Error
	isHub := strings.HasPrefix(resp.Header.Get("Content-Type"), protocol.ContentType) &&
		json.Unmarshal(body, &pe) == nil && pe.Code != ""
	err := fmt.Errorf("HTTP %d", resp.StatusCode)
	if isHub {
		err = fmt.Errorf("HTTP %d: %w", resp.StatusCode, &pe)
	}
	kind := KindProtocol
	switch {
	case resp.StatusCode >= 500:
		kind = KindServer
	case !isHub && isHTTPToHTTPS(resp, body):
		kind = KindNeedsTLS
	case !isHub:
		// A web server that is not the hub, or a captive portal.
		kind = KindNotHub
	case pe.Code == protocol.CodeBadCode:
		kind = KindBadCode
	case pe.Code == protocol.CodeUnauthorized:
		kind = KindUnauthorized
	case pe.Code == protocol.CodeForbidden:
		kind = KindRevoked
	case pe.Code == protocol.CodeTooLarge:
		kind = KindTooLarge
	}
	return &Error{Kind: kind, Op: op, Err: err}
}

// decodeAnswer decodes a 2xx JSON answer into v.
func decodeAnswer(op string, resp *http.Response, body []byte, v any) error {
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), protocol.ContentType) {
		return &Error{Kind: KindNotHub, Op: op, Err: fmt.Errorf("answer is %q, not JSON", resp.Header.Get("Content-Type"))}
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Kind: KindProtocol, Op: op, Err: fmt.Errorf("decode answer: %w", err)}
	}
	return nil
}

// enroll sends the enrollment request.
func (h *remote) enroll(ctx context.Context, req protocol.EnrollRequest) (*protocol.EnrollResponse, error) {
	const op = "enroll"
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("enroll: %w", err)
	}
	resp, data, err := h.call(ctx, op, http.MethodPost, protocol.PathEnroll, body, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError(op, resp, data)
	}
	var er protocol.EnrollResponse
	if err := decodeAnswer(op, resp, data, &er); err != nil {
		return nil, err
	}
	if er.DeviceID == "" || er.Token == "" {
		return nil, &Error{Kind: KindProtocol, Op: op, Err: errors.New("answer has no device id or token")}
	}
	return &er, nil
}

// upload sends one encoded batch and returns the hub's per-item answer.
func (h *remote) upload(ctx context.Context, batch []byte) (*protocol.BatchResult, error) {
	const op = "upload"
	resp, data, err := h.call(ctx, op, http.MethodPost, protocol.PathBatch, batch, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError(op, resp, data)
	}
	var br protocol.BatchResult
	if err := decodeAnswer(op, resp, data, &br); err != nil {
		return nil, err
	}
	return &br, nil
}

// surveys fetches the published survey list unless etag is still current;
// list is nil on 304 Not Modified.
func (h *remote) surveys(ctx context.Context, etag string) (list *protocol.SurveyList, newETag string, err error) {
	const op = "pull surveys"
	hdr := http.Header{}
	if etag != "" {
		hdr.Set("If-None-Match", etag)
	}
	resp, data, err := h.call(ctx, op, http.MethodGet, protocol.PathSurveys, nil, hdr)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode == http.StatusNotModified {
		return nil, etag, nil
	}
	if resp.StatusCode/100 != 2 {
		return nil, "", statusError(op, resp, data)
	}
	var sl protocol.SurveyList
	if err := decodeAnswer(op, resp, data, &sl); err != nil {
		return nil, "", err
	}
	return &sl, resp.Header.Get("ETag"), nil
}
