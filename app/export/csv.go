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
	writeRecord(bw, l.header)
	rec := make([]string, len(l.header))
	n, err := each(ctx, rows, opt, func(r *survey.Response) error {
		l.row(r, rec)
		for i, s := range rec {
			rec[i] = Guard(s)
		}
		writeRecord(bw, rec)
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

// writeRecord writes one CSV record ending in CRLF. Fields are quoted
// exactly when encoding/csv's Writer would quote them; inside quotes every
// byte is kept except that a double quote is doubled. (encoding/csv with
// UseCRLF turns a line break inside a field into CRLF and drops a lone CR,
// which changes the text people typed.) A write error stays in bw and is
// returned by its Flush.
func writeRecord(bw *bufio.Writer, rec []string) {
	for i, f := range rec {
		if i > 0 {
			bw.WriteByte(',')
		}
		if !needsQuotes(f) {
			bw.WriteString(f)
			continue
		}
		bw.WriteByte('"')
		for {
			j := strings.IndexByte(f, '"')
			if j < 0 {
				bw.WriteString(f)
				break
			}
			bw.WriteString(f[:j+1])
			bw.WriteByte('"')
			f = f[j+1:]
		}
		bw.WriteByte('"')
	}
	bw.WriteString("\r\n")
}

// needsQuotes is encoding/csv's rule for a comma-separated field: quote it
// when it holds a comma, a double quote, CR or LF, starts with a space, or
// is `\.` (a line PostgreSQL's COPY would read as the end of data).
func needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}
