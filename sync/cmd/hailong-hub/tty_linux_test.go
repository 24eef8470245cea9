package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the test types on master, the
// command reads its password from slave as from a real terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	mfd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(mfd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(mfd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(mfd, true); err != nil {
		t.Fatal(err)
	}
	master = os.NewFile(uintptr(mfd), "/dev/ptmx")
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	return master, slave
}

// echoOff waits until the terminal's echo is switched off (the command is
// reading a password). The kernel sends no signal for a termios change,
// so this polls it.
func echoOff(t *testing.T, slave *os.File) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the command never switched the terminal's echo off")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// typeAt runs `admin add NAME` with a terminal as stdin, types lines once
// echo is off, and returns the exit code, stderr and whatever the terminal
// echoed back.
func typeAt(t *testing.T, db, name string, lines ...string) (int, string, string) {
	t.Helper()
	master, slave := openPTY(t)
	var out, errb bytes.Buffer
	m := NewMain(&out, &errb)
	m.Stdin = slave
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), m, []string{"admin", "add", name, "--db", db}) }()
	echoOff(t, slave)
	if _, err := master.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
		t.Fatal(err)
	}
	code := <-done
	echoed := make([]byte, 4096)
	n, err := unix.Read(int(master.Fd()), echoed)
	if err != nil && !errors.Is(err, unix.EAGAIN) {
		t.Fatal(err)
	}
	tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil || tio.Lflag&unix.ECHO == 0 {
		t.Errorf("echo not restored after the command: %v", err)
	}
	return code, errb.String(), string(echoed[:max(n, 0)])
}

func TestAdminAddAtTerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	const pw = "gõ ở terminal"
	code, errs, echoed := typeAt(t, db, "an", pw, pw)
	if code != 0 {
		t.Fatalf("admin add at a terminal: exit %d\n%s", code, errs)
	}
	if strings.Count(errs, "Password for an:") != 1 || strings.Count(errs, "Repeat the password:") != 1 {
		t.Errorf("prompts: %q", errs)
	}
	if strings.Contains(echoed, "terminal") {
		t.Errorf("the terminal echoed the password: %q", echoed)
	}
	hash, err := adminHash(t, db, "an")
	if err != nil || bcrypt.CompareHashAndPassword(hash, []byte(pw)) != nil {
		t.Fatalf("stored hash does not match the typed password: %v", err)
	}

	code, errs, _ = typeAt(t, db, "bình", pw, pw+"!")
	if code != 1 || !strings.Contains(errs, "the two passwords differ") || !strings.Contains(errs, "không khớp") {
		t.Errorf("two different passwords: exit %d\n%s", code, errs)
	}
	code, errs, _ = typeAt(t, db, "bình", "ngắn")
	if code != 1 || !strings.Contains(errs, "at least 10 characters") {
		t.Errorf("short password: exit %d\n%s", code, errs)
	}
	if _, err := adminHash(t, db, "bình"); err == nil {
		t.Error("a refused add stored the admin")
	}
}
