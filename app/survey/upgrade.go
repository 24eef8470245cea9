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
		c.add("id", "id_changed",
			fmt.Sprintf("Mã khảo sát đổi từ “%s” thành “%s”: một phiên bản mới phải giữ nguyên mã; khảo sát khác thì dùng tệp khác.", prev.ID, next.ID),
			fmt.Sprintf("The survey id changed from %q to %q: a new version keeps the id; a different survey needs its own file.", prev.ID, next.ID))
		return c.err()
	}
	if next.Version <= prev.Version {
		c.add("version", "version_not_newer",
			fmt.Sprintf("Phiên bản %d không mới hơn phiên bản đã có (%d): hãy tăng version lên %d.", next.Version, prev.Version, prev.Version+1),
			fmt.Sprintf("Version %d is not newer than the existing version %d: set version to %d.", next.Version, prev.Version, prev.Version+1))
	}
	for i, q := range next.Questions {
		old := prev.Question(q.Code)
		if old == nil || old.Type == q.Type {
			continue
		}
		c.add(fmt.Sprintf("questions[%d].type", i), "type_changed",
			fmt.Sprintf("Câu hỏi “%s” ở phiên bản %d là loại %s, nay là %s: khi đổi loại câu hỏi hãy đặt mã mới để dữ liệu cũ giữ nguyên nghĩa.", q.Code, prev.Version, old.Type, q.Type),
			fmt.Sprintf("Question %q was %s in version %d and is now %s: give a question a new code when its type changes, so old data keeps its meaning.", q.Code, old.Type, prev.Version, q.Type))
	}
	return c.err()
}
