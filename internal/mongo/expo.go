package mongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/expo"
)

var _ expo.Store = (*Store)(nil)

// expoColls are the collections of the exhibition. leads hold one document
// per exhibitor and ticket, whose _id (see leadKey) keeps a visitor scanned
// twice a single lead without a second unique index.
type expoColls struct {
	booths, exhibitors, leads *driver.Collection
}

func (s *Store) expoColls() expoColls {
	return expoColls{
		booths:     s.db.Collection("booths"),
		exhibitors: s.db.Collection("exhibitors"),
		leads:      s.db.Collection("leads"),
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
}

func (d boothDoc) booth() expo.Booth {
	return expo.Booth{ID: d.ID, EventID: d.EventID, Code: d.Code, Hall: d.Hall, Zone: d.Zone,
		X: d.X, Y: d.Y, W: d.W, H: d.H, SizeClass: d.SizeClass, Price: d.Price,
		Status: expo.BoothStatus(d.Status), ExhibitorID: d.ExhibitorID,
		HeldUntil: fromDate(d.HeldUntil), CreatedAt: fromDate(d.CreatedAt)}
}

// CreateBooth checks the code and the floor first, so that each refusal
// has its own message; the unique index still settles a race on the code.
// Two overlapping booths created at the same moment can both pass, which
// FerretDB, having no transactions, leaves no way to prevent.
func (s *Store) CreateBooth(ctx context.Context, b expo.Booth) error {
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

func (s *Store) Booth(ctx context.Context, id string) (expo.Booth, error) {
	var d boothDoc
	if err := s.expoColls().booths.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return expo.Booth{}, translate(err)
	}
	return d.booth(), nil
}

func (s *Store) Booths(ctx context.Context, eventID string) ([]expo.Booth, error) {
	return s.findBooths(ctx, bson.D{{Key: "event_id", Value: eventID}}, bson.D{{Key: "code", Value: 1}, {Key: "_id", Value: 1}})
}

func (s *Store) findBooths(ctx context.Context, filter, sort bson.D) ([]expo.Booth, error) {
	opts := options.Find()
	if sort != nil {
		opts.SetSort(sort)
	}
	cur, err := s.expoColls().booths.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	var docs []boothDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]expo.Booth, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.booth())
	}
	return out, nil
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
		bson.D{{Key: "_id", Value: boothID}, {Key: "$or", Value: when}},
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

func (s *Store) ReleaseBooth(ctx context.Context, boothID string) (expo.Booth, error) {
	var d boothDoc
	err := s.expoColls().booths.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: boothID}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(expo.Available)},
			{Key: "exhibitor_id", Value: ""},
			{Key: "held_until", Value: date(time.Time{})},
		}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&d)
	if err != nil {
		return expo.Booth{}, translate(err)
	}
	return d.booth(), nil
}

type exhibitorDoc struct {
	ID           string        `bson:"_id"`
	EventID      string        `bson:"event_id"`
	OwnerID      string        `bson:"owner_id"`
	Company      string        `bson:"company"`
	ContactEmail string        `bson:"contact_email"`
	Description  string        `bson:"description"`
	Sector       string        `bson:"sector"`
	Status       string        `bson:"status"`
	CreatedAt    bson.DateTime `bson:"created_at"`
}

func (d exhibitorDoc) exhibitor() expo.Exhibitor {
	return expo.Exhibitor{ID: d.ID, EventID: d.EventID, OwnerID: d.OwnerID, Company: d.Company,
		ContactEmail: d.ContactEmail, Description: d.Description, Sector: d.Sector,
		Status: expo.ExhibitorStatus(d.Status), CreatedAt: fromDate(d.CreatedAt)}
}

func (s *Store) CreateExhibitor(ctx context.Context, x expo.Exhibitor) error {
	_, err := s.expoColls().exhibitors.InsertOne(ctx, exhibitorDoc{ID: x.ID, EventID: x.EventID, OwnerID: x.OwnerID,
		Company: x.Company, ContactEmail: x.ContactEmail, Description: x.Description, Sector: x.Sector,
		Status: string(x.Status), CreatedAt: date(x.CreatedAt)})
	return translate(err)
}

func (s *Store) Exhibitor(ctx context.Context, id string) (expo.Exhibitor, error) {
	var d exhibitorDoc
	if err := s.expoColls().exhibitors.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return expo.Exhibitor{}, translate(err)
	}
	return d.exhibitor(), nil
}

func (s *Store) SetExhibitorStatus(ctx context.Context, id string, st expo.ExhibitorStatus) (expo.Exhibitor, error) {
	var d exhibitorDoc
	err := s.expoColls().exhibitors.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(st)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After),
	).Decode(&d)
	if err != nil {
		return expo.Exhibitor{}, translate(err)
	}
	return d.exhibitor(), nil
}

func (s *Store) Exhibitors(ctx context.Context, eventID string) ([]expo.Exhibitor, error) {
	cur, err := s.expoColls().exhibitors.Find(ctx, bson.D{{Key: "event_id", Value: eventID}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
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
