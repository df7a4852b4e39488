package mongo

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/expo"
	"sprout/internal/ids"
	"sprout/internal/tickets"
)

var _ expo.Store = (*Store)(nil)

// expoColls are the collections of the exhibition. leads hold one document
// per exhibitor and ticket, whose _id (see leadKey) keeps a visitor scanned
// twice a single lead without a second unique index.
type expoColls struct {
	booths, changes, exhibitors, staff, leads *driver.Collection
	// floorLocks holds a lease per event and hall; see onFloor.
	floorLocks *driver.Collection
	// owners holds each account's one application per event; see
	// claimOwner.
	owners *driver.Collection
}

func (s *Store) expoColls() expoColls {
	return expoColls{
		booths:     s.db.Collection("booths"),
		changes:    s.db.Collection("booth_changes"),
		exhibitors: s.db.Collection("exhibitors"),
		staff:      s.db.Collection("booth_staff"),
		leads:      s.db.Collection("leads"),
		floorLocks: s.db.Collection("floor_locks"),
		owners:     s.db.Collection("exhibitor_owners"),
	}
}

func leadKey(exhibitorID, ticketID string) string { return exhibitorID + "|" + ticketID }

type boothDoc struct {
	ID          string        `bson:"_id"`
	EventID     string        `bson:"event_id"`
	Code        string        `bson:"code"`
	Hall        string        `bson:"hall"`
	Zone        string        `bson:"zone"`
	X           int           `bson:"x"`
	Y           int           `bson:"y"`
	W           int           `bson:"w"`
	H           int           `bson:"h"`
	SizeClass   string        `bson:"size_class"`
	Price       int64         `bson:"price"`
	Status      string        `bson:"status"`
	ExhibitorID string        `bson:"exhibitor_id"`
	HeldUntil   bson.DateTime `bson:"held_until"`
	CreatedAt   bson.DateTime `bson:"created_at"`
	// Block names the batch CreateBooths stored the booth with, and Hidden
	// marks a booth of a batch not yet shown: readers leave it out, and
	// RecoverExpo deletes a batch whose process died before showing it.
	Block  string `bson:"block,omitempty"`
	Hidden bool   `bson:"hidden,omitempty"`
	// MovingTo, MovingFor and MovingAt are the intent of a move away from
	// this booth: the target, the exhibitor moving and when; see
	// MoveExhibitor.
	MovingTo  string        `bson:"moving_to,omitempty"`
	MovingFor string        `bson:"moving_for,omitempty"`
	MovingAt  bson.DateTime `bson:"moving_at,omitempty"`
}

// shown matches the booths readers may see: none of a batch being stored.
var shown = bson.E{Key: "hidden", Value: bson.D{{Key: "$ne", Value: true}}}

func (d boothDoc) booth() expo.Booth {
	return expo.Booth{ID: d.ID, EventID: d.EventID, Code: d.Code, Hall: d.Hall, Zone: d.Zone,
		X: d.X, Y: d.Y, W: d.W, H: d.H, SizeClass: d.SizeClass, Price: d.Price,
		Status: expo.BoothStatus(d.Status), ExhibitorID: d.ExhibitorID,
		HeldUntil: fromDate(d.HeldUntil), CreatedAt: fromDate(d.CreatedAt)}
}

// CreateBooth checks the code and the floor, then inserts, holding the
// hall's floor lock so that no other booth is drawn over it meanwhile. The
// code is checked first so that each refusal has its own message; the unique
// index settles a race on the code, which may come from another hall.
func (s *Store) CreateBooth(ctx context.Context, b expo.Booth) error {
	return s.onFloor(ctx, b.EventID, []string{b.Hall}, func(ctx context.Context) error {
		return s.insertBooth(ctx, b)
	})
}

func (s *Store) insertBooth(ctx context.Context, b expo.Booth) error {
	c := s.expoColls()
	taken, err := exists(ctx, c.booths, bson.D{{Key: "event_id", Value: b.EventID}, {Key: "code", Value: b.Code}})
	if err != nil {
		return err
	}
	if taken {
		return errs.New(errs.Conflict, "error.booth_code_taken")
	}
	hall, err := s.findBooths(ctx, bson.D{{Key: "event_id", Value: b.EventID}, {Key: "hall", Value: b.Hall}}, nil)
	if err != nil {
		return err
	}
	for _, o := range hall {
		if b.Overlaps(o) {
			return errs.New(errs.Conflict, "error.booth_overlap")
		}
	}
	_, err = c.booths.InsertOne(ctx, boothDoc{ID: b.ID, EventID: b.EventID, Code: b.Code, Hall: b.Hall,
		Zone: b.Zone, X: b.X, Y: b.Y, W: b.W, H: b.H, SizeClass: b.SizeClass, Price: b.Price,
		Status: string(b.Status), ExhibitorID: b.ExhibitorID, HeldUntil: date(b.HeldUntil), CreatedAt: date(b.CreatedAt)})
	if !driver.IsDuplicateKeyError(err) {
		return translate(err)
	}
	// FerretDB does not say which index refused: a clash not on _id is the
	// code, taken since the check above.
	clash, cerr := exists(ctx, c.booths, bson.D{{Key: "_id", Value: b.ID}})
	if cerr != nil {
		return errors.Join(translate(err), cerr)
	}
	if clash {
		return translate(err)
	}
	return errs.New(errs.Conflict, "error.booth_code_taken")
}

// CreateBooths holds the floor locks of every hall of the batch, checks it
// against the event's booths, then stores it hidden and shows it with one
// update; see insertBooths.
func (s *Store) CreateBooths(ctx context.Context, list []expo.Booth) error {
	if len(list) == 0 {
		return nil
	}
	halls := make([]string, 0, len(list))
	for _, b := range list {
		halls = append(halls, b.Hall)
	}
	return s.onFloor(ctx, list[0].EventID, halls, func(ctx context.Context) error {
		return s.insertBooths(ctx, list)
	})
}

// insertBooths inserts the batch hidden, under a block id of its own, then
// shows every booth of the block with one update. Hidden booths still count
// in every check of codes and floor, so showing them needs no lock. An
// insert refused midway, by the unique index on the code for a code taken
// meanwhile in a hall not locked, is deleted by block; a process that dies
// before showing the block leaves it hidden for RecoverExpo. Once the
// insert is sent, the rest runs to its end even if the client goes away.
func (s *Store) insertBooths(ctx context.Context, list []expo.Booth) error {
	existing, err := s.findBooths(ctx, bson.D{{Key: "event_id", Value: list[0].EventID}}, nil)
	if err != nil {
		return err
	}
	if err := expo.BatchRefusal(existing, list); err != nil {
		return err
	}
	block := ids.New()
	docs := make([]boothDoc, len(list))
	for i, b := range list {
		docs[i] = boothDoc{ID: b.ID, EventID: b.EventID, Code: b.Code, Hall: b.Hall, Zone: b.Zone, X: b.X, Y: b.Y,
			W: b.W, H: b.H, SizeClass: b.SizeClass, Price: b.Price, Status: string(b.Status), ExhibitorID: b.ExhibitorID,
			HeldUntil: date(b.HeldUntil), CreatedAt: date(b.CreatedAt), Block: block, Hidden: true}
	}
	booths := s.expoColls().booths
	_, err = booths.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	dctx, cancel := detached(ctx)
	defer cancel()
	if err != nil {
		if _, derr := booths.DeleteMany(dctx, bson.D{{Key: "block", Value: block}}); derr != nil {
			return errors.Join(translate(err), derr)
		}
		if driver.IsDuplicateKeyError(err) {
			return errs.New(errs.Conflict, "error.booth_code_taken")
		}
		return translate(err)
	}
	_, err = booths.UpdateMany(dctx, bson.D{{Key: "block", Value: block}}, bson.D{{Key: "$unset", Value: bson.D{{Key: "hidden", Value: ""}}}})
	return err
}

func (s *Store) Booth(ctx context.Context, id string) (expo.Booth, error) {
	return decodeOne(s.expoColls().booths.FindOne(ctx, bson.D{{Key: "_id", Value: id}, shown}), boothDoc.booth)
}

// Booths leaves out every booth of a block that has one still hidden: the
// update showing a block is not isolated, so a read may overtake it midway.
func (s *Store) Booths(ctx context.Context, eventID string) ([]expo.Booth, error) {
	docs, err := s.boothDocs(ctx, bson.D{{Key: "event_id", Value: eventID}}, bson.D{{Key: "code", Value: 1}, {Key: "_id", Value: 1}})
	if err != nil {
		return nil, err
	}
	unshown := map[string]bool{}
	for _, d := range docs {
		if d.Hidden {
			unshown[d.Block] = true
		}
	}
	out := make([]expo.Booth, 0, len(docs))
	for _, d := range docs {
		if !unshown[d.Block] {
			out = append(out, d.booth())
		}
	}
	return out, nil
}

// findBooths finds booths hidden or not, as the checks of codes and floor
// need them.
func (s *Store) findBooths(ctx context.Context, filter, sort bson.D) ([]expo.Booth, error) {
	docs, err := s.boothDocs(ctx, filter, sort)
	return convert(docs, boothDoc.booth), err
}

func (s *Store) boothDocs(ctx context.Context, filter, sort bson.D) ([]boothDoc, error) {
	opts := options.Find()
	if sort != nil {
		opts.SetSort(sort)
	}
	cur, err := s.expoColls().booths.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	var docs []boothDoc
	return docs, cur.All(ctx, &docs)
}

// holdOver matches a held booth whose hold ran out at now.
func holdOver(now time.Time) bson.D {
	return bson.D{
		{Key: "status", Value: string(expo.Held)},
		{Key: "held_until", Value: bson.D{{Key: "$lte", Value: date(now)}}},
	}
}

func (s *Store) HoldBooth(ctx context.Context, boothID, exhibitorID string, now, until time.Time) (expo.Booth, error) {
	return s.takeBooth(ctx, boothID, bson.A{
		bson.D{{Key: "status", Value: string(expo.Available)}},
		holdOver(now),
	}, bson.D{
		{Key: "status", Value: string(expo.Held)},
		{Key: "exhibitor_id", Value: exhibitorID},
		{Key: "held_until", Value: date(until)},
	})
}

func (s *Store) AssignBooth(ctx context.Context, boothID, exhibitorID string, now time.Time) (expo.Booth, error) {
	return s.takeBooth(ctx, boothID, bson.A{
		bson.D{{Key: "status", Value: string(expo.Available)}},
		bson.D{{Key: "status", Value: string(expo.Held)}, {Key: "exhibitor_id", Value: exhibitorID}},
		holdOver(now),
		// Assigning twice to the same exhibitor, as a retried request does.
		bson.D{{Key: "status", Value: string(expo.Assigned)}, {Key: "exhibitor_id", Value: exhibitorID}},
	}, bson.D{
		{Key: "status", Value: string(expo.Assigned)},
		{Key: "exhibitor_id", Value: exhibitorID},
		{Key: "held_until", Value: date(time.Time{})},
	})
}

// takeBooth sets set on the booth only while one of the states in when
// holds, in one findOneAndUpdate so that of concurrent takers one wins.
func (s *Store) takeBooth(ctx context.Context, boothID string, when bson.A, set bson.D) (expo.Booth, error) {
	c := s.expoColls()
	var d boothDoc
	err := c.booths.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: boothID}, shown, {Key: "$or", Value: when}},
		bson.D{{Key: "$set", Value: set}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) {
		if err := mustExist(ctx, c.booths, "booth", boothID); err != nil {
			return expo.Booth{}, err
		}
		return expo.Booth{}, errs.New(errs.Conflict, "error.booth_taken")
	}
	if err != nil {
		return expo.Booth{}, translate(err)
	}
	return d.booth(), nil
}

func (s *Store) ReleaseBooth(ctx context.Context, boothID string, status expo.BoothStatus, exhibitorID string) (expo.Booth, error) {
	as := bson.D{}
	if status != "" {
		as = append(as, bson.E{Key: "status", Value: string(status)})
	}
	if exhibitorID != "" {
		as = append(as, bson.E{Key: "exhibitor_id", Value: exhibitorID})
	}
	return s.takeBooth(ctx, boothID, bson.A{as}, bson.D{
		{Key: "status", Value: string(expo.Available)},
		{Key: "exhibitor_id", Value: ""},
		{Key: "held_until", Value: date(time.Time{})},
	})
}

// UpdateBooth checks code and floor against the event's other booths, then
// writes, holding the floor locks of the hall the booth leaves and of the one
// it goes to, as CreateBooth does.
func (s *Store) UpdateBooth(ctx context.Context, b expo.Booth) (expo.Booth, error) {
	cur, err := s.Booth(ctx, b.ID)
	if err != nil {
		return expo.Booth{}, err
	}
	var out expo.Booth
	err = s.onFloor(ctx, cur.EventID, []string{cur.Hall, b.Hall}, func(ctx context.Context) error {
		var werr error
		out, werr = s.rewriteBooth(ctx, cur, b)
		return werr
	})
	return out, err
}

// rewriteBooth gives booth cur the place and details of b.
func (s *Store) rewriteBooth(ctx context.Context, cur, b expo.Booth) (expo.Booth, error) {
	c := s.expoColls()
	others := bson.D{{Key: "event_id", Value: cur.EventID}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: b.ID}}}}
	taken, err := exists(ctx, c.booths, append(others, bson.E{Key: "code", Value: b.Code}))
	if err != nil {
		return expo.Booth{}, err
	}
	if taken {
		return expo.Booth{}, errs.New(errs.Conflict, "error.booth_code_taken")
	}
	hall, err := s.findBooths(ctx, append(others, bson.E{Key: "hall", Value: b.Hall}), nil)
	if err != nil {
		return expo.Booth{}, err
	}
	for _, o := range hall {
		if b.Overlaps(o) {
			return expo.Booth{}, errs.New(errs.Conflict, "error.booth_overlap")
		}
	}
	var d boothDoc
	// Only in the hall whose lock is held: a booth moved elsewhere between
	// the caller's read and the lock is stale.
	err = c.booths.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: b.ID}, {Key: "hall", Value: cur.Hall}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "code", Value: b.Code},
			{Key: "hall", Value: b.Hall},
			{Key: "zone", Value: b.Zone},
			{Key: "x", Value: b.X},
			{Key: "y", Value: b.Y},
			{Key: "w", Value: b.W},
			{Key: "h", Value: b.H},
			{Key: "size_class", Value: b.SizeClass},
			{Key: "price", Value: b.Price},
		}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) {
		return expo.Booth{}, errs.New(errs.Stale, "error.stale")
	}
	if driver.IsDuplicateKeyError(err) {
		// The _id stays; the only other unique index is the code's.
		return expo.Booth{}, errs.New(errs.Conflict, "error.booth_code_taken")
	}
	if err != nil {
		return expo.Booth{}, translate(err)
	}
	return d.booth(), nil
}

func (s *Store) BlockBooth(ctx context.Context, boothID string, now time.Time) (expo.Booth, error) {
	return s.takeBooth(ctx, boothID, bson.A{
		bson.D{{Key: "status", Value: string(expo.Available)}},
		holdOver(now),
	}, bson.D{
		{Key: "status", Value: string(expo.Blocked)},
		{Key: "exhibitor_id", Value: ""},
		{Key: "held_until", Value: date(time.Time{})},
	})
}

// unmove clears a move's intent from its source booth.
var unmove = bson.D{{Key: "$unset", Value: bson.D{{Key: "moving_to", Value: ""}, {Key: "moving_for", Value: ""}, {Key: "moving_at", Value: ""}}}}

// MoveExhibitor marks the source booth with the move, takes the target, then
// frees the source, clearing the mark. The mark is the move's intent: a
// process dying midway leaves it for RecoverExpo, which finishes the move
// when the exhibitor holds the target and undoes it otherwise, so the
// exhibitor ends at one of the two booths. Once the mark is written, the
// rest runs to its end even if the client goes away.
func (s *Store) MoveExhibitor(ctx context.Context, fromID, toID, exhibitorID string, now time.Time) (expo.Booth, bool, error) {
	if fromID == toID {
		return expo.Booth{}, false, errs.Field("to_booth_id", "error.booth_move_same")
	}
	c := s.expoColls()
	res, err := c.booths.UpdateOne(ctx,
		bson.D{
			{Key: "_id", Value: fromID},
			{Key: "status", Value: string(expo.Assigned)},
			{Key: "exhibitor_id", Value: exhibitorID},
			{Key: "moving_to", Value: bson.D{{Key: "$exists", Value: false}}},
		},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "moving_to", Value: toID},
			{Key: "moving_for", Value: exhibitorID},
			{Key: "moving_at", Value: date(now)},
		}}})
	if err != nil {
		return expo.Booth{}, false, err
	}
	if res.MatchedCount == 0 {
		if err := mustExist(ctx, c.booths, "booth", fromID); err != nil {
			return expo.Booth{}, false, err
		}
		return expo.Booth{}, false, errs.New(errs.Stale, "error.stale")
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	to, err := s.AssignBooth(ctx, toID, exhibitorID, now)
	if err != nil {
		_, uerr := c.booths.UpdateOne(ctx, bson.D{{Key: "_id", Value: fromID}, {Key: "moving_to", Value: toID}}, unmove)
		return expo.Booth{}, false, errors.Join(err, uerr)
	}
	freed, err := s.leaveBooth(ctx, fromID, toID, exhibitorID)
	return to, freed, err
}

// leaveBooth frees the source of a move to toID if the exhibitor still has
// it, and clears the move's mark either way: someone who took the booth
// from the exhibitor meanwhile keeps it, and the move stands.
func (s *Store) leaveBooth(ctx context.Context, fromID, toID, exhibitorID string) (bool, error) {
	booths := s.expoColls().booths
	mark := bson.D{{Key: "_id", Value: fromID}, {Key: "moving_to", Value: toID}}
	res, err := booths.UpdateOne(ctx,
		append(mark, bson.E{Key: "status", Value: string(expo.Assigned)}, bson.E{Key: "exhibitor_id", Value: exhibitorID}),
		append(bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(expo.Available)},
			{Key: "exhibitor_id", Value: ""},
			{Key: "held_until", Value: date(time.Time{})},
		}}}, unmove...))
	if err != nil {
		return false, err
	}
	if res.MatchedCount > 0 {
		return true, nil
	}
	_, err = booths.UpdateOne(ctx, mark, unmove)
	return false, err
}

type changeDoc struct {
	ID          string        `bson:"_id"`
	EventID     string        `bson:"event_id"`
	BoothID     string        `bson:"booth_id"`
	BoothCode   string        `bson:"booth_code"`
	Action      string        `bson:"action"`
	ExhibitorID string        `bson:"exhibitor_id"`
	Company     string        `bson:"company"`
	ByID        string        `bson:"by_id"`
	ByName      string        `bson:"by_name"`
	At          bson.DateTime `bson:"at"`
}

func (s *Store) AddChange(ctx context.Context, c expo.Change) error {
	_, err := s.expoColls().changes.InsertOne(ctx, changeDoc{ID: c.ID, EventID: c.EventID, BoothID: c.BoothID,
		BoothCode: c.BoothCode, Action: c.Action, ExhibitorID: c.ExhibitorID, Company: c.Company,
		ByID: c.ByID, ByName: c.ByName, At: date(c.At)})
	return translate(err)
}

// Changes reads limit as SQLite's LIMIT does: negative is no limit.
func (s *Store) Changes(ctx context.Context, eventID string, limit int) ([]expo.Change, error) {
	if limit == 0 {
		return nil, nil
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := s.expoColls().changes.Find(ctx, bson.D{{Key: "event_id", Value: eventID}}, opts)
	if err != nil {
		return nil, err
	}
	var docs []changeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]expo.Change, 0, len(docs))
	for _, d := range docs {
		out = append(out, expo.Change{ID: d.ID, EventID: d.EventID, BoothID: d.BoothID, BoothCode: d.BoothCode,
			Action: d.Action, ExhibitorID: d.ExhibitorID, Company: d.Company, ByID: d.ByID, ByName: d.ByName,
			At: fromDate(d.At)})
	}
	return out, nil
}

type exhibitorDoc struct {
	ID            string        `bson:"_id"`
	EventID       string        `bson:"event_id"`
	OwnerID       string        `bson:"owner_id"`
	Company       string        `bson:"company"`
	ContactEmail  string        `bson:"contact_email"`
	Description   string        `bson:"description"`
	Sector        string        `bson:"sector"`
	ContactName   string        `bson:"contact_name"`
	Phone         string        `bson:"phone"`
	Website       string        `bson:"website"`
	Products      string        `bson:"products"`
	Links         []string      `bson:"links"`
	LogoID        string        `bson:"logo_id"`
	PreferredZone string        `bson:"preferred_zone"`
	PreferredSize string        `bson:"preferred_size"`
	CohortID      string        `bson:"cohort_id"`
	Priority      bool          `bson:"priority"`
	Status        string        `bson:"status"`
	CreatedAt     bson.DateTime `bson:"created_at"`
	UpdatedAt     bson.DateTime `bson:"updated_at"`
	// History is never null, so that a step can be pushed onto it;
	// applications from before it existed have none, which a push creates.
	History  []stepDoc    `bson:"history"`
	Approved *snapshotDoc `bson:"approved,omitempty"`
}

// stepDoc is one step of an application's history.
type stepDoc struct {
	Action string        `bson:"action"`
	ByID   string        `bson:"by_id"`
	ByName string        `bson:"by_name"`
	Reason string        `bson:"reason"`
	Fields []string      `bson:"fields"`
	At     bson.DateTime `bson:"at"`
}

func newStepDoc(st expo.Step) stepDoc {
	return stepDoc{Action: st.Action, ByID: st.ByID, ByName: st.ByName, Reason: st.Reason, Fields: st.Fields, At: date(st.At)}
}

func (d stepDoc) step() expo.Step {
	st := expo.Step{Action: d.Action, ByID: d.ByID, ByName: d.ByName, Reason: d.Reason, Fields: d.Fields, At: fromDate(d.At)}
	if len(st.Fields) == 0 {
		st.Fields = nil
	}
	return st
}

// snapshotDoc is a profile as organizers approved it.
type snapshotDoc struct {
	Company       string   `bson:"company"`
	ContactName   string   `bson:"contact_name"`
	ContactEmail  string   `bson:"contact_email"`
	Phone         string   `bson:"phone"`
	Sector        string   `bson:"sector"`
	Description   string   `bson:"description"`
	Website       string   `bson:"website"`
	Products      string   `bson:"products"`
	Links         []string `bson:"links"`
	LogoID        string   `bson:"logo_id"`
	PreferredZone string   `bson:"preferred_zone"`
	PreferredSize string   `bson:"preferred_size"`
}

func newSnapshotDoc(s *expo.Snapshot) *snapshotDoc {
	if s == nil {
		return nil
	}
	d := snapshotDoc(*s)
	return &d
}

func (d *snapshotDoc) snapshot() *expo.Snapshot {
	if d == nil {
		return nil
	}
	s := expo.Snapshot(*d)
	if len(s.Links) == 0 {
		s.Links = nil
	}
	return &s
}

func newExhibitorDoc(x expo.Exhibitor) exhibitorDoc {
	history := make([]stepDoc, 0, len(x.History))
	for _, st := range x.History {
		history = append(history, newStepDoc(st))
	}
	return exhibitorDoc{ID: x.ID, EventID: x.EventID, OwnerID: x.OwnerID, Company: x.Company,
		ContactEmail: x.ContactEmail, Description: x.Description, Sector: x.Sector, ContactName: x.ContactName,
		Phone: x.Phone, Website: x.Website, Products: x.Products, Links: x.Links, LogoID: x.LogoID,
		PreferredZone: x.PreferredZone, PreferredSize: x.PreferredSize, CohortID: x.CohortID, Priority: x.Priority,
		Status: string(x.Status), CreatedAt: date(x.CreatedAt), UpdatedAt: date(x.UpdatedAt),
		History: history, Approved: newSnapshotDoc(x.Approved)}
}

func (d exhibitorDoc) exhibitor() expo.Exhibitor {
	x := expo.Exhibitor{ID: d.ID, EventID: d.EventID, OwnerID: d.OwnerID, Company: d.Company,
		ContactEmail: d.ContactEmail, Description: d.Description, Sector: d.Sector, ContactName: d.ContactName,
		Phone: d.Phone, Website: d.Website, Products: d.Products, Links: d.Links, LogoID: d.LogoID,
		PreferredZone: d.PreferredZone, PreferredSize: d.PreferredSize, CohortID: d.CohortID, Priority: d.Priority,
		Status: expo.ExhibitorStatus(d.Status), CreatedAt: fromDate(d.CreatedAt), UpdatedAt: fromDate(d.UpdatedAt),
		Approved: d.Approved.snapshot()}
	if len(x.Links) == 0 {
		x.Links = nil // no links reads back as none, whether stored as [] or null
	}
	for _, st := range d.History {
		x.History = append(x.History, st.step())
	}
	return x
}

// ownerClaimLife is how long a claim whose application never appeared
// (its process died between the two writes) holds its account back.
const ownerClaimLife = time.Minute

type ownerClaimDoc struct {
	Key         string        `bson:"_id"`
	ExhibitorID string        `bson:"exhibitor_id"`
	At          bson.DateTime `bson:"at"`
}

// CreateExhibitor claims the account's one application at the event, then
// writes it; a failed write gives the claim back. A claim a dead process
// left without its application is taken over once ownerClaimLife has
// passed (see claimOwner), so nothing needs recovering.
func (s *Store) CreateExhibitor(ctx context.Context, x expo.Exhibitor) error {
	c := s.expoColls()
	key := x.EventID + "\x00" + x.OwnerID
	if err := claimOwner(ctx, c, ownerClaimDoc{Key: key, ExhibitorID: x.ID, At: date(x.CreatedAt)}); err != nil {
		return err
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	if _, err := c.exhibitors.InsertOne(ctx, newExhibitorDoc(x)); err != nil {
		_, _ = c.owners.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "exhibitor_id", Value: x.ID}})
		return translate(err)
	}
	return nil
}

// claimOwner takes claim's key for its application. A key is taken while
// its application exists, or while it is younger than ownerClaimLife (its
// application may be being written); an older claim with no application
// is taken over. Applications from before claims existed hold no claim:
// the first of them keeps the account's place.
func claimOwner(ctx context.Context, c expoColls, claim ownerClaimDoc) error {
	eventID, ownerID, _ := strings.Cut(claim.Key, "\x00")
	applied := errs.New(errs.Conflict, "error.exhibitor_applied")
	_, err := c.owners.InsertOne(ctx, claim)
	if err == nil {
		older, xerr := exists(ctx, c.exhibitors, bson.D{{Key: "event_id", Value: eventID}, {Key: "owner_id", Value: ownerID}})
		if xerr != nil || older {
			dctx, cancel := detached(ctx)
			defer cancel()
			_, _ = c.owners.DeleteOne(dctx, bson.D{{Key: "_id", Value: claim.Key}, {Key: "exhibitor_id", Value: claim.ExhibitorID}})
			if xerr != nil {
				return xerr
			}
			return applied
		}
		return nil
	}
	if !driver.IsDuplicateKeyError(err) {
		return err
	}
	var held ownerClaimDoc
	if err := c.owners.FindOne(ctx, bson.D{{Key: "_id", Value: claim.Key}}).Decode(&held); err != nil {
		return errors.Join(applied, err)
	}
	alive, err := exists(ctx, c.exhibitors, bson.D{{Key: "_id", Value: held.ExhibitorID}})
	if err != nil {
		return err
	}
	if alive || held.At.Time().After(claim.At.Time().Add(-ownerClaimLife)) {
		return applied
	}
	res, err := c.owners.UpdateOne(ctx, bson.D{{Key: "_id", Value: claim.Key}, {Key: "exhibitor_id", Value: held.ExhibitorID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "exhibitor_id", Value: claim.ExhibitorID}, {Key: "at", Value: claim.At}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount == 0 {
		return applied
	}
	return nil
}

func (s *Store) UpdateExhibitor(ctx context.Context, x expo.Exhibitor, step *expo.Step) error {
	d := newExhibitorDoc(x)
	update := bson.D{{Key: "$set", Value: bson.D{
		{Key: "company", Value: d.Company},
		{Key: "contact_email", Value: d.ContactEmail},
		{Key: "description", Value: d.Description},
		{Key: "sector", Value: d.Sector},
		{Key: "contact_name", Value: d.ContactName},
		{Key: "phone", Value: d.Phone},
		{Key: "website", Value: d.Website},
		{Key: "products", Value: d.Products},
		{Key: "links", Value: d.Links},
		{Key: "logo_id", Value: d.LogoID},
		{Key: "preferred_zone", Value: d.PreferredZone},
		{Key: "preferred_size", Value: d.PreferredSize},
		{Key: "cohort_id", Value: d.CohortID},
		{Key: "priority", Value: d.Priority},
		{Key: "updated_at", Value: d.UpdatedAt},
	}}}
	if step != nil {
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "history", Value: newStepDoc(*step)}}})
	}
	return matched(s.expoColls().exhibitors.UpdateOne(ctx, bson.D{{Key: "_id", Value: x.ID}}, update))
}

func (s *Store) Exhibitor(ctx context.Context, id string) (expo.Exhibitor, error) {
	return decodeOne(s.expoColls().exhibitors.FindOne(ctx, bson.D{{Key: "_id", Value: id}}), exhibitorDoc.exhibitor)
}

// ReviewExhibitor is one update of one document: status, step and
// snapshot change together or not at all.
func (s *Store) ReviewExhibitor(ctx context.Context, id string, r expo.Review) (expo.Exhibitor, error) {
	filter := bson.D{{Key: "_id", Value: id}}
	if r.From != "" {
		filter = append(filter, bson.E{Key: "status", Value: string(r.From)})
	}
	set := bson.D{{Key: "status", Value: string(r.To)}}
	if r.Approved != nil {
		set = append(set, bson.E{Key: "approved", Value: newSnapshotDoc(r.Approved)})
	}
	x, err := decodeOne(s.expoColls().exhibitors.FindOneAndUpdate(ctx, filter,
		bson.D{{Key: "$set", Value: set}, {Key: "$push", Value: bson.D{{Key: "history", Value: newStepDoc(r.Step)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	), exhibitorDoc.exhibitor)
	if errs.KindOf(err) == errs.NotFound && r.From != "" {
		if _, err := s.Exhibitor(ctx, id); err != nil {
			return expo.Exhibitor{}, err
		}
		return expo.Exhibitor{}, errs.New(errs.Stale, "error.stale")
	}
	return x, err
}

func (s *Store) Exhibitors(ctx context.Context, eventID string) ([]expo.Exhibitor, error) {
	return s.findExhibitors(ctx, bson.D{{Key: "event_id", Value: eventID}}, 1)
}

func (s *Store) ExhibitorsOwnedBy(ctx context.Context, ownerID string) ([]expo.Exhibitor, error) {
	return s.findExhibitors(ctx, bson.D{{Key: "owner_id", Value: ownerID}}, -1)
}

// findExhibitors lists by creation, oldest first when dir is 1, newest
// first when -1.
func (s *Store) findExhibitors(ctx context.Context, filter bson.D, dir int) ([]expo.Exhibitor, error) {
	cur, err := s.expoColls().exhibitors.Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "created_at", Value: dir}, {Key: "_id", Value: dir}}))
	if err != nil {
		return nil, err
	}
	var docs []exhibitorDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]expo.Exhibitor, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.exhibitor())
	}
	return out, nil
}

// boothStaffDoc holds a staff place in one of the exhibitor's numbered slots.
// The unique indexes on (exhibitor_id, slot) and (exhibitor_id, email_key)
// make the allowance and the one place per email hold under concurrent
// adds with nothing but single-document inserts.
type boothStaffDoc struct {
	ID          string `bson:"_id"`
	ExhibitorID string `bson:"exhibitor_id"`
	EventID     string `bson:"event_id"`
	Name        string `bson:"name"`
	Email       string `bson:"email"`
	EmailKey    string `bson:"email_key"`
	Phone       string `bson:"phone"`
	TicketID    string `bson:"ticket_id"`
	UserID      string `bson:"user_id"`
	Secret      string `bson:"secret"`
	// SecretKey keeps invitations unique; see secretKey.
	SecretKey string        `bson:"secret_key"`
	Slot      int           `bson:"slot"`
	CreatedAt bson.DateTime `bson:"created_at"`
	// Adding marks a place whose badge is being issued, until
	// SetBoothStaffTicket; RecoverExpo settles one a dead process left.
	Adding bool `bson:"adding,omitempty"`
}

func (d boothStaffDoc) staff() expo.Staff {
	return expo.Staff{ID: d.ID, ExhibitorID: d.ExhibitorID, EventID: d.EventID, Name: d.Name, Email: d.Email,
		Phone: d.Phone, TicketID: d.TicketID, UserID: d.UserID, Secret: d.Secret, CreatedAt: fromDate(d.CreatedAt)}
}

// secretKey makes "one place per invitation" a unique index: FerretDB has
// no partial indexes, so a place without a secret holds "|" and its own id,
// which clashes with nothing and, its secret being empty, is never claimed.
func secretKey(st expo.Staff) string {
	if st.Secret == "" {
		return "|" + st.ID
	}
	return st.Secret
}

// AddBoothStaff takes the first free slot below allowance. The checks
// before it give each refusal its message and refuse at once when an
// allowance lowered since earlier adds is used up; the unique slots settle
// a race.
func (s *Store) AddBoothStaff(ctx context.Context, st expo.Staff, allowance int) error {
	c := s.expoColls()
	// An exhibitor is never deleted, so checking first leaves no orphan, as
	// SQLite's foreign key does.
	if err := mustExist(ctx, c.exhibitors, "exhibitor", st.ExhibitorID); err != nil {
		return err
	}
	key := tickets.EmailKey(st.Email)
	sameEmail := bson.D{{Key: "exhibitor_id", Value: st.ExhibitorID}, {Key: "email_key", Value: key}}
	emailTaken := func() error {
		taken, err := exists(ctx, c.staff, sameEmail)
		if err == nil && taken {
			err = errs.New(errs.Conflict, "error.staff_taken")
		}
		return err
	}
	if err := emailTaken(); err != nil {
		return err
	}
	n, err := c.staff.CountDocuments(ctx, bson.D{{Key: "exhibitor_id", Value: st.ExhibitorID}})
	if err != nil {
		return err
	}
	if int(n) >= allowance {
		return errs.New(errs.Conflict, "error.staff_allowance")
	}
	d := boothStaffDoc{ID: st.ID, ExhibitorID: st.ExhibitorID, EventID: st.EventID, Name: st.Name, Email: st.Email,
		EmailKey: key, Phone: st.Phone, TicketID: st.TicketID, UserID: st.UserID, Secret: st.Secret, SecretKey: secretKey(st),
		CreatedAt: date(st.CreatedAt), Adding: true}
	for d.Slot = range allowance {
		_, err := c.staff.InsertOne(ctx, d)
		if !driver.IsDuplicateKeyError(err) {
			return translate(err)
		}
		// FerretDB does not say which index refused: ask.
		if err := emailTaken(); err != nil {
			return err
		}
		clash, cerr := exists(ctx, c.staff, bson.D{{Key: "_id", Value: st.ID}})
		if cerr != nil {
			return errors.Join(translate(err), cerr)
		}
		if clash {
			return translate(err)
		}
	}
	return errs.New(errs.Conflict, "error.staff_allowance")
}

func (s *Store) SetBoothStaffTicket(ctx context.Context, staffID, ticketID string) error {
	return matched(s.expoColls().staff.UpdateOne(ctx, bson.D{{Key: "_id", Value: staffID}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "ticket_id", Value: ticketID}}},
			{Key: "$unset", Value: bson.D{{Key: "adding", Value: ""}}},
		}))
}

func (s *Store) RemoveBoothStaff(ctx context.Context, staffID string) (expo.Staff, error) {
	return decodeOne(s.expoColls().staff.FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: staffID}}), boothStaffDoc.staff)
}

func (s *Store) BoothStaff(ctx context.Context, exhibitorID string) ([]expo.Staff, error) {
	return s.findBoothStaff(ctx, bson.D{{Key: "exhibitor_id", Value: exhibitorID}}, 1)
}

// invitation finds the place a secret names; matching secret as well as
// secret_key keeps a place without a secret out of reach.
func invitation(secret string) bson.D {
	return bson.D{{Key: "secret_key", Value: secret}, {Key: "secret", Value: secret}}
}

func (s *Store) BoothStaffBySecret(ctx context.Context, secret string) (expo.Staff, error) {
	return decodeOne(s.expoColls().staff.FindOne(ctx, invitation(secret)), boothStaffDoc.staff)
}

// ClaimBoothStaff updates only a place free or already the user's; when
// that matches nothing, whether the secret names a place tells a conflict
// from an unknown link.
func (s *Store) ClaimBoothStaff(ctx context.Context, secret, userID string) (expo.Staff, error) {
	staff := s.expoColls().staff
	var d boothStaffDoc
	err := staff.FindOneAndUpdate(ctx,
		append(invitation(secret), bson.E{Key: "user_id", Value: bson.D{{Key: "$in", Value: bson.A{"", userID}}}}),
		bson.D{{Key: "$set", Value: bson.D{{Key: "user_id", Value: userID}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if !errors.Is(err, driver.ErrNoDocuments) {
		return d.staff(), translate(err)
	}
	taken, err := exists(ctx, staff, invitation(secret))
	switch {
	case err != nil:
		return expo.Staff{}, err
	case taken:
		return expo.Staff{}, errs.New(errs.Conflict, "error.staff_claimed")
	}
	return expo.Staff{}, errs.ErrNotFound
}

func (s *Store) BoothStaffByUser(ctx context.Context, userID string) ([]expo.Staff, error) {
	if userID == "" {
		return nil, nil
	}
	return s.findBoothStaff(ctx, bson.D{{Key: "user_id", Value: userID}}, -1)
}

// findBoothStaff lists by creation, oldest first when dir is 1, newest first
// when -1.
func (s *Store) findBoothStaff(ctx context.Context, filter bson.D, dir int) ([]expo.Staff, error) {
	cur, err := s.expoColls().staff.Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "created_at", Value: dir}, {Key: "_id", Value: dir}}))
	if err != nil {
		return nil, err
	}
	var docs []boothStaffDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]expo.Staff, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.staff())
	}
	return out, nil
}

// leadDoc keeps the lead's own id in id, as _id is the lead's key.
type leadDoc struct {
	Key         string        `bson:"_id"`
	ID          string        `bson:"id"`
	ExhibitorID string        `bson:"exhibitor_id"`
	EventID     string        `bson:"event_id"`
	TicketID    string        `bson:"ticket_id"`
	Name        string        `bson:"name"`
	Email       string        `bson:"email"`
	Phone       string        `bson:"phone"`
	Note        string        `bson:"note"`
	Rating      string        `bson:"rating"`
	ScannedBy   string        `bson:"scanned_by"`
	CreatedAt   bson.DateTime `bson:"created_at"`
}

func (d leadDoc) lead() expo.Lead {
	return expo.Lead{ID: d.ID, ExhibitorID: d.ExhibitorID, EventID: d.EventID, TicketID: d.TicketID,
		Name: d.Name, Email: d.Email, Phone: d.Phone, Note: d.Note, Rating: d.Rating,
		ScannedBy: d.ScannedBy, CreatedAt: fromDate(d.CreatedAt)}
}

func (s *Store) AddLead(ctx context.Context, l expo.Lead) (expo.Lead, bool, error) {
	c := s.expoColls()
	// An exhibitor is never deleted, so checking first leaves no orphan, as
	// SQLite's foreign key does.
	if _, err := s.Exhibitor(ctx, l.ExhibitorID); err != nil {
		return expo.Lead{}, false, err
	}
	key := leadKey(l.ExhibitorID, l.TicketID)
	_, err := c.leads.InsertOne(ctx, leadDoc{Key: key, ID: l.ID, ExhibitorID: l.ExhibitorID, EventID: l.EventID,
		TicketID: l.TicketID, Name: l.Name, Email: l.Email, Phone: l.Phone, Note: l.Note, Rating: l.Rating,
		ScannedBy: l.ScannedBy, CreatedAt: date(l.CreatedAt)})
	if err == nil {
		return l, true, nil
	}
	if !driver.IsDuplicateKeyError(err) {
		return expo.Lead{}, false, translate(err)
	}
	// FerretDB does not say which index refused: without a lead under the
	// key, the clash is on the lead's id.
	var d leadDoc
	ferr := c.leads.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&d)
	if errors.Is(ferr, driver.ErrNoDocuments) {
		return expo.Lead{}, false, translate(err)
	}
	if ferr != nil {
		return expo.Lead{}, false, errors.Join(translate(err), ferr)
	}
	return d.lead(), false, nil
}

func (s *Store) Leads(ctx context.Context, exhibitorID string) ([]expo.Lead, error) {
	cur, err := s.expoColls().leads.Find(ctx, bson.D{{Key: "exhibitor_id", Value: exhibitorID}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "id", Value: -1}}))
	if err != nil {
		return nil, err
	}
	var docs []leadDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]expo.Lead, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.lead())
	}
	return out, nil
}

func (s *Store) UpdateLead(ctx context.Context, exhibitorID, leadID, note, rating string) (expo.Lead, error) {
	return decodeOne(s.expoColls().leads.FindOneAndUpdate(ctx,
		bson.D{{Key: "id", Value: leadID}, {Key: "exhibitor_id", Value: exhibitorID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "note", Value: note}, {Key: "rating", Value: rating}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	), leadDoc.lead)
}

func (s *Store) LeadCounts(ctx context.Context, eventID string) (map[string]int, error) {
	cur, err := s.expoColls().leads.Aggregate(ctx, bson.A{
		bson.D{{Key: "$match", Value: bson.D{{Key: "event_id", Value: eventID}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$exhibitor_id"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID string `bson:"_id"`
		N  int    `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, nil
}

// UnsettledRejections reads the rejected exhibitors first: they are few,
// and FerretDB has no $lookup to join them with what they hold.
func (s *Store) UnsettledRejections(ctx context.Context, now time.Time) ([]expo.Exhibitor, error) {
	c := s.expoColls()
	rejected, err := s.findExhibitors(ctx, bson.D{{Key: "status", Value: string(expo.Rejected)}}, 1)
	if err != nil || len(rejected) == 0 {
		return nil, err
	}
	ids := make(bson.A, len(rejected))
	for i, x := range rejected {
		ids[i] = x.ID
	}
	theirs := bson.E{Key: "exhibitor_id", Value: bson.D{{Key: "$in", Value: ids}}}
	var holding, staffed []string
	if err := c.booths.Distinct(ctx, "exhibitor_id", bson.D{theirs, {Key: "$or", Value: bson.A{
		bson.D{{Key: "status", Value: string(expo.Assigned)}},
		bson.D{{Key: "status", Value: string(expo.Held)}, {Key: "held_until", Value: bson.D{{Key: "$gt", Value: date(now)}}}},
	}}}).Decode(&holding); err != nil {
		return nil, err
	}
	if err := c.staff.Distinct(ctx, "exhibitor_id", bson.D{theirs}).Decode(&staffed); err != nil {
		return nil, err
	}
	var out []expo.Exhibitor
	for _, x := range rejected {
		if slices.Contains(holding, x.ID) || slices.Contains(staffed, x.ID) {
			out = append(out, x)
		}
	}
	return out, nil
}

// RecoverExpo deletes the blocks of booths never shown, settles the moves
// left marked, and settles the staff places left adding, each from before
// olderThan.
func (s *Store) RecoverExpo(ctx context.Context, olderThan time.Time) (int, error) {
	res, err := s.expoColls().booths.DeleteMany(ctx, bson.D{{Key: "hidden", Value: true},
		{Key: "created_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}})
	if err != nil {
		return 0, err
	}
	settled := int(res.DeletedCount)
	for _, step := range []func(context.Context, time.Time) (int, error){s.settleMoves, s.settlePlaces} {
		n, err := step(ctx, olderThan)
		settled += n
		if err != nil {
			return settled, err
		}
	}
	return settled, nil
}

// settleMoves finishes each move marked before olderThan whose exhibitor
// holds the target, and undoes any other.
func (s *Store) settleMoves(ctx context.Context, olderThan time.Time) (int, error) {
	booths := s.expoColls().booths
	marked, err := s.boothDocs(ctx, bson.D{{Key: "moving_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}}, nil)
	if err != nil {
		return 0, err
	}
	for i, d := range marked {
		var to boothDoc
		err := booths.FindOne(ctx, bson.D{{Key: "_id", Value: d.MovingTo}}).Decode(&to)
		if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
			return i, err
		}
		if err == nil && to.Status == string(expo.Assigned) && to.ExhibitorID == d.MovingFor {
			_, err = s.leaveBooth(ctx, d.ID, d.MovingTo, d.MovingFor)
		} else {
			_, err = booths.UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "moving_to", Value: d.MovingTo}}, unmove)
		}
		if err != nil {
			return i, err
		}
	}
	return len(marked), nil
}

// settlePlaces settles each staff place left adding since before
// olderThan by its badge: issued, or none named, the place stays; never
// issued, it goes. A badge still being registered is left to the tickets'
// own recovery, which runs first, and is settled next time.
func (s *Store) settlePlaces(ctx context.Context, olderThan time.Time) (int, error) {
	staff := s.expoColls().staff
	cur, err := staff.Find(ctx, bson.D{{Key: "adding", Value: true}, {Key: "created_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}})
	if err != nil {
		return 0, err
	}
	var places []boothStaffDoc
	if err := cur.All(ctx, &places); err != nil {
		return 0, err
	}
	settled := 0
	for _, p := range places {
		var t ticketDoc
		if p.TicketID != "" {
			err := s.tickets.FindOne(ctx, bson.D{{Key: "_id", Value: p.TicketID}},
				options.FindOne().SetProjection(bson.D{{Key: "status", Value: 1}})).Decode(&t)
			if err != nil && !errors.Is(err, driver.ErrNoDocuments) {
				return settled, err
			}
		}
		place := bson.D{{Key: "_id", Value: p.ID}, {Key: "adding", Value: true}}
		switch {
		case t.Status == pending:
			continue
		case p.TicketID != "" && t.ID == "":
			_, err = staff.DeleteOne(ctx, place)
		default:
			_, err = staff.UpdateOne(ctx, place, bson.D{{Key: "$unset", Value: bson.D{{Key: "adding", Value: ""}}}})
		}
		if err != nil {
			return settled, err
		}
		settled++
	}
	return settled, nil
}

// A booth's place is checked against the other booths of its hall and then
// written: two writes, which without transactions (FerretDB has none) let
// two booths be drawn over one spot at once. onFloor serialises those writes
// per event and hall with a lease in floor_locks: a holder that dies only
// delays the next writer until its lease runs out.
const (
	// floorLease is how long a lock lasts unless released; the work under
	// it must end first, so it is kept well above floorWait.
	floorLease = 30 * time.Second
	// floorWait bounds the wait for every lock of one write: a rush of
	// organizers drawing on one floor queues behind the lock, each write a
	// few round trips that a loaded database may take a second over.
	floorWait = 10 * time.Second
	// floorMargin is left between the end of the work and the lease's.
	floorMargin = time.Second
)

// floorKey names the lock of one hall of one event. Instances compare their
// own clocks with the leases, so those clocks must agree within floorMargin.
// Leases are read on the machine's clock, not the app's: they bound real
// durations, down to the deadline of the write they guard.
func floorKey(eventID, hall string) string { return eventID + "\x00" + hall }

// onFloor runs fn holding the floor locks of the halls of the event. The
// locks are taken in sorted order, so that two writes each needing two halls
// cannot wait on each other. fn's context ends before the first lease does:
// a write late enough to outlive its lock fails instead of racing.
func (s *Store) onFloor(ctx context.Context, eventID string, halls []string, fn func(context.Context) error) error {
	locks := s.expoColls().floorLocks
	keys := make([]string, 0, len(halls))
	for _, h := range halls {
		keys = append(keys, floorKey(eventID, h))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	holder := ids.New()
	var held []string
	defer func() {
		// Released even when ctx is done; a lock left behind runs out.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), floorWait)
		defer cancel()
		for _, k := range held {
			_, _ = locks.DeleteOne(rctx, bson.D{{Key: "_id", Value: k}, {Key: "holder", Value: holder}})
		}
	}()
	var leaseEnd time.Time
	giveUp := time.Now().Add(floorWait)
	for _, k := range keys {
		end, err := acquireFloor(ctx, locks, k, holder, giveUp)
		if err != nil {
			return err
		}
		held = append(held, k)
		if leaseEnd.IsZero() {
			leaseEnd = end
		}
	}
	wctx, cancel := context.WithDeadline(ctx, leaseEnd.Add(-floorMargin))
	defer cancel()
	return fn(wctx)
}

// acquireFloor takes the lock key for holder, retrying with a growing,
// jittered pause until giveUp, and returns when its lease ends. One upsert
// takes it: it matches a lease run out, or inserts the lock when there is
// none; a live lease makes the insert clash on _id, which is "not yet".
func acquireFloor(ctx context.Context, locks *driver.Collection, key, holder string, giveUp time.Time) (time.Time, error) {
	pause := 5 * time.Millisecond
	for {
		now := time.Now()
		end := now.Add(floorLease)
		_, err := locks.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: key}, {Key: "expires_at", Value: bson.D{{Key: "$lte", Value: date(now)}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "holder", Value: holder}, {Key: "expires_at", Value: date(end)}}}},
			options.UpdateOne().SetUpsert(true))
		if err == nil {
			return end, nil
		}
		if !driver.IsDuplicateKeyError(err) {
			return time.Time{}, err
		}
		if now.Add(pause).After(giveUp) {
			return time.Time{}, errs.Wrapf(errs.Unavailable, "floor %q still locked after %s", key, floorWait)
		}
		t := time.NewTimer(pause/2 + rand.N(pause))
		select {
		case <-ctx.Done():
			t.Stop()
			return time.Time{}, ctx.Err()
		case <-t.C:
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}
