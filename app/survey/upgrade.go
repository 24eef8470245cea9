package survey

import "fmt"

// CheckUpgrade checks that next may replace prev, an earlier published
// version of the same survey: same id, a higher version, and no question
// code reused with another type (each export column must keep one meaning
// across versions). Both are assumed valid; the error, if any, is Problems
// located in next.
func CheckUpgrade(prev, next *Survey) error {
	var c problems
	if next.ID != prev.ID {
		c.add("id", "survey.problem.id_changed", map[string]any{"Prev": prev.ID, "Next": next.ID})
		return c.err()
	}
	if next.Version <= prev.Version {
		c.add("version", "survey.problem.version_not_newer", map[string]any{"Next": next.Version, "Prev": prev.Version, "Min": prev.Version + 1})
	}
	for i, q := range next.Questions {
		old := prev.Question(q.Code)
		if old == nil || old.Type == q.Type {
			continue
		}
		c.add(fmt.Sprintf("questions[%d].type", i), "survey.problem.type_changed", map[string]any{"Code": q.Code, "Version": prev.Version, "Old": old.Type, "New": q.Type})
	}
	return c.err()
}
