package export

import "github.com/hailong-kiosk/hailong/app/survey"

// The codes of the slip_channel column: how a response's rating reached
// the figures (docs/reports.md, "Rating slips"). CSV and JSONL carry the
// code, XLSX its words in the sheet's language (catalog key
// "export.channel." + code).
const (
	// ChannelDesk: given at a kiosk with a rating slip, its first use.
	ChannelDesk = "desk"
	// ChannelHome: given on the phone page a slip opens, its first use.
	ChannelHome = "home"
	// ChannelNone: given without a slip.
	ChannelNone = "none"
	// ChannelFlaggedUnknown, ChannelFlaggedReused and
	// ChannelFlaggedElsewhere: given with a slip the hub flagged, because
	// it never printed the code, the slip was used before, or it was
	// printed for another service point. Such a rating is no slip rating.
	ChannelFlaggedUnknown   = "flagged_unknown"
	ChannelFlaggedReused    = "flagged_reused"
	ChannelFlaggedElsewhere = "flagged_elsewhere"
)

// Channels are the slip_channel codes, in the order docs/exports.md lists
// them.
var Channels = []string{ChannelDesk, ChannelHome, ChannelNone, ChannelFlaggedUnknown, ChannelFlaggedReused, ChannelFlaggedElsewhere}

// kioskChannel is the slip_channel of r as a kiosk knows it (no
// Options.SlipChannel): at its desk with a slip, or without one. Whether
// the hub will flag the slip is not known there.
func kioskChannel(r *survey.Response) string {
	if r.Slip != "" {
		return ChannelDesk
	}
	return ChannelNone
}
