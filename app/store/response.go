package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// timeLayout is how times are stored: UTC, fixed width, nanoseconds always
// present, so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// minTime and maxTime bound the times the fixed-width layout can hold.
var (
	minTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// record is a response as stored: NFC-normalised, times in UTC, answers
// encoded, with its content hash.
type record struct {
	r       survey.Response
	answers string
	hash    string
	sig     []byte // the device's signature, nil when not signed yet
}

// newRecord normalises r to NFC and UTC, checks it with
// survey.CheckResponse (the hub's own rules, so that a saved response can
// always be sent) and prepares it for storage without changing r.
func newRecord(r *survey.Response) (*record, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: no response", ErrInvalid)
	}
	n := survey.Response{
		ID:            r.ID,
		SurveyID:      norm.NFC.String(r.SurveyID),
		SurveyVersion: r.SurveyVersion,
		StartedAt:     r.StartedAt.UTC(),
		FinishedAt:    r.FinishedAt.UTC(),
		ServicePoint:  norm.NFC.String(r.ServicePoint),
		DeviceID:      norm.NFC.String(r.DeviceID),
		Lang:          norm.NFC.String(r.Lang),
		Status:        r.Status,
		Misuse:        r.Misuse,
		MisuseReason:  norm.NFC.String(r.MisuseReason),
		EventTag:      norm.NFC.String(r.EventTag),
		Assisted:      r.Assisted,
		Slip:          r.Slip,
		Answers:       make(survey.Answers, len(r.Answers)),
	}
	if n.Slip != "" {
		if err := checkSlip(n.Slip); err != nil {
			return nil, fmt.Errorf("%w: response %s: %w", ErrInvalid, r.ID, err)
		}
	}
	for q, codes := range r.Answers {
		var cs []string
		if codes != nil {
			cs = make([]string, len(codes))
			for i, c := range codes {
				cs[i] = norm.NFC.String(c)
			}
		}
		q = norm.NFC.String(q)
		if _, dup := n.Answers[q]; dup {
			return nil, fmt.Errorf("%w: response %s: question code %q appears twice once normalised", ErrInvalid, r.ID, q)
		}
		n.Answers[q] = cs
	}
	if err := survey.CheckResponse(&n); err != nil {
		return nil, fmt.Errorf("%w: response %s: %w", ErrInvalid, r.ID, err)
	}
	answers, err := encodeAnswers(n.Answers)
	if err != nil {
		return nil, fmt.Errorf("%w: response %s: %w", ErrInvalid, r.ID, err)
	}
	rec := &record{r: n, answers: answers}
	rec.hash = rec.contentHash()
	return rec, nil
}

// encodeAnswers writes answers as a JSON object with sorted keys and no
// HTML escaping.
func encodeAnswers(a survey.Answers) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return "", fmt.Errorf("encode answers: %w", err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// contentHash is the SHA-256 of every field of the normalised response, in
// a fixed order with length prefixes, so equal content gives equal hashes.
// The slip is a last field only when there is one, so the hash of a
// response without a slip is what it was before slips existed.
func (rec *record) contentHash() string {
	r := &rec.r
	var b []byte
	fields := []string{
		r.ID, r.SurveyID, strconv.Itoa(r.SurveyVersion), rec.answers,
		formatTime(r.StartedAt), formatTime(r.FinishedAt), r.ServicePoint, r.DeviceID, r.Lang,
		string(r.Status), strconv.FormatBool(r.Misuse), r.MisuseReason, r.EventTag, strconv.FormatBool(r.Assisted),
	}
	if r.Slip != "" {
		fields = append(fields, "slip", r.Slip)
	}
	for _, f := range fields {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, ';')
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// highWater is the highest device sequence number handed out: the newest
// row's (rows are numbered in save order) or, when higher, the floor that
// every deletion of a numbered row raises (trigger responses_deleted,
// migration 0009).
const highWater = `max((SELECT value FROM meta WHERE key = 'device_seq_floor'),
	coalesce((SELECT device_seq FROM responses ORDER BY seq DESC LIMIT 1), 0))`

// insertResponse is the whole save of a new response. Its triggers
// (migration 0009) raise meta.max_duration_ms and take the slip in
// used_slips in the same statement.
const insertResponse = `INSERT INTO responses (
	id, survey_id, survey_version, answers, started_at, finished_at, duration_ms,
	service_point, device_id, lang, status, misuse, misuse_reason, event_tag, assisted,
	content_hash, saved_at, signature, slip, device_seq
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ` + highWater + ` + 1)
ON CONFLICT (id) DO NOTHING`

// SaveResponse stores r durably in one statement; when it returns nil the
// response is on disk and the kiosk may thank the citizen. Text is stored
// NFC-normalised and times in UTC; r itself is not modified. Saving the same
// content again (after a retry) is a no-op; saving different content under
// a stored id gives ErrConflict. A response that fails the checks (id not a
// canonical UUID, unknown status, unset or reversed times) gives ErrInvalid;
// one whose slip another response took gives ErrSlipUsed. New responses
// enter the outbox as pending and take the device's next sequence number
// (DeviceSeq) in the same statement; a no-op re-save takes none.
func (s *Store) SaveResponse(ctx context.Context, r *survey.Response) error {
	return s.SaveSignedResponse(ctx, r, nil)
}

// SaveSignedResponse is SaveResponse for a response its device has already
// signed: sig is kept with the row for the uploader, so a sync does not
// sign again (the kiosk itself saves first and adds the signature with
// SetSignature, so that signing never slows a save). The store does
// not check sig; the hub does, and a refused signature is dropped
// (DropSignatures) and made again. nil sig saves an unsigned response.
// Saving the same content again keeps the first signature.
func (s *Store) SaveSignedResponse(ctx context.Context, r *survey.Response, sig []byte) error {
	rec, err := newRecord(r)
	if err != nil {
		return fmt.Errorf("save response: %w", err)
	}
	if len(sig) > 0 {
		rec.sig = slices.Clone(sig)
	}
	if err := s.insert(ctx, s.w, rec); err != nil {
		return wrap("save response "+rec.r.ID, err)
	}
	return nil
}

// execer is *sql.DB (each statement its own transaction) or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insert adds rec with insertResponse, or checks that the stored row with
// its id has the same content.
func (s *Store) insert(ctx context.Context, db execer, rec *record) error {
	n := &rec.r
	for attempt := 0; ; attempt++ {
		res, err := db.ExecContext(ctx, insertResponse,
			n.ID, n.SurveyID, n.SurveyVersion, rec.answers, formatTime(n.StartedAt), formatTime(n.FinishedAt),
			n.FinishedAt.Sub(n.StartedAt).Milliseconds(), n.ServicePoint, n.DeviceID, n.Lang, string(n.Status),
			n.Misuse, n.MisuseReason, n.EventTag, n.Assisted, rec.hash, formatTime(s.now()), rec.sig, n.Slip)
		if slipTaken(err) {
			return ErrSlipUsed
		}
		if err != nil {
			return err
		}
		added, err := res.RowsAffected()
		if err != nil || added == 1 {
			return err
		}
		var stored string
		err = db.QueryRowContext(ctx, "SELECT content_hash FROM responses WHERE id = ?", n.ID).Scan(&stored)
		if errors.Is(err, sql.ErrNoRows) && attempt == 0 {
			continue // retention deleted it after the INSERT met it: save it anew
		}
		if err != nil {
			return err
		}
		if stored != rec.hash {
			return fmt.Errorf("%w: a different response with this id is already stored", ErrConflict)
		}
		return nil
	}
}

// responseColumns is what scanResponse reads, in this order.
const responseColumns = `id, survey_id, survey_version, answers, started_at, finished_at,
	service_point, device_id, lang, status, misuse, misuse_reason, event_tag, assisted, slip`

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// rowReader is scratch space reused from row to row while reading
// responses; the zero value is ready. Not safe for concurrent use. Rows
// are scanned into its own fields through one slice of destinations made
// once, then copied out (take): a row costs no destination slice.
type rowReader struct {
	answers             answersDecoder
	row                 survey.Response
	answersText         string
	startedAt, finished string
	status              string
	cols                []any
	// lend makes take return row itself, with answersMap as its Answers
	// and the decoder's scratch as their slices: all of it is the next
	// row's once the next row is scanned (BorrowResponses).
	lend       bool
	answersMap survey.Answers
}

// dest returns the Scan destinations of responseColumns.
func (rr *rowReader) dest() []any {
	if rr.cols == nil {
		r := &rr.row
		rr.cols = []any{&r.ID, &r.SurveyID, &r.SurveyVersion, &rr.answersText, &rr.startedAt, &rr.finished,
			&r.ServicePoint, &r.DeviceID, &r.Lang, &rr.status, &r.Misuse, &r.MisuseReason, &r.EventTag, &r.Assisted, &r.Slip}
	}
	return rr.cols
}

// take returns the row dest scanned, its answers, times and status
// decoded: a new response that shares nothing with rr, or with lend rr's
// own, every field of which the next scan and take overwrite.
func (rr *rowReader) take() (*survey.Response, error) {
	text, started, finished := rr.answersText, rr.startedAt, rr.finished
	r := &rr.row
	var err error
	if rr.lend {
		if rr.answersMap == nil {
			rr.answersMap = make(survey.Answers)
		}
		r.Status = survey.Status(rr.status)
		r.Answers, err = rr.answers.decodeInto(text, rr.answersMap)
	} else {
		r = new(survey.Response)
		*r = rr.row
		r.Status = survey.Status(rr.status)
		rr.row, rr.answersText, rr.startedAt, rr.finished, rr.status = survey.Response{}, "", "", "", ""
		r.Answers, err = rr.answers.decode(text)
	}
	if err != nil {
		return nil, fmt.Errorf("response %s: stored answers: %w", r.ID, err)
	}
	if r.Answers == nil {
		r.Answers = survey.Answers{}
	}
	if r.StartedAt, err = parseStoredTime(started); err != nil {
		return nil, fmt.Errorf("response %s: %w", r.ID, err)
	}
	if r.FinishedAt, err = parseStoredTime(finished); err != nil {
		return nil, fmt.Errorf("response %s: %w", r.ID, err)
	}
	return r, nil
}

// scanResponse reads one row of responseColumns. Answers is never nil.
// rr is scratch space; nil makes a new one.
func scanResponse(sc scanner, rr *rowReader) (*survey.Response, error) {
	if rr == nil {
		rr = new(rowReader)
	}
	if err := sc.Scan(rr.dest()...); err != nil {
		return nil, err
	}
	return rr.take()
}

// Response returns the stored response with the given id, or ErrNotFound.
// Like every response the store returns, its times are in UTC and its
// Answers map is never nil.
func (s *Store) Response(ctx context.Context, id string) (*survey.Response, error) {
	row := s.r.QueryRowContext(ctx, "SELECT "+responseColumns+" FROM responses WHERE id = ?", id)
	r, err := scanResponse(row, nil)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("get response %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, wrap("get response "+id, err)
	}
	return r, nil
}

// LastResponse returns the response that finished last (ties broken by the
// greater id), or ErrNotFound when none is stored. The kiosk's misuse check
// uses it after a restart.
//
// There is no index on finished_at (it would cost a page write per save).
// Instead the store keeps the longest duration of any saved response in
// whole milliseconds, M: no response lasted D = M+1 ms or longer, so the
// response that finished last cannot have started before the latest start
// minus D, and only those recent starts are searched.
func (s *Store) LastResponse(ctx context.Context) (*survey.Response, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, wrap("last response", err)
	}
	defer tx.Rollback()
	var latest sql.NullString
	var maxMs int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT max(started_at) FROM responses),
		(SELECT value FROM meta WHERE key = 'max_duration_ms')`).Scan(&latest, &maxMs); err != nil {
		return nil, wrap("last response", err)
	}
	if !latest.Valid {
		return nil, fmt.Errorf("last response: %w", ErrNotFound)
	}
	from := minTime
	if maxMs < math.MaxInt64/int64(time.Millisecond) { // a saturated duration bounds nothing
		t, err := parseTime(latest.String)
		if err != nil {
			return nil, wrap("last response", err)
		}
		from = clampTime(t.Add(-time.Duration(maxMs+1) * time.Millisecond))
	}
	row := tx.QueryRowContext(ctx, "SELECT "+responseColumns+
		" FROM responses WHERE started_at >= ? ORDER BY finished_at DESC, id DESC LIMIT 1", formatTime(from))
	r, err := scanResponse(row, nil)
	if err != nil {
		return nil, wrap("last response", err)
	}
	return r, nil
}

// DeviceSeq returns the device's sequence number of the stored response with
// this id (protocol version 2), 0 for a response saved before the store
// numbered them, or ErrNotFound.
func (s *Store) DeviceSeq(ctx context.Context, id string) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, "SELECT coalesce(device_seq, 0) FROM responses WHERE id = ?", id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("device sequence of %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return 0, wrap("device sequence of "+id, err)
	}
	return n, nil
}

// HighWater returns the highest sequence number the store has assigned
// (0: none yet), whether or not that response is still stored: the
// device's high-water mark.
func (s *Store) HighWater(ctx context.Context) (int64, error) {
	var n int64
	if err := s.r.QueryRowContext(ctx, "SELECT "+highWater).Scan(&n); err != nil {
		return 0, wrap("high-water mark", err)
	}
	return n, nil
}
