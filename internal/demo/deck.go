package demo

import (
	"bytes"
	"fmt"
)

// DeckPDF is a one-page pitch deck, a real PDF with a correct cross-reference
// table, so the reviewer's viewer opens it like any founder's upload. The
// standard fonts carry no Vietnamese letters, hence the plain spelling.
func DeckPDF(title string, lines []string) []byte {
	var text bytes.Buffer
	fmt.Fprintf(&text, "BT /F1 28 Tf 60 720 Td (%s) Tj ET\n", title)
	for i, l := range lines {
		fmt.Fprintf(&text, "BT /F1 16 Tf 60 %d Td (%s) Tj ET\n", 660-32*i, l)
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", text.Len(), text.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
