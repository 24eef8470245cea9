package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const importPath = "github.com/hailong-kiosk/hailong/app/i18n"

// keyShape is what a catalog key looks like: dotted lower-case words. A
// literal ending in a dot is a prefix completed at run time ("sync.error."
// + kind) and is not checked.
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// goPackage is one folder's non-test Go files: the areas they load by name
// and the key-shaped string literals they hold, with their places. The
// HTML templates of its templates/ folder count as its own: the literals
// in their actions ({{T "web.nav.devices"}}) are keys too.
type goPackage struct {
	dir      string
	imports  bool              // imports app/i18n
	areas    []string          // i18n.New/Load/Shared("area", ...)
	literals map[string]string // literal → first place
	// templateKeys counts the key-shaped literals of the templates.
	templateKeys int
}

// templateAction is one {{...}} of an HTML template, and templateString a
// quoted string in it.
var (
	templateAction = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	templateString = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

// scanPackages parses every non-test Go file of the module under root,
// and the HTML templates of each package's templates/ folder.
func scanPackages(t *testing.T, root string) map[string]*goPackage {
	t.Helper()
	fset := token.NewFileSet()
	pkgs := map[string]*goPackage{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".html") && filepath.Base(filepath.Dir(path)) == "templates" {
			dir, _ := filepath.Rel(root, filepath.Dir(filepath.Dir(path)))
			p := pkgs[dir]
			if p == nil {
				p = &goPackage{dir: dir, literals: map[string]string{}}
				pkgs[dir] = p
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, loc := range templateAction.FindAllIndex(raw, -1) {
				for _, m := range templateString.FindAllSubmatch(raw[loc[0]:loc[1]], -1) {
					s, err := strconv.Unquote(`"` + string(m[1]) + `"`)
					if err != nil || !keyShape.MatchString(s) {
						continue
					}
					if _, seen := p.literals[s]; !seen {
						line := 1 + strings.Count(string(raw[:loc[0]]), "\n")
						p.literals[s] = path + ":" + strconv.Itoa(line)
					}
					p.templateKeys++
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		p := pkgs[dir]
		if p == nil {
			p = &goPackage{dir: dir, literals: map[string]string{}}
			pkgs[dir] = p
		}
		local := ""
		for _, im := range f.Imports {
			if im.Path.Value == strconv.Quote(importPath) {
				p.imports, local = true, "i18n"
				if im.Name != nil {
					local = im.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || local == "" || len(n.Args) == 0 {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == local && slices.Contains([]string{"New", "Load", "Shared"}, sel.Sel.Name) {
					if area, ok := stringLit(n.Args[0]); ok {
						p.areas = append(p.areas, area)
					}
				}
			case *ast.BasicLit:
				if s, ok := stringLit(n); ok && keyShape.MatchString(s) {
					if _, seen := p.literals[s]; !seen {
						p.literals[s] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// TestCodeKeysInCatalog: every key-shaped string literal in a package's Go
// code that starts like a key of an area the package loads (i18n.New,
// Load or Shared with the area's name) is a key of one of those areas, in
// vi.json and en.json alike; TestEveryAreaComplete checks that the two
// files of an area hold the same keys. A package importing app/i18n must
// load its areas by a literal name, so none escapes the check.
func TestCodeKeysInCatalog(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	keys := map[string]map[string]bool{} // area → key, in both languages
	areaOf := func(area string) map[string]bool {
		if k, ok := keys[area]; ok {
			return k
		}
		k := map[string]bool{}
		vi, en := areaKeys(t, area, "vi"), areaKeys(t, area, "en")
		for _, key := range vi {
			if slices.Contains(en, key) {
				k[key] = true
			}
		}
		keys[area] = k
		return k
	}
	checked, inTemplates := 0, 0
	for dir, p := range scanPackages(t, root) {
		inTemplates += p.templateKeys
		if dir == filepath.Join("app", "i18n") || !p.imports {
			continue
		}
		if len(p.areas) == 0 {
			t.Errorf("%s imports app/i18n but loads no area by name", dir)
			continue
		}
		known := map[string]bool{}    // keys of the package's areas
		prefixes := map[string]bool{} // their first words
		for _, area := range p.areas {
			for k := range areaOf(area) {
				known[k] = true
				prefixes[k[:strings.IndexByte(k, '.')]] = true
			}
		}
		for lit, at := range p.literals {
			// A literal like a template's file name ("board.html") is no key.
			if !prefixes[lit[:strings.IndexByte(lit, '.')]] || strings.HasSuffix(lit, ".html") {
				continue
			}
			checked++
			if !known[lit] {
				t.Errorf("%s: key %q is not in both vi.json and en.json of %v", at, lit, p.areas)
			}
		}
	}
	// The kiosk's screens alone name hundreds of keys; far fewer means the
	// scan stopped seeing them.
	if checked < 300 {
		t.Errorf("only %d key-shaped literals checked", checked)
	}
	// The hub's pages alone name hundreds of keys in their templates.
	if inTemplates < 300 {
		t.Errorf("only %d key-shaped literals seen in templates", inTemplates)
	}
}
