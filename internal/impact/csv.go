package impact

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSVHeader are the CSV's column names, stable for those who read it.
var CSVHeader = []string{"figure", "year", "value"}

// Total is the year column of a total row.
const Total = "total"

// CSVRows are the figures as the CSV gives them: per figure its count per
// year, oldest first, then its total; certificates by kind follow as
// certificates_issued.<kind>. A count in a year under MinShown is "< 5".
func (r Report) CSVRows() [][]string {
	var rows [][]string
	add := func(name string, c Count, totalShown string) {
		for _, y := range r.Years {
			rows = append(rows, []string{name, strconv.Itoa(y), Shown(c.ByYear[y])})
		}
		rows = append(rows, []string{name, Total, totalShown})
	}
	for _, f := range Figures {
		c := r.Figures[f]
		add(string(f), c, strconv.Itoa(c.Total))
	}
	for _, k := range Kinds {
		c := r.CertificatesByKind[k]
		add(string(CertificatesIssued)+"."+k, c, Shown(c.Total))
	}
	return rows
}

// WriteCSV writes the CSV in UTF-8 with a byte order mark, so that
// spreadsheets open its Vietnamese-made file as UTF-8.
func (r Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // as RFC 4180 writes it
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	if err := cw.WriteAll(r.CSVRows()); err != nil {
		return err
	}
	return cw.Error()
}
