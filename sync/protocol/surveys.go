package protocol

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// SurveyList is the answer to GET PathSurveys: the newest published version
// of every survey, definitions included, so a kiosk needs one request to be
// up to date. The response carries an ETag; a kiosk sends it back in
// If-None-Match and gets 304 Not Modified while nothing was published.
// Older versions stay accepted for upload and can be fetched one by one at
// SurveyPath.
type SurveyList struct {
	Surveys []PublishedSurvey `json:"surveys"`
}

// PublishedSurvey is one survey version as published at the hub.
type PublishedSurvey struct {
	// ID and Version name the definition.
	ID      string `json:"id"`
	Version int    `json:"version"`
	// Definition is the survey JSON exactly as published (survey.Parse reads it).
	Definition json.RawMessage `json:"definition"`
}

// SlideSet is the answer to GET PathSlides: the slide set a hub published
// last (survey.ParseSlides reads Definition), numbered by Version. Version 0
// with no Definition means none was published: a kiosk then shows its
// built-in slides. Like SurveyList it carries an ETag for If-None-Match.
type SlideSet struct {
	Version    int             `json:"version"`
	Definition json.RawMessage `json:"definition,omitempty"`
}

// SurveyPath returns the path of one survey version's definition.
func SurveyPath(id string, version int) string {
	return strings.NewReplacer("{id}", url.PathEscape(id), "{version}", strconv.Itoa(version)).Replace(PathSurvey)
}

// Headers used by the protocol besides the standard ones.
const (
	// HeaderAuthorization carries "Bearer <token>" on authenticated requests.
	HeaderAuthorization = "Authorization"
	// BearerPrefix starts the Authorization value.
	BearerPrefix = "Bearer "
)
