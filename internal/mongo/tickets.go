package mongo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/keyset"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

var _ tickets.Store = (*Store)(nil)

// personKey names one person at one event. FerretDB has no partial
// indexes, so "one active ticket" and "one waiting entry" per person are
// unique indexes on a field that holds this key while the ticket is active
// or the entry waits, and a value of its own afterwards.
func personKey(eventID, email string) string {
	return eventID + "|" + tickets.EmailKey(email)
}

type ticketDoc struct {
	ID           string        `bson:"_id"`
	EventID      string        `bson:"event_id"`
	TypeID       string        `bson:"type_id"`
	Name         string        `bson:"name"`
	Email        string        `bson:"email"`
	EmailKey     string        `bson:"email_key"`
	Phone        string        `bson:"phone"`
	ShareContact bool          `bson:"share_contact"`
	ConsentAt    bson.DateTime `bson:"consent_at"`
	ConsentWords string        `bson:"consent_version"`
	Lang         string        `bson:"lang"`
	Status       string        `bson:"status"`
	ActiveKey    string        `bson:"active_key"`
	Secret       string        `bson:"secret"`
	// Token is held only by tickets written before a ticket kept its
	// claims instead: the same claims sign to the same token again.
	Token     string        `bson:"token,omitempty"`
	KeyID     string        `bson:"key_id"`
	NotBefore bson.DateTime `bson:"not_before"`
	ExpiresAt bson.DateTime `bson:"expires_at"`
	// SearchWords are the words a search matches the start of (vn.Words
	// of the search key); see giveSearchWords for tickets from before.
	SearchWords []string      `bson:"search_words"`
	CreatedAt   bson.DateTime `bson:"created_at"`
	CancelledAt bson.DateTime `bson:"cancelled_at"`
	// Passing marks a cancelled ticket whose seat is being passed on: to
	// the first person waiting, or back to the type. It is the
	// cancellation's intent, which Recover settles when the process
	// passing the seat died.
	Passing bool              `bson:"passing,omitempty"`
	Answers map[string]string `bson:"answers,omitempty"`
}

func (d ticketDoc) ticket() tickets.Ticket {
	return tickets.Ticket{
		ID:           d.ID,
		EventID:      d.EventID,
		TypeID:       d.TypeID,
		Name:         d.Name,
		Email:        d.Email,
		Phone:        d.Phone,
		ShareContact: d.ShareContact,
		Consent:      tickets.Consent{At: fromDate(d.ConsentAt), Version: d.ConsentWords},
		Answers:      d.Answers,
		Lang:         d.Lang,
		Status:       tickets.Status(d.Status),
		Secret:       d.Secret,
		Token:        d.Token,
		KeyID:        d.KeyID,
		NotBefore:    fromDate(d.NotBefore),
		ExpiresAt:    fromDate(d.ExpiresAt),
		CreatedAt:    fromDate(d.CreatedAt),
		CancelledAt:  fromDate(d.CancelledAt),
	}
}

// detached bounds the steps that undo or complete a change already made:
// they must run even when ctx ends.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}

// exists tells whether a document matches filter.
func exists(ctx context.Context, c *driver.Collection, filter bson.D) (bool, error) {
	n, err := c.CountDocuments(ctx, filter, options.Count().SetLimit(1))
	return n > 0, err
}

// pending is a ticket being registered: it holds the person's place while
// its seat is taken, and it is the registration's intent, which Recover
// settles when the process writing it died.
const pending = "pending"

func (s *Store) insertTicket(ctx context.Context, t tickets.Ticket) error {
	return s.insertTicketDoc(ctx, t, newTicketDoc(t, string(t.Status)))
}

func newTicketDoc(t tickets.Ticket, status string) ticketDoc {
	active := t.ID
	if status == string(tickets.Active) || status == pending {
		active = t.EventID + "|" + t.PersonKey()
	}
	return ticketDoc{
		ID:           t.ID,
		EventID:      t.EventID,
		TypeID:       t.TypeID,
		Name:         t.Name,
		Email:        t.Email,
		EmailKey:     tickets.EmailKey(t.Email),
		Phone:        t.Phone,
		ShareContact: t.ShareContact,
		ConsentAt:    date(t.Consent.At),
		ConsentWords: t.Consent.Version,
		Lang:         t.Lang,
		Status:       status,
		ActiveKey:    active,
		Secret:       t.Secret,
		KeyID:        t.KeyID,
		NotBefore:    date(t.NotBefore),
		ExpiresAt:    date(t.ExpiresAt),
		SearchWords:  searchWords(t.Name, t.Email, t.Phone),
		CreatedAt:    date(t.CreatedAt),
		CancelledAt:  date(t.CancelledAt),
		Answers:      t.Answers,
	}
}

func (s *Store) insertTicketDoc(ctx context.Context, t tickets.Ticket, d ticketDoc) error {
	_, err := s.tickets.InsertOne(ctx, d)
	if !driver.IsDuplicateKeyError(err) {
		return translate(err)
	}
	// FerretDB does not say which index refused, so look: _id and secret
	// never change, so a clash on neither is the person's active ticket.
	clash, cerr := exists(ctx, s.tickets, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "_id", Value: t.ID}},
		bson.D{{Key: "secret", Value: t.Secret}},
	}}})
	if cerr != nil {
		return errors.Join(translate(err), cerr)
	}
	if clash {
		return translate(err)
	}
	return errs.New(errs.AlreadyRegistered, "error.already_registered")
}

// takeSeat takes one seat of the type if one is left.
func (s *Store) takeSeat(ctx context.Context, typeID string) (bool, error) {
	res, err := s.ticketTypes.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: typeID}, {Key: "remaining", Value: bson.D{{Key: "$gt", Value: 0}}}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "remaining", Value: -1}}}})
	if err != nil {
		return false, err
	}
	return res.MatchedCount > 0, nil
}

func (s *Store) freeSeat(ctx context.Context, typeID string) error {
	_, err := s.ticketTypes.UpdateOne(ctx, bson.D{{Key: "_id", Value: typeID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "remaining", Value: 1}}}})
	return err
}

// Register writes the ticket as pending, takes its seat, queues its mail
// and makes the ticket active. Inserting the ticket before the seat lets
// the unique active_key say "already registered" even when the type is
// full, and only a registration that will stand takes a seat. The mail may
// be queued before the ticket is active because it is filled from the
// ticket when sent, and only for an active one: a mail claimed in between
// waits, and one whose ticket never became active is never sent. A failure
// undoes what was written; a crash leaves a pending ticket, which Recover
// deletes with its mail, giving the seat back if it was taken. Once begun,
// every step runs to its end even if the client goes away.
func (s *Store) Register(ctx context.Context, t tickets.Ticket, m *mail.Message, charge *kv.Charge) (err error) {
	ok, err := exists(ctx, s.ticketTypes, bson.D{{Key: "_id", Value: t.TypeID}, {Key: "event_id", Value: t.EventID}})
	if err != nil {
		return err
	}
	if !ok {
		return errs.Wrapf(errs.NotFound, "ticket type %s of event %s does not exist", t.TypeID, t.EventID)
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	refund, err := s.charge(ctx, charge)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			refund()
		}
	}()
	if err := s.insertTicketDoc(ctx, t, newTicketDoc(t, pending)); err != nil {
		return err
	}
	took, err := s.takeSeat(ctx, t.TypeID)
	if !took {
		_, derr := s.tickets.DeleteOne(ctx, bson.D{{Key: "_id", Value: t.ID}})
		if err != nil || derr != nil {
			return errors.Join(err, derr)
		}
		return errs.New(errs.SoldOut, "error.sold_out")
	}
	if m != nil {
		if err := s.EnqueueMail(ctx, *m); err != nil {
			// Undone now, the seat first: should the ticket's delete not
			// follow, Recover still finds it pending and counts again.
			derr := s.freeSeat(ctx, t.TypeID)
			if derr == nil {
				_, derr = s.tickets.DeleteOne(ctx, bson.D{{Key: "_id", Value: t.ID}, {Key: "status", Value: pending}})
			}
			return errors.Join(err, derr)
		}
	}
	_, err = s.tickets.UpdateOne(ctx, bson.D{{Key: "_id", Value: t.ID}, {Key: "status", Value: pending}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(tickets.Active)}}}})
	return err
}

// charge counts c (nil: nothing) before the writes it goes with, and gives
// what takes the count back should they fail. A count over the allowance is
// left as it is: the window refuses everything after it anyway. A refund
// lost to a crash only makes that client's window stricter until it ends.
func (s *Store) charge(ctx context.Context, c *kv.Charge) (refund func(), err error) {
	if c == nil {
		return func() {}, nil
	}
	n, err := s.KVIncr(ctx, c.Key, c.Now, c.Until)
	if err != nil {
		return nil, err
	}
	if n > c.Max {
		return nil, errs.ErrRateLimited
	}
	return func() {
		dctx, cancel := detached(ctx)
		defer cancel()
		s.kv.UpdateOne(dctx, bson.D{{Key: "_id", Value: c.Key}}, bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(-1)}}}})
	}, nil
}

// Recover settles, before olderThan, what a process that died inside
// Register, CancelTicket or a promotion left: a pending ticket is deleted
// with its mail; a promotion claimed is written; a cancellation still
// passing its seat on has its type's seats counted again, and free seats go
// to people waiting through promote; a held mail is released when its
// ticket is active and deleted when it is not.
func (s *Store) Recover(ctx context.Context, olderThan time.Time, promote tickets.Promoter) (int, error) {
	settled := 0
	stale := bson.D{{Key: "status", Value: pending}, {Key: "created_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}}
	cur, err := s.tickets.Find(ctx, stale, options.Find().SetProjection(bson.D{{Key: "type_id", Value: 1}}))
	if err != nil {
		return 0, err
	}
	var dead []ticketDoc
	if err := cur.All(ctx, &dead); err != nil {
		return 0, err
	}
	for _, d := range dead {
		// The count comes first: until it is right, the pending ticket
		// stays to say which type to count again.
		if err := s.recount(ctx, d.TypeID, olderThan); err != nil {
			return settled, err
		}
		// Its mail was never sent: it is filled only for an active ticket.
		if _, err := s.outbox.DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ID}}); err != nil {
			return settled, err
		}
		if _, err := s.tickets.DeleteOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "status", Value: pending}}); err != nil {
			return settled, err
		}
		settled++
	}
	for _, step := range []func(context.Context, time.Time, tickets.Promoter) (int, error){s.settlePromotions, s.settlePassing} {
		n, err := step(ctx, olderThan, promote)
		settled += n
		if err != nil {
			return settled, err
		}
	}
	n, err := s.settleHeldMail(ctx, olderThan)
	return settled + n, err
}

// settlePromotions writes the ticket and mail of each promotion claimed
// before olderThan and never finished.
func (s *Store) settlePromotions(ctx context.Context, olderThan time.Time, _ tickets.Promoter) (int, error) {
	cur, err := s.waitlist.Find(ctx, bson.D{{Key: "promotion.at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}})
	if err != nil {
		return 0, err
	}
	var claimed []waitDoc
	if err := cur.All(ctx, &claimed); err != nil {
		return 0, err
	}
	for i, w := range claimed {
		if _, err := s.finishPromotion(ctx, w.ID, *w.Promotion); err != nil {
			return i, err
		}
	}
	return len(claimed), nil
}

// settlePassing finishes the cancellations a dead process left passing
// their seat on since before olderThan: the type's seats are counted
// again, and a seat free gives the first person waiting their ticket.
func (s *Store) settlePassing(ctx context.Context, olderThan time.Time, promote tickets.Promoter) (int, error) {
	cur, err := s.tickets.Find(ctx, bson.D{{Key: "status", Value: string(tickets.Cancelled)}, {Key: "passing", Value: true},
		{Key: "cancelled_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}},
		options.Find().SetProjection(bson.D{{Key: "type_id", Value: 1}}))
	if err != nil {
		return 0, err
	}
	var dead []ticketDoc
	if err := cur.All(ctx, &dead); err != nil {
		return 0, err
	}
	for i, d := range dead {
		if err := s.recount(ctx, d.TypeID, olderThan); err != nil {
			return i, err
		}
		if err := s.fill(ctx, d.TypeID, promote); err != nil {
			return i, err
		}
		if err := s.seatPassed(ctx, d.ID); err != nil {
			return i, err
		}
	}
	return len(dead), nil
}

// fill gives the type's free seats to the people waiting for it, in line.
func (s *Store) fill(ctx context.Context, typeID string, promote tickets.Promoter) error {
	for {
		t, err := s.Fill(ctx, typeID, promote)
		if err != nil || t == nil {
			return err
		}
	}
}

// Fill takes a seat, then gives it to the first person waiting, or back.
// A process dying in between leaves the seat taken by nobody, which
// Underfilled counts again.
func (s *Store) Fill(ctx context.Context, typeID string, promote tickets.Promoter) (*tickets.Ticket, error) {
	ctx, cancel := detached(ctx)
	defer cancel()
	waiting, err := exists(ctx, s.waitlist, bson.D{{Key: "type_id", Value: typeID}, {Key: "status", Value: string(tickets.Waiting)}})
	if err != nil || !waiting {
		return nil, err
	}
	if took, err := s.takeSeat(ctx, typeID); err != nil || !took {
		return nil, err
	}
	t, err := s.promoteFirst(ctx, typeID, promote)
	if err != nil || t == nil {
		return nil, errors.Join(err, s.freeSeat(ctx, typeID))
	}
	return t, nil
}

// Underfilled counts again the seats of every type someone waits for,
// then lists those with a seat free.
func (s *Store) Underfilled(ctx context.Context, olderThan time.Time) ([]string, error) {
	cur, err := s.waitlist.Find(ctx, bson.D{{Key: "status", Value: string(tickets.Waiting)}},
		options.Find().SetProjection(bson.D{{Key: "type_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var entries []waitDoc
	if err := cur.All(ctx, &entries); err != nil {
		return nil, err
	}
	types := map[string]bool{}
	for _, e := range entries {
		types[e.TypeID] = true
	}
	var out []string
	for _, id := range slices.Sorted(maps.Keys(types)) {
		if err := s.recount(ctx, id, olderThan); err != nil {
			return out, err
		}
		free, err := exists(ctx, s.ticketTypes, bson.D{{Key: "_id", Value: id}, {Key: "remaining", Value: bson.D{{Key: "$gt", Value: 0}}}})
		if err != nil {
			return out, err
		}
		if free {
			out = append(out, id)
		}
	}
	return out, nil
}

func (s *Store) Waiting(ctx context.Context, eventID string) ([]tickets.WaitEntry, error) {
	cur, err := s.waitlist.Find(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "status", Value: string(tickets.Waiting)}},
		options.Find().SetSort(bson.D{{Key: "type_id", Value: 1}, {Key: "seq", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []waitDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]tickets.WaitEntry, len(docs))
	for i, d := range docs {
		out[i] = d.entry()
	}
	return out, nil
}

// LeaveWaitlist frees the person's waiting_key as JoinWaitlist does, so
// that they may wait again.
func (s *Store) LeaveWaitlist(ctx context.Context, id string) (tickets.WaitEntry, error) {
	res, err := s.waitlist.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(tickets.Waiting)}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(tickets.Left)}, {Key: "waiting_key", Value: id}}}})
	if err != nil {
		return tickets.WaitEntry{}, err
	}
	w, _, err := s.WaitPosition(ctx, id)
	if err == nil && res.ModifiedCount == 0 {
		err = errs.New(errs.Conflict, "error.not_waiting")
	}
	return w, err
}

// PromoteNow makes sure of a seat, adding one when none is free, takes
// it, and claims the entry with its ticket and mail as promoteFirst does;
// a seat it cannot give goes: the one added, or back on sale.
func (s *Store) PromoteNow(ctx context.Context, id string, promote tickets.Promoter) (tickets.Ticket, error) {
	ctx, cancel := detached(ctx)
	defer cancel()
	var w waitDoc
	if err := s.waitlist.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&w); err != nil {
		return tickets.Ticket{}, translate(err)
	}
	if w.Status != string(tickets.Waiting) {
		return tickets.Ticket{}, errs.New(errs.Conflict, "error.not_waiting")
	}
	tk, m, err := promote(w.entry())
	if err != nil {
		return tickets.Ticket{}, err
	}
	res, err := s.waitlist.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(tickets.Waiting)},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "promoting", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{{Key: "promoting", Value: bson.D{{Key: "$lt", Value: date(tk.CreatedAt.Add(-time.Minute))}}}},
		}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "promoting", Value: date(tk.CreatedAt)}}}})
	if err != nil {
		return tickets.Ticket{}, err
	}
	if res.MatchedCount == 0 {
		return tickets.Ticket{}, errs.New(errs.Conflict, "error.not_waiting")
	}
	t, err := s.promoteNow(ctx, w, func(tickets.WaitEntry) (tickets.Ticket, *mail.Message, error) { return tk, m, nil })
	if err != nil {
		_, uerr := s.waitlist.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(tickets.Waiting)}},
			bson.D{{Key: "$unset", Value: bson.D{{Key: "promoting", Value: ""}}}})
		err = errors.Join(err, uerr)
	}
	return t, err
}

// promoteNow does PromoteNow's work once the entry is marked.
func (s *Store) promoteNow(ctx context.Context, w waitDoc, promote tickets.Promoter) (tickets.Ticket, error) {
	id := w.ID
	took, raised := false, false
	for range 10 {
		res, err := s.ticketTypes.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: w.TypeID}, {Key: "remaining", Value: bson.D{{Key: "$lte", Value: 0}}}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "capacity", Value: 1}, {Key: "remaining", Value: 1}}}})
		if err != nil {
			return tickets.Ticket{}, err
		}
		raised = raised || res.ModifiedCount > 0
		if took, err = s.takeSeat(ctx, w.TypeID); err != nil {
			return tickets.Ticket{}, err
		}
		if took {
			break
		}
	}
	if !took {
		return tickets.Ticket{}, fmt.Errorf("mongo: no seat of ticket type %s stayed free to promote %s", w.TypeID, id)
	}
	t, claimed, err := s.claim(ctx, w, promote)
	if err == nil && t != nil {
		return *t, nil
	}
	switch {
	case err != nil:
	case !claimed:
		err = errs.New(errs.Conflict, "error.not_waiting")
	default:
		err = errs.New(errs.AlreadyRegistered, "error.already_registered")
	}
	undo := bson.D{{Key: "$inc", Value: bson.D{{Key: "remaining", Value: 1}}}}
	if raised {
		undo = bson.D{{Key: "$inc", Value: bson.D{{Key: "capacity", Value: -1}}}}
	}
	_, uerr := s.ticketTypes.UpdateOne(ctx, bson.D{{Key: "_id", Value: w.TypeID}}, undo)
	return tickets.Ticket{}, errors.Join(err, uerr)
}

// recount sets a type's remaining seats to its capacity less the seats
// held: active tickets, tickets being registered and cancelled tickets
// still passing their seat on, these two only while younger than
// olderThan, since older ones are a dead process's and are being settled.
// A step in flight may be counted as holding a seat it has not yet taken,
// which sells one seat fewer for a moment, never one more. The update is
// guarded by the value read, so a seat taken or freed meanwhile makes it
// count again.
func (s *Store) recount(ctx context.Context, typeID string, olderThan time.Time) error {
	fresh := bson.D{{Key: "$gte", Value: date(olderThan)}}
	for range 10 {
		var d typeDoc
		if err := s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: typeID}}).Decode(&d); err != nil {
			return translate(err)
		}
		held := 0
		for _, filter := range []bson.D{
			{{Key: "type_id", Value: typeID}, {Key: "status", Value: string(tickets.Active)}},
			{{Key: "type_id", Value: typeID}, {Key: "status", Value: pending}, {Key: "created_at", Value: fresh}},
			{{Key: "type_id", Value: typeID}, {Key: "status", Value: string(tickets.Cancelled)}, {Key: "passing", Value: true},
				{Key: "cancelled_at", Value: fresh}},
		} {
			n, err := s.tickets.CountDocuments(ctx, filter)
			if err != nil {
				return err
			}
			held += int(n)
		}
		want := d.Capacity - held
		if d.Remaining == want {
			return nil
		}
		res, err := s.ticketTypes.UpdateOne(ctx, bson.D{{Key: "_id", Value: typeID}, {Key: "remaining", Value: d.Remaining}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "remaining", Value: want}}}})
		if err != nil {
			return err
		}
		if res.MatchedCount > 0 {
			return nil
		}
	}
	return fmt.Errorf("mongo: the seats of ticket type %s kept changing while counted again", typeID)
}

// settleHeldMail releases a ticket mail held since before olderThan when
// its ticket is active, and deletes it when there is none.
func (s *Store) settleHeldMail(ctx context.Context, olderThan time.Time) (int, error) {
	cur, err := s.outbox.Find(ctx, bson.D{{Key: "status", Value: string(mail.StatusHeld)},
		{Key: "created_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}})
	if err != nil {
		return 0, err
	}
	var held []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &held); err != nil {
		return 0, err
	}
	for _, h := range held {
		there, err := exists(ctx, s.tickets, bson.D{{Key: "_id", Value: h.ID}, {Key: "status", Value: string(tickets.Active)}})
		if err != nil {
			return 0, err
		}
		filter := bson.D{{Key: "_id", Value: h.ID}, {Key: "status", Value: string(mail.StatusHeld)}}
		if there {
			_, err = s.outbox.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(mail.StatusPending)}}}})
		} else {
			_, err = s.outbox.DeleteOne(ctx, filter)
		}
		if err != nil {
			return 0, err
		}
	}
	return len(held), nil
}

type waitDoc struct {
	ID           string            `bson:"_id"`
	EventID      string            `bson:"event_id"`
	TypeID       string            `bson:"type_id"`
	Seq          int64             `bson:"seq"`
	Name         string            `bson:"name"`
	Email        string            `bson:"email"`
	Phone        string            `bson:"phone"`
	ShareContact bool              `bson:"share_contact"`
	ConsentAt    bson.DateTime     `bson:"consent_at"`
	ConsentWords string            `bson:"consent_version"`
	Lang         string            `bson:"lang"`
	Status       string            `bson:"status"`
	Answers      map[string]string `bson:"answers,omitempty"`
	WaitingKey   string            `bson:"waiting_key"`
	TicketID     string            `bson:"ticket_id"`
	Secret       string            `bson:"secret"`
	CreatedAt    bson.DateTime     `bson:"created_at"`
	// Promoting marks an entry an organizer is promoting by hand, from
	// when, so that one promotion at a time adds a seat for it; a mark
	// older than a minute is a dead process's and no longer holds.
	Promoting bson.DateTime `bson:"promoting,omitempty"`
	// Promotion is what promoting the entry writes, kept on it from the
	// moment it is claimed until the ticket and its mail are written, so
	// Recover writes them should the promoting process die.
	Promotion *promotionDoc `bson:"promotion,omitempty"`
}

type promotionDoc struct {
	// At is when the entry was claimed.
	At     bson.DateTime `bson:"at"`
	Ticket ticketDoc     `bson:"ticket"`
	Mail   *mailDoc      `bson:"mail,omitempty"`
}

func (d waitDoc) entry() tickets.WaitEntry {
	return tickets.WaitEntry{
		ID:           d.ID,
		EventID:      d.EventID,
		TypeID:       d.TypeID,
		Name:         d.Name,
		Email:        d.Email,
		Phone:        d.Phone,
		ShareContact: d.ShareContact,
		Consent:      tickets.Consent{At: fromDate(d.ConsentAt), Version: d.ConsentWords},
		Answers:      d.Answers,
		Lang:         d.Lang,
		Status:       tickets.WaitStatus(d.Status),
		TicketID:     d.TicketID,
		Secret:       d.Secret,
		CreatedAt:    fromDate(d.CreatedAt),
	}
}

// giveWaitSecrets gives each entry made before entries had secrets one of
// its own, before the unique index on secret is built: FerretDB has no
// partial indexes to leave them out, and as missing values they would
// clash. Nobody was ever given these secrets; their pages opened by id.
// The guard makes instances starting together harmless to each other.
func (s *Store) giveWaitSecrets(ctx context.Context) error {
	without := bson.D{{Key: "secret", Value: bson.D{{Key: "$exists", Value: false}}}}
	cur, err := s.waitlist.Find(ctx, without, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return err
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	for _, d := range docs {
		_, err := s.waitlist.UpdateOne(ctx, append(bson.D{{Key: "_id", Value: d.ID}}, without...),
			bson.D{{Key: "$set", Value: bson.D{{Key: "secret", Value: ids.Secret()}}}})
		if err != nil {
			return err
		}
	}
	return nil
}

// nextSeq numbers a new entry of a full type with a waitlist; FerretDB has
// no transactions, so the guard on the type document is what makes "only
// while full" hold at that moment.
func (s *Store) nextSeq(ctx context.Context, w tickets.WaitEntry) (int64, error) {
	for {
		var d typeDoc
		err := s.ticketTypes.FindOneAndUpdate(ctx,
			bson.D{
				{Key: "_id", Value: w.TypeID},
				{Key: "event_id", Value: w.EventID},
				{Key: "waitlist", Value: true},
				{Key: "remaining", Value: bson.D{{Key: "$lte", Value: 0}}},
			},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "waitlist_seq", Value: 1}}}},
			options.FindOneAndUpdate().SetReturnDocument(options.After),
		).Decode(&d)
		if err == nil {
			return d.WaitlistSeq, nil
		}
		if !errors.Is(err, driver.ErrNoDocuments) {
			return 0, err
		}
		err = s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: w.TypeID}, {Key: "event_id", Value: w.EventID}}).Decode(&d)
		switch {
		case err != nil:
			return 0, translate(err)
		case !d.Waitlist:
			return 0, errs.New(errs.SoldOut, "error.sold_out")
		case d.Remaining > 0:
			return 0, errs.New(errs.Conflict, "error.seats_available")
		}
		// The type changed between the two reads: try again.
	}
}

func (s *Store) JoinWaitlist(ctx context.Context, w tickets.WaitEntry) (int, error) {
	seq, err := s.nextSeq(ctx, w)
	if err != nil {
		return 0, err
	}
	held, err := exists(ctx, s.tickets, bson.D{{Key: "active_key", Value: personKey(w.EventID, w.Email)}})
	if err != nil {
		return 0, err
	}
	if held {
		return 0, errs.New(errs.AlreadyRegistered, "error.already_registered")
	}
	_, err = s.waitlist.InsertOne(ctx, waitDoc{
		ID:           w.ID,
		EventID:      w.EventID,
		TypeID:       w.TypeID,
		Seq:          seq,
		Name:         w.Name,
		Email:        w.Email,
		Phone:        w.Phone,
		ShareContact: w.ShareContact,
		ConsentAt:    date(w.Consent.At),
		ConsentWords: w.Consent.Version,
		Answers:      w.Answers,
		Lang:         w.Lang,
		Status:       string(tickets.Waiting),
		WaitingKey:   personKey(w.EventID, w.Email),
		Secret:       w.Secret,
		CreatedAt:    date(w.CreatedAt),
	})
	if driver.IsDuplicateKeyError(err) {
		// As for tickets: a clash on neither _id nor secret is the person
		// waiting already.
		clash, cerr := exists(ctx, s.waitlist, bson.D{{Key: "$or", Value: bson.A{
			bson.D{{Key: "_id", Value: w.ID}},
			bson.D{{Key: "secret", Value: w.Secret}},
		}}})
		if cerr != nil {
			return 0, errors.Join(translate(err), cerr)
		}
		if !clash {
			return 0, errs.New(errs.AlreadyRegistered, "error.already_waiting")
		}
	}
	if err != nil {
		return 0, translate(err)
	}
	// A cancellation that found nobody waiting may have given its seat back
	// after nextSeq saw the type full; it looks for late entries after
	// giving the seat back, and this entry looks for a free seat after
	// queueing, so one of the two always sees the other. A seat free now
	// means the caller should register: withdraw, unless a cancellation
	// already took the entry.
	var d typeDoc
	if err := s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: w.TypeID}}).Decode(&d); err != nil {
		return 0, translate(err)
	}
	if d.Remaining > 0 {
		res, err := s.waitlist.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: w.ID}, {Key: "status", Value: string(tickets.Waiting)}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(tickets.Left)}, {Key: "waiting_key", Value: w.ID}}}})
		if err != nil {
			return 0, err
		}
		if res.ModifiedCount > 0 {
			return 0, errs.New(errs.Conflict, "error.seats_available")
		}
		return 0, nil
	}
	return s.position(ctx, w.TypeID, seq)
}

// position counts the entries waiting for the type up to seq.
func (s *Store) position(ctx context.Context, typeID string, seq int64) (int, error) {
	n, err := s.waitlist.CountDocuments(ctx, bson.D{
		{Key: "type_id", Value: typeID},
		{Key: "status", Value: string(tickets.Waiting)},
		{Key: "seq", Value: bson.D{{Key: "$lte", Value: seq}}},
	})
	return int(n), err
}

func (s *Store) WaitPosition(ctx context.Context, id string) (tickets.WaitEntry, int, error) {
	return s.waitWhere(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) WaitBySecret(ctx context.Context, secret string) (tickets.WaitEntry, int, error) {
	return s.waitWhere(ctx, bson.D{{Key: "secret", Value: secret}})
}

// waitWhere finds the entry filter matches and, while it waits, its
// position.
func (s *Store) waitWhere(ctx context.Context, filter bson.D) (tickets.WaitEntry, int, error) {
	var d waitDoc
	if err := s.waitlist.FindOne(ctx, filter).Decode(&d); err != nil {
		return tickets.WaitEntry{}, 0, translate(err)
	}
	if d.Status != string(tickets.Waiting) {
		return d.entry(), 0, nil
	}
	pos, err := s.position(ctx, d.TypeID, d.Seq)
	return d.entry(), pos, err
}

// CancelTicket cancels the ticket and marks it passing its seat on, passes
// the seat, then clears the mark: a process that dies in between leaves
// the mark for Recover. Once the ticket is cancelled, the rest runs to its
// end even if the client goes away.
func (s *Store) CancelTicket(ctx context.Context, id string, at time.Time, promote tickets.Promoter) (tickets.Ticket, *tickets.Ticket, error) {
	if promote == nil {
		if err := s.nobodyWaits(ctx, id); err != nil {
			return tickets.Ticket{}, nil, err
		}
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	cancelled, err := decodeOne(s.tickets.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "status", Value: string(tickets.Active)}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(tickets.Cancelled)},
			{Key: "active_key", Value: id},
			{Key: "cancelled_at", Value: date(at)},
			{Key: "passing", Value: true},
		}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)), ticketDoc.ticket)
	if errors.Is(err, errs.ErrNotFound) {
		known, err := exists(ctx, s.tickets, bson.D{{Key: "_id", Value: id}})
		if err != nil {
			return tickets.Ticket{}, nil, err
		}
		if known {
			return tickets.Ticket{}, nil, errs.New(errs.Conflict, "error.ticket_cancelled")
		}
		return tickets.Ticket{}, nil, errs.ErrNotFound
	}
	if err != nil {
		return tickets.Ticket{}, nil, err
	}
	promoted, err := s.passSeat(ctx, cancelled.TypeID, promote)
	if err != nil {
		return tickets.Ticket{}, nil, err
	}
	return cancelled, promoted, s.seatPassed(ctx, id)
}

// seatPassed clears a cancelled ticket's passing mark.
func (s *Store) seatPassed(ctx context.Context, id string) error {
	_, err := s.tickets.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$unset", Value: bson.D{{Key: "passing", Value: ""}}}})
	return err
}

// nobodyWaits refuses a cancellation without promote while entries wait
// for the ticket's type: the caller would hand their seat to anyone.
func (s *Store) nobodyWaits(ctx context.Context, ticketID string) error {
	var d ticketDoc
	err := s.tickets.FindOne(ctx, bson.D{{Key: "_id", Value: ticketID}},
		options.FindOne().SetProjection(bson.D{{Key: "type_id", Value: 1}})).Decode(&d)
	if err != nil {
		return translate(err)
	}
	n, err := s.waiting(ctx, d.TypeID)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("mongo: cancelling ticket %s without promote while %d wait for its type", ticketID, n)
	}
	return nil
}

// passSeat gives a freed seat of the type to the first entry waiting, or
// back to the type when nobody waits.
func (s *Store) passSeat(ctx context.Context, typeID string, promote tickets.Promoter) (*tickets.Ticket, error) {
	for {
		if promote != nil {
			t, err := s.promoteFirst(ctx, typeID, promote)
			if t != nil || err != nil {
				return t, err
			}
		}
		if err := s.freeSeat(ctx, typeID); err != nil {
			return nil, err
		}
		if promote == nil {
			return nil, nil
		}
		// See JoinWaitlist: an entry queued after promoteFirst looked may
		// not have seen the seat come back. Take the seat again for it;
		// if a registration took it first, the type is full and waiting
		// is right.
		late, err := exists(ctx, s.waitlist, bson.D{{Key: "type_id", Value: typeID}, {Key: "status", Value: string(tickets.Waiting)}})
		if err != nil || !late {
			return nil, err
		}
		if took, err := s.takeSeat(ctx, typeID); err != nil || !took {
			return nil, err
		}
	}
}

// promoteFirst gives a seat of the type to the first person waiting for
// it, if anyone waits, and returns their ticket.
func (s *Store) promoteFirst(ctx context.Context, typeID string, promote tickets.Promoter) (*tickets.Ticket, error) {
	for {
		var w waitDoc
		err := s.waitlist.FindOne(ctx, bson.D{{Key: "type_id", Value: typeID}, {Key: "status", Value: string(tickets.Waiting)}},
			options.FindOne().SetSort(bson.D{{Key: "seq", Value: 1}})).Decode(&w)
		if errors.Is(err, driver.ErrNoDocuments) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		t, _, err := s.claim(ctx, w, promote)
		if err != nil || t != nil {
			return t, err
		}
	}
}

// claim promotes the waiting entry w with a seat already taken.
// Claiming the entry is the decision, and it carries the new ticket and its
// mail, so that writing them is a step Recover can finish. claimed is
// false when the entry no longer waits; the ticket is nil then, and when
// its person holds a ticket already and leaves the line.
func (s *Store) claim(ctx context.Context, w waitDoc, promote tickets.Promoter) (t *tickets.Ticket, claimed bool, err error) {
	tk, m, err := promote(w.entry())
	if err != nil {
		return nil, false, err
	}
	p := promotionDoc{At: date(tk.CreatedAt), Ticket: newTicketDoc(tk, string(tickets.Active))}
	if m != nil {
		md := newMailDoc(*m)
		p.Mail = &md
	}
	res, err := s.waitlist.UpdateOne(ctx, bson.D{{Key: "_id", Value: w.ID}, {Key: "status", Value: string(tickets.Waiting)}},
		// The update cannot read the entry's own id; any fresh
		// unique value frees the person's waiting_key.
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(tickets.Promoted)},
			{Key: "waiting_key", Value: ids.New()},
			{Key: "ticket_id", Value: tk.ID},
			{Key: "promotion", Value: p},
		}}})
	if err != nil || res.MatchedCount == 0 {
		// Another cancellation promoted this entry, or it left.
		return nil, false, err
	}
	ok, err := s.finishPromotion(ctx, w.ID, p)
	if err != nil || !ok {
		return nil, true, err
	}
	return &tk, true, nil
}

// finishPromotion writes what a claimed promotion carries: the ticket, then
// its mail, then clears it from the entry. Each write is done at most once
// whoever repeats it. A person who holds a ticket for the event by then
// leaves the line instead, and false says the seat is still to pass on.
func (s *Store) finishPromotion(ctx context.Context, entryID string, p promotionDoc) (bool, error) {
	entry := bson.D{{Key: "_id", Value: entryID}}
	err := s.insertTicketDoc(ctx, p.Ticket.ticket(), p.Ticket)
	if errs.KindOf(err) == errs.AlreadyRegistered {
		_, err := s.waitlist.UpdateOne(ctx, entry, bson.D{
			{Key: "$set", Value: bson.D{{Key: "status", Value: string(tickets.Left)}, {Key: "ticket_id", Value: ""}}},
			{Key: "$unset", Value: bson.D{{Key: "promotion", Value: ""}}},
		})
		return false, err
	}
	if err != nil && errs.KindOf(err) != errs.Conflict {
		return false, err
	}
	if p.Mail != nil {
		if _, err := s.outbox.InsertOne(ctx, p.Mail); err != nil && !driver.IsDuplicateKeyError(err) {
			return false, err
		}
	}
	_, err = s.waitlist.UpdateOne(ctx, entry, bson.D{{Key: "$unset", Value: bson.D{{Key: "promotion", Value: ""}}}})
	return true, err
}

func (s *Store) TicketByID(ctx context.Context, id string) (tickets.Ticket, error) {
	return decodeOne(s.tickets.FindOne(ctx, bson.D{{Key: "_id", Value: id}}), ticketDoc.ticket)
}

func (s *Store) TicketBySecret(ctx context.Context, secret string) (tickets.Ticket, error) {
	return decodeOne(s.tickets.FindOne(ctx, bson.D{{Key: "secret", Value: secret}}), ticketDoc.ticket)
}

func (s *Store) TicketsByEmail(ctx context.Context, email string) ([]tickets.Ticket, error) {
	cur, err := s.tickets.Find(ctx,
		bson.D{
			{Key: "email_key", Value: tickets.EmailKey(email)},
			{Key: "status", Value: string(tickets.Active)},
		},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(50))
	if err != nil {
		return nil, err
	}
	var docs []ticketDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return convert(docs, ticketDoc.ticket), nil
}

func ticketFilter(q tickets.Query) bson.D {
	filter := bson.D{{Key: "event_id", Value: q.EventID}}
	if q.TypeID != "" {
		filter = append(filter, bson.E{Key: "type_id", Value: q.TypeID})
	}
	if q.Status != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(q.Status)})
	} else {
		// A ticket being registered is no one's yet.
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$ne", Value: pending}}})
	}
	if q.Text != "" {
		// Each word asked starts a word of the ticket's; an anchored
		// pattern reads only its range of the index. The longest first: a
		// server bounding its scan by the first reads the fewest keys.
		// FerretDB finds nothing with patterns inside $all, so each is a
		// condition of its own.
		words := vn.Words(q.Text)
		if len(words) == 0 {
			return append(filter, bson.E{Key: "search_words", Value: bson.D{{Key: "$in", Value: bson.A{}}}})
		}
		slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
		starts := bson.A{}
		for _, w := range words {
			starts = append(starts, bson.D{{Key: "search_words", Value: bson.Regex{Pattern: "^" + regexp.QuoteMeta(w)}}})
		}
		filter = append(filter, bson.E{Key: "$and", Value: starts})
	}
	return filter
}

// searchWords are the words of a ticket's search key, each once.
func searchWords(name, email, phone string) []string {
	words := vn.Words(name + " " + email + " " + phone)
	slices.Sort(words)
	return slices.Compact(words)
}

// giveSearchWords gives the tickets written before search_words theirs.
// The index whose first key is search_words finds those without at once,
// so a start on a database that has them all costs one look.
func (s *Store) giveSearchWords(ctx context.Context) error {
	without := bson.D{{Key: "search_words", Value: bson.D{{Key: "$exists", Value: false}}}}
	cur, err := s.tickets.Find(ctx, without, options.Find().SetProjection(bson.D{{Key: "name", Value: 1}, {Key: "email", Value: 1}, {Key: "phone", Value: 1}}))
	if err != nil {
		return err
	}
	var docs []ticketDoc
	if err := cur.All(ctx, &docs); err != nil {
		return err
	}
	for batch := range slices.Chunk(docs, 500) {
		models := make([]driver.WriteModel, 0, len(batch))
		for _, d := range batch {
			models = append(models, driver.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: d.ID}}).
				SetUpdate(setFields(bson.E{Key: "search_words", Value: searchWords(d.Name, d.Email, d.Phone)})))
		}
		if _, err := s.tickets.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) TicketsAfter(ctx context.Context, q tickets.Query, c keyset.Cursor) ([]tickets.Ticket, error) {
	docs, err := pageAfter[ticketDoc](ctx, s.tickets, ticketFilter(q), "created_at", c, q.Limit)
	return convert(docs, ticketDoc.ticket), err
}

// CancelledIDs reads the index of an event's tickets by status alone.
func (s *Store) CancelledIDs(ctx context.Context, eventID string) ([]string, error) {
	cur, err := s.tickets.Find(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "status", Value: string(tickets.Cancelled)}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out, nil
}

func (s *Store) ListTickets(ctx context.Context, q tickets.Query) ([]tickets.Ticket, int, error) {
	filter := ticketFilter(q)
	total, err := s.countTickets(ctx, q, filter)
	if err != nil {
		return nil, 0, err
	}
	cur, err := s.tickets.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(q.Offset)).SetLimit(int64(q.Limit)))
	if err != nil {
		return nil, 0, err
	}
	var docs []ticketDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, err
	}
	return convert(docs, ticketDoc.ticket), total, nil
}

// countTickets counts a list. Without a search, the types' sold seats are
// the active tickets (a registration under way counts from when it takes
// its seat) and the cancelled ones are counted from their index: no count
// reads the event's tickets.
func (s *Store) countTickets(ctx context.Context, q tickets.Query, filter bson.D) (int, error) {
	if q.Text != "" {
		n, err := s.tickets.CountDocuments(ctx, filter)
		return int(n), err
	}
	total := 0
	if q.Status != tickets.Cancelled {
		types := bson.D{{Key: "event_id", Value: q.EventID}}
		if q.TypeID != "" {
			types = append(types, bson.E{Key: "_id", Value: q.TypeID})
		}
		cur, err := s.ticketTypes.Find(ctx, types, options.Find().SetProjection(bson.D{{Key: "capacity", Value: 1}, {Key: "remaining", Value: 1}}))
		if err != nil {
			return 0, err
		}
		var docs []typeDoc
		if err := cur.All(ctx, &docs); err != nil {
			return 0, err
		}
		for _, d := range docs {
			total += d.Capacity - d.Remaining
		}
		if q.Status == tickets.Active {
			return total, nil
		}
	}
	cancelled := bson.D{{Key: "event_id", Value: q.EventID}, {Key: "status", Value: string(tickets.Cancelled)}}
	if q.TypeID != "" {
		cancelled = append(cancelled, bson.E{Key: "type_id", Value: q.TypeID})
	}
	n, err := s.tickets.CountDocuments(ctx, cancelled)
	return total + int(n), err
}

func (s *Store) CountLiveTickets(ctx context.Context, keyID string, now time.Time) (int, error) {
	n, err := s.tickets.CountDocuments(ctx, bson.D{
		{Key: "key_id", Value: keyID},
		{Key: "status", Value: string(tickets.Active)},
		{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: date(now)}}},
	})
	return int(n), err
}
