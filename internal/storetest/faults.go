package storetest

import (
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// FerretDBWithFaults is FerretDBURI with the relay's Faults: a test can
// stop the store's writes after any of them, as a process dying there
// would, without a hook in the adapter.
func FerretDBWithFaults(t testing.TB) (string, Faults) {
	t.Helper()
	r, err := newRelay(startFerretDB(t))
	if err != nil {
		t.Fatal(err)
	}
	f := &crash{left: -1}
	r.faults = f
	t.Cleanup(r.close)
	return WithDatabase(t, "mongodb://"+r.addr()+"/", TestDatabase(), nil), f
}

// crash counts the writes the relay lets through and, once told, refuses
// every command after the last write it may let through.
type crash struct {
	mu      sync.Mutex
	writes  int
	left    int // writes still let through; negative: any number
	crashed bool
}

func (c *crash) CrashAfter(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.left, c.crashed = n, false
}

func (c *crash) Revive() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.left, c.crashed = -1, false
}

func (c *crash) Writes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// admit tells whether req may reach the server, counting it if it writes.
// Once a write is refused, so is everything after it: a dead process
// neither writes nor reads, and undoes nothing.
func (c *crash) admit(req []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.crashed:
		return false
	case !writes(req):
		return true
	case c.left == 0:
		c.crashed = true
		return false
	case c.left > 0:
		c.left--
	}
	c.writes++
	return true
}

// writes tells whether a request changes data.
func writes(req []byte) bool {
	doc, ok := commandDocument(req)
	if !ok {
		return false
	}
	e, err := doc.IndexErr(0)
	if err != nil {
		return false
	}
	switch e.Key() {
	case "insert", "update", "delete", "findAndModify", "findandmodify":
		return true
	}
	return false
}

// crashed is the answer to a request refused after a crash: an error the
// driver does not retry.
var crashed = bsoncore.NewDocumentBuilder().
	AppendDouble("ok", 0).
	AppendString("errmsg", "the process crashed (injected by the test)").
	AppendInt32("code", 1).
	AppendString("codeName", "InternalError").
	Build()
