package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

const (
	sessionCookie = "hl_session"
	// loginCSRFCookie carries the login form's CSRF token (double submit):
	// there is no session yet to hold it.
	loginCSRFCookie = "hl_login_csrf"
	// maxLoginFailures failed logins from one client address within
	// loginWindow lock that address out until the window passes;
	// maxAccountFailures failed logins naming one account, from anywhere,
	// lock that account out. The account limit is higher, so that one
	// address alone cannot lock an account (it is locked itself first), and
	// a lock of one address leaves the admins elsewhere free.
	maxLoginFailures   = 5
	maxAccountFailures = 10
	loginWindow        = 5 * time.Minute
	// maxUpload bounds a multipart POST: a survey file of the largest size
	// survey.Parse takes, and the form around it.
	maxUpload = survey.MaxDefinitionSize + 64<<10
)

// session is one logged-in admin, as the handlers see it. Sessions live
// in the store (Accounts), so every hub process sharing the database sees
// them, a restart keeps them, and logout really ends them.
type session struct {
	admin string
	// hash is the admin's password hash at login: when the stored one
	// changes or goes (`hailong-hub admin add` again, `admin remove`), the
	// session ends.
	hash []byte
	// role is the admin's role, read again on every request.
	role    hub.Role
	csrf    string
	expires time.Time
}

// tokenHash is how a session token is kept in the store: its SHA-256.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// newSession starts a session for admin and returns its cookie token.
func (d *Dashboard) newSession(ctx context.Context, admin string, hash []byte, now time.Time) (string, error) {
	token := randomToken()
	err := d.cfg.Accounts.CreateSession(ctx, hub.Session{TokenHash: tokenHash(token), Admin: admin, PasswordHash: hash,
		CSRF: randomToken(), Expires: now.Add(d.cfg.SessionTTL)})
	return token, err
}

// session returns the live session of token, nil when there is none.
func (d *Dashboard) session(ctx context.Context, token string, now time.Time) (*session, error) {
	ss, err := d.cfg.Accounts.Session(ctx, tokenHash(token), now)
	if errors.Is(err, hub.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &session{admin: ss.Admin, hash: ss.PasswordHash, csrf: ss.CSRF, expires: ss.Expires}, nil
}

// endSession ends token's session (and prunes expired ones).
func (d *Dashboard) endSession(ctx context.Context, token string) {
	if err := d.cfg.Accounts.DeleteSession(ctx, tokenHash(token), d.now()); err != nil {
		d.log.Error("end session", "err", err)
	}
}

// Failed logins are counted in the store under two keys, so that every
// hub process sharing the database counts the same: the client address
// (addrKey) and the account named (accountKey).
func addrKey(addr string) string       { return "addr:" + addr }
func accountKey(account string) string { return "account:" + account }

// loginWait returns how long key must still wait before a login may be
// tried again, or 0: max failures within loginWindow lock it out until
// the window passes, whichever hub they went through.
func (d *Dashboard) loginWait(ctx context.Context, key string, max int, now time.Time) (time.Duration, error) {
	f, err := d.cfg.Accounts.LoginFailures(ctx, key, now, loginWindow)
	if err != nil || f.Count < max {
		return 0, err
	}
	return f.Since.Add(loginWindow).Sub(now), nil
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// clientAddr is the address of the client behind r: the connection's peer,
// or, when that peer is one of the trusted proxies, the nearest address in
// X-Forwarded-For that is not a trusted proxy (the header's entries to the
// left of it are the client's to forge).
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	isTrusted := func(s string) (netip.Addr, bool) {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return netip.Addr{}, false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return a, true
			}
		}
		return a, false
	}
	if _, ok := isTrusted(host); !ok {
		return host
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := isTrusted(hops[i])
		if !a.IsValid() {
			break // garbage from the client's side: stop at the last good hop
		}
		if !ok {
			return a.String()
		}
		host = a.String()
	}
	return host
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and CIDR
// prefixes ("127.0.0.1, 10.0.0.0/8").
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix such as 10.0.0.0/8", part)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

type loginView struct {
	CSRF  string
	Name  string
	Error string
}

func (d *Dashboard) loginPage(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if sess, err := d.session(r.Context(), c.Value, d.now()); err == nil && sess != nil {
			http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
			return
		}
	}
	d.showLogin(w, r, http.StatusOK, "", "")
}

// showLogin shows the login form with the text of key (none when "").
func (d *Dashboard) showLogin(w http.ResponseWriter, r *http.Request, status int, name, key string, args ...any) {
	msg := ""
	if key != "" {
		msg = d.tr(r).T(key, args...)
	}
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/login",
		HttpOnly: true, Secure: d.cfg.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	d.render(w, r, status, "login.html", loginView{CSRF: token, Name: name, Error: msg})
}

func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		d.showLogin(w, r, http.StatusBadRequest, "", "web.login.bad_form")
		return
	}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !equalTokens(c.Value, r.PostForm.Get("csrf")) {
		d.showLogin(w, r, http.StatusForbidden, "", "web.login.expired")
		return
	}
	now, addr := d.now(), clientAddr(r, d.cfg.TrustedProxies)
	name := strings.TrimSpace(norm.NFC.String(r.PostForm.Get("name")))
	account := hub.AdminName(name)
	wait, err := d.loginWait(r.Context(), addrKey(addr), maxLoginFailures, now)
	if err != nil {
		d.log.Error("login: read failed logins", "err", err)
		d.showLogin(w, r, http.StatusInternalServerError, name, "web.error.internal")
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", itoa(int(wait.Seconds())+1))
		d.showLogin(w, r, http.StatusTooManyRequests, name,
			"web.login.limited", "Minutes", int(wait.Minutes())+1)
		return
	}
	wait, err = d.loginWait(r.Context(), accountKey(account), maxAccountFailures, now)
	if err != nil {
		d.log.Error("login: read failed logins", "err", err)
		d.showLogin(w, r, http.StatusInternalServerError, name, "web.error.internal")
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", itoa(int(wait.Seconds())+1))
		d.log.Warn("login refused: account locked", "admin", name, "addr", addr)
		d.showLogin(w, r, http.StatusTooManyRequests, name,
			"web.login.locked", "Minutes", int(wait.Minutes())+1)
		return
	}
	hash, err := d.cfg.Accounts.AdminPasswordHash(r.Context(), name)
	if err != nil && !errors.Is(err, hub.ErrNotFound) {
		d.log.Error("login: read admin", "err", err)
		d.showLogin(w, r, http.StatusInternalServerError, name, "web.error.internal")
		return
	}
	password := norm.NFC.String(r.PostForm.Get("password"))
	if err != nil || bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil {
		for _, key := range []string{addrKey(addr), accountKey(account)} {
			if _, err := d.cfg.Accounts.LoginFailed(r.Context(), key, now, loginWindow); err != nil {
				d.log.Error("login: count failed login", "err", err)
			}
		}
		d.log.Warn("login failed", "admin", name, "addr", addr)
		typed := account
		if r := []rune(typed); len(r) > hub.MaxAdminName {
			typed = string(r[:hub.MaxAdminName]) + "…"
		}
		d.audit(r, typed, hub.AuditLoginFailed, nil) // refused either way

		d.showLogin(w, r, http.StatusUnauthorized, name, "web.login.wrong")
		return
	}
	if !d.audit(r, account, hub.AuditLogin, nil) {
		d.showLogin(w, r, http.StatusInternalServerError, name, "web.error.audit")
		return
	}
	for _, key := range []string{addrKey(addr), accountKey(account)} {
		if err := d.cfg.Accounts.ResetLogins(r.Context(), key); err != nil {
			d.log.Error("login: reset failed logins", "err", err)
		}
	}
	token, err := d.newSession(r.Context(), name, hash, now)
	if err != nil {
		d.log.Error("login: create session", "err", err)
		d.showLogin(w, r, http.StatusInternalServerError, name, "web.error.internal")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, Secure: d.cfg.SecureCookies, SameSite: http.SameSiteStrictMode,
		MaxAge: int(d.cfg.SessionTTL.Seconds())})
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Path: "/login", MaxAge: -1})
	d.log.Info("admin logged in", "admin", name, "addr", addr)
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// requireAdmin lets h run only for a logged-in admin, and checks the
// session's CSRF token on every POST. Browsers are sent to the login page;
// API clients get a JSON 401.
func (d *Dashboard) requireAdmin(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var sess *session
		if c, err := r.Cookie(sessionCookie); err == nil {
			if sess, err = d.session(r.Context(), c.Value, d.now()); err != nil {
				d.log.Error("check session", "err", err)
				http.Error(w, d.tr(r).T("web.error.internal"), http.StatusInternalServerError)
				return
			}
			if sess != nil {
				current, err := d.cfg.Accounts.AdminPasswordHash(r.Context(), sess.admin)
				switch {
				case errors.Is(err, hub.ErrNotFound) || (err == nil && !bytes.Equal(current, sess.hash)):
					d.log.Info("session ended: admin removed or password changed", "admin", sess.admin)
					d.endSession(r.Context(), c.Value)
					sess = nil
				case err != nil:
					d.log.Error("check session: read admin", "admin", sess.admin, "err", err)
					d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
					return
				}
			}
			if sess != nil {
				role, err := d.cfg.Accounts.AdminRole(r.Context(), sess.admin)
				if err != nil {
					d.log.Error("check session: read role", "admin", sess.admin, "err", err)
					d.fail(w, r, http.StatusInternalServerError, "internal", "web.error.internal")
					return
				}
				// The session's copy is this request's: a shallow copy, so
				// that concurrent requests do not race on it.
				cp := *sess
				cp.role = role
				sess = &cp
			}
		}
		if sess == nil {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				d.fail(w, r, http.StatusUnauthorized, "unauthorized", "web.error.login_needed")
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			var err error
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
				// An upload (a survey file): its text fields, csrf among
				// them, land in PostForm too.
				r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
				err = r.ParseMultipartForm(maxUpload)
			} else {
				r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
				err = r.ParseForm()
			}
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				d.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", "web.error.too_large", "Limit", mbe.Limit)
				return
			}
			if err != nil || !equalTokens(sess.csrf, r.PostForm.Get("csrf")) {
				d.fail(w, r, http.StatusForbidden, "bad_csrf", "web.error.csrf")
				return
			}
		}
		h(w, r, sess)
	}
}

// requireRole is requireAdmin for pages and actions that only an account
// with role may use; any other account gets 403 with a message saying who
// may (a viewer sees figures and exports, and changes nothing).
func (d *Dashboard) requireRole(role hub.Role, h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return d.requireAdmin(func(w http.ResponseWriter, r *http.Request, sess *session) {
		if sess.role != role {
			d.log.Warn("refused: role", "admin", sess.admin, "role", sess.role, "path", r.URL.Path)
			d.fail(w, r, http.StatusForbidden, "forbidden", "web.error.viewer_only", "Admin", sess.admin)
			return
		}
		h(w, r, sess)
	})
}

func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request, _ *session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		d.endSession(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
