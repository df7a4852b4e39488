package mongo

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sprout/internal/storetest"
)

// Every filter the adapter sends is served by an index: the conformance
// suites run through a relay that records each filter's fields, and each
// must be the first key of an index Open creates (or match on _id). A
// filter that only a collection scan answers is fine in a test and slow on
// a department's data, such as the report reminder walking cohorts every
// ten minutes on every instance.
func TestEveryFilterHasAnIndex(t *testing.T) {
	var q storetest.Queries
	open := func(t *testing.T) *Store {
		recorded, _ := storetest.FerretDBRecording(t, &q)
		return openAt(t, recorded)
	}
	t.Run("suites", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Store { return open(t) })
		storetest.RunEvents(t, func(t *testing.T) storetest.EventsStore { return open(t) })
		storetest.RunCheckin(t, func(t *testing.T) storetest.CheckinStore { return open(t) })
		storetest.RunCohorts(t, func(t *testing.T) storetest.IncubatorStore { return open(t) })
		storetest.RunIncubator(t, func(t *testing.T) storetest.IncubatorStore { return open(t) })
		storetest.RunExpo(t, func(t *testing.T) storetest.ExpoStore { return open(t) })
		storetest.RunFiles(t, func(t *testing.T) storetest.FilesStore { return open(t) })
		storetest.RunKeys(t, func(t *testing.T) storetest.KeysStore { return open(t) })
		storetest.RunStaffing(t, func(t *testing.T) storetest.StaffingStore { return open(t) })
		storetest.RunAudit(t, func(t *testing.T) storetest.AuditStore { return open(t) })
		storetest.RunCerts(t, func(t *testing.T) storetest.CertsStore { return open(t) })
		storetest.RunCertification(t, func(t *testing.T) storetest.CertificationStore { return open(t) })
		storetest.RunHolidays(t, func(t *testing.T) storetest.HolidaysStore { return open(t) })
		// The suite's tampering is the test's, not the store's.
		storetest.RunIntegrity(t, func(t *testing.T) (storetest.IntegrityStore, storetest.Tamper) {
			recorded, plain := storetest.FerretDBRecording(t, &q)
			return openAt(t, recorded), tamper{openAt(t, plain)}
		})
	})
	if t.Failed() {
		return
	}
	s := openAt(t, storetest.FerretDBURI(t))
	ctx := context.Background()
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	indexes := map[string][]bson.D{}
	for _, name := range names {
		cur, err := s.db.Collection(name).Indexes().List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var specs []struct {
			Key bson.D `bson:"key"`
		}
		if err := cur.All(ctx, &specs); err != nil {
			t.Fatal(err)
		}
		for _, spec := range specs {
			indexes[name] = append(indexes[name], spec.Key)
		}
	}
	all := q.All()
	if len(all) < 50 {
		t.Fatalf("only %d filters recorded: the relay missed them", len(all))
	}
	for _, u := range q.Unserved(indexes) {
		t.Errorf("no index serves %s", u)
	}
	t.Logf("%d filter shapes over %d collections", len(all), len(indexes))
}
