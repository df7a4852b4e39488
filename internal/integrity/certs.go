package integrity

import (
	"slices"
	"strconv"
	"strings"
)

// CertSeqFix is a year whose certificate counter is below a number one of
// its codes carries: the next certificate would take a code given already.
type CertSeqFix struct {
	Year            int
	Stored, Highest int64
}

func (f CertSeqFix) Drift() Drift {
	return Count(CertSeq, Record("certificate_counters", strconv.Itoa(f.Year)), f.Stored, f.Highest)
}

// certNumber reads the year and the number off a code such as
// HN-2026-000123, whatever its prefix.
func certNumber(code string) (year int, n int64, ok bool) {
	parts := strings.Split(code, "-")
	if len(parts) < 3 {
		return 0, 0, false
	}
	y, err1 := strconv.Atoi(parts[len(parts)-2])
	n, err2 := strconv.ParseInt(parts[len(parts)-1], 10, 64)
	return y, n, err1 == nil && err2 == nil
}

// CompareCertSeqs finds the years whose stored counter (none is zero) is
// below the highest number their codes carry.
func CompareCertSeqs(codes []string, stored map[int]int64) []CertSeqFix {
	highest := map[int]int64{}
	for _, c := range codes {
		if y, n, ok := certNumber(c); ok && n > highest[y] {
			highest[y] = n
		}
	}
	var out []CertSeqFix
	for y, n := range highest {
		if stored[y] < n {
			out = append(out, CertSeqFix{Year: y, Stored: stored[y], Highest: n})
		}
	}
	slices.SortFunc(out, func(a, b CertSeqFix) int { return a.Year - b.Year })
	return out
}
