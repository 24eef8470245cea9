package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// WriteJSONL writes one response per line as the JSON object the survey and
// sync protocol use (field names such as "survey_id", "started_at" in UTC),
// followed by "with_slip" (when it had a slip), "slip_channel" (a code of
// Channels, from opt.SlipChannel) and "device_name" when opt.DeviceName
// knows the device, with no HTML escaping. It returns the number of
// responses written. Options other than DeviceName, SlipChannel and
// Progress do not apply.
func WriteJSONL(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	name := opt.DeviceName
	if name == nil {
		name = func(string) string { return "" }
	}
	channel := opt.SlipChannel
	if channel == nil {
		channel = kioskChannel
	}
	n, err := each(ctx, rows, opt, func(r *survey.Response) error {
		if err := enc.Encode(jsonlLine{Response: r, WithSlip: r.Slip != "", SlipChannel: channel(r), DeviceName: name(r.DeviceID)}); err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write jsonl: %w", err)
	}
	return n, nil
}

// jsonlLine is one line of a JSONL export: the response's fields but its
// rating slip's code, whether it had one and its slip channel (a code of
// Channels), then the device's name. Slip is never set: being shallower
// than the response's own, it hides that field.
type jsonlLine struct {
	*survey.Response
	Slip        string `json:"slip,omitempty"`
	WithSlip    bool   `json:"with_slip,omitempty"`
	SlipChannel string `json:"slip_channel"`
	DeviceName  string `json:"device_name,omitempty"`
}
