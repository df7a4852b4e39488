package sheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"sprout/internal/sheet"
)

func TestCSVOpensInExcelAndRunsNoFormula(t *testing.T) {
	var buf bytes.Buffer
	w, err := sheet.NewCSV(&buf, []string{"Tên", "Ghi chú"})
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{{"Nguyễn Thị Hoa", "=HYPERLINK(\"http://evil\")"}, {"+84 912", "-1"}, {"@SUM(A1)", "\tx"}, {"Trần Văn Bình", "bình thường, có dấu phẩy"}, {"-1.250", "-2+3"}}
	for _, r := range rows {
		if err := w.Row(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFTên,Ghi chú\r\n") || strings.Count(out, "\r\n") != 6 || strings.Count(out, "\n") != 6 {
		t.Fatalf("want a byte order mark, the header and CRLF line ends:\n%q", out)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Tên", "Ghi chú"}, {"Nguyễn Thị Hoa", "'=HYPERLINK(\"http://evil\")"}, {"'+84 912", "-1"}, {"'@SUM(A1)", "'\tx"}, {"Trần Văn Bình", "bình thường, có dấu phẩy"},
		{"-1.250", "'-2+3"}}
	if len(got) != len(want) {
		t.Fatalf("rows %q", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Fatalf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
	if rows[0][1] != "=HYPERLINK(\"http://evil\")" {
		t.Fatal("Row changed the caller's cells")
	}
}
