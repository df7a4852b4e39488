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

// TestFerretDBCheckinCrashPoints stops each scan and annulment after each
// of its writes, as a process dying there would, and checks what
// RecoverScans leaves.
func TestFerretDBCheckinCrashPoints(t *testing.T) {
	storetest.RunCheckinCrashPoints(t, func(t *testing.T) (storetest.CheckinCrashStore, storetest.Faults) {
		uri, f := storetest.FerretDBWithFaults(t)
		return openAt(t, uri), f
	})
}
