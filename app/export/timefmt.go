package export

import "time"

// appendTime appends t in loc as t.In(loc).AppendFormat(b, TimeLayout)
// does, without reading the layout: exports write two times per row.
// Years that do not fit four digits go to AppendFormat itself.
func appendTime(b []byte, t time.Time, loc *time.Location) []byte {
	t = t.In(loc)
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, TimeLayout)
	}
	hour, minute, sec := t.Clock()
	_, offset := t.Zone()
	b = append2(append2(b, year/100), year%100)
	b = append2(append(b, '-'), int(month))
	b = append2(append(b, '-'), day)
	b = append2(append(b, 'T'), hour)
	b = append2(append(b, ':'), minute)
	b = append2(append(b, ':'), sec)
	// As "-07:00" prints an offset: whole minutes, truncated towards zero,
	// with a sign even when it is zero.
	zone := offset / 60
	if zone < 0 {
		b = append(b, '-')
		zone = -zone
	} else {
		b = append(b, '+')
	}
	b = append2(b, zone/60)
	return append2(append(b, ':'), zone%60)
}

// append2 appends v, 0 ≤ v < 100, as two digits.
func append2(b []byte, v int) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}
