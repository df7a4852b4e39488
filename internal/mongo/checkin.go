package mongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/keyset"
)

var _ checkin.Store = (*Store)(nil)

// arrivalSlot is the five-minute slot a time falls in.
const arrivalSlot = 5 * time.Minute

// nonceWait bounds how long a repeated nonce waits for its first scan to be
// decided, which takes a few round trips.
const nonceWait = 10 * time.Second

// checkinColls are the collections of the gates. presence holds one document
// per ticket that ever entered, _id the ticket id: every decision is one
// guarded update of it. counts (one per event, _id the event id), gates (one
// per event and gate) and slots (one per event and five minutes) are kept
// with $inc, so the dashboard reads a few documents whatever the number of
// tickets.
type checkinColls struct {
	scans, presence, counts, gates, slots *driver.Collection
}

func (s *Store) checkinColls() checkinColls {
	return checkinColls{
		scans:    s.db.Collection("scans"),
		presence: s.db.Collection("presence"),
		counts:   s.db.Collection("checkin_counts"),
		gates:    s.db.Collection("gate_counts"),
		slots:    s.db.Collection("arrivals"),
	}
}

// nonceKey makes "one scan per nonce and event" a unique index: FerretDB
// has no partial indexes, so a scan without a nonce holds its own id, which
// clashes with nothing.
func nonceKey(sc checkin.Scan) string {
	if sc.Nonce == "" {
		return sc.ID
	}
	return sc.EventID + "|" + sc.Nonce
}

// scanDoc is a scan; Result is empty while a scan with a nonce is being
// decided.
type scanDoc struct {
	ID         string        `bson:"_id"`
	EventID    string        `bson:"event_id"`
	TicketID   string        `bson:"ticket_id"`
	Gate       string        `bson:"gate"`
	Direction  string        `bson:"direction"`
	Nonce      string        `bson:"nonce"`
	NonceKey   string        `bson:"nonce_key"`
	ScannedAt  bson.DateTime `bson:"scanned_at"`
	RecordedAt bson.DateTime `bson:"recorded_at"`
	StaffID    string        `bson:"staff_id"`
	Offline    bool          `bson:"offline"`
	Result     string        `bson:"result"`
	Accepted   bool          `bson:"accepted"`
	Conflict   bool          `bson:"conflict"`
	FirstInAt  bson.DateTime `bson:"first_in_at"`
	AnnulledAt bson.DateTime `bson:"annulled_at"`
	AnnulledBy string        `bson:"annulled_by"`
}

func newScanDoc(sc checkin.Scan) scanDoc {
	return scanDoc{
		ID:         sc.ID,
		EventID:    sc.EventID,
		TicketID:   sc.TicketID,
		Gate:       sc.Gate,
		Direction:  string(sc.Direction),
		Nonce:      sc.Nonce,
		NonceKey:   nonceKey(sc),
		ScannedAt:  date(sc.ScannedAt),
		RecordedAt: date(sc.RecordedAt),
		StaffID:    sc.StaffID,
		Offline:    sc.Offline,
		Result:     string(sc.Result),
		Accepted:   sc.Accepted,
		Conflict:   sc.Conflict,
		FirstInAt:  date(sc.FirstInAt),
		AnnulledAt: date(sc.AnnulledAt),
		AnnulledBy: sc.AnnulledBy,
	}
}

func (d scanDoc) scan() checkin.Scan {
	return checkin.Scan{
		ID:         d.ID,
		EventID:    d.EventID,
		TicketID:   d.TicketID,
		Gate:       d.Gate,
		Direction:  checkin.Direction(d.Direction),
		Nonce:      d.Nonce,
		ScannedAt:  fromDate(d.ScannedAt),
		RecordedAt: fromDate(d.RecordedAt),
		StaffID:    d.StaffID,
		Offline:    d.Offline,
		Result:     checkin.Result(d.Result),
		Accepted:   d.Accepted,
		Conflict:   d.Conflict,
		FirstInAt:  fromDate(d.FirstInAt),
		AnnulledAt: fromDate(d.AnnulledAt),
		AnnulledBy: d.AnnulledBy,
	}
}

type presenceDoc struct {
	TicketID  string        `bson:"_id"`
	EventID   string        `bson:"event_id"`
	Inside    bool          `bson:"inside"`
	Entries   int           `bson:"entries"`
	FirstInAt bson.DateTime `bson:"first_in_at"`
	LastScan  string        `bson:"last_scan"`
}

// RecordScan decides against presence, then counts, then stores the
// result, so a stored result means the whole scan is done.
func (s *Store) RecordScan(ctx context.Context, sc checkin.Scan) (checkin.Scan, error) {
	c := s.checkinColls()
	decided := sc.Result != ""
	// A scan with a nonce is stored before it is decided, so that of two
	// copies sent at once the unique nonce_key lets one through. One
	// without a nonce has nothing to clash with and is stored once
	// decided, a round trip less at the gate.
	if sc.Nonce != "" {
		first, claimed, err := c.claimNonce(ctx, sc)
		if err != nil || !claimed {
			return first, err
		}
		if decided {
			return sc, nil
		}
	}
	if decided {
		if _, err := c.scans.InsertOne(ctx, newScanDoc(sc)); err != nil {
			return checkin.Scan{}, translate(err)
		}
		return sc, nil
	}
	// The steps run to the end even if the gate stops waiting: a scan left
	// half done would hold its nonce or leave the counts behind presence.
	wctx, cancel := detached(ctx)
	defer cancel()
	newcomer, err := c.decide(wctx, &sc)
	if err != nil {
		if sc.Nonce != "" {
			// decide's one write did not happen: free the nonce so the
			// gate can send the scan again.
			_, derr := c.scans.DeleteOne(wctx, bson.D{{Key: "_id", Value: sc.ID}})
			err = errors.Join(err, derr)
		}
		return checkin.Scan{}, err
	}
	cerr := c.countScan(wctx, sc, newcomer)
	var serr error
	if sc.Nonce != "" {
		_, serr = c.scans.UpdateOne(wctx, bson.D{{Key: "_id", Value: sc.ID}}, bson.D{{Key: "$set", Value: bson.D{
			{Key: "result", Value: string(sc.Result)},
			{Key: "accepted", Value: sc.Accepted},
			{Key: "conflict", Value: sc.Conflict},
			{Key: "first_in_at", Value: date(sc.FirstInAt)},
		}}})
	} else {
		_, serr = c.scans.InsertOne(wctx, newScanDoc(sc))
	}
	if err := errors.Join(cerr, translate(serr)); err != nil {
		return checkin.Scan{}, err
	}
	return sc, nil
}

// claimNonce stores sc as the first scan of its nonce and reports true, or
// returns the scan that already is, once that one is decided.
func (c checkinColls) claimNonce(ctx context.Context, sc checkin.Scan) (checkin.Scan, bool, error) {
	doc := newScanDoc(sc)
	giveUp := time.NewTimer(nonceWait)
	defer giveUp.Stop()
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 200*time.Millisecond) {
		_, err := c.scans.InsertOne(ctx, doc)
		if err == nil {
			return checkin.Scan{}, true, nil
		}
		if !driver.IsDuplicateKeyError(err) {
			return checkin.Scan{}, false, err
		}
		var first scanDoc
		ferr := c.scans.FindOne(ctx, bson.D{{Key: "nonce_key", Value: doc.NonceKey}}).Decode(&first)
		switch {
		case ferr == nil && first.Result != "":
			return first.scan(), false, nil
		case errors.Is(ferr, driver.ErrNoDocuments):
			// FerretDB does not say which index refused: either the scan id
			// is taken, or the first scan failed and freed the nonce, which
			// the next attempt takes.
			taken, xerr := exists(ctx, c.scans, bson.D{{Key: "_id", Value: sc.ID}})
			if xerr != nil || taken {
				return checkin.Scan{}, false, errors.Join(translate(err), xerr)
			}
		case ferr != nil:
			return checkin.Scan{}, false, ferr
		}
		select {
		case <-ctx.Done():
			return checkin.Scan{}, false, ctx.Err()
		case <-giveUp.C:
			return checkin.Scan{}, false, errs.Wrapf(errs.Conflict, "the first scan with nonce %q is still being recorded", sc.Nonce)
		case <-time.After(pause):
		}
	}
}

// decide settles sc against the ticket's presence and reports whether the
// ticket entered for the first time. Each change is one update guarded by
// the state it was read in, so of several gates one changes that state and
// the others read again. A read that finds the ticket inside answers
// AlreadyIn at once: it was inside at that moment.
func (c checkinColls) decide(ctx context.Context, sc *checkin.Scan) (bool, error) {
	id := bson.E{Key: "_id", Value: sc.TicketID}
	for {
		var p presenceDoc
		err := c.presence.FindOne(ctx, bson.D{id}).Decode(&p)
		known := err == nil
		if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
			return false, err
		}
		sc.Result, sc.FirstInAt = checkin.OK, fromDate(p.FirstInAt)
		var filter, update bson.D
		switch {
		case sc.Direction == checkin.Out && !p.Inside:
			return false, nil
		case sc.Direction == checkin.Out:
			filter = bson.D{id, {Key: "inside", Value: true}}
			update = bson.D{{Key: "$set", Value: bson.D{{Key: "inside", Value: false}, {Key: "last_scan", Value: sc.ID}}}}
		case p.Inside:
			sc.Result, sc.Conflict = checkin.AlreadyIn, sc.Offline
			return false, nil
		case !known:
			_, err := c.presence.InsertOne(ctx, presenceDoc{
				TicketID:  sc.TicketID,
				EventID:   sc.EventID,
				Inside:    true,
				Entries:   1,
				FirstInAt: date(sc.ScannedAt),
				LastScan:  sc.ID,
			})
			if err == nil {
				sc.Accepted, sc.FirstInAt = true, sc.ScannedAt
				return true, nil
			}
			// A duplicate is another gate's entry: read what it did.
			if !driver.IsDuplicateKeyError(err) {
				return false, err
			}
			continue
		case p.Entries == 0:
			// Every entry was annulled, so this one is the first again. The
			// guard on entries stands in for a conditional $set, which would
			// need $expr or a pipeline update.
			filter = bson.D{id, {Key: "inside", Value: false}, {Key: "entries", Value: 0}}
			update = bson.D{{Key: "$set", Value: bson.D{
				{Key: "inside", Value: true},
				{Key: "entries", Value: 1},
				{Key: "first_in_at", Value: date(sc.ScannedAt)},
				{Key: "last_scan", Value: sc.ID},
			}}}
		default:
			filter = bson.D{id, {Key: "inside", Value: false}, {Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}}
			update = bson.D{
				{Key: "$set", Value: bson.D{{Key: "inside", Value: true}, {Key: "last_scan", Value: sc.ID}}},
				{Key: "$inc", Value: bson.D{{Key: "entries", Value: 1}}},
			}
		}
		var before presenceDoc
		err = c.presence.FindOneAndUpdate(ctx, filter, update,
			options.FindOneAndUpdate().SetReturnDocument(options.Before)).Decode(&before)
		if errors.Is(err, driver.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return false, err
		}
		sc.Accepted = true
		if sc.Direction == checkin.In && before.Entries == 0 {
			sc.FirstInAt = sc.ScannedAt
			return true, nil
		}
		sc.FirstInAt = fromDate(before.FirstInAt)
		return false, nil
	}
}

// countScan adds an accepted scan to the counts. Each counter is its own
// document changed by $inc, which commutes, so scans counted in any order,
// at once or not, give the same totals.
func (c checkinColls) countScan(ctx context.Context, sc checkin.Scan, newcomer bool) error {
	switch {
	case !sc.Accepted:
		return nil
	case sc.Direction == checkin.Out:
		return c.count(ctx, sc.EventID, 0, -1)
	}
	firsts := 0
	if newcomer {
		firsts = 1
	}
	if err := c.count(ctx, sc.EventID, firsts, 1); err != nil {
		return err
	}
	return c.countEntry(ctx, sc.EventID, sc.Gate, sc.ScannedAt, 1)
}

func (c checkinColls) count(ctx context.Context, eventID string, checkedIn, inside int) error {
	return upsertInc(ctx, c.counts, bson.D{{Key: "_id", Value: eventID}},
		bson.D{{Key: "checked_in", Value: checkedIn}, {Key: "inside", Value: inside}})
}

func (c checkinColls) countEntry(ctx context.Context, eventID, gate string, at time.Time, n int) error {
	if err := upsertInc(ctx, c.gates, bson.D{{Key: "event_id", Value: eventID}, {Key: "gate", Value: gate}},
		bson.D{{Key: "entries", Value: n}}); err != nil {
		return err
	}
	slot := at.UnixMilli() / arrivalSlot.Milliseconds() * arrivalSlot.Milliseconds()
	return upsertInc(ctx, c.slots, bson.D{{Key: "event_id", Value: eventID}, {Key: "at", Value: bson.DateTime(slot)}},
		bson.D{{Key: "entries", Value: n}})
}

// upsertInc increments the counter document filter names, creating it when
// missing. Two first upserts at once can clash on the unique index; the
// second attempt then updates the winner's document.
func upsertInc(ctx context.Context, coll *driver.Collection, filter, inc bson.D) error {
	_, err := retryDup(func() (*driver.UpdateResult, error) {
		return coll.UpdateOne(ctx, filter, bson.D{{Key: "$inc", Value: inc}}, options.UpdateOne().SetUpsert(true))
	})
	return err
}

// AnnulScan takes the entry back from presence, then marks the scan, then
// fixes the counts. The presence update is the decision: it is guarded by
// last_scan, which any later scan of the ticket or an annulment of this
// one changes.
func (s *Store) AnnulScan(ctx context.Context, eventID, scanID, by string, at time.Time) (checkin.Scan, error) {
	c := s.checkinColls()
	var d scanDoc
	if err := c.scans.FindOne(ctx, bson.D{{Key: "_id", Value: scanID}, {Key: "event_id", Value: eventID}}).Decode(&d); err != nil {
		return checkin.Scan{}, translate(err)
	}
	sc := d.scan()
	if !sc.Accepted || sc.Direction != checkin.In || !sc.AnnulledAt.IsZero() {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_annullable")
	}
	var p presenceDoc
	if err := c.presence.FindOne(ctx, bson.D{{Key: "_id", Value: sc.TicketID}}).Decode(&p); err != nil {
		return checkin.Scan{}, translate(err)
	}
	if p.LastScan != sc.ID {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_latest")
	}
	// The only entry gone, the ticket was never checked in; the guard on
	// entries keeps that reading true when the update lands.
	only := p.Entries == 1
	set := bson.D{{Key: "inside", Value: false}, {Key: "last_scan", Value: ""}}
	if only {
		set = append(set, bson.E{Key: "first_in_at", Value: date(time.Time{})})
	}
	res, err := c.presence.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: sc.TicketID}, {Key: "last_scan", Value: sc.ID}, {Key: "entries", Value: p.Entries}},
		bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "entries", Value: -1}}}})
	if err != nil {
		return checkin.Scan{}, err
	}
	if res.MatchedCount == 0 {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_latest")
	}
	// As in RecordScan, a change made is carried through.
	wctx, cancel := detached(ctx)
	defer cancel()
	_, merr := c.scans.UpdateOne(wctx, bson.D{{Key: "_id", Value: sc.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "annulled_at", Value: date(at)},
		{Key: "annulled_by", Value: by},
	}}})
	firsts := 0
	if only {
		firsts = -1
	}
	cerr := c.count(wctx, eventID, firsts, -1)
	if cerr == nil {
		cerr = c.countEntry(wctx, eventID, sc.Gate, sc.ScannedAt, -1)
	}
	if err := errors.Join(merr, cerr); err != nil {
		return checkin.Scan{}, err
	}
	sc.AnnulledAt, sc.AnnulledBy = at, by
	return sc, nil
}

func (s *Store) Stats(ctx context.Context, eventID string) (checkin.Stats, error) {
	c := s.checkinColls()
	st := checkin.Stats{ByGate: map[string]int{}}
	var counts struct {
		CheckedIn int `bson:"checked_in"`
		Inside    int `bson:"inside"`
	}
	err := c.counts.FindOne(ctx, bson.D{{Key: "_id", Value: eventID}}).Decode(&counts)
	if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
		return st, err
	}
	st.CheckedIn, st.Inside = counts.CheckedIn, counts.Inside
	cur, err := c.gates.Find(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}})
	if err != nil {
		return st, err
	}
	var gates []struct {
		Gate    string `bson:"gate"`
		Entries int    `bson:"entries"`
	}
	if err := cur.All(ctx, &gates); err != nil {
		return st, err
	}
	for _, g := range gates {
		st.ByGate[g.Gate] = g.Entries
	}
	return st, nil
}

func (s *Store) Arrivals(ctx context.Context, eventID string) ([]checkin.Arrival, error) {
	cur, err := s.checkinColls().slots.Find(ctx,
		bson.D{{Key: "event_id", Value: eventID}, {Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var slots []struct {
		At      bson.DateTime `bson:"at"`
		Entries int           `bson:"entries"`
	}
	if err := cur.All(ctx, &slots); err != nil {
		return nil, err
	}
	var out []checkin.Arrival
	for _, sl := range slots {
		out = append(out, checkin.Arrival{At: time.UnixMilli(int64(sl.At)).UTC(), Entries: sl.Entries})
	}
	return out, nil
}

func scanFilter(q checkin.LogQuery) bson.D {
	// A scan being decided has no result yet and is not logged until it has.
	filter := bson.D{{Key: "event_id", Value: q.EventID}, {Key: "result", Value: bson.D{{Key: "$ne", Value: ""}}}}
	if q.Gate != "" {
		filter = append(filter, bson.E{Key: "gate", Value: q.Gate})
	}
	if q.TicketID != "" {
		filter = append(filter, bson.E{Key: "ticket_id", Value: q.TicketID})
	}
	if q.ConflictsOnly {
		filter = append(filter, bson.E{Key: "conflict", Value: true})
	}
	return filter
}

func (s *Store) ScansAfter(ctx context.Context, q checkin.LogQuery, c keyset.Cursor) ([]checkin.Scan, error) {
	docs, err := pageAfter[scanDoc](ctx, s.checkinColls().scans, scanFilter(q), "recorded_at", c, q.Limit)
	return convert(docs, scanDoc.scan), err
}

func (s *Store) ScanLog(ctx context.Context, q checkin.LogQuery) ([]checkin.Scan, int, error) {
	docs, total, err := sortedPage[scanDoc](ctx, s.checkinColls().scans, scanFilter(q),
		bson.D{{Key: "recorded_at", Value: -1}, {Key: "_id", Value: -1}}, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, scanDoc.scan), total, nil
}

func (s *Store) Presence(ctx context.Context, ticketID string) (time.Time, bool, error) {
	var p presenceDoc
	err := s.checkinColls().presence.FindOne(ctx, bson.D{{Key: "_id", Value: ticketID}}).Decode(&p)
	if errors.Is(err, driver.ErrNoDocuments) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return fromDate(p.FirstInAt), p.Inside, nil
}
