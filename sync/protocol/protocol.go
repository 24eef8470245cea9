// Package protocol is the contract between a kiosk and the hub: the
// versioned JSON wire types, their strict decoders, the canonical content
// encoding that devices sign and the hub compares, and the bundle file format
// for sneakernet. It imports neither Fyne, SQL nor net/http, so the kiosk's
// uploader (sync/client) and the hub (sync/hub) share it.
//
// docs/protocol.md describes the endpoints, authentication, per-item
// outcomes, idempotency, retry rules and the bundle format in prose.
package protocol

// Version is the protocol version of the paths and the bundle format. It
// appears in every path (/api/v1/...), in the bundle header and in the
// signing domain; a change that old kiosks cannot read gets a new version
// and new paths. Version 2 items (sequence numbers, marks: seq.go) travel
// on the same paths, beside version 1 items.
const Version = 1

// Paths served by the hub. Path parameters are written Go 1.22 ServeMux
// style; SurveyPath fills them in.
const (
	// PathBatch takes a Batch (POST) and answers a BatchResult.
	PathBatch = "/api/v1/batches"
	// PathEnroll takes an EnrollRequest (POST) and answers an EnrollResponse.
	PathEnroll = "/api/v1/enroll"
	// PathSurveys answers a SurveyList (GET) with an ETag.
	PathSurveys = "/api/v1/surveys"
	// PathSurvey answers one survey version's raw JSON definition (GET).
	PathSurvey = "/api/v1/surveys/{id}/{version}"
	// PathSlides answers the newest SlideSet (GET) with an ETag.
	PathSlides = "/api/v1/slides"
	// PathHealth answers 200 "ok" when the hub can reach its store.
	PathHealth = "/healthz"
	// PathMetrics serves Prometheus metrics.
	PathMetrics = "/metrics"
)

// ContentType is the media type of every JSON request and response body.
const ContentType = "application/json"

// Limits of one batch. A batch over either limit is refused whole (413 for
// the byte limit, 400 for the item count); the client splits and resends.
const (
	// MaxBatchItems is the most items one batch may carry.
	MaxBatchItems = 500
	// MaxBatchBytes is the largest encoded batch, 4 MiB.
	MaxBatchBytes = 4 << 20
	// MaxRequestBytes bounds the small request bodies (enrollment).
	MaxRequestBytes = 64 << 10
)
