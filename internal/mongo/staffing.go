package mongo

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/staffing"
)

var _ staffing.Store = (*Store)(nil)

// staffingColls are the collections of staffing: gates holds one document
// per event (_id the event id) with its gate names in order; staff one per
// person and event, whose _id (see staffKey) keeps an assignment unique
// without a unique index.
type staffingColls struct {
	gates, staff *driver.Collection
}

func (s *Store) staffingColls() staffingColls {
	return staffingColls{gates: s.db.Collection("event_gates"), staff: s.db.Collection("event_staff")}
}

func staffKey(eventID, userID string) string { return eventID + "|" + userID }

type gatesDoc struct {
	ID    string   `bson:"_id"`
	Names []string `bson:"names"`
}

type staffDoc struct {
	ID         string        `bson:"_id"`
	EventID    string        `bson:"event_id"`
	UserID     string        `bson:"user_id"`
	AssignedBy string        `bson:"assigned_by"`
	AssignedAt bson.DateTime `bson:"assigned_at"`
}

func (s *Store) SetGates(ctx context.Context, eventID string, names []string) error {
	_, err := s.staffingColls().gates.ReplaceOne(ctx, bson.D{{Key: "_id", Value: eventID}},
		gatesDoc{ID: eventID, Names: append([]string{}, names...)}, options.Replace().SetUpsert(true))
	return translate(err)
}

func (s *Store) Gates(ctx context.Context, eventID string) ([]string, error) {
	var d gatesDoc
	err := s.staffingColls().gates.FindOne(ctx, bson.D{{Key: "_id", Value: eventID}}).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return d.Names, nil
}

func (s *Store) AddStaff(ctx context.Context, a staffing.Assignment) error {
	_, err := s.staffingColls().staff.InsertOne(ctx, staffDoc{ID: staffKey(a.EventID, a.UserID), EventID: a.EventID,
		UserID: a.UserID, AssignedBy: a.AssignedBy, AssignedAt: date(a.AssignedAt)})
	return translate(err)
}

func (s *Store) IsStaff(ctx context.Context, eventID, userID string) (bool, error) {
	err := s.staffingColls().staff.FindOne(ctx, bson.D{{Key: "_id", Value: staffKey(eventID, userID)}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if errors.Is(err, driver.ErrNoDocuments) {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) RemoveStaff(ctx context.Context, eventID, userID string) error {
	res, err := s.staffingColls().staff.DeleteOne(ctx, bson.D{{Key: "_id", Value: staffKey(eventID, userID)}})
	if err != nil {
		return translate(err)
	}
	if res.DeletedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

func (s *Store) EventStaff(ctx context.Context, eventID string) ([]staffing.Assignment, error) {
	return s.assignments(ctx, bson.D{{Key: "event_id", Value: eventID}},
		bson.D{{Key: "assigned_at", Value: 1}, {Key: "user_id", Value: 1}})
}

func (s *Store) UserAssignments(ctx context.Context, userID string) ([]staffing.Assignment, error) {
	return s.assignments(ctx, bson.D{{Key: "user_id", Value: userID}},
		bson.D{{Key: "assigned_at", Value: -1}, {Key: "event_id", Value: -1}})
}

func (s *Store) assignments(ctx context.Context, filter, sort bson.D) ([]staffing.Assignment, error) {
	cur, err := s.staffingColls().staff.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, err
	}
	var docs []staffDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]staffing.Assignment, 0, len(docs))
	for _, d := range docs {
		out = append(out, staffing.Assignment{EventID: d.EventID, UserID: d.UserID, AssignedBy: d.AssignedBy, AssignedAt: fromDate(d.AssignedAt)})
	}
	return out, nil
}
