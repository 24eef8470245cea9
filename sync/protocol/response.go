package protocol

import (
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Text limits of a response, in characters: survey's, which the kiosk
// applies when it saves. Longer text is refused, not cut.
const (
	MaxShortText  = survey.MaxShortText
	MaxLongText   = survey.MaxLongText
	MaxAnswerKeys = survey.MaxAnswerKeys
	MaxAnswerVals = survey.MaxAnswerVals
)

// CheckResponse checks the rules a response must meet whatever its survey:
// survey.CheckResponse, the same check the kiosk's store makes when it
// saves, and a device id, which names the signer on the wire. It returns an
// *Error with code CodeInvalid naming the first problem. It does not check
// answers against the survey definition; the hub does that
// (survey.CheckAnswers).
func CheckResponse(r *survey.Response) error {
	if err := survey.CheckResponse(r); err != nil {
		return Errorf(CodeInvalid, "%s", err.Error())
	}
	if r.DeviceID == "" {
		return Errorf(CodeInvalid, "device_id is empty")
	}
	return nil
}
