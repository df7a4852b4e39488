package mongo

import (
	"context"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/ids"
	"sprout/internal/integrity"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
)

// TestFerretDBIntegrity runs the suite of `sprout check` against an
// in-process FerretDB, one server and database per test.
func TestFerretDBIntegrity(t *testing.T) {
	storetest.RunIntegrity(t, func(t *testing.T) (storetest.IntegrityStore, storetest.Tamper) {
		s := openAt(t, storetest.FerretDBURI(t))
		return s, tamper{s}
	})
}

// TestMongoDBIntegrity runs it against the real server at MONGODB_TEST_URI.
func TestMongoDBIntegrity(t *testing.T) {
	if os.Getenv("MONGODB_TEST_URI") == "" {
		t.Skip("MONGODB_TEST_URI is not set")
	}
	storetest.RunIntegrity(t, func(t *testing.T) (storetest.IntegrityStore, storetest.Tamper) {
		s := openAt(t, storetest.MongoDBTestURI(t))
		return s, tamper{s}
	})
}

// tamper writes the documents directly. The check-in counters it writes
// are the collections an earlier version kept them in.
type tamper struct{ s *Store }

func (tamper) KeepsCounters() bool { return false }

func (tp tamper) update(ctx context.Context, coll string, filter, set bson.D) error {
	_, err := tp.s.db.Collection(coll).UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}}, options.UpdateOne().SetUpsert(true))
	return err
}

func (tp tamper) SetCertCounter(ctx context.Context, year int, n int64) error {
	return tp.update(ctx, "certificate_counters", bson.D{{Key: "_id", Value: year}}, bson.D{{Key: "n", Value: n}})
}

func (tp tamper) SetSold(ctx context.Context, typeID string, sold int) error {
	var d typeDoc
	if err := tp.s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: typeID}}).Decode(&d); err != nil {
		return err
	}
	return tp.update(ctx, "ticket_types", bson.D{{Key: "_id", Value: typeID}}, bson.D{{Key: "remaining", Value: d.Capacity - sold}})
}

func (tp tamper) SetCheckinCounts(ctx context.Context, eventID string, checkedIn, inside int) error {
	return tp.update(ctx, "checkin_counts", bson.D{{Key: "_id", Value: eventID}},
		bson.D{{Key: "checked_in", Value: checkedIn}, {Key: "inside", Value: inside}})
}

func (tp tamper) SetGateEntries(ctx context.Context, eventID, gate string, entries int) error {
	return tp.update(ctx, "gate_counts", bson.D{{Key: "event_id", Value: eventID}, {Key: "gate", Value: gate}},
		bson.D{{Key: "entries", Value: entries}})
}

func (tp tamper) SetArrivals(ctx context.Context, eventID string, slot time.Time, entries int) error {
	return tp.update(ctx, "arrivals", bson.D{{Key: "event_id", Value: eventID}, {Key: "at", Value: date(slot)}},
		bson.D{{Key: "entries", Value: entries}})
}

func (tp tamper) SetPresence(ctx context.Context, ticketID string, inside bool, entries int) error {
	return tp.update(ctx, "presence", bson.D{{Key: "_id", Value: ticketID}},
		bson.D{{Key: "inside", Value: inside}, {Key: "entries", Value: entries}})
}

func (tp tamper) ClearScanResult(ctx context.Context, scanID string) error {
	return tp.update(ctx, "scans", bson.D{{Key: "_id", Value: scanID}},
		bson.D{{Key: "result", Value: ""}, {Key: "accepted", Value: false}})
}

func (tp tamper) InsertPendingScan(ctx context.Context, sc checkin.Scan) error {
	_, err := tp.s.checkinColls().scans.InsertOne(ctx, newScanDoc(sc))
	return err
}

// SetWaitEntry frees or takes the person's waiting_key with the status,
// as the store does.
func (tp tamper) SetWaitEntry(ctx context.Context, waitID string, status tickets.WaitStatus, ticketID string) error {
	var w waitDoc
	if err := tp.s.waitlist.FindOne(ctx, bson.D{{Key: "_id", Value: waitID}}).Decode(&w); err != nil {
		return err
	}
	key := waitID
	if status == tickets.Waiting {
		key = personKey(w.EventID, w.Email)
	}
	return tp.update(ctx, "waitlist", bson.D{{Key: "_id", Value: waitID}},
		bson.D{{Key: "status", Value: string(status)}, {Key: "ticket_id", Value: ticketID}, {Key: "waiting_key", Value: key}})
}

func (tp tamper) DeleteCounters(ctx context.Context, eventID string) error {
	if _, err := tp.s.db.Collection("checkin_counts").DeleteOne(ctx, bson.D{{Key: "_id", Value: eventID}}); err != nil {
		return err
	}
	for _, coll := range []string{"gate_counts", "arrivals"} {
		if _, err := tp.s.db.Collection(coll).DeleteMany(ctx, bson.D{{Key: "event_id", Value: eventID}}); err != nil {
			return err
		}
	}
	return nil
}

// A type's next waitlist number is kept on this store only; one below a
// number given already would give it twice.
func TestFerretDBIntegrityWaitlistSeq(t *testing.T) {
	ctx := context.Background()
	s := openAt(t, storetest.FerretDBURI(t))
	at := time.Now().UTC().Truncate(time.Hour)
	ev := events.Event{ID: ids.New(), Slug: "hang-cho", Title: "Hàng chờ", Venue: "Hà Nội", StartsAt: at, EndsAt: at.Add(time.Hour),
		CreatedAt: at, UpdatedAt: at}
	tt := events.TicketType{ID: ids.New(), EventID: ev.ID, Name: "Vé", Capacity: 1, Waitlist: true, CreatedAt: at}
	if err := s.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTicketType(ctx, tt); err != nil {
		t.Fatal(err)
	}
	holder := tickets.Ticket{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Name: "Lan", Email: "lan@example.vn", Status: tickets.Active,
		Secret: ids.Secret(), CreatedAt: at}
	if err := s.Register(ctx, holder, nil, nil); err != nil {
		t.Fatal(err)
	}
	wait := func(email string) int {
		t.Helper()
		pos, err := s.JoinWaitlist(ctx, tickets.WaitEntry{ID: ids.New(), EventID: ev.ID, TypeID: tt.ID, Email: email,
			Status: tickets.Waiting, Secret: ids.Secret(), CreatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return pos
	}
	wait("a@example.vn")
	wait("b@example.vn")
	if _, err := s.ticketTypes.UpdateOne(ctx, bson.D{{Key: "_id", Value: tt.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "waitlist_seq", Value: 1}}}}); err != nil {
		t.Fatal(err)
	}
	settled := at.Add(time.Hour)
	drift := integrity.Drift{What: integrity.WaitlistSeq, Record: "ticket_types/" + tt.ID, Stored: "1", Actual: "2"}
	got, err := s.Check(ctx, settled)
	if err != nil || len(got) != 1 || got[0] != drift {
		t.Fatalf("Check = %v, %v; want [%v]", got, err, drift)
	}
	if got, err := s.Repair(ctx, settled, got); err != nil || len(got) != 1 || got[0] != drift {
		t.Fatalf("Repair = %v, %v; want [%v]", got, err, drift)
	}
	if got, err := s.Check(ctx, settled); err != nil || len(got) != 0 {
		t.Fatalf("Check after repairing = %v, %v", got, err)
	}
	if pos := wait("c@example.vn"); pos != 3 {
		t.Fatalf("the next in line is at %d; want 3", pos)
	}
}
