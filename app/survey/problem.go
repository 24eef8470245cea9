package survey

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a survey definition: where it is and what
// is wrong, in words an admin understands, in Vietnamese and English.
type Problem struct {
	// Path locates the problem inside the definition, counting from 0, e.g.
	// "questions[2].options[1]". It is empty when the problem concerns the
	// file as a whole.
	Path string
	// Line is the 1-based line of the JSON source the problem points at, or
	// 0 when unknown (for example when a Survey built in code is validated).
	Line int
	// Rule is a stable machine-readable name of the rule broken, such as
	// "duplicate_code"; docs/survey-format.md lists them all.
	Rule string
	// Vi and En are the message without its location.
	Vi, En string
}

// Text returns the message in lang ("vi" or "en"), Vietnamese by default.
func (p Problem) Text(lang string) string {
	if lang == "en" {
		return p.En
	}
	return p.Vi
}

// Where returns the location of the problem in lang, e.g.
// "questions[2].options[1] (dòng 14)", or "" when there is none.
func (p Problem) Where(lang string) string {
	switch {
	case p.Line > 0 && p.Path != "":
		if lang == "en" {
			return fmt.Sprintf("%s (line %d)", p.Path, p.Line)
		}
		return fmt.Sprintf("%s (dòng %d)", p.Path, p.Line)
	case p.Line > 0:
		if lang == "en" {
			return fmt.Sprintf("line %d", p.Line)
		}
		return fmt.Sprintf("dòng %d", p.Line)
	}
	return p.Path
}

// Describe returns the location and the message in lang, e.g.
// `questions[2].options[1]: duplicate code "hl"`.
func (p Problem) Describe(lang string) string {
	if w := p.Where(lang); w != "" {
		return w + ": " + p.Text(lang)
	}
	return p.Text(lang)
}

// Error returns the problem in English with its path, e.g.
// `questions[2].options[1]: duplicate code "hl"`.
func (p Problem) Error() string {
	if p.Path != "" {
		return p.Path + ": " + p.En
	}
	return p.En
}

// Problems is every problem found in a definition, in source order. Parse
// and Validate return it as their error; get it back with errors.As.
type Problems []Problem

// Error joins the problems in English, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Describe returns each problem with its location in lang.
func (ps Problems) Describe(lang string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Describe(lang)
	}
	return out
}

// MaxProblems is the most problems reported for one definition; past it a
// last problem says that there are more.
const MaxProblems = 100

// problems collects Problems; its methods keep each rule's two messages side
// by side so that none is written in only one language.
type problems struct {
	list Problems
	more bool // problems were dropped past MaxProblems
}

func (c *problems) add(path, rule, vi, en string) {
	if len(c.list) >= MaxProblems {
		c.more = true
		return
	}
	c.list = append(c.list, Problem{Path: path, Rule: rule, Vi: vi, En: en})
}

// err returns the collected problems as an error, or nil if there are none.
func (c *problems) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return limit(c.list, c.more)
}

// limit keeps the first MaxProblems of ps and, if any were dropped, ends
// with a problem saying so.
func limit(ps Problems, more bool) Problems {
	if len(ps) > MaxProblems {
		ps, more = ps[:MaxProblems], true
	}
	if more && (len(ps) == 0 || ps[len(ps)-1].Rule != "too_many_problems") {
		ps = append(ps, Problem{Rule: "too_many_problems",
			Vi: fmt.Sprintf("Còn nhiều lỗi khác chưa liệt kê (chỉ hiện %d lỗi đầu): hãy sửa các lỗi trên rồi kiểm tra lại.", MaxProblems),
			En: fmt.Sprintf("There are more problems (only the first %d are shown): fix the ones above and check again.", MaxProblems)})
	}
	return ps
}
