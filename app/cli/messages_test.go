package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/assets"
)

// TestMessagesBilingual runs each failing command line in-process and
// checks its exit code and that standard error says why in Vietnamese, on
// the command's own line, then in English on the next; a usage error (exit
// 2) is followed by the help in both languages.
func TestMessagesBilingual(t *testing.T) {
	dir := t.TempDir()
	db, _ := exportDB(t)
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 512), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none.db")
	x := filepath.Join(dir, "x.csv")
	gone := filepath.Join(dir, "gone", "y.csv")
	hub := "http://127.0.0.1:1"
	run := func(args ...string) func(stdout, stderr io.Writer) int {
		return func(stdout, stderr io.Writer) int {
			handled, code := Run(context.Background(), args, stdout, stderr)
			if !handled {
				t.Errorf("%q not handled", args)
			}
			return code
		}
	}
	tests := []struct {
		name   string
		run    func(stdout, stderr io.Writer) int
		code   int
		vi, en string // the lines of the message; vi after the command's name
	}{
		{"export: stray argument", run("export", "--db", db, "--out", x, "extra"), 2,
			"hailong export: Lệnh không nhận đối số “extra”.", `Unexpected argument "extra".`},
		{"export: no --out", run("export", "--db", db), 2,
			"hailong export: Thiếu --out: hãy ghi tệp cần xuất, hoặc - để in ra đầu ra chuẩn.", "--out is required: the file to write, or - for standard output."},
		{"export: standard output without --format", run("export", "--db", db, "--out", "-"), 2,
			"hailong export: Khi ghi ra đầu ra chuẩn (--out -) phải ghi rõ --format: csv, xlsx hoặc jsonl.", "--format is required when writing to standard output (--out -): csv, xlsx or jsonl."},
		{"export: unknown format", run("export", "--db", db, "--out", filepath.Join(dir, "x.txt")), 2,
			"hailong export: Không có định dạng xuất “txt”: hãy dùng csv, xlsx hoặc jsonl.", `Unknown export format "txt": use csv, xlsx or jsonl.`},
		{"export: bad --from", run("export", "--db", db, "--out", x, "--from", "1/12/2026"), 2,
			"hailong export: --from “1/12/2026”: ngày phải viết theo dạng YYYY-MM-DD (năm-tháng-ngày), ví dụ 2026-12-01.", `--from "1/12/2026": want a day as YYYY-MM-DD, e.g. 2026-12-01.`},
		{"export: bad --to", run("export", "--db", db, "--out", x, "--to", "mai"), 2,
			"hailong export: --to “mai”: ngày phải viết theo dạng YYYY-MM-DD", `--to "mai": want a day as YYYY-MM-DD`},
		{"export: reversed days", run("export", "--db", db, "--out", x, "--from", "2026-12-02", "--to", "2026-12-01"), 2,
			"hailong export: Ngày --from 2026-12-02 sau ngày --to 2026-12-01.", "--from 2026-12-02 is after --to 2026-12-01."},
		{"export: bad survey version", run("export", "--db", db, "--out", x, "--survey", "sipas@x"), 2,
			"hailong export: --survey “sipas@x”: phiên bản sau dấu @ phải là số nguyên từ 1 trở lên.", `--survey "sipas@x": the version after @ must be a whole number from 1.`},
		{"export: no survey id", run("export", "--db", db, "--out", x, "--survey", "@2"), 2,
			"hailong export: --survey “@2”: thiếu mã khảo sát.", `--survey "@2": missing survey id.`},
		{"export: bad status", run("export", "--db", db, "--out", x, "--status", "done"), 2,
			"hailong export: --status “done”: chỉ nhận complete (hoàn thành) hoặc abandoned (bỏ dở).", `--status "done": want complete or abandoned.`},
		{"export: bad --lang", run("export", "--db", db, "--out", x, "--lang", "fr"), 2,
			"hailong export: --lang “fr”: chỉ nhận vi hoặc en.", `--lang "fr": want vi or en.`},
		{"export: unknown flag", run("export", "--db", db, "--out", x, "--force"), 2,
			"hailong export: Không có cờ --force.", "There is no flag --force."},
		{"export: flag without its value", run("export", "--db", db, "--out"), 2,
			"hailong export: Cờ --out cần có giá trị đi kèm.", "The flag --out needs a value."},
		{"export: bad flag value", run("export", "--db", db, "--out", x, "--labels=maybe"), 2,
			"hailong export: Giá trị của một cờ không hợp lệ.", "A flag has an invalid value.\n(invalid boolean value"},
		{"export: no database", run("export", "--db", missing, "--out", x), 1,
			"hailong export: Không có cơ sở dữ liệu kiosk tại " + missing + " (hãy ghi đường dẫn bằng --db).", "No kiosk database at " + missing + " (give its path with --db)."},
		{"export: not a database", run("export", "--db", garbage, "--out", x), 1,
			"hailong export: Không mở được cơ sở dữ liệu " + garbage + ".", "Could not open the database " + garbage + ".\n("},
		{"export: no folder", run("export", "--db", db, "--out", gone), 1,
			"hailong export: Không có thư mục để ghi " + gone + "; hãy tạo thư mục hoặc chọn đường dẫn khác.", "The folder for " + gone + " does not exist; create it or give another path.\n(export to"},

		{"pin: unknown command", run("pin", "show"), 2,
			"hailong pin: Không có lệnh “show”.", `Unknown command "show".`},
		{"pin reset: stray argument", run("pin", "reset", "--db", missing, "now"), 2,
			"hailong pin reset: Lệnh không nhận đối số “now”.", `Unexpected argument "now".`},
		{"pin reset: unknown flag", run("pin", "reset", "--force"), 2,
			"hailong pin reset: Không có cờ --force.", "There is no flag --force."},
		{"pin reset: no database", run("pin", "reset", "--db", missing), 1,
			"hailong pin reset: Không có cơ sở dữ liệu kiosk tại " + missing, "No kiosk database at " + missing},
		{"pin reset: not a database", run("pin", "reset", "--db", garbage), 1,
			"hailong pin reset: Không mở được cơ sở dữ liệu " + garbage + ".", "Could not open the database " + garbage + ".\n("},
		{"pin set: stray argument", run("pin", "set", "--db", missing, "now"), 2,
			"hailong pin set: Lệnh không nhận đối số “now”.", `Unexpected argument "now".`},
		{"pin set: nothing on standard input", func(stdout, stderr io.Writer) int {
			return pinSet(context.Background(), []string{"--db", filepath.Join(dir, "pin.db")}, strings.NewReader(""), stdout, stderr)
		}, 1, "hailong pin set: Không có mã PIN ở đầu vào chuẩn: cần hai dòng, mỗi dòng một lần nhập mã PIN.", "No PIN on standard input: two lines are needed, the PIN on each."},
		{"pin set: no data folder", func(stdout, stderr io.Writer) int {
			return pinSet(context.Background(), []string{"--db", filepath.Join(plain, "pin.db")}, strings.NewReader("2580\n2580\n"), stdout, stderr)
		}, 1, "hailong pin set: Không tạo được thư mục dữ liệu " + plain + ".", "Could not create the data folder " + plain + ".\n("},

		{"enroll: no code", run("enroll", "--db", missing, "--hub", hub), 2,
			"hailong enroll: Cần có cả --hub và --code (hoặc --code là nội dung mã QR đăng ký).", "--hub and --code are required (or --code with the enrollment QR code's text)."},
		{"enroll: stray argument", run("enroll", "--db", missing, "--hub", hub, "--code", "X", "more"), 2,
			"hailong enroll: Lệnh không nhận đối số “more”.", `Unexpected argument "more".`},
		{"enroll: unknown flag", run("enroll", "--nope"), 2,
			"hailong enroll: Không có cờ --nope.", "There is no flag --nope."},
		{"enroll: no data folder", run("enroll", "--db", filepath.Join(plain, "k.db"), "--hub", hub, "--code", "X"), 1,
			"hailong enroll: Không tạo được thư mục dữ liệu " + plain + ".", "Could not create the data folder " + plain + ".\n("},

		{"survey: unknown command", run("survey", "check"), 2,
			"hailong survey: Không có lệnh “check”.", `Unknown command "check".`},
		{"survey validate: no file", run("survey", "validate"), 2,
			"hailong survey validate: Hãy ghi tên ít nhất một TỆP.", "Name at least one FILE."},
		{"survey validate: bad --lang", run("survey", "validate", "--lang", "fr", x), 2,
			"hailong survey validate: --lang “fr”: chỉ nhận vi, en hoặc both.", `--lang must be vi, en or both, not "fr".`},
		{"survey validate: unknown flag", run("survey", "validate", "--strict", x), 2,
			"hailong survey validate: Không có cờ --strict.", "There is no flag --strict."},
		{"survey builtin: unknown id", run("survey", "builtin", "nope"), 1,
			"hailong survey builtin: Không có khảo sát có sẵn “nope”; các khảo sát có sẵn là:", "No built-in survey \"nope\"; these exist:\n  "},
		{"survey builtin: stray argument", run("survey", "builtin", "sipas", "more"), 2,
			"hailong survey builtin: Lệnh không nhận đối số “more”.", `Unexpected argument "more".`},
		{"survey import: no file", run("survey", "import"), 2,
			"hailong survey import: Hãy ghi tên một tệp FORM.xlsx.", "Name one FORM.xlsx."},
		{"survey import: stray argument", run("survey", "import", "a.xlsx", "b.xlsx"), 2,
			"hailong survey import: Lệnh không nhận đối số “b.xlsx”.", `Unexpected argument "b.xlsx".`},
		{"survey import: missing file", run("survey", "import", missing), 1,
			"hailong survey import: Không mở được tệp " + missing + ".", "Could not open " + missing + ".\n("},
		{"survey export: no --out", run("survey", "export", "sipas"), 2,
			"hailong survey export: Hãy ghi một TỆP.json hoặc mã một khảo sát có sẵn, cùng với --out FORM.xlsx.", "Name one FILE.json or built-in survey ID, and --out FORM.xlsx."},
		{"survey export: no such survey", run("survey", "export", "--out", filepath.Join(dir, "f.xlsx"), missing), 1,
			"hailong survey export: " + missing + " không phải tệp đọc được, cũng không phải mã khảo sát có sẵn.", missing + " is neither a readable file nor a built-in survey.\n("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := tt.run(&stdout, &stderr)
			got := stderr.String()
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s", code, tt.code, got)
			}
			vi, en := strings.Index(got, tt.vi), strings.Index(got, "\n"+tt.en)
			if !strings.HasPrefix(got, tt.vi) {
				t.Errorf("stderr does not begin with the Vietnamese line %q:\n%s", tt.vi, got)
			}
			if en < 0 || en < vi {
				t.Errorf("stderr lacks the English line %q after the Vietnamese one:\n%s", tt.en, got)
			}
			if strings.Contains(got, "<no value>") || strings.Contains(got, "cli.") {
				t.Errorf("a message lacks an argument or its text:\n%s", got)
			}
			if tt.code == 2 && (!strings.Contains(got, "\n\nCách dùng: hailong") || !strings.Contains(got, "\nUsage: hailong")) {
				t.Errorf("a usage error without the help in both languages:\n%s", got)
			}
			if strings.Contains(stdout.String(), tt.vi) {
				t.Errorf("the problem is on standard output:\n%s", &stdout)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Error("a failing command created a database")
	}
}

// placeholder is a template action's argument, {{.Count}}.
var placeholder = regexp.MustCompile(`\{\{[^}]*?\.([A-Za-z_][A-Za-z0-9_]*)`)

// catalogPlaceholders reads assets/i18n/cli/<lang>.json: each key's
// placeholders, over all its plural forms.
func catalogPlaceholders(t *testing.T, lang string) map[string][]string {
	t.Helper()
	data, err := fs.ReadFile(assets.I18n, "i18n/cli/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for k, v := range raw {
		var forms []string
		var flat string
		var plural map[string]string
		if json.Unmarshal(v, &flat) == nil {
			forms = []string{flat}
		} else if err := json.Unmarshal(v, &plural); err == nil {
			forms = slices.Collect(maps.Values(plural))
		} else {
			t.Fatalf("%s.json %s: %v", lang, k, err)
		}
		set := map[string]bool{}
		for _, f := range forms {
			for _, m := range placeholder.FindAllStringSubmatch(f, -1) {
				set[m[1]] = true
			}
		}
		out[k] = slices.Sorted(maps.Keys(set))
	}
	return out
}

// TestCodeKeysPlaceholders: every "cli." key named in the package's Go
// code is in vi.json and en.json, and the two texts take the same
// arguments. (app/i18n checks that both files hold the same keys.)
func TestCodeKeysPlaceholders(t *testing.T) {
	vi, en := catalogPlaceholders(t, "vi"), catalogPlaceholders(t, "en")
	keyShape := regexp.MustCompile(`^cli(\.[a-z0-9_]+)+$`)
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || !keyShape.MatchString(s) {
				return true
			}
			seen++
			at := fset.Position(lit.Pos())
			v, okVi := vi[s]
			e, okEn := en[s]
			switch {
			case !okVi || !okEn:
				t.Errorf("%s: key %q missing (vi %v, en %v)", at, s, okVi, okEn)
			case !slices.Equal(v, e):
				t.Errorf("%s: key %q takes %v in Vietnamese but %v in English", at, s, v, e)
			}
			return true
		})
	}
	if seen < 50 {
		t.Errorf("only %d keys seen in the code", seen)
	}
}
