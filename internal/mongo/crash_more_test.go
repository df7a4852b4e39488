package mongo

import (
	"testing"

	"sprout/internal/storetest"
)

// TestFerretDBExpoCrashPoints stops each multi-write operation of the
// exhibition after each of its writes and checks what recovery leaves.
func TestFerretDBExpoCrashPoints(t *testing.T) {
	storetest.RunExpoCrashPoints(t, func(t *testing.T) (storetest.ExpoCrashStore, storetest.Faults) {
		uri, f := storetest.FerretDBWithFaults(t)
		return openAt(t, uri), f
	})
}

// TestFerretDBAccountCrashPoints does the same for password resets and
// changes, deactivations and reactivations.
func TestFerretDBAccountCrashPoints(t *testing.T) {
	storetest.RunAccountCrashPoints(t, func(t *testing.T) (storetest.Store, storetest.Faults) {
		uri, f := storetest.FerretDBWithFaults(t)
		return openAt(t, uri), f
	})
}

// TestFerretDBFileCrashPoints does the same for uploads and deletions.
func TestFerretDBFileCrashPoints(t *testing.T) {
	storetest.RunFileCrashPoints(t, func(t *testing.T) (storetest.FilesStore, storetest.Faults) {
		uri, f := storetest.FerretDBWithFaults(t)
		return openAt(t, uri), f
	})
}
