package report

import (
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CoverageRow is one service point's (or the total's) coverage figures
// over the report's period (docs/reports.md, "Coverage").
type CoverageRow struct {
	// ServicePoint names the row; "" for the total.
	ServicePoint string
	// FilesKnown is set when the agency recorded files returned for the
	// point in the period; Files is their sum (a count, never hidden).
	FilesKnown bool
	Files      int
	// Ratings is the number of responses with at least one rating answer
	// (a count, never hidden).
	Ratings int
	// Coverage is Ratings ÷ Files in percent; meaningful only when
	// HasCoverage. It is above 100 when more ratings than files were
	// recorded (missing file counts, or ratings not tied to a returned file).
	Coverage    float64
	HasCoverage bool
	// Satisfied is the share of Ratings in which every rating answer is
	// Hài lòng or Rất hài lòng; N is Ratings. Suppressed below MinCell, and
	// protected across the table's rows against subtraction from the total.
	Satisfied Figure
	// Equivalent766 is the share the national service index (Decision
	// 766/QĐ-TTg) would give: (Files − ratings not satisfied) ÷ Files, every
	// unrated file counting as satisfied; N is Files. It is hidden whenever
	// Satisfied is (with Files and Ratings published it gives the satisfied
	// count back), and has no data without files or when Ratings exceed
	// Files.
	Equivalent766 Figure
}

// Coverage is the coverage table of a report: one row per service point
// that has ratings or recorded files, in Vietnamese alphabetical order, and
// the total.
type Coverage struct {
	Points []CoverageRow
	Total  CoverageRow
}

// Coverage computes the coverage table from files, the files returned per
// service point over the same period as the report's responses (points
// absent from files have no files recorded).
func (r *Report) Coverage(files map[string]int) Coverage {
	var points []string
	for k := range r.ratings {
		if k != "" {
			points = append(points, k)
		}
	}
	for k := range files {
		if _, ok := r.ratings[k]; !ok {
			points = append(points, k)
		}
	}
	c := collate.New(language.Vietnamese)
	sort.Slice(points, func(i, j int) bool { return c.CompareString(points[i], points[j]) < 0 })
	out := Coverage{Points: make([]CoverageRow, len(points))}
	var total counter
	totalFiles, anyFiles := 0, false
	for i, p := range points {
		n, known := files[p]
		out.Points[i] = coverageRow(p, r.ratings[p], n, known)
		total.n += r.ratings[p].n
		total.sat += r.ratings[p].sat
		totalFiles += n
		anyFiles = anyFiles || known
	}
	out.Total = coverageRow("", total, totalFiles, anyFiles)

	// The rows add up to the total: the satisfied column gets the same
	// secondary suppression as every other table (protect), and the
	// 766-equivalent follows it.
	rows := make([]Group, len(out.Points))
	all := make([]int, len(rows))
	for i := range rows {
		rows[i] = Group{Index: out.Points[i].Satisfied}
		all[i] = i
	}
	protect(rows, [][]int{all})
	for i := range rows {
		out.Points[i].Satisfied = rows[i].Index
		out.Points[i].follow()
	}
	out.Total.follow()
	return out
}

// follow hides the 766-equivalent when the satisfied share is hidden: with
// files and ratings published it would give the satisfied count back.
func (r *CoverageRow) follow() {
	if f := r.Satisfied; f.Suppressed && !f.NoData() && !r.Equivalent766.NoData() {
		r.Equivalent766 = Figure{N: r.Equivalent766.N, Suppressed: true, Secondary: f.Secondary}
	}
}

func coverageRow(point string, ratings counter, files int, known bool) CoverageRow {
	row := CoverageRow{ServicePoint: point, FilesKnown: known, Files: files, Ratings: ratings.n}
	if known && files > 0 {
		row.Coverage = 100 * float64(ratings.n) / float64(files)
		row.HasCoverage = true
	}
	row.Satisfied = share(ratings)
	if known && files > 0 && ratings.n <= files {
		row.Equivalent766 = Figure{N: files, Value: 100 * float64(files-(ratings.n-ratings.sat)) / float64(files)}
	}
	return row
}
