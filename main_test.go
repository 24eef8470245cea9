package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLocaleQuiet runs the built kiosk binary's commands under each C or
// POSIX locale a machine may have and checks that nothing, Fyne's "Error
// parsing user locale C" from its package init above all, is logged before
// the command's own output (app/clocale).
func TestCLocaleQuiet(t *testing.T) {
	bin := kioskBinary(t)
	db := filepath.Join(t.TempDir(), "kiosk.db")
	commands := [][]string{
		{"--help"},
		{"help"},
		{"survey", "builtin"},
		{"pin", "reset", "--db", db},
		{"enroll"},
	}
	locales := [][]string{
		{"LANG=C", "LC_ALL=C"},
		{"LANG=C.UTF-8"},
		{"LANG=C.utf8"},
		{"LC_ALL=C.UTF-8", "LANG=vi_VN.UTF-8"},
		{"LC_MESSAGES=POSIX.UTF-8"},
		{"LC_ALL=POSIX"},
		{"LANG=vi_VN.UTF-8"},
	}
	for _, loc := range locales {
		for _, args := range commands {
			t.Run(strings.Join(loc, " ")+" "+strings.Join(args[:min(2, len(args))], " "), func(t *testing.T) {
				cmd := exec.Command(bin, args...)
				cmd.Env = append(withoutLocale(os.Environ()), loc...)
				cmd.Stdin = strings.NewReader("")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				if _, exited := errors.AsType[*exec.ExitError](err); err != nil && !exited {
					t.Fatalf("run: %v", err)
				}
				if s := stderr.String(); strings.Contains(s, "Fyne error") || strings.Contains(s, "user locale") {
					t.Errorf("stderr has Fyne's locale error:\n%s", s)
				}
			})
		}
	}
}

// withoutLocale is env without the variables that choose a locale.
func withoutLocale(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if name == "LANG" || name == "LANGUAGE" || strings.HasPrefix(name, "LC_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// TestHelpVietnameseFirst runs every help of the kiosk binary and checks
// that it reads in Vietnamese, then, after a blank line, in English, and
// that no line of prose was left untranslated: a line of the Vietnamese
// part found as is in the English part must be a command's syntax.
func TestHelpVietnameseFirst(t *testing.T) {
	bin := kioskBinary(t)
	for _, args := range [][]string{
		{"--help"}, {"help"},
		{"survey", "help"}, {"survey", "--help"}, {"survey"}, {"survey", "validate", "--help"}, {"survey", "builtin", "--help"},
		{"survey", "import", "--help"}, {"survey", "export", "--help"},
		{"export", "--help"}, {"pin", "--help"}, {"pin"}, {"pin", "set", "--help"}, {"pin", "reset", "--help"},
		{"enroll", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(withoutLocale(os.Environ()), "LANG=C.UTF-8")
			out, _ := cmd.CombinedOutput() // help is on stdout or, after a usage error, stderr
			vi, en, ok := strings.Cut(string(out), "\n\n")
			for ok && !strings.HasPrefix(en, "Usage:") { // a blank line within the Vietnamese part
				var more string
				more, en, ok = strings.Cut(en, "\n\n")
				vi += "\n\n" + more
			}
			if !strings.HasPrefix(vi, "Cách dùng: hailong") || !ok {
				t.Fatalf("not Vietnamese, then English:\n%s", out)
			}
			enLines := map[string]bool{}
			for l := range strings.SplitSeq(en, "\n") {
				enLines[strings.TrimSpace(l)] = true
			}
			for l := range strings.SplitSeq(vi, "\n") {
				l = strings.TrimSpace(l)
				if l != "" && enLines[l] && !strings.HasPrefix(l, "hailong ") && !strings.HasPrefix(l, "[") {
					t.Errorf("line left in English in the Vietnamese part: %q", l)
				}
			}
		})
	}
}

// TestUsageErrorsVietnameseFirst runs command lines the kiosk binary
// refuses and checks the exit code and that standard error begins with
// why, in Vietnamese, then in English on the next line.
func TestUsageErrorsVietnameseFirst(t *testing.T) {
	bin := kioskBinary(t)
	for _, tt := range []struct {
		args   []string
		code   int
		vi, en string
	}{
		{[]string{"enrol"}, 2, "hailong: Không hiểu “enrol”: đây không phải cờ, cũng không phải lệnh con (hailong help liệt kê các lệnh con).",
			`Unexpected argument "enrol": neither a flag nor a subcommand (hailong help lists the subcommands).`},
		{[]string{"--nope"}, 2, "hailong: Không có cờ --nope (hailong --help liệt kê các cờ).", "There is no flag --nope (hailong --help lists the flags)."},
		{[]string{"export"}, 2, "hailong export: Thiếu --out: hãy ghi tệp cần xuất, hoặc - để in ra đầu ra chuẩn.", "--out is required: the file to write, or - for standard output."},
		{[]string{"pin", "reset", "--force"}, 2, "hailong pin reset: Không có cờ --force.", "There is no flag --force."},
		{[]string{"survey", "check"}, 2, "hailong survey: Không có lệnh “check”.", `Unknown command "check".`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(withoutLocale(os.Environ()), "LANG=C.UTF-8")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("run: %v", err)
			}
			if want := tt.vi + "\n" + tt.en + "\n"; code != tt.code || !strings.HasPrefix(stderr.String(), want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and first:\n%s", code, &stderr, tt.code, want)
			}
		})
	}
}

// kioskBinary builds the kiosk binary into t's temporary folder and
// returns its path; in -short mode it skips t.
func kioskBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the kiosk binary")
	}
	bin := filepath.Join(t.TempDir(), "hailong")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
