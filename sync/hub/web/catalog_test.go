package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// vietnamese matches a letter only Vietnamese writes here: a vowel with a
// tone mark or a hook, ă, â, ê, ô, ơ, ư, đ (upper or lower case, composed).
var vietnamese = regexp.MustCompile(`[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]|\p{Mn}`)

// brand is the product's name, written the same in every language.
const brand = "Hài Lòng"

// templateComment is a template comment, {{/* ... */}} with optional trims.
var templateComment = regexp.MustCompile(`(?s)\{\{-?\s*/\*.*?\*/\s*-?\}\}`)

// TestNoVietnameseOutsideCatalog keeps the package's texts in the catalog
// (assets/i18n/web, board, phone, sync): no string literal of a non-test
// Go file and no template, actions included, holds a Vietnamese letter,
// but for the brand. Comments may.
func TestNoVietnameseOutsideCatalog(t *testing.T) {
	goFiles, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range goFiles {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%s: %v", fset.Position(lit.Pos()), err)
			}
			if m := vietnamese.FindString(strings.ReplaceAll(s, brand, "")); m != "" {
				t.Errorf("%s: Vietnamese text in Go (%q in %q): put it in the catalog", fset.Position(lit.Pos()), m, s)
			}
			return true
		})
	}
	pages, err := filepath.Glob(filepath.Join("templates", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pages {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		text := templateComment.ReplaceAllString(string(raw), "")
		for i, line := range strings.Split(text, "\n") {
			if m := vietnamese.FindString(strings.ReplaceAll(line, brand, "")); m != "" {
				t.Errorf("%s:%d: Vietnamese text in a template (%q): put it in the catalog", name, i+1, m)
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d files checked", checked)
	}
}

// TestGuardSeesVietnamese: the guard's pattern catches composed and
// decomposed Vietnamese and lets English, the brand and symbols through.
func TestGuardSeesVietnamese(t *testing.T) {
	for _, s := range []string{"Đăng xuất", "Thiết bị", "Phu\u031bo\u031b\u0300ng", "ẩn", "đ"} {
		if !vietnamese.MatchString(s) {
			t.Errorf("%q not caught", s)
		}
	}
	for _, s := range []string{"Log out", "86.5 %", "< 5", "—", "“Satisfied”", "· ← ÷ − …", strings.ReplaceAll(brand+" — Devices", brand, "")} {
		if vietnamese.MatchString(s) {
			t.Errorf("%q caught", s)
		}
	}
}
