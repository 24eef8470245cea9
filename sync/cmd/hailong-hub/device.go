package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// deviceEnrollCommand is `hailong-hub device enroll`: a new device and its
// one-time enrollment code (and QR code).
type deviceEnrollCommand struct {
	name         string
	servicePoint string
	ttl          time.Duration
	hubURL       string
	qrPath       string
}

func (c *deviceEnrollCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.name, "name", "", "device name, e.g. \"Kiosk 1\" (required)")
	fs.StringVar(&c.servicePoint, "service-point", "", "service point the device stands at")
	fs.DurationVar(&c.ttl, "ttl", hub.DefaultCodeTTL, "how long the enrollment code works")
	fs.StringVar(&c.hubURL, "hub-url", "", "hub URL kiosks use, put in the QR code")
	fs.StringVar(&c.qrPath, "qr", "", "write the enrollment QR code to this PNG file")
}

func (c *deviceEnrollCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 0, args); err != nil {
		return err
	}
	if strings.TrimSpace(c.name) == "" {
		return errors.New("device enroll: cần --name (tên thiết bị) / --name is required")
	}
	if c.hubURL != "" {
		u, err := checkHubURL(c.hubURL)
		if err != nil {
			return fmt.Errorf("device enroll: %w", err)
		}
		c.hubURL = u
	}
	return nil
}

func (c *deviceEnrollCommand) run(ctx context.Context, m *Main) error {
	d, code, err := m.hub.NewDevice(ctx, c.name, c.servicePoint, c.ttl)
	if err != nil {
		return err
	}
	if err := m.audit(ctx, hub.AuditDeviceEnroll, url.Values{"id": {d.ID}, "name": {d.Name}, "service_point": {d.ServicePoint}}); err != nil {
		return err
	}
	if c.qrPath != "" {
		if err := writeQR(protocol.EnrollURI(c.hubURL, code), c.qrPath); err != nil {
			return err
		}
	}
	// Vietnamese first, English after: operators read the first.
	fmt.Fprintf(m.Stdout, "Thiết bị / Device:              %s\nTên / Name:                     %s\nĐiểm phục vụ / Service point:   %s\nMã kích hoạt / Code:            %s\nHết hạn / Expires:              %s\n",
		d.ID, d.Name, d.ServicePoint, code, d.CodeExpiresAt.In(survey.Location()).Format("2006-01-02 15:04 -07:00"))
	if c.hubURL != "" {
		fmt.Fprintf(m.Stdout, "Địa chỉ máy chủ / Hub URL:      %s\n", c.hubURL)
	} else {
		fmt.Fprintln(m.Stdout, "Địa chỉ máy chủ / Hub URL:      địa chỉ mà serve in ra (--hub-url ghi nó ở đây và trong mã QR) / the address serve printed (--hub-url puts it here and in the QR code)")
	}
	if c.qrPath != "" {
		fmt.Fprintf(m.Stdout, "Mã QR / QR code:                %s\n", c.qrPath)
	}
	fmt.Fprintln(m.Stdout, "Nhập địa chỉ máy chủ và mã này ở bảng quản trị của kiosk (thẻ Đồng bộ, mục Kết nối máy chủ đồng bộ) hoặc bằng lệnh hailong enroll --hub ĐỊA-CHỈ --code MÃ, hoặc quét mã QR. Mã chỉ dùng được một lần.")
	fmt.Fprintln(m.Stdout, "Enter the hub URL and this code in the kiosk's admin panel (tab Đồng bộ / Sync, box Kết nối máy chủ đồng bộ / Connect to the sync hub) or with hailong enroll --hub URL --code CODE, or scan the QR code. The code works once.")
	return nil
}

// checkHubURL checks the --hub-url a kiosk will be given: http or https,
// a host, no user, query or fragment. It returns it without a trailing
// slash.
func checkHubURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	bad := func(why string) error {
		return fmt.Errorf("--hub-url %q: %s; cần dạng http(s)://máy-chủ[:cổng], ví dụ https://hub.phuong-ba-dinh.vn / want http(s)://host[:port], e.g. https://hub.phuong-ba-dinh.vn", raw, why)
	}
	switch {
	case err != nil:
		return "", bad("không đọc được / cannot be parsed")
	case u.Scheme != "http" && u.Scheme != "https":
		return "", bad("phải bắt đầu bằng http:// hoặc https:// / must start with http:// or https://")
	case u.Hostname() == "":
		return "", bad("thiếu tên máy chủ / the host is missing")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		return "", bad("không được có tên người dùng, ? hoặc # / must not carry a user, ? or #")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", bad("cổng không hợp lệ / the port is not valid")
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u.String(), nil
}

// writeQR writes content as a QR PNG through a temporary file, so a
// failure never leaves half an image.
func writeQR(content, path string) error {
	png, err := qrcode.Encode(content, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("encode QR code: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, png, 0o644); err != nil {
		return fmt.Errorf("write QR code: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write QR code: %w", err)
	}
	return nil
}

// deviceListCommand is `hailong-hub device list`.
type deviceListCommand struct{}

func (c *deviceListCommand) flags(*flag.FlagSet) {}

func (c *deviceListCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *deviceListCommand) run(ctx context.Context, m *Main) error {
	devs, err := m.store.Devices(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tNAME\tSERVICE POINT\tSINCE")
	loc := survey.Location()
	for _, d := range devs {
		since := d.CreatedAt
		switch d.State() {
		case "active":
			since = d.EnrolledAt
		case "revoked":
			since = d.RevokedAt
		}
		state := d.State()
		if state == "pending" && !d.CodeExpiresAt.After(time.Now()) {
			state = "expired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, state, d.Name, d.ServicePoint, since.In(loc).Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// deviceRevokeCommand is `hailong-hub device revoke ID`.
type deviceRevokeCommand struct{ id string }

func (c *deviceRevokeCommand) flags(*flag.FlagSet) {}

func (c *deviceRevokeCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.id = args[0]
	return nil
}

func (c *deviceRevokeCommand) run(ctx context.Context, m *Main) error {
	id := c.id
	if err := m.store.RevokeDevice(ctx, id, time.Now()); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			return fmt.Errorf("no device %q (see hailong-hub device list)", id)
		}
		return err
	}
	m.Logger.Info("device revoked", "device", id)
	if err := m.audit(ctx, hub.AuditDeviceRevoke, url.Values{"id": {id}}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Đã thu hồi %s: máy chủ từ chối mọi lần gửi sau của nó; các phiếu đã nhận vẫn giữ nguyên.\n", id)
	fmt.Fprintf(m.Stdout, "Revoked %s: its uploads now get 403; its earlier responses stay.\n", id)
	return nil
}
