package mongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/integrity"
	"sprout/internal/tickets"
)

var _ integrity.Store = (*Store)(nil)

// soldFix: this store keeps remaining, capacity − sold.
type soldFix struct {
	typeID              string
	capacity, remaining int
	count               int
}

func (f soldFix) drift() integrity.Drift {
	return integrity.SoldDrift(f.typeID, f.capacity-f.remaining, f.count)
}

type seqFix struct {
	typeID          string
	stored, highest int64
}

func (f seqFix) drift() integrity.Drift { return integrity.SeqDrift(f.typeID, f.stored, f.highest) }

// waitFix carries what puts an entry back in line: its person's key.
type waitFix struct {
	integrity.WaitFix
	eventID, email string
}

// findings are the drifts with what mending each needs.
type findings struct {
	sold    []soldFix
	seqs    []seqFix
	checkin integrity.Checkin
	waits   []waitFix
	certs   []integrity.CertSeqFix
}

func (f findings) drifts() []integrity.Drift {
	out := f.checkin.Drifts()
	for _, x := range f.sold {
		out = append(out, x.drift())
	}
	for _, x := range f.seqs {
		out = append(out, x.drift())
	}
	for _, w := range f.waits {
		out = append(out, w.Drift())
	}
	for _, c := range f.certs {
		out = append(out, c.Drift())
	}
	integrity.Sort(out)
	return out
}

// Check reads the collections one after another, without a snapshot: a
// write landing meanwhile can show as drift, which a second look (see
// integrity.Service.Repair) tells apart.
func (s *Store) Check(ctx context.Context, settled time.Time) ([]integrity.Drift, error) {
	f, err := s.find(ctx, settled)
	if err != nil {
		return nil, err
	}
	return f.drifts(), nil
}

// Repair mends with single-document updates, each guarded by the values it
// read, so it is safe beside a serving app:
//
//   - A write that lands between the read and the update (a gate deciding
//     a scan, a registration taking a seat) makes the guard miss: nothing
//     is written and the drift is left for the next run, never an
//     increment lost.
//   - An operation of several writes that is half done when the records
//     are read and finishes after the update (a ticket inserted but its
//     seat not yet taken) leaves the counter off by its remaining step.
//     Repair mends only what drifted alike at two looks, so only an
//     operation slower than the interval between them (integrity.Settle)
//     can do this.
//
// Either way the next run converges: it recomputes every counter from the
// records it counts, which a finished operation has all written. The
// check-in counts are not stored here (see checkinColls): nothing of them
// can drift.
func (s *Store) Repair(ctx context.Context, settled time.Time, seen []integrity.Drift) ([]integrity.Drift, error) {
	f, err := s.find(ctx, settled)
	if err != nil {
		return nil, err
	}
	var done findings
	err = s.mend(ctx, f, seen, &done)
	s.counts.forgetAll()
	return done.drifts(), err
}

// applied reads an update's outcome: false when the guard missed, or when
// an upsert found the record made meanwhile.
func applied(res *driver.UpdateResult, err error) (bool, error) {
	if driver.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return res.MatchedCount > 0 || res.UpsertedCount > 0, nil
}

func setFields(fields ...bson.E) bson.D { return bson.D{{Key: "$set", Value: bson.D(fields)}} }

func (s *Store) mend(ctx context.Context, f findings, seen []integrity.Drift, done *findings) error {
	for _, x := range f.sold {
		if !integrity.Seen(seen, x.drift()) {
			continue
		}
		ok, err := applied(s.ticketTypes.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: x.typeID}, {Key: "capacity", Value: x.capacity}, {Key: "remaining", Value: x.remaining}},
			setFields(bson.E{Key: "remaining", Value: x.capacity - x.count})))
		if err != nil {
			return err
		}
		if ok {
			done.sold = append(done.sold, x)
		}
	}
	for _, x := range f.seqs {
		if !integrity.Seen(seen, x.drift()) {
			continue
		}
		ok, err := applied(s.ticketTypes.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: x.typeID}, {Key: "waitlist_seq", Value: x.stored}},
			setFields(bson.E{Key: "waitlist_seq", Value: x.highest})))
		if err != nil {
			return err
		}
		if ok {
			done.seqs = append(done.seqs, x)
		}
	}
	if err := s.mendCheckin(ctx, f.checkin, seen, &done.checkin); err != nil {
		return err
	}
	for _, c := range f.certs {
		if !integrity.Seen(seen, c.Drift()) {
			continue
		}
		// $max only raises it, whatever issues meanwhile.
		ok, err := applied(s.certCounters().UpdateOne(ctx, bson.D{{Key: "_id", Value: c.Year}},
			bson.D{{Key: "$max", Value: bson.D{{Key: "n", Value: c.Highest}}}}, options.UpdateOne().SetUpsert(true)))
		if err != nil {
			return err
		}
		if ok {
			done.certs = append(done.certs, c)
		}
	}
	for _, w := range f.waits {
		if !integrity.Seen(seen, w.Drift()) {
			continue
		}
		update := setFields(bson.E{Key: "ticket_id", Value: w.TicketID})
		switch w.Status {
		case tickets.Waiting:
			update = setFields(bson.E{Key: "status", Value: string(w.Status)}, bson.E{Key: "ticket_id", Value: ""},
				bson.E{Key: "waiting_key", Value: personKey(w.eventID, w.email)})
		case tickets.Left:
			update = setFields(bson.E{Key: "status", Value: string(w.Status)}, bson.E{Key: "ticket_id", Value: ""},
				bson.E{Key: "waiting_key", Value: w.EntryID})
		}
		// A person waiting again meanwhile makes waiting_key clash: the
		// next run says "left".
		ok, err := applied(s.waitlist.UpdateOne(ctx, bson.D{
			{Key: "_id", Value: w.EntryID}, {Key: "status", Value: string(tickets.Promoted)}, {Key: "ticket_id", Value: w.StoredTicket},
		}, update))
		if err != nil {
			return err
		}
		if ok {
			done.waits = append(done.waits, w)
		}
	}
	return nil
}

func (s *Store) mendCheckin(ctx context.Context, f integrity.Checkin, seen []integrity.Drift, done *integrity.Checkin) error {
	c := s.checkinColls()
	for _, p := range f.Pending {
		if !integrity.Seen(seen, p.Drift()) {
			continue
		}
		// Older than integrity.Abandoned, the scan has no process deciding
		// it: its steps give up long before.
		var ok bool
		var err error
		if p.Decided {
			ok, err = c.complete(ctx, p.ID, date(p.FirstInAt))
		} else {
			ok, err = c.drop(ctx, p.ID)
		}
		if err != nil {
			return err
		}
		if ok {
			done.Pending = append(done.Pending, p)
		}
	}
	for _, p := range f.Annulling {
		if !integrity.Seen(seen, p.Drift()) {
			continue
		}
		ok, err := s.endAnnulAsSeen(ctx, p)
		if err != nil {
			return err
		}
		if ok {
			done.Annulling = append(done.Annulling, p)
		}
	}
	for _, p := range f.Presence {
		if !integrity.SeenAll(seen, p.Drifts()) {
			continue
		}
		w := p.Want
		var ok bool
		var err error
		if p.Known {
			// Guarded by what decide guards on: a gate deciding meanwhile
			// makes it miss.
			ok, err = applied(c.presence.UpdateOne(ctx, bson.D{
				{Key: "_id", Value: w.TicketID}, {Key: "inside", Value: p.Stored.Inside},
				{Key: "entries", Value: p.Stored.Entries}, {Key: "last_scan", Value: p.Stored.LastScan},
			}, setFields(bson.E{Key: "event_id", Value: w.EventID}, bson.E{Key: "inside", Value: w.Inside}, bson.E{Key: "entries", Value: w.Entries},
				bson.E{Key: "first_in_at", Value: date(w.FirstInAt)}, bson.E{Key: "last_scan", Value: w.LastScan})))
		} else {
			_, err = c.presence.InsertOne(ctx, presenceDoc{TicketID: w.TicketID, EventID: w.EventID, Inside: w.Inside,
				Entries: w.Entries, FirstInAt: date(w.FirstInAt), LastScan: w.LastScan})
			ok = err == nil
			if driver.IsDuplicateKeyError(err) {
				err = nil
			}
		}
		if err != nil {
			return err
		}
		if ok {
			done.Presence = append(done.Presence, p)
		}
	}
	return nil
}

// endAnnulAsSeen ends an annulment a crash left begun the way the check
// saw it should end; one whose state moved since is left for the next run.
func (s *Store) endAnnulAsSeen(ctx context.Context, p integrity.PendingAnnul) (bool, error) {
	c := s.checkinColls()
	var d scanDoc
	err := c.scans.FindOne(ctx, bson.D{{Key: "_id", Value: p.ID}}).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) || err == nil && d.AnnullingAt == 0 {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	annulled, err := c.annulDone(ctx, d)
	if err != nil || annulled != p.Done {
		return false, err
	}
	return c.endAnnul(ctx, d.ID, d.AnnullingAt, d.AnnullingBy, annulled)
}

// byID is the order the check reads in: a fixed one, so runs list alike.
func byID() bson.D { return bson.D{{Key: "_id", Value: 1}} }

func (s *Store) find(ctx context.Context, settled time.Time) (findings, error) {
	var f findings
	var err error
	if f.sold, f.seqs, err = s.findTypes(ctx); err != nil {
		return f, err
	}
	if f.checkin, err = s.findCheckin(ctx, settled); err != nil {
		return f, err
	}
	if f.waits, err = s.findWaits(ctx); err != nil {
		return f, err
	}
	f.certs, err = s.findCertSeqs(ctx)
	return f, err
}

func (s *Store) findCertSeqs(ctx context.Context) ([]integrity.CertSeqFix, error) {
	cs, err := findAll[struct {
		Code string `bson:"_id"`
	}](ctx, s.certificates(), bson.D{}, byID())
	if err != nil {
		return nil, err
	}
	counters, err := findAll[certCounterDoc](ctx, s.certCounters(), bson.D{}, byID())
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(cs))
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	stored := map[int]int64{}
	for _, c := range counters {
		stored[c.Year] = c.N
	}
	return integrity.CompareCertSeqs(codes, stored), nil
}

func (s *Store) findTypes(ctx context.Context) ([]soldFix, []seqFix, error) {
	types, err := findAll[typeDoc](ctx, s.ticketTypes, bson.D{}, byID())
	if err != nil {
		return nil, nil, err
	}
	var sold []soldFix
	var seqs []seqFix
	for _, t := range types {
		n, err := s.tickets.CountDocuments(ctx, bson.D{{Key: "type_id", Value: t.ID}, {Key: "status", Value: string(tickets.Active)}})
		if err != nil {
			return nil, nil, err
		}
		if t.Capacity-t.Remaining != int(n) {
			sold = append(sold, soldFix{typeID: t.ID, capacity: t.Capacity, remaining: t.Remaining, count: int(n)})
		}
		var last waitDoc
		err = s.waitlist.FindOne(ctx, bson.D{{Key: "type_id", Value: t.ID}},
			options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}})).Decode(&last)
		if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
			return nil, nil, err
		}
		if last.Seq > t.WaitlistSeq {
			seqs = append(seqs, seqFix{typeID: t.ID, stored: t.WaitlistSeq, highest: last.Seq})
		}
	}
	return sold, seqs, nil
}

func (s *Store) findCheckin(ctx context.Context, settled time.Time) (integrity.Checkin, error) {
	c := s.checkinColls()
	// Nearly every scan is accepted, so the check reads them all, as an
	// index would not spare it, and passes over those that change nothing:
	// neither accepted nor left without a result.
	docs, err := findAll[scanDoc](ctx, c.scans, bson.D{}, byID())
	if err != nil {
		return integrity.Checkin{}, err
	}
	scans := make([]integrity.Scan, 0, len(docs))
	for _, d := range docs {
		if d.Result != "" && !d.Accepted {
			continue
		}
		scans = append(scans, integrity.Scan{
			ID: d.ID, EventID: d.EventID, TicketID: d.TicketID, Gate: d.Gate, In: d.Direction == "in",
			Result: d.Result, Accepted: d.Accepted, Annulled: d.AnnulledAt != 0, AnnullingAt: fromDate(d.AnnullingAt),
			Slot: fromDate(slotOf(d.ScannedAt)), ScannedAt: fromDate(d.ScannedAt), RecordedAt: fromDate(d.RecordedAt),
		})
	}
	pdocs, err := findAll[presenceDoc](ctx, c.presence, bson.D{}, byID())
	if err != nil {
		return integrity.Checkin{}, err
	}
	presence := make([]integrity.Presence, 0, len(pdocs))
	for _, p := range pdocs {
		presence = append(presence, integrity.Presence{TicketID: p.TicketID, EventID: p.EventID, Inside: p.Inside,
			Entries: p.Entries, FirstInAt: fromDate(p.FirstInAt), LastScan: p.LastScan, Annulled: p.Annulled})
	}
	return integrity.CompareCheckin(scans, presence, nil, settled), nil
}

func (s *Store) findWaits(ctx context.Context) ([]waitFix, error) {
	promoted, err := findAll[waitDoc](ctx, s.waitlist, bson.D{{Key: "status", Value: string(tickets.Promoted)}}, byID())
	if err != nil {
		return nil, err
	}
	var out []waitFix
	for _, w := range promoted {
		if w.TicketID != "" {
			there, err := exists(ctx, s.tickets, bson.D{{Key: "_id", Value: w.TicketID}})
			if err != nil {
				return nil, err
			}
			if there {
				continue
			}
		}
		var held ticketDoc
		err := s.tickets.FindOne(ctx, bson.D{{Key: "active_key", Value: personKey(w.EventID, w.Email)}}).Decode(&held)
		if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
			return nil, err
		}
		waiting, err := exists(ctx, s.waitlist, bson.D{{Key: "waiting_key", Value: personKey(w.EventID, w.Email)}})
		if err != nil {
			return nil, err
		}
		out = append(out, waitFix{WaitFix: integrity.SettleWait(w.ID, w.TypeID, w.TicketID, held.ID, held.TypeID, waiting),
			eventID: w.EventID, email: w.Email})
	}
	return out, nil
}
