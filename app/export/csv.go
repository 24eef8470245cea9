package export

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// BOM is the UTF-8 byte order mark that starts every CSV file, so that
// Excel reads the file as UTF-8 and shows Vietnamese diacritics.
const BOM = "\ufeff"

// WriteCSV writes one header row and one row per response: the fixed
// columns, one column per question code (and a label column per choice
// question when opt.Labels), then OtherColumn. The file starts with a UTF-8
// BOM, fields are separated by commas, records end in CRLF (RFC 4180), and
// cells that would run as formulas are defused by Guard. A line break inside
// a cell is kept as it was (LF stays LF, CRLF stays CRLF). It returns the
// number of responses written.
func WriteCSV(ctx context.Context, w io.Writer, rows iter.Seq2[*survey.Response, error], opt Options) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString(BOM); err != nil {
		return 0, fmt.Errorf("write csv: %w", err)
	}
	l := newLayout(opt)
	line := appendRecord(nil, l.header)
	bw.Write(line) // a write error stays in bw and is returned by its Flush
	rec := make([]string, len(l.header))
	n, err := each(ctx, rows, opt, func(r *survey.Response) error {
		l.row(r, rec)
		for i, s := range rec {
			rec[i] = Guard(s)
		}
		line = appendRecord(line[:0], rec)
		bw.Write(line)
		return nil
	})
	if err != nil {
		return n, err
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("write csv: %w", err)
	}
	return n, nil
}

// appendRecord appends one CSV record ending in CRLF. Fields are quoted
// exactly when encoding/csv's Writer would quote them; inside quotes every
// byte is kept except that a double quote is doubled. (encoding/csv with
// UseCRLF turns a line break inside a field into CRLF and drops a lone CR,
// which changes the text people typed.)
func appendRecord(b []byte, rec []string) []byte {
	for i, f := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		if !needsQuotes(f) {
			b = append(b, f...)
			continue
		}
		b = append(b, '"')
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				b = append(b, f...)
				break
			}
			b = append(b, f[:j+1]...)
			b = append(b, '"')
			f = f[j+1:]
		}
		b = append(b, '"')
	}
	return append(b, '\r', '\n')
}

// needsQuotes is encoding/csv's rule for a comma-separated field: quote it
// when it holds a comma, a double quote, CR or LF, starts with a space
// (unicode.IsSpace), or is `\.` (a line PostgreSQL's COPY would read as the
// end of data).
func needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	switch c := f[0]; {
	case c >= utf8.RuneSelf:
		if r, _ := utf8.DecodeRuneInString(f); unicode.IsSpace(r) {
			return true
		}
	case c == ' ', c >= '\t' && c <= '\r':
		return true
	case c == '\\' && f == `\.`:
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}
