package sheet

import (
	"bufio"
	"encoding/csv"
	"io"
	"regexp"
	"strings"
)

// BOM starts every CSV so that Excel reads it as UTF-8.
const BOM = "\uFEFF"

// csvFlushEvery is how many rows a CSV holds before sending them on, so a
// long download shows progress and finds a client gone early.
const csvFlushEvery = 500

// CSV writes the CSV files Sprout exports, all alike: a byte order mark so
// that Excel reads Vietnamese as UTF-8, CRLF line ends, and no cell a
// spreadsheet would run as a formula.
type CSV struct {
	out *bufio.Writer
	cw  *csv.Writer
	n   int
}

// NewCSV starts a CSV on w with its header row.
func NewCSV(w io.Writer, head []string) (*CSV, error) {
	out, ok := w.(*bufio.Writer)
	if !ok {
		out = bufio.NewWriter(w)
	}
	if _, err := out.WriteString(BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	c := &CSV{out: out, cw: cw}
	return c, c.Row(head)
}

// Row writes one row, its cells made safe.
func (c *CSV) Row(cells []string) error {
	safe := make([]string, len(cells))
	for i, s := range cells {
		safe[i] = Safe(s)
	}
	if err := c.cw.Write(safe); err != nil {
		return err
	}
	if c.n++; c.n%csvFlushEvery == 0 {
		return c.Flush()
	}
	return nil
}

// Flush sends what is written so far; call it once the last row is in.
func (c *CSV) Flush() error {
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.out.Flush()
}

// negative is a negative number as exports write it, which a spreadsheet
// reads as a number and never as a formula.
var negative = regexp.MustCompile(`^-[0-9]+([.,][0-9]+)?$`)

// Safe keeps a spreadsheet from running text someone typed as a formula:
// a cell starting with =, +, -, @, a tab or a carriage return is quoted,
// unless it is a negative number.
func Safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !negative.MatchString(s) {
		return "'" + s
	}
	return s
}
