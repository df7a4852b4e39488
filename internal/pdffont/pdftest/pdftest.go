// Package pdftest reads PDFs back in tests with poppler-utils (pdftotext,
// pdfinfo, pdfimages), as a person's viewer would.
package pdftest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Run runs one of poppler-utils' tools on pdf, in a directory of its own,
// with FILE among args standing for the PDF, and returns the directory and
// what the tool printed. Without poppler-utils the test is skipped, except
// under CI=true, where it must not pass by skipping.
func Run(t *testing.T, pdf []byte, tool string, args ...string) (dir, out string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI=true forbids skipping the PDF tests: apt-get install -y poppler-utils", tool)
		}
		t.Skipf("%s is not installed (apt-get install -y poppler-utils): skipping the PDF tests", tool)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.pdf"), pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append([]string(nil), args...)
	for i, a := range args {
		if a == "FILE" {
			args[i] = "doc.pdf"
		}
	}
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s (poppler-utils): %v\n%s", tool, err, b)
	}
	return dir, string(b)
}

// Text is a PDF's text, its lines and spaces joined by one space: a name
// may wrap.
func Text(t *testing.T, pdf []byte) string {
	t.Helper()
	_, out := Run(t, pdf, "pdftotext", "-enc", "UTF-8", "FILE", "-")
	return strings.Join(strings.Fields(out), " ")
}
