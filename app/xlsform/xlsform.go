// Package xlsform reads and writes the subset of XLSForm (the spreadsheet
// format of ODK, KoboToolbox and SurveyCTO) that fits a kiosk survey
// (docs/survey-format.md, "Forms from Excel"). Import refuses everything
// outside the subset with the sheet, the row and a message in Vietnamese
// and English from the catalog assets/i18n/xlsform. It imports neither
// Fyne, SQL nor net/http.
package xlsform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Problem is one thing Import refuses: where (Sheet and Row, 1-based as
// the spreadsheet shows them; Row 0 for the sheet as a whole) and what: Key
// in the catalog's xlsform area, filled from Args. Text renders it.
type Problem struct {
	Sheet string
	Row   int
	Key   string
	Args  map[string]any
	// Rule, when not nil, is the survey rule the imported definition breaks
	// (survey.Parse); its message stands in for Key's.
	Rule *survey.Problem
}

func (p Problem) Error() string { return p.Text("en") }

// Text is the message with its place, in lang ("en", or else Vietnamese).
func (p Problem) Text(lang string) string {
	cat, _ := i18n.Shared("xlsform") // a nil catalog gives the keys
	tr := cat.In(lang)
	msg := tr.T(p.Key, p.Args)
	if p.Rule != nil {
		msg = p.Rule.Text(lang)
	}
	switch {
	case p.Sheet == "":
		return msg
	case p.Row > 0:
		return tr.T("xlsform.place.row", map[string]any{"Sheet": p.Sheet, "Row": p.Row, "Message": msg})
	}
	return tr.T("xlsform.place.sheet", map[string]any{"Sheet": p.Sheet, "Message": msg})
}

// Problems are every problem Import found, in sheet and row order.
type Problems []Problem

func (ps Problems) Error() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Error()
	}
	return strings.Join(s, "; ")
}

// Sheet names and the language columns of the subset.
const (
	SheetSurvey   = "survey"
	SheetChoices  = "choices"
	SheetSettings = "settings"
)

// langSuffix is each language's column suffix, as XLSForm spells it.
var langSuffix = map[string]string{"vi": "::Tiếng Việt (vi)", "en": "::English (en)"}

// scaleLists are the choice list names that mean a fixed scale.
var scaleLists = map[string]survey.QuestionType{"rating3": survey.Rating3, "rating5": survey.Rating5, "yesno": survey.YesNo}

// collector gathers problems.
type collector struct {
	list Problems
}

func (c *collector) add(sheet string, row int, key string, args map[string]any) {
	c.list = append(c.list, Problem{Sheet: sheet, Row: row, Key: key, Args: args})
}

// table is one sheet: its header (column name → index) and rows.
type table struct {
	name string
	cols map[string]int
	rows [][]string // rows[i] is spreadsheet row i+2
}

func (t *table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(norm.NFC.String(row[i]))
}

// text reads the label-like column base in every language: base::… per
// langSuffix, and base alone as Vietnamese.
func (t *table) text(row []string, base string) survey.Text {
	out := survey.Text{}
	if v := t.get(row, base); v != "" {
		out["vi"] = v
	}
	for lang, suf := range langSuffix {
		if v := t.get(row, base+suf); v != "" {
			out[lang] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func readTable(f *excelize.File, name string, allowed func(col string) bool, c *collector) (*table, bool) {
	if idx, err := f.GetSheetIndex(name); err != nil || idx < 0 {
		return nil, false
	}
	rows, err := f.GetRows(name)
	if err != nil {
		c.add(name, 0, "xlsform.unreadable_sheet", map[string]any{"Err": err.Error()})
		return nil, true
	}
	t := &table{name: name, cols: map[string]int{}}
	if len(rows) == 0 {
		return t, true
	}
	for i, h := range rows[0] {
		h = strings.TrimSpace(norm.NFC.String(h))
		if h == "" {
			continue
		}
		if !allowed(h) {
			c.add(name, 1, "xlsform.unknown_column", map[string]any{"Column": h})
			continue
		}
		t.cols[h] = i
	}
	t.rows = rows[1:]
	return t, true
}

// labelColumn accepts base, base::Tiếng Việt (vi) and base::English (en).
func labelColumn(col string, bases ...string) bool {
	for _, b := range bases {
		if col == b || col == b+langSuffix["vi"] || col == b+langSuffix["en"] {
			return true
		}
	}
	return false
}

var (
	nameRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	equalsRE   = regexp.MustCompile(`^\$\{([^}]+)\}\s*=\s*'([^']*)'$`)
	selectedRE = regexp.MustCompile(`^selected\(\s*\$\{([^}]+)\}\s*,\s*'([^']*)'\s*\)$`)
)

// Import reads an XLSForm workbook and returns the survey it defines, as
// survey.Parse reads it from its JSON (returned too, ready to publish).
// Every problem found is returned as Problems. A note's picture must be
// given in its image cell as a data URI: ImportMedia reads picture files.
func Import(r io.Reader) (*survey.Survey, []byte, error) { return ImportMedia(r, nil) }

// ImportMedia is Import reading the pictures that note rows name in their
// image (or media::image) column from media, as XLSForm keeps media files
// beside the form; nil media takes only data URIs in the cell.
func ImportMedia(r io.Reader, media fs.FS) (*survey.Survey, []byte, error) {
	c := &collector{}
	f, err := excelize.OpenReader(r)
	if err != nil {
		c.add("", 0, "xlsform.not_xlsx", nil)
		return nil, nil, c.list
	}
	defer f.Close()
	for _, name := range f.GetSheetList() {
		if name != SheetSurvey && name != SheetChoices && name != SheetSettings {
			c.add(name, 0, "xlsform.unknown_sheet", map[string]any{"Sheet": name})
		}
	}
	st, ok := readTable(f, SheetSurvey, func(col string) bool {
		return slices.Contains([]string{"type", "name", "required", "relevant", "hailong_type", "hailong_index", "image", "media::image", "hailong_qr"}, col) ||
			labelColumn(col, "label", "hint", "hailong_qr_caption")
	}, c)
	if !ok {
		c.add(SheetSurvey, 0, "xlsform.no_survey_sheet", nil)
		return nil, nil, c.list
	}
	ct, _ := readTable(f, SheetChoices, func(col string) bool {
		return col == "list_name" || col == "name" || labelColumn(col, "label")
	}, c)
	setT, _ := readTable(f, SheetSettings, func(col string) bool {
		return slices.Contains([]string{"form_id", "version", "hailong_abandoned", "hailong_slip", "default_language"}, col) ||
			labelColumn(col, "form_title", "hailong_purpose", "hailong_invitation")
	}, c)

	s := &survey.Survey{}
	if setT == nil || len(setT.rows) == 0 {
		c.add(SheetSettings, 0, "xlsform.no_settings", nil)
	} else {
		row := setT.rows[0]
		s.ID = setT.get(row, "form_id")
		if v := setT.get(row, "version"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				c.add(SheetSettings, 2, "xlsform.version_not_number", map[string]any{"Value": v})
			}
			s.Version = n
		}
		switch dl := setT.get(row, "default_language"); dl {
		case "", "vi", "Tiếng Việt (vi)":
		default:
			c.add(SheetSettings, 2, "xlsform.default_language", map[string]any{"Value": dl})
		}
		s.Title = setT.text(row, "form_title")
		s.Purpose = setT.text(row, "hailong_purpose")
		s.Invitation = setT.text(row, "hailong_invitation")
		s.Abandoned = setT.get(row, "hailong_abandoned")
		s.Slip = survey.SlipPolicy(setT.get(row, "hailong_slip"))
		for i := range setT.rows[1:] {
			if strings.Join(setT.rows[i+1], "") != "" {
				c.add(SheetSettings, i+3, "xlsform.settings_one_row", nil)
			}
		}
	}

	// Choice lists, in order, with the row of each choice.
	type choice struct {
		opt survey.Option
		row int
	}
	lists := map[string][]choice{}
	if ct != nil {
		for i, row := range ct.rows {
			n := i + 2
			list, name := ct.get(row, "list_name"), ct.get(row, "name")
			if list == "" && name == "" && ct.text(row, "label") == nil {
				continue
			}
			if list == "" || name == "" {
				c.add(SheetChoices, n, "xlsform.choice_incomplete", nil)
				continue
			}
			lists[list] = append(lists[list], choice{opt: survey.Option{Code: name, Label: ct.text(row, "label")}, row: n})
		}
	}
	used := map[string]bool{}
	var rows []int // spreadsheet row of each question
	for i, row := range st.rows {
		n := i + 2
		typ := st.get(row, "type")
		if typ == "" && st.get(row, "name") == "" {
			continue
		}
		kind, list, _ := strings.Cut(typ, " ")
		list = strings.TrimSpace(list)
		q := survey.Question{Code: st.get(row, "name"), Text: st.text(row, "label"), Index: st.get(row, "hailong_index")}
		ht := st.get(row, "hailong_type")
		if kind != "note" {
			for _, col := range infoColumns(st, row) {
				c.add(SheetSurvey, n, "xlsform.note_column", map[string]any{"Column": col})
			}
		}
		switch kind {
		case "select_one", "select_multiple":
			if list == "" || strings.Contains(list, " ") {
				c.add(SheetSurvey, n, "xlsform.select_list", map[string]any{"Type": typ})
				continue
			}
			used[list] = true
			choices, found := lists[list]
			if !found {
				c.add(SheetSurvey, n, "xlsform.list_missing", map[string]any{"List": list})
				continue
			}
			scale := scaleLists[list]
			if ht != "" {
				if scale = survey.QuestionType(ht); scale != survey.Rating3 && scale != survey.Rating5 && scale != survey.YesNo {
					c.add(SheetSurvey, n, "xlsform.hailong_type", map[string]any{"Value": ht})
					continue
				}
			}
			switch {
			case scale != "" && kind == "select_multiple":
				c.add(SheetSurvey, n, "xlsform.scale_multiple", map[string]any{"List": list})
				continue
			case scale != "":
				q.Type = scale
				std := survey.StandardOptions(scale)
				var codes, want []string
				for _, ch := range choices {
					codes = append(codes, ch.opt.Code)
				}
				for _, o := range std {
					want = append(want, o.Code)
				}
				if !slices.Equal(codes, want) {
					c.add(SheetSurvey, n, "xlsform.scale_codes", map[string]any{"List": list, "Scale": string(scale), "Want": strings.Join(want, ", "), "Got": strings.Join(codes, ", ")})
					continue
				}
				if scale == survey.YesNo && (!sameText(choices[0].opt.Label, std[0].Label) || !sameText(choices[1].opt.Label, std[1].Label)) {
					q.Labels = &survey.YesNoLabels{Yes: choices[0].opt.Label, No: choices[1].opt.Label}
				}
			case kind == "select_one":
				q.Type = survey.Single
			default:
				q.Type = survey.Multi
			}
			if q.Type == survey.Single || q.Type == survey.Multi {
				for _, ch := range choices {
					q.Options = append(q.Options, ch.opt)
				}
			}
		case "text":
			if list != "" || ht != "" {
				c.add(SheetSurvey, n, "xlsform.type_unknown", map[string]any{"Type": typ})
				continue
			}
			q.Type = survey.Comment
		case "note":
			if list != "" {
				c.add(SheetSurvey, n, "xlsform.type_unknown", map[string]any{"Type": typ})
				continue
			}
			if ht == string(survey.Feedback) {
				// A feedback screen is a note that offers the feedback
				// flow: its label invites, nothing else goes with it.
				q.Type = survey.Feedback
				if cols := infoColumns(st, row); len(cols) > 0 {
					for _, col := range cols {
						c.add(SheetSurvey, n, "xlsform.feedback_column", map[string]any{"Column": col})
					}
					continue
				}
			}
			if q.Type == survey.Feedback {
				noteRequired(c, st, row, n)
				break
			}
			if ht != "" {
				c.add(SheetSurvey, n, "xlsform.hailong_type", map[string]any{"Value": ht})
				continue
			}
			q.Type = survey.Info
			// The label is the heading when a hint says more under it,
			// as a form app shows them; alone it is the text.
			if hint := st.text(row, "hint"); hint != nil {
				q.Title, q.Text = q.Text, hint
			}
			if !noteMedia(c, st, row, n, media, &q) {
				continue
			}
			noteRequired(c, st, row, n)
		default:
			c.add(SheetSurvey, n, "xlsform.type_unknown", map[string]any{"Type": typ})
			continue
		}
		switch req := strings.ToLower(st.get(row, "required")); {
		case !q.IsQuestion(): // checked above: a note asks nothing
		case req == "yes", req == "true", req == "true()", req == "1":
		case req == "", req == "no", req == "false", req == "false()", req == "0":
			q.Optional = true
		default:
			c.add(SheetSurvey, n, "xlsform.required", map[string]any{"Value": req})
		}
		if rel := st.get(row, "relevant"); rel != "" {
			cond, ok := parseRelevant(rel)
			if !ok {
				c.add(SheetSurvey, n, "xlsform.relevant", map[string]any{"Value": rel})
				continue
			}
			q.ShowIf = cond
		}
		if q.Code != "" && !nameRE.MatchString(q.Code) {
			c.add(SheetSurvey, n, "xlsform.name", map[string]any{"Name": q.Code})
			continue
		}
		s.Questions = append(s.Questions, q)
		rows = append(rows, n)
	}
	for list, chs := range lists {
		if !used[list] {
			c.add(SheetChoices, chs[0].row, "xlsform.list_unused", map[string]any{"List": list})
		}
	}
	if len(c.list) > 0 {
		sortProblems(c.list)
		return nil, nil, c.list
	}
	def, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	parsed, err := survey.Parse(def)
	if err != nil {
		var ps survey.Problems
		if !errors.As(err, &ps) {
			return nil, nil, err
		}
		for _, p := range ps {
			sheet, row := SheetSettings, 2
			var qi int
			if _, err := fmt.Sscanf(p.Path, "questions[%d]", &qi); err == nil && qi < len(rows) {
				sheet, row = SheetSurvey, rows[qi]
			} else if p.Path == "questions" {
				sheet, row = SheetSurvey, 0
			}
			c.list = append(c.list, Problem{Sheet: sheet, Row: row, Rule: &p})
		}
		sortProblems(c.list)
		return nil, nil, c.list
	}
	return parsed, append(def, '\n'), nil
}

// infoColumns lists the columns of an info screen's note row that row
// fills: a hint, a picture, a QR code and its caption.
func infoColumns(st *table, row []string) []string {
	var cols []string
	for _, f := range []struct {
		col string
		set bool
	}{
		{"hint", st.text(row, "hint") != nil}, {"image", st.get(row, "image") != "" || st.get(row, "media::image") != ""},
		{"hailong_qr", st.get(row, "hailong_qr") != ""}, {"hailong_qr_caption", st.text(row, "hailong_qr_caption") != nil},
	} {
		if f.set {
			cols = append(cols, f.col)
		}
	}
	return cols
}

// noteRequired reports a note row (an info or feedback screen) marked
// required: it asks nothing.
func noteRequired(c *collector, st *table, row []string, n int) {
	switch req := strings.ToLower(st.get(row, "required")); req {
	case "", "no", "false", "false()", "0":
	default:
		c.add(SheetSurvey, n, "xlsform.note_required", map[string]any{"Value": req})
	}
}

// noteMedia reads a note's picture and QR code into q, reporting
// problems; it returns false when the row cannot be used.
func noteMedia(c *collector, st *table, row []string, n int, media fs.FS, q *survey.Question) bool {
	ok := true
	img := st.get(row, "image")
	if v := st.get(row, "media::image"); v != "" {
		img = v
	}
	switch {
	case img == "":
	case strings.HasPrefix(img, "data:"):
		q.Image = img // survey.Validate checks it
	case media == nil:
		c.add(SheetSurvey, n, "xlsform.image_no_media", map[string]any{"File": img})
		ok = false
	default:
		name := path.Clean(strings.ReplaceAll(img, "\\", "/"))
		var raw []byte
		err := fs.ErrNotExist
		if fs.ValidPath(name) { // inside the form's folder
			raw, err = fs.ReadFile(media, name)
		}
		if err != nil {
			c.add(SheetSurvey, n, "xlsform.image_missing", map[string]any{"File": img})
			ok = false
			break
		}
		if q.Image = survey.ImageDataURI(raw); q.Image == "" {
			c.add(SheetSurvey, n, "xlsform.image_type", map[string]any{"File": img})
			ok = false
		}
	}
	url, caption := st.get(row, "hailong_qr"), st.text(row, "hailong_qr_caption")
	if url != "" || caption != nil {
		q.QR = &survey.QRCode{URL: url, Caption: caption} // survey.Validate checks both
	}
	return ok
}

// ImageFile is the file name Export gives the picture of info screen q in
// the image column, or "" when it has none; Media returns the files.
func ImageFile(q *survey.Question) string {
	if _, ext := survey.ImageBytes(q.Image); ext != "" {
		return q.Code + "." + ext
	}
	return ""
}

// Media returns the picture files an exported workbook names (file name →
// bytes), to be written beside it for ImportMedia to read back.
func Media(s *survey.Survey) map[string][]byte {
	out := map[string][]byte{}
	for i := range s.Questions {
		if raw, _ := survey.ImageBytes(s.Questions[i].Image); raw != nil {
			out[ImageFile(&s.Questions[i])] = raw
		}
	}
	return out
}

func sortProblems(ps Problems) {
	order := map[string]int{"": 0, SheetSettings: 1, SheetSurvey: 2, SheetChoices: 3}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if d := order[a.Sheet] - order[b.Sheet]; d != 0 {
			return d
		}
		return a.Row - b.Row
	})
}

func sameText(a, b survey.Text) bool {
	return a.In("vi") == b.In("vi") && a.In("en") == b.In("en")
}

// parseRelevant reads `${q} = 'x'` and `selected(${q}, 'x')` terms joined
// with `or`, all on one question.
func parseRelevant(s string) (*survey.Condition, bool) {
	cond := &survey.Condition{}
	for term := range strings.SplitSeq(s, " or ") {
		term = strings.TrimSpace(term)
		m := equalsRE.FindStringSubmatch(term)
		if m == nil {
			m = selectedRE.FindStringSubmatch(term)
		}
		if m == nil || (cond.Question != "" && cond.Question != m[1]) {
			return nil, false
		}
		cond.Question = m[1]
		cond.AnyOf = append(cond.AnyOf, m[2])
	}
	return cond, cond.Question != ""
}

// Export writes s as an XLSForm workbook that ImportMedia reads back to s,
// given the pictures Media returns beside it.
func Export(s *survey.Survey, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSurvey); err != nil {
		return err
	}
	for _, name := range []string{SheetChoices, SheetSettings} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	langs := survey.Languages()
	cols := func(base string) []string {
		var out []string
		for _, l := range langs {
			out = append(out, base+langSuffix[l])
		}
		return out
	}
	texts := func(t survey.Text) []any {
		var out []any
		for _, l := range langs {
			out = append(out, t[l])
		}
		return out
	}
	put := func(sheet string, row int, vals []any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return f.SetSheetRow(sheet, cell, &vals)
	}
	strs := func(ss ...string) []any {
		out := make([]any, len(ss))
		for i, s := range ss {
			out[i] = s
		}
		return out
	}

	head := append(strs("type", "name"), strs(cols("label")...)...)
	head = append(head, strs("required", "relevant", "hailong_type", "hailong_index")...)
	head = append(head, strs(cols("hint")...)...)
	head = append(head, strs("image", "hailong_qr")...)
	head = append(head, strs(cols("hailong_qr_caption")...)...)
	if err := put(SheetSurvey, 1, head); err != nil {
		return err
	}
	if err := put(SheetChoices, 1, append(strs("list_name", "name"), strs(cols("label")...)...)); err != nil {
		return err
	}
	choiceRow := 2
	written := map[string]bool{}
	addList := func(name string, opts []survey.Option) error {
		if written[name] {
			return nil
		}
		written[name] = true
		for _, o := range opts {
			if err := put(SheetChoices, choiceRow, append(strs(name, o.Code), texts(o.Label)...)); err != nil {
				return err
			}
			choiceRow++
		}
		return nil
	}
	for i, q := range s.Questions {
		var typ, ht string
		switch q.Type {
		case survey.Rating3, survey.Rating5, survey.YesNo:
			list := string(q.Type)
			if q.Type == survey.YesNo && q.Labels != nil {
				list = "yesno_" + q.Code
				ht = string(survey.YesNo)
			}
			typ = "select_one " + list
			if err := addList(list, q.OptionsOf()); err != nil {
				return err
			}
		case survey.Single, survey.Multi:
			typ = "select_one " + q.Code
			if q.Type == survey.Multi {
				typ = "select_multiple " + q.Code
			}
			if err := addList(q.Code, q.Options); err != nil {
				return err
			}
		case survey.Comment:
			typ = "text"
		case survey.Info:
			typ = "note"
		case survey.Feedback:
			typ, ht = "note", string(survey.Feedback)
		default:
			return fmt.Errorf("question %s: type %q has no XLSForm form", q.Code, q.Type)
		}
		req := "yes"
		if q.Optional || !q.IsQuestion() {
			req = ""
		}
		rel := ""
		if q.ShowIf != nil {
			from := s.Question(q.ShowIf.Question)
			var terms []string
			for _, code := range q.ShowIf.AnyOf {
				if from != nil && from.Type == survey.Multi {
					terms = append(terms, fmt.Sprintf("selected(${%s}, '%s')", q.ShowIf.Question, code))
				} else {
					terms = append(terms, fmt.Sprintf("${%s} = '%s'", q.ShowIf.Question, code))
				}
			}
			rel = strings.Join(terms, " or ")
		}
		label, hint := q.Text, survey.Text(nil)
		if len(q.Title) > 0 {
			label, hint = q.Title, q.Text
		}
		row := append(strs(typ, q.Code), texts(label)...)
		row = append(row, strs(req, rel, ht, q.Index)...)
		row = append(row, texts(hint)...)
		var qrURL string
		var qrCaption survey.Text
		if q.QR != nil {
			qrURL, qrCaption = q.QR.URL, q.QR.Caption
		}
		row = append(row, strs(ImageFile(&q), qrURL)...)
		row = append(row, texts(qrCaption)...)
		if err := put(SheetSurvey, i+2, row); err != nil {
			return err
		}
	}
	setHead := append(strs("form_id", "version"), strs(cols("form_title")...)...)
	setHead = append(setHead, strs(cols("hailong_purpose")...)...)
	setHead = append(setHead, strs(cols("hailong_invitation")...)...)
	setHead = append(setHead, "hailong_abandoned", "hailong_slip")
	if err := put(SheetSettings, 1, setHead); err != nil {
		return err
	}
	setRow := append(strs(s.ID, strconv.Itoa(s.Version)), texts(s.Title)...)
	setRow = append(setRow, texts(s.Purpose)...)
	setRow = append(setRow, texts(s.Invitation)...)
	setRow = append(setRow, s.Abandoned, string(s.Slip))
	if err := put(SheetSettings, 2, setRow); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
