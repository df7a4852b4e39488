package mongo

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/checkin"
	"sprout/internal/errs"
	"sprout/internal/keyset"
)

var _ checkin.Store = (*Store)(nil)

// arrivalSlot is how long an arrivals slot lasts.
const arrivalSlot = 5 * time.Minute

// slotOf is the start of the arrivals slot a time falls in.
func slotOf(at bson.DateTime) bson.DateTime {
	n := bson.DateTime(arrivalSlot.Milliseconds())
	return at / n * n
}

// nonceWait bounds how long a repeated nonce waits for its first scan to be
// decided, which takes a few round trips.
const nonceWait = 10 * time.Second

// checkinColls are the collections of the gates. presence holds one document
// per ticket that ever entered, _id the ticket id: every decision is one
// guarded update of it.
//
// The event's counts (checked in, inside, entries per gate and per five
// minutes) are not stored but derived when read, from presence and from
// the accepted entries in scans. Stored, they would be $inc's on three
// more documents after each decision: a process dying between them leaves
// them short for good, and an $inc cannot tell whether it already ran, so
// no recovery could finish them. Derived, a scan is its scan document and
// one presence update, each of which recovery can tell done or not (see
// RecoverScans); reading them costs two indexed counts and one $group,
// which countsCache spares the gates' reloads.
type checkinColls struct {
	scans, presence *driver.Collection
}

func (s *Store) checkinColls() checkinColls {
	return checkinColls{
		scans:    s.db.Collection("scans"),
		presence: s.db.Collection("presence"),
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

// scanDoc is a scan. Result is empty from when the store takes the scan to
// decide until the decision is stored on it; AnnullingAt is set from when
// an annulment begins until it is done or undone.
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
	// Slot is the arrivals slot of ScannedAt, a plain field for Arrivals
	// to $group on: FerretDB has no date operators.
	Slot        bson.DateTime `bson:"slot"`
	AnnullingAt bson.DateTime `bson:"annulling_at,omitempty"`
	AnnullingBy string        `bson:"annulling_by,omitempty"`
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
		Slot:       slotOf(date(sc.ScannedAt)),
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
	// Annulled are the entries annulments took back: how the step of an
	// annulment on presence is known to have been made.
	Annulled []string `bson:"annulled,omitempty"`
}

// RecordScan stores the scan, decides it against presence, then stores the
// decision on the scan. The scan stored without a result is the intent: a
// process that dies after storing it leaves it for RecoverScans, which
// tells by presence whether the decision was made (see decide). A scan
// decided before the store is one insert.
func (s *Store) RecordScan(ctx context.Context, sc checkin.Scan) (checkin.Scan, error) {
	c := s.checkinColls()
	first, claimed, err := c.claim(ctx, sc)
	if err != nil || !claimed || sc.Result != "" {
		return first, err
	}
	defer s.counts.forget(sc.EventID)
	// The steps run to the end even if the gate stops waiting.
	wctx, cancel := detached(ctx)
	defer cancel()
	if err := c.decide(wctx, &sc); err != nil {
		// The decision's write may have landed all the same: settling the
		// scan now, as recovery would, answers the gate's resend at once.
		// A store still out of reach leaves it to RecoverScans.
		_, serr := c.settle(wctx, sc.ID, sc.TicketID)
		return checkin.Scan{}, errors.Join(err, serr)
	}
	if err := c.finish(wctx, sc); err != nil {
		return checkin.Scan{}, err
	}
	return sc, nil
}

// claim stores sc, without a result when the store is to decide it, and
// reports true; or returns the scan that holds sc's nonce already, once
// that one is decided. A scan with a nonce is stored before it is decided
// so that of two copies sent at once the unique nonce_key lets one
// through.
func (c checkinColls) claim(ctx context.Context, sc checkin.Scan) (checkin.Scan, bool, error) {
	doc := newScanDoc(sc)
	if sc.Nonce == "" {
		if _, err := c.scans.InsertOne(ctx, doc); err != nil {
			return checkin.Scan{}, false, translate(err)
		}
		return sc, true, nil
	}
	giveUp := time.NewTimer(nonceWait)
	defer giveUp.Stop()
	for pause := 5 * time.Millisecond; ; pause = min(2*pause, 200*time.Millisecond) {
		_, err := c.scans.InsertOne(ctx, doc)
		if err == nil {
			return sc, true, nil
		}
		if !driver.IsDuplicateKeyError(err) {
			return checkin.Scan{}, false, err
		}
		var first scanDoc
		ferr := c.scans.FindOne(ctx, bson.D{{Key: "nonce_key", Value: doc.NonceKey}}).Decode(&first)
		switch {
		case ferr == nil && first.Result != "":
			return first.scan(), false, nil
		case ferr == nil:
			// Being decided, or left by a process that died: decided, then
			// presence shows it; abandoned undecided, it is removed, as
			// RecoverScans would, and this copy takes the nonce.
			p, decided, err := c.decision(ctx, first.ID, first.TicketID)
			if err != nil {
				return checkin.Scan{}, false, err
			}
			if decided {
				if _, err := c.complete(ctx, first.ID, p.FirstInAt); err != nil {
					return checkin.Scan{}, false, err
				}
				first.Result, first.Accepted, first.Conflict, first.FirstInAt = string(checkin.OK), true, false, p.FirstInAt
				return first.scan(), false, nil
			}
			if fromDate(first.RecordedAt).Before(sc.RecordedAt.Add(-checkin.Abandoned)) {
				if _, err := c.drop(ctx, first.ID); err != nil {
					return checkin.Scan{}, false, err
				}
				continue
			}
		case errors.Is(ferr, driver.ErrNoDocuments):
			// FerretDB does not say which index refused: either the scan id
			// is taken, or the first scan was removed and freed the nonce,
			// which the next attempt takes.
			taken, xerr := exists(ctx, c.scans, bson.D{{Key: "_id", Value: sc.ID}})
			if xerr != nil || taken {
				return checkin.Scan{}, false, errors.Join(translate(err), xerr)
			}
		default:
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

// decide settles sc against the ticket's presence. Each change is one
// update guarded by the whole state it was read in, latest scan included,
// so of several gates one changes that state and the others read again.
// Before presence moves on from its latest scan, that scan's result is made
// sure of (answerLatest): so a scan without a result that presence does not
// name was never decided, which is how RecoverScans tells. A read that
// finds the ticket inside answers AlreadyIn at once: it was inside at that
// moment.
func (c checkinColls) decide(ctx context.Context, sc *checkin.Scan) error {
	id := bson.E{Key: "_id", Value: sc.TicketID}
	for {
		var p presenceDoc
		err := c.presence.FindOne(ctx, bson.D{id}).Decode(&p)
		known := err == nil
		if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
			return err
		}
		sc.Result, sc.FirstInAt = checkin.OK, fromDate(p.FirstInAt)
		var update bson.D
		switch {
		case sc.Direction == checkin.Out && !p.Inside:
			return nil
		case sc.Direction == checkin.Out:
			update = bson.D{{Key: "$set", Value: bson.D{{Key: "inside", Value: false}, {Key: "last_scan", Value: sc.ID}}}}
		case p.Inside:
			sc.Result, sc.Conflict = checkin.AlreadyIn, sc.Offline
			return nil
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
				return nil
			}
			// A duplicate is another gate's entry: read what it did.
			if !driver.IsDuplicateKeyError(err) {
				return err
			}
			continue
		case p.Entries == 0:
			// Every entry was annulled, so this one is the first again.
			update = bson.D{{Key: "$set", Value: bson.D{
				{Key: "inside", Value: true},
				{Key: "entries", Value: 1},
				{Key: "first_in_at", Value: date(sc.ScannedAt)},
				{Key: "last_scan", Value: sc.ID},
			}}}
		default:
			update = bson.D{
				{Key: "$set", Value: bson.D{{Key: "inside", Value: true}, {Key: "last_scan", Value: sc.ID}}},
				{Key: "$inc", Value: bson.D{{Key: "entries", Value: 1}}},
			}
		}
		if err := c.answerLatest(ctx, p); err != nil {
			return err
		}
		res, err := c.presence.UpdateOne(ctx, bson.D{id,
			{Key: "inside", Value: p.Inside}, {Key: "entries", Value: p.Entries}, {Key: "last_scan", Value: p.LastScan},
		}, update)
		if err != nil {
			return err
		}
		if res.MatchedCount == 0 {
			continue
		}
		sc.Accepted = true
		if sc.Direction == checkin.In && p.Entries == 0 {
			sc.FirstInAt = sc.ScannedAt
		}
		return nil
	}
}

// answerLatest makes sure the scan presence p names as its latest has its
// result, storing the one its decision gave when its process died first.
// A scan not found was taken for abandoned by a recovery that ran before
// its decision landed; its own process writes it whole (see finish).
func (c checkinColls) answerLatest(ctx context.Context, p presenceDoc) error {
	if p.LastScan == "" {
		return nil
	}
	var d scanDoc
	err := c.scans.FindOne(ctx, bson.D{{Key: "_id", Value: p.LastScan}},
		options.FindOne().SetProjection(bson.D{{Key: "result", Value: 1}})).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) || err == nil && d.Result != "" {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = c.complete(ctx, p.LastScan, p.FirstInAt)
	return err
}

// finish stores sc's decision on it. A scan found gone was taken for
// abandoned by a recovery that ran before the decision landed (a process
// stalled past RecoverScans' olderThan): the decision stands in presence,
// so the scan is written again, whole.
func (c checkinColls) finish(ctx context.Context, sc checkin.Scan) error {
	res, err := c.scans.UpdateOne(ctx, bson.D{{Key: "_id", Value: sc.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "result", Value: string(sc.Result)},
		{Key: "accepted", Value: sc.Accepted},
		{Key: "conflict", Value: sc.Conflict},
		{Key: "first_in_at", Value: date(sc.FirstInAt)},
	}}})
	if err != nil || res.MatchedCount > 0 {
		return err
	}
	_, err = c.scans.InsertOne(ctx, newScanDoc(sc))
	return translate(err)
}

// decision reads the presence of the ticket of scan id, which has no
// result, and tells whether the scan was decided: presence names it as its
// latest (a decision that changes nothing is never left unanswered, since
// nothing is written for it). p then holds the scan's answer.
func (c checkinColls) decision(ctx context.Context, id, ticketID string) (presenceDoc, bool, error) {
	var p presenceDoc
	err := c.presence.FindOne(ctx, bson.D{{Key: "_id", Value: ticketID}}).Decode(&p)
	if errors.Is(err, driver.ErrNoDocuments) {
		return p, false, nil
	}
	return p, err == nil && p.LastScan == id, err
}

// complete stores on scan id, which has no result and which presence names
// as its latest, the answer decide gave it: only an accepted scan changes
// presence, and presence still holds the first entry it answered with.
// Any number of processes may complete one scan: they write alike.
func (c checkinColls) complete(ctx context.Context, id string, firstIn bson.DateTime) (bool, error) {
	return applied(c.scans.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "result", Value: ""}}, setFields(
		bson.E{Key: "result", Value: string(checkin.OK)}, bson.E{Key: "accepted", Value: true},
		bson.E{Key: "conflict", Value: false}, bson.E{Key: "first_in_at", Value: firstIn})))
}

// drop removes scan id, stored and never decided, which frees its nonce:
// the gate sending it again has it decided anew.
func (c checkinColls) drop(ctx context.Context, id string) (bool, error) {
	res, err := c.scans.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "result", Value: ""}})
	if err != nil {
		return false, err
	}
	return res.DeletedCount > 0, nil
}

// settle ends scan id, left without a result: completed if it was decided,
// removed if not. It reports whether it changed anything.
func (c checkinColls) settle(ctx context.Context, id, ticketID string) (bool, error) {
	p, decided, err := c.decision(ctx, id, ticketID)
	if err != nil {
		return false, err
	}
	if decided {
		return c.complete(ctx, id, p.FirstInAt)
	}
	return c.drop(ctx, id)
}

// AnnulScan marks the scan as being annulled (the intent), takes the entry
// back from presence (the decision: guarded by last_scan, which any later
// scan of the ticket changes, and listing the scan in annulled), then marks
// the scan annulled. A process that dies in between leaves the intent,
// which RecoverScans finishes when presence lists the scan and clears when
// it does not.
func (s *Store) AnnulScan(ctx context.Context, eventID, scanID, by string, at time.Time) (checkin.Scan, error) {
	c := s.checkinColls()
	var d scanDoc
	if err := c.scans.FindOne(ctx, bson.D{{Key: "_id", Value: scanID}, {Key: "event_id", Value: eventID}}).Decode(&d); err != nil {
		return checkin.Scan{}, translate(err)
	}
	sc := d.scan()
	if !sc.Accepted || sc.Direction != checkin.In || !sc.AnnulledAt.IsZero() || d.AnnullingAt != 0 {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_annullable")
	}
	var p presenceDoc
	if err := c.presence.FindOne(ctx, bson.D{{Key: "_id", Value: sc.TicketID}}).Decode(&p); err != nil {
		return checkin.Scan{}, translate(err)
	}
	if p.LastScan != sc.ID {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_latest")
	}
	mark := date(at)
	res, err := c.scans.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: sc.ID}, {Key: "annulled_at", Value: bson.DateTime(0)}, {Key: "annulling_at", Value: bson.D{{Key: "$exists", Value: false}}}},
		setFields(bson.E{Key: "annulling_at", Value: mark}, bson.E{Key: "annulling_by", Value: by}))
	if err != nil {
		return checkin.Scan{}, err
	}
	if res.MatchedCount == 0 {
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_annullable")
	}
	defer s.counts.forget(eventID)
	// Begun, the annulment is carried through even if the client goes away.
	wctx, cancel := detached(ctx)
	defer cancel()
	// The only entry gone, the ticket was never checked in; the guard on
	// entries keeps that reading true when the update lands.
	set := bson.D{{Key: "inside", Value: false}, {Key: "last_scan", Value: ""}}
	if p.Entries == 1 {
		set = append(set, bson.E{Key: "first_in_at", Value: date(time.Time{})})
	}
	res, err = c.presence.UpdateOne(wctx,
		bson.D{{Key: "_id", Value: sc.TicketID}, {Key: "last_scan", Value: sc.ID}, {Key: "entries", Value: p.Entries}},
		bson.D{{Key: "$set", Value: set}, {Key: "$inc", Value: bson.D{{Key: "entries", Value: -1}}},
			{Key: "$push", Value: bson.D{{Key: "annulled", Value: sc.ID}}}})
	if err != nil {
		return checkin.Scan{}, err
	}
	if res.MatchedCount == 0 {
		// A scan of the ticket came first: the entry stands.
		if _, err := c.endAnnul(wctx, sc.ID, mark, by, false); err != nil {
			return checkin.Scan{}, err
		}
		return checkin.Scan{}, errs.New(errs.Conflict, "error.scan_not_latest")
	}
	if _, err := c.endAnnul(wctx, sc.ID, mark, by, true); err != nil {
		return checkin.Scan{}, err
	}
	sc.AnnulledAt, sc.AnnulledBy = at, by
	return sc, nil
}

// annulDone tells whether the annulment begun on scan d took its entry
// back from presence.
func (c checkinColls) annulDone(ctx context.Context, d scanDoc) (bool, error) {
	return exists(ctx, c.presence, bson.D{{Key: "_id", Value: d.TicketID}, {Key: "annulled", Value: d.ID}})
}

// endAnnul ends the annulment begun on scan id at mark: done marks the
// scan annulled; otherwise the entry stands and only the intent goes.
func (c checkinColls) endAnnul(ctx context.Context, id string, mark bson.DateTime, by string, done bool) (bool, error) {
	update := bson.D{{Key: "$unset", Value: bson.D{{Key: "annulling_at", Value: ""}, {Key: "annulling_by", Value: ""}}}}
	if done {
		update = append(update, bson.E{Key: "$set", Value: bson.D{{Key: "annulled_at", Value: mark}, {Key: "annulled_by", Value: by}}})
	}
	return applied(c.scans.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "annulling_at", Value: mark}}, update))
}

// RecoverScans settles the scans left without a result since before
// olderThan, and the annulments begun before it: their steps give up after
// ten seconds, so no process is still at them. (A backfilled scan is
// recorded at the time it was made; taken for abandoned while still being
// decided, it is written again by its own process, see finish.) Each step
// is guarded by the state it settles, so recovering twice, or beside a
// live gate, changes nothing more.
func (s *Store) RecoverScans(ctx context.Context, olderThan time.Time) (int, error) {
	c := s.checkinColls()
	settled := 0
	defer func() {
		if settled > 0 {
			s.counts.forgetAll()
		}
	}()
	before := bson.D{{Key: "$lt", Value: date(olderThan)}}
	pending, err := findAll[scanDoc](ctx, c.scans, bson.D{{Key: "result", Value: ""}, {Key: "recorded_at", Value: before}}, byID())
	if err != nil {
		return 0, err
	}
	for _, d := range pending {
		ok, err := c.settle(ctx, d.ID, d.TicketID)
		if err != nil {
			return settled, err
		}
		if ok {
			settled++
		}
	}
	annulling, err := findAll[scanDoc](ctx, c.scans, bson.D{{Key: "annulling_at", Value: before}}, byID())
	if err != nil {
		return settled, err
	}
	for _, d := range annulling {
		done, err := c.annulDone(ctx, d)
		if err != nil {
			return settled, err
		}
		ok, err := c.endAnnul(ctx, d.ID, d.AnnullingAt, d.AnnullingBy, done)
		if err != nil {
			return settled, err
		}
		if ok {
			settled++
		}
	}
	return settled, nil
}

// countsFresh is how long an instance answers an event's counts without
// deriving them again: each gate reloads them a second after its bursts.
const countsFresh = time.Second

// countsCache keeps each event's derived counts for countsFresh. The
// instance's own changes to an event drop its counts at once, so what an
// instance records it shows; another instance's changes show within
// countsFresh. Event ids are copied before they key a map: a caller's may
// share memory it reuses (Fiber's route parameters do).
type countsCache struct {
	mu sync.Mutex
	// epoch and gen version what is kept: epoch moves when any event may
	// have changed, gen[event] when that one did.
	epoch   uint64
	gen     map[string]uint64
	tickets map[string]kept[ticketCounts]
	entries map[string]kept[entryCounts]
}

type kept[T any] struct {
	v       T
	at      time.Time
	version uint64
}

func (c *countsCache) version(eventID string) uint64 { return c.epoch + c.gen[eventID] }

func (c *countsCache) forget(eventID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == nil {
		c.gen = map[string]uint64{}
	}
	c.gen[strings.Clone(eventID)]++
}

func (c *countsCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
}

// cachedRead returns what m keeps for the event while fresh, or reads it
// and keeps it, unless the event changed while it was read.
func cachedRead[T any](c *countsCache, m *map[string]kept[T], eventID string, read func() (T, error)) (T, error) {
	c.mu.Lock()
	version := c.version(eventID)
	k, ok := (*m)[eventID]
	c.mu.Unlock()
	if ok && k.version == version && time.Since(k.at) < countsFresh {
		return k.v, nil
	}
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Kept from when the read ends, so a slow read is kept too: another
	// instance's changes show within countsFresh of it.
	if c.version(eventID) == version {
		if *m == nil {
			*m = map[string]kept[T]{}
		}
		(*m)[strings.Clone(eventID)] = kept[T]{v: v, at: time.Now(), version: version}
	}
	return v, nil
}

func (s *Store) Stats(ctx context.Context, eventID string) (checkin.Stats, error) {
	c := s.checkinColls()
	tc, err := cachedRead(&s.counts, &s.counts.tickets, eventID, func() (ticketCounts, error) {
		return c.ticketCounts(ctx, eventID)
	})
	if err != nil {
		return checkin.Stats{}, err
	}
	ec, err := cachedRead(&s.counts, &s.counts.entries, eventID, func() (entryCounts, error) {
		return c.entryCounts(ctx, eventID)
	})
	if err != nil {
		return checkin.Stats{}, err
	}
	// Each caller gets a map of its own.
	return checkin.Stats{CheckedIn: tc.checkedIn, Inside: tc.inside, ByGate: maps.Clone(ec.byGate)}, nil
}

func (s *Store) Arrivals(ctx context.Context, eventID string) ([]checkin.Arrival, error) {
	c := s.checkinColls()
	ec, err := cachedRead(&s.counts, &s.counts.entries, eventID, func() (entryCounts, error) {
		return c.entryCounts(ctx, eventID)
	})
	return slices.Clone(ec.arrivals), err
}

// ticketCounts are an event's tickets checked in and inside.
type ticketCounts struct{ checkedIn, inside int }

// ticketCounts counts them on presence, each on an index of its own.
func (c checkinColls) ticketCounts(ctx context.Context, eventID string) (ticketCounts, error) {
	in, err := c.presence.CountDocuments(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}})
	if err != nil {
		return ticketCounts{}, err
	}
	inside, err := c.presence.CountDocuments(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "inside", Value: true}})
	return ticketCounts{checkedIn: int(in), inside: int(inside)}, err
}

// entryCounts are an event's entries that stand, per gate and per arrivals
// slot (oldest first).
type entryCounts struct {
	byGate   map[string]int
	arrivals []checkin.Arrival
}

// entryCounts counts the entries that stand (accepted, not annulled) in
// one pass over the event's scans, grouped by gate and slot together: a
// few groups per gate and five minutes, whatever the number of scans. A
// scan being decided or annulled counts once it is done.
func (c checkinColls) entryCounts(ctx context.Context, eventID string) (entryCounts, error) {
	cur, err := c.scans.Aggregate(ctx, bson.A{
		bson.D{{Key: "$match", Value: bson.D{
			{Key: "event_id", Value: eventID},
			{Key: "accepted", Value: true},
			{Key: "direction", Value: string(checkin.In)},
			{Key: "annulled_at", Value: bson.DateTime(0)},
		}}},
		bson.D{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: bson.D{{Key: "gate", Value: "$gate"}, {Key: "slot", Value: "$slot"}}},
			{Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}},
		}}},
	})
	if err != nil {
		return entryCounts{}, err
	}
	var groups []struct {
		Key struct {
			Gate string        `bson:"gate"`
			Slot bson.DateTime `bson:"slot"`
		} `bson:"_id"`
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &groups); err != nil {
		return entryCounts{}, err
	}
	out := entryCounts{byGate: map[string]int{}}
	slots := map[bson.DateTime]int{}
	for _, g := range groups {
		out.byGate[g.Key.Gate] += g.N
		slots[g.Key.Slot] += g.N
	}
	for _, at := range slices.Sorted(maps.Keys(slots)) {
		out.arrivals = append(out.arrivals, checkin.Arrival{At: fromDate(at), Entries: slots[at]})
	}
	return out, nil
}

// giveScanSlots gives each scan stored before scans carried their arrivals
// slot its slot, before Arrivals groups by it. The guard makes instances
// starting together harmless to each other.
func (s *Store) giveScanSlots(ctx context.Context) error {
	scans := s.checkinColls().scans
	without := bson.D{{Key: "slot", Value: bson.D{{Key: "$exists", Value: false}}}}
	cur, err := scans.Find(ctx, without, options.Find().SetProjection(bson.D{{Key: "scanned_at", Value: 1}}))
	if err != nil {
		return err
	}
	var docs []scanDoc
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	for _, d := range docs {
		_, err := scans.UpdateOne(ctx, append(bson.D{{Key: "_id", Value: d.ID}}, without...),
			setFields(bson.E{Key: "slot", Value: slotOf(d.ScannedAt)}))
		if err != nil {
			return err
		}
	}
	return nil
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
