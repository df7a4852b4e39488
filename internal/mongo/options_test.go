package mongo

import (
	"context"
	"sprout/internal/storetest"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// What Sprout answers must survive a failover: writes wait for a majority
// and reads go to the primary, and a URI asking for less is refused.
func TestClientOptionsAreDurable(t *testing.T) {
	for _, uri := range []string{"mongodb://db1,db2,db3/sprout?replicaSet=rs0", "mongodb://db1/sprout?w=majority&readPreference=primary"} {
		opts, err := clientOptions(uri)
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if opts.WriteConcern == nil || opts.WriteConcern.W != "majority" {
			t.Errorf("%s: write concern %+v, want majority", uri, opts.WriteConcern)
		}
		if opts.ReadPreference == nil || opts.ReadPreference.Mode() != readpref.PrimaryMode {
			t.Errorf("%s: read preference %v, want primary", uri, opts.ReadPreference)
		}
	}
	for uri, says := range map[string]string{
		"mongodb://db1/sprout?readPreference=secondaryPreferred": "readPreference",
		"mongodb://db1/sprout?readPreference=nearest":            "readPreference",
		"mongodb://db1/sprout?w=1":                               "write concern",
		"mongodb://db1/sprout?journal=false":                     "write concern",
	} {
		if _, err := clientOptions(uri); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want a refusal naming the %s", uri, err, says)
		}
	}
}

// FerretDB loses concurrent updates over more than one connection: Sprout
// refuses to serve on it so, unless told it is accepted or the URI keeps
// one connection.
func TestFerretDBServedOnlyOverOneConnectionUnlessAccepted(t *testing.T) {
	ctx := context.Background()
	direct := storetest.WithDatabase(t, "mongodb://"+storetest.FerretDBAddr(t)+"/", storetest.TestDatabase(), nil)
	if _, err := Open(ctx, direct); err == nil || !strings.Contains(err.Error(), "FerretDB") || !strings.Contains(err.Error(), "maxPoolSize=1") {
		t.Fatalf("a pool on FerretDB: %v, want a refusal that says what to do", err)
	}
	for name, open := range map[string]func() (*Store, error){
		"maxPoolSize=1": func() (*Store, error) { return Open(ctx, direct+"?maxPoolSize=1") },
		"accepted":      func() (*Store, error) { return Open(ctx, direct, AcceptFerretDBPool()) },
	} {
		s, err := open()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s.Close()
	}
}
