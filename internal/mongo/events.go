package mongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/tickets"
)

var _ events.Store = (*Store)(nil)

type eventDoc struct {
	ID            string        `bson:"_id"`
	Slug          string        `bson:"slug"`
	Title         string        `bson:"title"`
	TitleEN       string        `bson:"title_en"`
	Description   string        `bson:"description"`
	DescriptionEN string        `bson:"description_en"`
	Venue         string        `bson:"venue"`
	StartsAt      bson.DateTime `bson:"starts_at"`
	EndsAt        bson.DateTime `bson:"ends_at"`
	Published     bool          `bson:"published"`
	CreatedBy     string        `bson:"created_by"`
	CreatedAt     bson.DateTime `bson:"created_at"`
	UpdatedAt     bson.DateTime `bson:"updated_at"`
	BannerID      string        `bson:"banner_id"`
	// Questions are absent from events made before registration questions.
	Questions []eventQuestionDoc `bson:"questions,omitempty"`
	// Course is absent from events that never were a course.
	Course *eventCourseDoc `bson:"course,omitempty"`
}

type eventCourseDoc struct {
	Enabled       bool          `bson:"enabled"`
	MinPercent    int           `bson:"min_percent"`
	Required      []string      `bson:"required"`
	SignerName    string        `bson:"signer_name,omitempty"`
	SignerTitle   string        `bson:"signer_title,omitempty"`
	AutoIssue     bool          `bson:"auto_issue,omitempty"`
	CertsIssuedAt bson.DateTime `bson:"certs_issued_at,omitempty"`
}

func courseDoc(c events.Course) *eventCourseDoc {
	if c.Unset() {
		return nil
	}
	return &eventCourseDoc{Enabled: c.Enabled, MinPercent: c.MinPercent, Required: c.Required,
		SignerName: c.SignerName, SignerTitle: c.SignerTitle, AutoIssue: c.AutoIssue, CertsIssuedAt: date(c.CertsIssuedAt)}
}

func (d eventDoc) course() events.Course {
	if d.Course == nil {
		return events.Course{}
	}
	return events.Course{Enabled: d.Course.Enabled, MinPercent: d.Course.MinPercent, Required: d.Course.Required,
		SignerName: d.Course.SignerName, SignerTitle: d.Course.SignerTitle, AutoIssue: d.Course.AutoIssue, CertsIssuedAt: fromDate(d.Course.CertsIssuedAt)}
}

type eventQuestionDoc struct {
	ID        string   `bson:"id"`
	Label     string   `bson:"label"`
	LabelEN   string   `bson:"label_en,omitempty"`
	Kind      string   `bson:"kind"`
	Options   []string `bson:"options,omitempty"`
	OptionsEN []string `bson:"options_en,omitempty"`
	Required  bool     `bson:"required,omitempty"`
	AtGate    bool     `bson:"at_gate,omitempty"`
	Role      string   `bson:"role,omitempty"`
}

func questionDocs(qs []events.Question) []eventQuestionDoc {
	var out []eventQuestionDoc
	for _, q := range qs {
		out = append(out, eventQuestionDoc{ID: q.ID, Label: q.Label, LabelEN: q.LabelEN, Kind: q.Kind, Options: q.Options,
			OptionsEN: q.OptionsEN, Required: q.Required, AtGate: q.AtGate, Role: q.Role})
	}
	return out
}

func (d eventDoc) questions() []events.Question {
	var out []events.Question
	for _, q := range d.Questions {
		out = append(out, events.Question{ID: q.ID, Label: q.Label, LabelEN: q.LabelEN, Kind: q.Kind, Options: q.Options,
			OptionsEN: q.OptionsEN, Required: q.Required, AtGate: q.AtGate, Role: q.Role})
	}
	return out
}

func (d eventDoc) event() events.Event {
	return events.Event{
		ID:            d.ID,
		Slug:          d.Slug,
		Title:         d.Title,
		TitleEN:       d.TitleEN,
		Description:   d.Description,
		DescriptionEN: d.DescriptionEN,
		Venue:         d.Venue,
		StartsAt:      fromDate(d.StartsAt),
		EndsAt:        fromDate(d.EndsAt),
		Published:     d.Published,
		CreatedBy:     d.CreatedBy,
		CreatedAt:     fromDate(d.CreatedAt),
		UpdatedAt:     fromDate(d.UpdatedAt),
		BannerID:      d.BannerID,
		Questions:     d.questions(),
		Course:        d.course(),
	}
}

func (s *Store) CreateEvent(ctx context.Context, e events.Event) error {
	_, err := s.events.InsertOne(ctx, eventDoc{
		ID:            e.ID,
		Slug:          e.Slug,
		Title:         e.Title,
		TitleEN:       e.TitleEN,
		Description:   e.Description,
		DescriptionEN: e.DescriptionEN,
		Venue:         e.Venue,
		StartsAt:      date(e.StartsAt),
		EndsAt:        date(e.EndsAt),
		Published:     e.Published,
		CreatedBy:     e.CreatedBy,
		CreatedAt:     date(e.CreatedAt),
		UpdatedAt:     date(e.UpdatedAt),
		BannerID:      e.BannerID,
		Questions:     questionDocs(e.Questions),
		Course:        courseDoc(e.Course),
	})
	return translate(err)
}

func (s *Store) SetEventCourse(ctx context.Context, id string, c events.Course, at time.Time) error {
	res, err := s.events.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "course", Value: courseDoc(c)}, {Key: "updated_at", Value: date(at)}}}})
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Store) SetEventQuestions(ctx context.Context, id string, qs []events.Question, at time.Time) error {
	res, err := s.events.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "questions", Value: questionDocs(qs)}, {Key: "updated_at", Value: date(at)}}}})
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Store) UpdateEvent(ctx context.Context, e events.Event) error {
	res, err := s.events.UpdateOne(ctx, bson.D{{Key: "_id", Value: e.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "slug", Value: e.Slug},
		{Key: "title", Value: e.Title},
		{Key: "title_en", Value: e.TitleEN},
		{Key: "description", Value: e.Description},
		{Key: "description_en", Value: e.DescriptionEN},
		{Key: "venue", Value: e.Venue},
		{Key: "starts_at", Value: date(e.StartsAt)},
		{Key: "ends_at", Value: date(e.EndsAt)},
		{Key: "published", Value: e.Published},
		{Key: "updated_at", Value: date(e.UpdatedAt)},
	}}})
	if err != nil && !driver.IsDuplicateKeyError(err) {
		// FerretDB reports a unique index refusing an update as an internal
		// error, not as a duplicate key, so ask whether the slug is taken.
		taken, cerr := s.events.CountDocuments(ctx, bson.D{
			{Key: "slug", Value: e.Slug},
			{Key: "_id", Value: bson.D{{Key: "$ne", Value: e.ID}}},
		}, options.Count().SetLimit(1))
		if cerr == nil && taken > 0 {
			return errs.Wrap(errs.Conflict, err)
		}
	}
	return matched(res, err)
}

func (s *Store) SetEventBanner(ctx context.Context, id, bannerID string, at time.Time) (string, error) {
	var before struct {
		BannerID string `bson:"banner_id"`
	}
	err := s.events.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "banner_id", Value: bannerID}, {Key: "updated_at", Value: date(at)}}}},
		// No projection: FerretDB does not implement one on findAndModify.
		options.FindOneAndUpdate().SetReturnDocument(options.Before),
	).Decode(&before)
	if err != nil {
		return "", translate(err)
	}
	return before.BannerID, nil
}

func (s *Store) findEvent(ctx context.Context, filter bson.D) (events.Event, error) {
	return decodeOne(s.events.FindOne(ctx, filter), eventDoc.event)
}

func (s *Store) EventByID(ctx context.Context, id string) (events.Event, error) {
	return s.findEvent(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) EventBySlug(ctx context.Context, slug string) (events.Event, error) {
	return s.findEvent(ctx, bson.D{{Key: "slug", Value: slug}})
}

func (s *Store) ListEvents(ctx context.Context, q events.Query) ([]events.Event, int, error) {
	filter := bson.D{}
	if q.PublishedOnly {
		filter = append(filter, bson.E{Key: "published", Value: true})
	}
	if !q.EndsAfter.IsZero() {
		filter = append(filter, bson.E{Key: "ends_at", Value: bson.D{{Key: "$gt", Value: date(q.EndsAfter)}}})
	}
	docs, total, err := sortedPage[eventDoc](ctx, s.events, filter,
		bson.D{{Key: "starts_at", Value: 1}, {Key: "_id", Value: 1}}, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, eventDoc.event), total, nil
}

// eventExists stands in for the SQLite store's foreign keys: what belongs
// to an unknown event is errs.NotFound. No store method deletes an event,
// so checking first leaves no window for an orphan.
func (s *Store) eventExists(ctx context.Context, id string) error {
	n, err := s.events.CountDocuments(ctx, bson.D{{Key: "_id", Value: id}}, options.Count().SetLimit(1))
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.Wrapf(errs.NotFound, "event %s does not exist", id)
	}
	return nil
}

type agendaDoc struct {
	ID       string        `bson:"_id"`
	EventID  string        `bson:"event_id"`
	StartsAt bson.DateTime `bson:"starts_at"`
	EndsAt   bson.DateTime `bson:"ends_at"`
	Room     string        `bson:"room"`
	Title    string        `bson:"title"`
	TitleEN  string        `bson:"title_en"`
	Speakers string        `bson:"speakers"`
}

func newAgendaDoc(a events.AgendaItem) agendaDoc {
	return agendaDoc{ID: a.ID, EventID: a.EventID, StartsAt: date(a.StartsAt), EndsAt: date(a.EndsAt), Room: a.Room,
		Title: a.Title, TitleEN: a.TitleEN, Speakers: a.Speakers}
}

func (s *Store) CreateAgendaItem(ctx context.Context, a events.AgendaItem) error {
	if err := s.eventExists(ctx, a.EventID); err != nil {
		return err
	}
	_, err := s.agenda.InsertOne(ctx, newAgendaDoc(a))
	return translate(err)
}

func (s *Store) UpdateAgendaItem(ctx context.Context, a events.AgendaItem) error {
	res, err := s.agenda.ReplaceOne(ctx, bson.D{{Key: "_id", Value: a.ID}, {Key: "event_id", Value: a.EventID}}, newAgendaDoc(a))
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Store) DeleteAgendaItem(ctx context.Context, eventID, id string) error {
	res, err := s.agenda.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "event_id", Value: eventID}})
	if err != nil {
		return err
	}
	if res.DeletedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Store) Agenda(ctx context.Context, eventID string) ([]events.AgendaItem, error) {
	cur, err := s.agenda.Find(ctx, bson.D{{Key: "event_id", Value: eventID}},
		options.Find().SetSort(bson.D{{Key: "starts_at", Value: 1}, {Key: "room", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []agendaDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	var out []events.AgendaItem
	for _, d := range docs {
		out = append(out, events.AgendaItem{
			ID:       d.ID,
			EventID:  d.EventID,
			StartsAt: fromDate(d.StartsAt),
			EndsAt:   fromDate(d.EndsAt),
			Room:     d.Room,
			Title:    d.Title,
			TitleEN:  d.TitleEN,
			Speakers: d.Speakers,
		})
	}
	return out, nil
}

// typeDoc keeps remaining (capacity − sold) rather than sold: FerretDB has
// no $expr, so "a seat is left" must be a guard on one field,
// remaining > 0. WaitlistSeq numbers the type's waitlist entries.
type typeDoc struct {
	ID          string        `bson:"_id"`
	EventID     string        `bson:"event_id"`
	Name        string        `bson:"name"`
	NameEN      string        `bson:"name_en"`
	Capacity    int           `bson:"capacity"`
	Remaining   int           `bson:"remaining"`
	Waitlist    bool          `bson:"waitlist"`
	Invite      bool          `bson:"invite"`
	WaitlistSeq int64         `bson:"waitlist_seq"`
	SalesStart  bson.DateTime `bson:"sales_start"`
	SalesEnd    bson.DateTime `bson:"sales_end"`
	CreatedAt   bson.DateTime `bson:"created_at"`
}

func (d typeDoc) ticketType(waiting int) events.TicketType {
	return events.TicketType{
		ID:         d.ID,
		EventID:    d.EventID,
		Name:       d.Name,
		NameEN:     d.NameEN,
		Capacity:   d.Capacity,
		Sold:       d.Capacity - d.Remaining,
		Waitlist:   d.Waitlist,
		Invite:     d.Invite,
		Waiting:    waiting,
		SalesStart: fromDate(d.SalesStart),
		SalesEnd:   fromDate(d.SalesEnd),
		CreatedAt:  fromDate(d.CreatedAt),
	}
}

func (s *Store) CreateTicketType(ctx context.Context, t events.TicketType) error {
	if err := s.eventExists(ctx, t.EventID); err != nil {
		return err
	}
	_, err := s.ticketTypes.InsertOne(ctx, typeDoc{
		ID:         t.ID,
		EventID:    t.EventID,
		Name:       t.Name,
		NameEN:     t.NameEN,
		Capacity:   t.Capacity,
		Remaining:  t.Capacity,
		Waitlist:   t.Waitlist,
		Invite:     t.Invite,
		SalesStart: date(t.SalesStart),
		SalesEnd:   date(t.SalesEnd),
		CreatedAt:  date(t.CreatedAt),
	})
	return translate(err)
}

// UpdateTicketType moves capacity and remaining by the same delta. The
// update is guarded by the capacity it read, so a concurrent change makes
// it read again rather than apply a stale delta, and by remaining >=
// -delta, so capacity never drops below the seats sold.
func (s *Store) UpdateTicketType(ctx context.Context, t events.TicketType) error {
	for {
		var cur typeDoc
		if err := s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: t.ID}}).Decode(&cur); err != nil {
			return translate(err)
		}
		delta := t.Capacity - cur.Capacity
		if cur.Remaining+delta < 0 {
			return errs.New(errs.Conflict, "error.capacity_below_sold")
		}
		res, err := s.ticketTypes.UpdateOne(ctx,
			bson.D{
				{Key: "_id", Value: t.ID},
				{Key: "capacity", Value: cur.Capacity},
				{Key: "remaining", Value: bson.D{{Key: "$gte", Value: -delta}}},
			},
			bson.D{
				{Key: "$set", Value: bson.D{
					{Key: "name", Value: t.Name},
					{Key: "name_en", Value: t.NameEN},
					{Key: "capacity", Value: t.Capacity},
					{Key: "waitlist", Value: t.Waitlist},
					{Key: "invite", Value: t.Invite},
					{Key: "sales_start", Value: date(t.SalesStart)},
					{Key: "sales_end", Value: date(t.SalesEnd)},
				}},
				{Key: "$inc", Value: bson.D{{Key: "remaining", Value: delta}}},
			})
		if err != nil {
			return translate(err)
		}
		if res.MatchedCount > 0 {
			return nil
		}
	}
}

// waiting counts the entries waiting for a seat of the type.
func (s *Store) waiting(ctx context.Context, typeID string) (int, error) {
	n, err := s.waitlist.CountDocuments(ctx, bson.D{
		{Key: "type_id", Value: typeID},
		{Key: "status", Value: string(tickets.Waiting)},
	})
	return int(n), err
}

func (s *Store) TicketType(ctx context.Context, id string) (events.TicketType, error) {
	var d typeDoc
	if err := s.ticketTypes.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return events.TicketType{}, translate(err)
	}
	n, err := s.waiting(ctx, id)
	if err != nil {
		return events.TicketType{}, err
	}
	return d.ticketType(n), nil
}

func (s *Store) TicketTypes(ctx context.Context, eventID string) ([]events.TicketType, error) {
	cur, err := s.ticketTypes.Find(ctx, bson.D{{Key: "event_id", Value: eventID}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, err
	}
	var docs []typeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	var out []events.TicketType
	for _, d := range docs {
		n, err := s.waiting(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, d.ticketType(n))
	}
	return out, nil
}
