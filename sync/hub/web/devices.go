package web

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// Devices enrolls and revokes kiosks for the devices page (hub.Hub's
// NewDevice and hub.Store's RevokeDevice).
type Devices interface {
	// NewDevice creates a pending device and returns it with its one-time
	// code (hub.Hub.NewDevice; ttl ≤ 0 means the default).
	NewDevice(ctx context.Context, name, servicePoint string, ttl time.Duration) (*hub.Device, string, error)
	// RevokeDevice revokes a device (hub.Store.RevokeDevice).
	RevokeDevice(ctx context.Context, id string, at time.Time) error
}

// Longest names the enrollment form takes, in characters.
const (
	maxDeviceName   = 100
	maxServicePoint = 200
)

// navView is what the page header (templates/nav.html) shows, made by
// the template function navOf (texts.funcs); Role is the role's name.
type navView struct {
	Title, Admin, Role, CSRF string
	IsAdmin                  bool
}

type deviceItem struct {
	ID, Name, ServicePoint string
	State, StateLabel      string
	// SinceDay and SinceTime are when the device entered its state.
	SinceDay, SinceTime string
}

type devicesView struct {
	Admin, CSRF string
	Role        hub.Role
	// CanChange shows the enroll form and revoke buttons (role admin).
	CanChange bool
	Devices   []deviceItem
	// Form is what was typed into the enrollment form, shown again with
	// Error when it was refused.
	Name, ServicePoint string
	Error              string
}

// stateLabels name the devices' states (keys of the web area).
var stateLabels = map[string]string{
	"pending": "web.devices.state.pending", "expired": "web.devices.state.expired",
	"active": "web.devices.state.active", "revoked": "web.devices.state.revoked",
}

func (d *Dashboard) devicesView(ctx context.Context, x *texts, sess *session) (devicesView, error) {
	v := devicesView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, CanChange: sess.role == hub.RoleAdmin}
	devs, err := d.cfg.Data.Devices(ctx)
	if err != nil {
		return v, err
	}
	loc, now := survey.Location(), d.now()
	for _, dev := range devs {
		state, since := dev.State(), dev.CreatedAt
		switch state {
		case "active":
			since = dev.EnrolledAt
		case "revoked":
			since = dev.RevokedAt
		case "pending":
			if !dev.CodeExpiresAt.After(now) {
				state = "expired"
			}
		}
		v.Devices = append(v.Devices, deviceItem{ID: dev.ID, Name: dev.Name, ServicePoint: dev.ServicePoint,
			State: state, StateLabel: x.T(stateLabels[state]),
			SinceDay: since.In(loc).Format("02/01/2006"), SinceTime: since.In(loc).Format("15:04")})
	}
	return v, nil
}

// devices lists the devices; an admin also gets the enrollment form and a
// revoke button per device.
func (d *Dashboard) devices(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := d.devicesView(r.Context(), d.tr(r), sess)
	if err != nil {
		d.log.Error("devices: load", "err", err)
		v.Error = d.tr(r).T("web.error.devices")
		d.render(w, r, http.StatusInternalServerError, "devices.html", v)
		return
	}
	d.render(w, r, http.StatusOK, "devices.html", v)
}

type enrolledView struct {
	Admin, CSRF  string
	Role         hub.Role
	Device       *hub.Device
	Code, HubURL string
	Loopback     bool // HubURL reaches only the hub's own machine
	Expires      string
	QR           template.URL // data: URI of the QR code's PNG
}

// enroll creates a pending device and shows its one-time code and QR code,
// once: only the code's hash is kept.
func (d *Dashboard) enroll(w http.ResponseWriter, r *http.Request, sess *session) {
	name := strings.TrimSpace(norm.NFC.String(r.PostForm.Get("name")))
	point := strings.TrimSpace(norm.NFC.String(r.PostForm.Get("service_point")))
	var msg string
	switch {
	case name == "":
		msg = d.tr(r).T("web.devices.name_missing")
	case utf8.RuneCountInString(name) > maxDeviceName:
		msg = d.tr(r).T("web.devices.name_long")
	case utf8.RuneCountInString(point) > maxServicePoint:
		msg = d.tr(r).T("web.devices.point_long")
	case strings.ContainsFunc(name+point, func(r rune) bool { return r < ' ' || r == 0x7f }):
		msg = d.tr(r).T("web.devices.control_chars")
	}
	if msg != "" {
		v, err := d.devicesView(r.Context(), d.tr(r), sess)
		if err != nil {
			d.log.Error("devices: load", "err", err)
		}
		v.Name, v.ServicePoint, v.Error = name, point, msg
		d.render(w, r, http.StatusBadRequest, "devices.html", v)
		return
	}
	dev, code, err := d.cfg.Devices.NewDevice(r.Context(), name, point, 0)
	if err != nil {
		d.log.Error("devices: enroll", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.devices.enroll_failed")
		return
	}
	if !d.audit(r, sess.admin, hub.AuditDeviceEnroll, url.Values{"id": {dev.ID}, "name": {dev.Name}, "service_point": {dev.ServicePoint}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.devices.enroll_audit_failed", "ID", dev.ID)
		return
	}
	hubURL := d.hubURL(r)
	png, err := qrcode.Encode(protocol.EnrollURI(hubURL, code), qrcode.Medium, 384)
	if err != nil {
		d.log.Error("devices: QR code", "err", err)
	}
	v := enrolledView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role, Device: dev, Code: code, HubURL: hubURL, Loopback: isLoopbackURL(hubURL),
		Expires: dev.CodeExpiresAt.In(survey.Location()).Format("15:04 02/01/2006")}
	if png != nil {
		v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	d.log.Info("device enrolled from the dashboard", "admin", sess.admin, "device", dev.ID)
	d.render(w, r, http.StatusOK, "enrolled.html", v)
}

// hubURL is the address kiosks reach the hub at: Config.HubURL, else the
// one this request came to.
func (d *Dashboard) hubURL(r *http.Request) string {
	if d.cfg.HubURL != "" {
		return d.cfg.HubURL
	}
	scheme := "http"
	if r.TLS != nil || d.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// isLoopbackURL reports whether u's host is this machine only (localhost,
// 127.0.0.0/8, ::1): an admin who opened the dashboard on the hub itself.
func isLoopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	host := p.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type revokeView struct {
	Admin, CSRF string
	Role        hub.Role
	Device      deviceItem
}

// revokeConfirm asks before revoking (GET); revoke does it (POST).
func (d *Dashboard) revokeConfirm(w http.ResponseWriter, r *http.Request, sess *session) {
	dev, err := d.cfg.Data.Devices(r.Context())
	if err != nil {
		d.log.Error("devices: load", "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
		return
	}
	id := r.URL.Query().Get("id")
	for _, x := range dev {
		if x.ID == id {
			d.render(w, r, http.StatusOK, "revoke.html", revokeView{Admin: sess.admin, CSRF: sess.csrf, Role: sess.role,
				Device: deviceItem{ID: x.ID, Name: x.Name, ServicePoint: x.ServicePoint, State: x.State()}})
			return
		}
	}
	d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.devices.not_found", "ID", id)
}

func (d *Dashboard) revoke(w http.ResponseWriter, r *http.Request, sess *session) {
	id := r.PostForm.Get("id")
	if err := d.cfg.Devices.RevokeDevice(r.Context(), id, d.now()); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			d.fail(w, r, http.StatusNotFound, protocol.CodeNotFound, "web.devices.not_found", "ID", id)
			return
		}
		d.log.Error("devices: revoke", "device", id, "err", err)
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.devices.revoke_failed")
		return
	}
	if !d.audit(r, sess.admin, hub.AuditDeviceRevoke, url.Values{"id": {id}}) {
		d.fail(w, r, http.StatusInternalServerError, "internal", "web.devices.revoke_audit_failed", "ID", id)
		return
	}
	d.log.Info("device revoked from the dashboard", "admin", sess.admin, "device", id)
	http.Redirect(w, r, "/devices", http.StatusSeeOther)
}
