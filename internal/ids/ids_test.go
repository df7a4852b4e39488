package ids

import (
	"sort"
	"strings"
	"testing"
)

// Ids made one after the other sort in that order, even within one
// millisecond, and never repeat.
func TestNewSortsInOrderMade(t *testing.T) {
	const n = 10000
	made := make([]string, n)
	for i := range made {
		made[i] = New()
	}
	if !sort.StringsAreSorted(made) {
		t.Fatal("ids made in a row do not sort in the order made")
	}
	seen := map[string]bool{}
	for _, id := range made {
		if len(id) != 26 || seen[id] {
			t.Fatalf("id %q repeats or has the wrong length", id)
		}
		seen[id] = true
	}
}

func TestLikeTellsIdsFromNames(t *testing.T) {
	for i := range 100 {
		if id := New(); !Like(id) {
			t.Fatalf("id %d, %q, does not look like an id", i, id)
		}
	}
	for _, name := range []string{"techfest-2026", "", "khoa-2027", "0123456789abcdefghjkmnpqr", "0123456789abcdefghjkmnpqrs-", "0123456789ABCDEFGHJKMNPQRS", "0123456789abcdefghijklmnop"} {
		if Like(name) {
			t.Errorf("%q looks like an id", name)
		}
	}
}

// A capability link needs at least 128 random bits, and is never taken for
// an id.
func TestSecretsAreCapabilities(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		s := Secret()
		if len(s) != 32 || Like(s) || seen[s] || strings.ToLower(s) != s {
			t.Fatalf("secret %q: %d characters, id-like %v, seen %v", s, len(s), Like(s), seen[s])
		}
		seen[s] = true
	}
}
