package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/training"
)

var _ training.Store = (*Store)(nil)

// attendanceDoc is one ticket's attendance at one session; its _id is the
// pair, so the unique _id keeps it once.
type attendanceDoc struct {
	ID        string        `bson:"_id"`
	EventID   string        `bson:"event_id"`
	SessionID string        `bson:"session_id"`
	TicketID  string        `bson:"ticket_id"`
	At        bson.DateTime `bson:"at"`
	By        string        `bson:"by"`
	Source    string        `bson:"source"`
}

func (s *Store) attendance() *driver.Collection { return s.db.Collection("attendance") }

func attendanceOf(a training.Attendance) attendanceDoc {
	return attendanceDoc{ID: pairKey(a.TicketID, a.SessionID), EventID: a.EventID, SessionID: a.SessionID, TicketID: a.TicketID,
		At: date(a.At), By: a.By, Source: string(a.Source)}
}

func (d attendanceDoc) attendance() training.Attendance {
	return training.Attendance{EventID: d.EventID, SessionID: d.SessionID, TicketID: d.TicketID, At: fromDate(d.At), By: d.By,
		Source: training.Source(d.Source)}
}

func (s *Store) RecordAttendance(ctx context.Context, a training.Attendance) (training.Attendance, bool, error) {
	d := attendanceOf(a)
	_, err := s.attendance().InsertOne(ctx, d)
	if err == nil {
		return d.attendance(), true, nil
	}
	if !driver.IsDuplicateKeyError(err) {
		return a, false, translate(err)
	}
	var first attendanceDoc
	if err := s.attendance().FindOne(ctx, bson.D{{Key: "_id", Value: d.ID}}).Decode(&first); err != nil {
		return a, false, translate(err)
	}
	return first.attendance(), false, nil
}

func (s *Store) UndoAttendance(ctx context.Context, eventID, sessionID, ticketID string) (bool, error) {
	res, err := s.attendance().DeleteOne(ctx, bson.D{{Key: "_id", Value: pairKey(ticketID, sessionID)}, {Key: "event_id", Value: eventID}})
	if err != nil {
		return false, translate(err)
	}
	return res.DeletedCount == 1, nil
}

func (s *Store) SessionAttendance(ctx context.Context, eventID, sessionID string) ([]training.Attendance, error) {
	return s.attendanceWhere(ctx, bson.D{{Key: "event_id", Value: eventID}, {Key: "session_id", Value: sessionID}})
}

func (s *Store) EventAttendance(ctx context.Context, eventID string) ([]training.Attendance, error) {
	return s.attendanceWhere(ctx, bson.D{{Key: "event_id", Value: eventID}})
}

func (s *Store) attendanceWhere(ctx context.Context, filter bson.D) ([]training.Attendance, error) {
	cur, err := s.attendance().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err)
	}
	var docs []attendanceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err)
	}
	out := make([]training.Attendance, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.attendance())
	}
	return out, nil
}
