package hub

import (
	"context"
	"fmt"
	"iter"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// ResponseSlipReader reads what the hub found of stored responses' slips
// (a Store is one).
type ResponseSlipReader interface {
	ResponseSlips(ctx context.Context, responseIDs []string) (map[string]SlipStatus, error)
}

// slipChannelPage is how many responses SlipChannels reads ahead: one
// ResponseSlips read per page.
const slipChannelPage = 500

// SlipChannels returns rows as they are, read ahead a page at a time,
// and the export.Options.SlipChannel of the response just yielded: its
// export channel code (ExportChannel) from the status of its slip, read
// for the page's responses in one ResponseSlips call (what the store
// found, whatever the stored content says of the slip). The function
// answers for the responses of the page being yielded, which is the one
// an export writes (it calls it for each row as the row passes).
func SlipChannels(ctx context.Context, st ResponseSlipReader, rows iter.Seq2[*survey.Response, error]) (iter.Seq2[*survey.Response, error], func(*survey.Response) string) {
	statuses := map[string]SlipStatus{}
	channel := func(r *survey.Response) string { return ExportChannel(statuses[r.ID], r.DeviceID) }
	seq := func(yield func(*survey.Response, error) bool) {
		page := make([]*survey.Response, 0, slipChannelPage)
		var ids []string
		flush := func() bool {
			clear(statuses)
			if len(ids) > 0 {
				got, err := st.ResponseSlips(ctx, ids)
				if err != nil {
					yield(nil, fmt.Errorf("slip channels: %w", err))
					return false
				}
				for id, s := range got {
					statuses[id] = s
				}
			}
			for _, r := range page {
				if !yield(r, nil) {
					return false
				}
			}
			page, ids = page[:0], ids[:0]
			return true
		}
		for r, err := range rows {
			if err != nil {
				if flush() {
					yield(nil, err)
				}
				return
			}
			page = append(page, r)
			if r != nil {
				ids = append(ids, r.ID)
			}
			if len(page) == cap(page) && !flush() {
				return
			}
		}
		flush()
	}
	return seq, channel
}

// ExportChannel is the exports' slip_channel code (export.Channels) of a
// response from deviceID whose slip the hub found st: the figures'
// SlipChannel, a flagged slip with its reason.
func ExportChannel(st SlipStatus, deviceID string) string {
	switch SlipChannel(st, deviceID) {
	case ChannelDesk:
		return export.ChannelDesk
	case ChannelHome:
		return export.ChannelHome
	case ChannelFlagged:
		switch st {
		case SlipUnknown:
			return export.ChannelFlaggedUnknown
		case SlipReused:
			return export.ChannelFlaggedReused
		case SlipElsewhere:
			return export.ChannelFlaggedElsewhere
		}
	}
	return export.ChannelNone
}
