package app

import "testing"

// The report names the target without the credentials or options of its
// URI, and with the database Sprout uses when the URI names none.
func TestMigrateNamesTheTargetWithoutItsCredentials(t *testing.T) {
	for uri, want := range map[string]string{
		"mongodb://sprout:m%E1%BA%ADt-kh%E1%BA%A9u@db1,db2/sprout_prod?replicaSet=rs0&authSource=admin": "mongodb://db1,db2/sprout_prod",
		"mongodb+srv://u:p@cluster.example.vn/?retryWrites=true":                                        "mongodb+srv://cluster.example.vn/sprout",
	} {
		d, err := newMongoDestination(uri)
		if err != nil || d.String() != want {
			t.Errorf("newMongoDestination(%q) = %q, %v; want %q", uri, d.String(), err, want)
		}
	}
	for _, bad := range []string{"", "postgres://db/sprout", "mongodb://"} {
		if _, err := newMongoDestination(bad); err == nil {
			t.Errorf("newMongoDestination(%q) accepted it", bad)
		}
	}
}
