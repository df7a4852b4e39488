package mongo

import (
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBCrashPoints stops each registration, cancellation and
// promotion after each of its writes, as a process dying there would, and
// checks what Recover leaves.
func TestFerretDBCrashPoints(t *testing.T) {
	storetest.RunCrashPoints(t, func(t *testing.T) (storetest.EventsStore, storetest.Faults) {
		uri, f := storetest.FerretDBWithFaults(t)
		return openAt(t, uri), f
	})
}
