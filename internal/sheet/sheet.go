// Package sheet writes the workbooks Sprout exports: one streamed sheet
// with a bold header row that stays in view, set column widths, and dates
// as Vietnam's wall clock.
package sheet

import (
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"sprout/internal/vn"
)

// Writer streams the rows of one sheet.
type Writer struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	when int
	row  int
}

// New starts a workbook whose one sheet is called name, with a header row.
func New(name string, widths []float64, head []string) (*Writer, error) {
	w := &Writer{f: excelize.NewFile(), row: 1}
	if err := w.start(name, widths, head); err != nil {
		w.f.Close()
		return nil, err
	}
	return w, nil
}

func (w *Writer) start(name string, widths []float64, head []string) error {
	if err := w.f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	bold, err := w.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFormat := "dd/mm/yyyy hh:mm"
	if w.when, err = w.f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return err
	}
	if w.sw, err = w.f.NewStreamWriter(name); err != nil {
		return err
	}
	for i, width := range widths {
		if err := w.sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := w.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(head))
	for i, h := range head {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	return w.sw.SetRow("A1", cells)
}

// Style adds a cell style, for a column that needs its own number format.
func (w *Writer) Style(st *excelize.Style) (int, error) { return w.f.NewStyle(st) }

// Date is a cell that sorts and filters as a date. A workbook has no time
// zone, so it holds Vietnam's wall clock.
func (w *Writer) Date(t time.Time) excelize.Cell {
	l := t.In(vn.Zone)
	return excelize.Cell{StyleID: w.when, Value: time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)}
}

// Texts turns a row of text into cells, to replace some with typed ones.
func Texts(vals []string) []any {
	cells := make([]any, len(vals))
	for i, v := range vals {
		cells[i] = v
	}
	return cells
}

// Add writes the next row. A text cell stays text, never a formula, so
// only exports that promise CSV-like cells pass them through Safe.
func (w *Writer) Add(cells []any) error {
	w.row++
	name, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(name, cells)
}

// WriteTo finishes the workbook into out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	if err := w.sw.Flush(); err != nil {
		return 0, err
	}
	return w.f.WriteTo(out)
}

// Close frees the workbook.
func (w *Writer) Close() error { return w.f.Close() }
