package survey

import (
	"strings"

	"github.com/hailong-kiosk/hailong/app/i18n"
)

// Problem is one thing wrong with a survey definition or a response: where
// it is and what is wrong. Its message is Key in the catalog's survey area
// (assets/i18n/survey), filled from Args, in words an admin understands.
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
	// Key is the message's catalog key, "survey.problem." + Rule, with a
	// variant after a further dot when one rule has several messages.
	Key string
	// Args fill the message's template; a value that is a localized is
	// rendered in the message's language.
	Args map[string]any
}

// localized is an argument whose words depend on the message's language.
type localized interface {
	in(t *i18n.Translator) string
}

// translator returns the survey area in lang; a catalog that failed to load
// (it is embedded, so never in a built binary) renders keys.
func translator(lang string) *i18n.Translator {
	cat, _ := i18n.Shared("survey")
	return cat.In(lang)
}

// newProblem is the problem at path with key's message; its Rule is the
// key's rule.
func newProblem(path, key string, args map[string]any) Problem {
	rule, _, _ := strings.Cut(strings.TrimPrefix(key, "survey.problem."), ".")
	return Problem{Path: path, Rule: rule, Key: key, Args: args}
}

// Text returns the message in lang ("en", or else Vietnamese).
func (p Problem) Text(lang string) string {
	t := translator(lang)
	args := map[string]any{}
	for k, v := range p.Args {
		if l, ok := v.(localized); ok {
			v = l.in(t)
		}
		args[k] = v
	}
	return t.T(p.Key, args)
}

// Where returns the location of the problem in lang, e.g.
// "questions[2].options[1] (dòng 14)", or "" when there is none.
func (p Problem) Where(lang string) string {
	switch {
	case p.Line > 0 && p.Path != "":
		return translator(lang).T("survey.where.path_line", map[string]any{"Path": p.Path, "Line": p.Line})
	case p.Line > 0:
		return translator(lang).T("survey.where.line", map[string]any{"Line": p.Line})
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
		return p.Path + ": " + p.Text("en")
	}
	return p.Text("en")
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

// problems collects Problems.
type problems struct {
	list Problems
	more bool // problems were dropped past MaxProblems
}

func (c *problems) add(path, key string, args map[string]any) {
	if len(c.list) >= MaxProblems {
		c.more = true
		return
	}
	c.list = append(c.list, newProblem(path, key, args))
}

// again adds p, found by another check, at path.
func (c *problems) again(path string, p Problem) {
	c.add(path, p.Key, p.Args)
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
		ps = append(ps, newProblem("", "survey.problem.too_many_problems", map[string]any{"Max": MaxProblems}))
	}
	return ps
}
