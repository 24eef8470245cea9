package protocol

// Item is one response as it travels: the response in its version 1 wire
// form, in a version 2 or 3 item its device's sequence number, in a
// version 3 item the rating slip it was given with, and its device's
// Ed25519 signature over the item's content (ItemContent: SigningBytes of
// Response for version 1, SigningBytesV2 of Response and Seq for version
// 2, SigningBytesV3 of Response, Seq and Slip for version 3). Sign, SignV2
// and SignV3 make one; Verify checks one.
type Item struct {
	// Response is the signed response. Its DeviceID names the signer.
	Response *ResponseV1 `json:"response"`
	// Seq is the device's sequence number of the response (1, 2, 3, ...
	// in save order, never reused), part of the signed content; 0 in a
	// version 1 item, which carries none.
	Seq int64 `json:"seq,omitempty"`
	// Slip is the compact code of the rating slip the response was given
	// with (slip.Code.Compact), part of the signed content; empty in a
	// version 1 or 2 item, which carries none.
	Slip string `json:"slip,omitempty"`
	// Signature is the 64-byte Ed25519 signature, base64 in JSON.
	Signature []byte `json:"signature"`
}

// Batch is what a kiosk uploads in one request and what a bundle holds
// record by record: at most MaxBatchItems items and MaxBatchBytes encoded.
// Every item must carry the uploading device's id.
type Batch struct {
	// Items are the signed responses, oldest first by convention.
	Items []Item `json:"items"`
	// Mark is the device's signed high-water mark at sending time, or nil
	// (a version 1 kiosk, or a device that has numbered no response).
	Mark *Mark `json:"mark,omitempty"`
}

// Outcome is the hub's answer for one item.
type Outcome string

// The four outcomes. Accepted and Duplicate both mean "the hub holds exactly
// this content": the kiosk marks the item synced. Conflict and Rejected are
// final for that content: the kiosk keeps the item, shows it to the admin
// and does not resend it unless the admin asks; except a rejection with
// ReasonUnknownSurvey, which means "not yet" (the survey may be published
// later): the kiosk keeps the item pending and sends it again after a
// survey pull.
const (
	// Accepted: stored now, durably.
	Accepted Outcome = "accepted"
	// Duplicate: the hub already held this id with the same canonical content.
	Duplicate Outcome = "duplicate"
	// Conflict: the hub already held this id with different content; the
	// first content stays and the conflict is logged at the hub.
	Conflict Outcome = "conflict"
	// Rejected: the item was not stored; Reason says why.
	Rejected Outcome = "rejected"
)

// Synced reports whether the hub holds the item's content, so the kiosk may
// mark it synced.
func (o Outcome) Synced() bool { return o == Accepted || o == Duplicate }

// Reason codes of rejected (and conflict) items.
const (
	ReasonBadSignature   = "bad_signature"   // signature missing or does not verify
	ReasonDeviceMismatch = "device_mismatch" // response.device_id is not the uploading device
	ReasonUnknownDevice  = "unknown_device"  // bundle import: device never enrolled
	ReasonDeviceRevoked  = "device_revoked"  // bundle import: device revoked
	ReasonUnknownSurvey  = "unknown_survey"  // survey id/version never published at the hub
	ReasonInvalid        = "invalid"         // breaks a response rule (bad id, times, status...)
	ReasonInvalidAnswers = "invalid_answers" // answers do not fit the survey version
	ReasonConflict       = "conflict"        // same id, different content (outcome conflict)
)

// Result is the hub's answer for one item, in the order of the batch.
type Result struct {
	// ID is the response id the result is for.
	ID string `json:"id"`
	// Outcome is accepted, duplicate, conflict or rejected.
	Outcome Outcome `json:"outcome"`
	// Reason is a reason code for conflict and rejected, empty otherwise.
	Reason string `json:"reason,omitempty"`
	// Message explains the reason in English for logs and the admin panel.
	Message string `json:"message,omitempty"`
}

// BatchResult is the hub's answer to a batch, sent only after every stored
// item is durably committed. Results has one entry per item, in order.
type BatchResult struct {
	Results []Result `json:"results"`
}

// Counts tallies results by outcome.
func (br *BatchResult) Counts() map[Outcome]int {
	m := make(map[Outcome]int, 4)
	for _, r := range br.Results {
		m[r.Outcome]++
	}
	return m
}
