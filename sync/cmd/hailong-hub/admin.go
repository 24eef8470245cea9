package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// minPasswordLen is the shortest dashboard password, in characters.
const minPasswordLen = 10

// maxPasswordBytes is bcrypt's limit: it refuses longer inputs.
const maxPasswordBytes = 72

// adminAddCommand is `hailong-hub admin add NAME`: it creates a dashboard
// admin or sets a new password for one. The password comes from the
// terminal, typed twice without echo, or as one line from standard input
// when it is piped. Only its bcrypt hash is kept. --role sets the
// account's role (admin, viewer or inspector); without it a new account is an admin
// and an existing one keeps its role.
type adminAddCommand struct {
	name     string
	roleFlag string
	role     hub.Role // "" when --role was not given
}

func (c *adminAddCommand) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.roleFlag, "role", "admin", "admin (may do everything), viewer (sees figures and exports only) or inspector (handles misconduct reports)")
}

func (c *adminAddCommand) parse(name string, args []string, given func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	if given("role") {
		r, err := hub.ParseRole(c.roleFlag)
		if err != nil {
			return fmt.Errorf("admin add --role %q: chỉ nhận admin hoặc viewer / want admin or viewer", c.roleFlag)
		}
		c.role = r
	}
	if _, err := hub.CheckAdmin(args[0], nil); err != nil {
		return fmt.Errorf("admin add: tên không hợp lệ / invalid name: %w", err)
	}
	c.name = args[0]
	return nil
}

func (c *adminAddCommand) run(ctx context.Context, m *Main) error {
	name, err := hub.CheckAdmin(c.name, nil)
	if err != nil {
		return fmt.Errorf("admin add: tên không hợp lệ / invalid name: %w", err)
	}
	password, err := m.readPassword(name)
	if err != nil {
		return fmt.Errorf("admin add %s: %w", name, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), m.bcryptCost)
	if err != nil {
		return fmt.Errorf("admin add %s: hash password: %w", name, err)
	}
	_, err = m.store.AdminPasswordHash(ctx, name)
	existed := err == nil
	if err != nil && !errors.Is(err, hub.ErrNotFound) {
		return fmt.Errorf("admin add %s: %w", name, err)
	}
	if c.role == "" {
		err = m.store.PutAdmin(ctx, name, hash, time.Now())
	} else {
		err = m.store.PutAdminAs(ctx, name, hash, c.role, time.Now())
	}
	if err != nil {
		return fmt.Errorf("admin add %s: %w", name, err)
	}
	role, err := m.store.AdminRole(ctx, name)
	if err != nil {
		return fmt.Errorf("admin add %s: %w", name, err)
	}
	action := hub.AuditAdminAdd
	if existed {
		action = hub.AuditAdminPassword
	}
	if err := m.audit(ctx, action, url.Values{"name": {name}, "role": {string(role)}}); err != nil {
		return err
	}
	if existed {
		m.Logger.Info("admin password changed", "admin", name, "role", role)
		fmt.Fprintf(m.Stdout, "Đã đổi mật khẩu của %q (vai trò %s). / Password of %q changed (role %s).\n", name, role, name, role)
		return nil
	}
	m.Logger.Info("admin added", "admin", name, "role", role)
	fmt.Fprintf(m.Stdout, "Đã thêm tài khoản %q (vai trò %s): đăng nhập tại /login. / Account %q added (role %s): log in at /login.\n", name, role, name, role)
	return nil
}

// readPassword reads and checks the new password: twice without echo from
// a terminal, else one line from Stdin.
func (m *Main) readPassword(name string) (string, error) {
	var pw string
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		first, err := promptHidden(f, m.Stderr, fmt.Sprintf("Mật khẩu cho %s / Password for %s: ", name, name))
		if err != nil {
			return "", err
		}
		if err := checkPassword(first); err != nil {
			return "", err
		}
		again, err := promptHidden(f, m.Stderr, "Nhập lại mật khẩu / Repeat the password: ")
		if err != nil {
			return "", err
		}
		if norm.NFC.String(first) != norm.NFC.String(again) {
			return "", errors.New("hai lần nhập mật khẩu không khớp; không có gì thay đổi / the two passwords differ; nothing was changed")
		}
		pw = first
	} else {
		line, err := bufio.NewReaderSize(m.Stdin, 4096).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("đọc mật khẩu từ đầu vào chuẩn / read the password from standard input: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", errors.New("không có mật khẩu ở đầu vào chuẩn: gõ nó trong terminal hoặc chuyển vào một dòng, ví dụ `echo 'mật-khẩu-dài' | hailong-hub admin add TÊN` / no password on standard input: type it at a terminal or pipe one line in")
		}
	}
	if err := checkPassword(pw); err != nil {
		return "", err
	}
	return norm.NFC.String(pw), nil
}

// promptHidden prints prompt and reads a line from the terminal f without
// echo.
func promptHidden(f *os.File, prompt io.Writer, text string) (string, error) {
	fmt.Fprint(prompt, text)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("đọc mật khẩu / read the password: %w", err)
	}
	return string(b), nil
}

// checkPassword applies the password rules, with messages in Vietnamese
// then English. The dashboard compares NFC forms, so the rules do too.
func checkPassword(pw string) error {
	pw = norm.NFC.String(pw)
	switch {
	case !utf8.ValidString(pw):
		return errors.New("mật khẩu không phải văn bản UTF-8 hợp lệ / the password is not valid UTF-8")
	case utf8.RuneCountInString(pw) < minPasswordLen:
		return fmt.Errorf("mật khẩu quá ngắn: cần ít nhất %d ký tự / the password is too short: at least %d characters", minPasswordLen, minPasswordLen)
	case len(pw) > maxPasswordBytes:
		return fmt.Errorf("mật khẩu quá dài: tối đa %d byte (chữ có dấu chiếm 2–3 byte) / the password is too long: at most %d bytes (accented letters take 2–3)", maxPasswordBytes, maxPasswordBytes)
	}
	return nil
}

// adminListCommand is `hailong-hub admin list`: the dashboard admins.
type adminListCommand struct{}

func (c *adminListCommand) flags(*flag.FlagSet) {}

func (c *adminListCommand) parse(name string, args []string, _ func(string) bool) error {
	return wantArgs(name, 0, args)
}

func (c *adminListCommand) run(ctx context.Context, m *Main) error {
	as, err := m.store.Admins(ctx)
	if err != nil {
		return err
	}
	if len(as) == 0 {
		fmt.Fprintln(m.Stdout, "Chưa có quản trị viên nào: hailong-hub admin add TÊN / No admins yet: hailong-hub admin add NAME")
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tADDED\tPASSWORD SET")
	loc := survey.Location()
	for _, a := range as {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Name, a.Role, a.CreatedAt.In(loc).Format("2006-01-02 15:04"), a.UpdatedAt.In(loc).Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

// adminRemoveCommand is `hailong-hub admin remove NAME`.
type adminRemoveCommand struct{ name string }

func (c *adminRemoveCommand) flags(*flag.FlagSet) {}

func (c *adminRemoveCommand) parse(name string, args []string, _ func(string) bool) error {
	if err := wantArgs(name, 1, args); err != nil {
		return err
	}
	c.name = args[0]
	return nil
}

func (c *adminRemoveCommand) run(ctx context.Context, m *Main) error {
	name := hub.AdminName(c.name)
	if err := m.store.DeleteAdmin(ctx, name); err != nil {
		if errors.Is(err, hub.ErrNotFound) {
			return fmt.Errorf("không có quản trị viên %q (xem hailong-hub admin list) / no admin %q (see hailong-hub admin list)", name, name)
		}
		return err
	}
	m.Logger.Info("admin removed", "admin", name)
	if err := m.audit(ctx, hub.AuditAdminRemove, url.Values{"name": {name}}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Đã xoá quản trị viên %q. / Admin %q removed.\n", name, name)
	return nil
}
