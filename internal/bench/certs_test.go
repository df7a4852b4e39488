package bench_test

import (
	"bytes"
	"strings"
	"testing"

	"sprout/internal/bench"
)

// The command runs and prints a line for each file; the figures of 700
// are for a person to read, not for a test to judge.
func TestCertsPrintsBothFiles(t *testing.T) {
	var out bytes.Buffer
	if err := bench.Certs([]string{"--certs", "3", "--runs", "1"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3 certificates a file", "\nzip ", "\npdf "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
