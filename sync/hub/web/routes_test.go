package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRoutesListEveryPath: every Path constant of the package (a page the
// dashboard serves) is in Routes, which is all the hub's top-level mux
// hands to the dashboard: a page left out answers the hub's 404 however
// well it works here.
func TestRoutesListEveryPath(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	routes := Routes()
	n := 0
	for _, f := range files {
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					lit, ok := valueAt(vs, i).(*ast.BasicLit)
					if !strings.HasPrefix(name.Name, "Path") || !ok || lit.Kind != token.STRING {
						continue
					}
					path, _ := strconv.Unquote(lit.Value)
					n++
					if !slices.Contains(routes, path) {
						t.Errorf("%s (%q) is not in Routes", name.Name, path)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Fatalf("found %d Path constants: the test reads the wrong files", n)
	}
}

func valueAt(vs *ast.ValueSpec, i int) ast.Expr {
	if i < len(vs.Values) {
		return vs.Values[i]
	}
	return nil
}
