package sheet

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestRowsUnderAFrozenHeaderWithVietnamTime(t *testing.T) {
	w, err := New("Khách", []float64{20, 20}, []string{"Tên", "Lúc"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// 23:30 UTC is 06:30 the next morning in Vietnam.
	now := time.Now().UTC()
	at := time.Date(now.Year(), now.Month(), now.Day(), 23, 30, 0, 0, time.UTC)
	if err := w.Add([]any{"Nguyễn Thị Hoa", w.Date(at)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(Texts([]string{"Trần Văn Bình", ""})); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(Texts([]string{"=HYPERLINK(\"http://evil\")", Safe("@SUM(A1)")})); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Khách")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Tên", "Lúc"}, {"Nguyễn Thị Hoa", at.AddDate(0, 0, 1).Format("02/01/2006") + " 06:30"}, {"Trần Văn Bình"},
		{"=HYPERLINK(\"http://evil\")", "'@SUM(A1)"}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q, want %q", rows, want)
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Fatalf("rows = %q, want %q", rows, want)
			}
		}
	}
	panes, err := f.GetPanes("Khách")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("the header row is not kept in view: %+v, %v", panes, err)
	}
}
