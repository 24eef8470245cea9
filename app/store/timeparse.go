package store

import "time"

// parseStoredTime reads a time in timeLayout without time.Parse's general
// machinery (exports read two per row). Anything but a well-formed value in
// range goes to parseTime, so results and errors are the same as its.
func parseStoredTime(s string) (time.Time, error) {
	// 2006-01-02T15:04:05.000000000Z
	// 0    5  8  11 14 17 20        29
	if len(s) != len(timeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
		s[13] != ':' || s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return parseTime(s)
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	nsec, ok7 := digits(s[20:29])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) ||
		month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return parseTime(s)
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), nil
}

// digits reads s as a non-negative decimal number of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days in month m of year y (proleptic Gregorian).
func daysIn(m time.Month, y int) int {
	if m == time.February && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	switch m {
	case time.February:
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
