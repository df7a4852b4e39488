package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"

	"sprout/internal/incubator"
)

func (s *Store) sessions() *driver.Collection { return s.db.Collection("mentor_sessions") }

type sessionDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	MentorID      string        `bson:"mentor_id"`
	Day           bson.DateTime `bson:"day"`
	Topics        string        `bson:"topics"`
	NextSteps     string        `bson:"next_steps"`
	PrivateNote   string        `bson:"private_note"`
	CreatedAt     bson.DateTime `bson:"created_at"`
}

func (s *Store) AddSession(ctx context.Context, x incubator.Session) error {
	if err := mustExist(ctx, s.incubatorColls().applications, "application", x.ApplicationID); err != nil {
		return err
	}
	_, err := s.sessions().InsertOne(ctx, newSessionDoc(x))
	return translate(err)
}

func newSessionDoc(x incubator.Session) sessionDoc {
	return sessionDoc{ID: x.ID, ApplicationID: x.ApplicationID, MentorID: x.MentorID, Day: date(x.Date), Topics: x.Topics,
		NextSteps: x.NextSteps, PrivateNote: x.PrivateNote, CreatedAt: date(x.CreatedAt)}
}

func (s *Store) Sessions(ctx context.Context, applicationID string) ([]incubator.Session, error) {
	docs, err := findAll[sessionDoc](ctx, s.sessions(), bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "day", Value: -1}, {Key: "created_at", Value: -1}, {Key: "_id", Value: 1}})
	out := make([]incubator.Session, 0, len(docs))
	for _, d := range docs {
		out = append(out, incubator.Session{ID: d.ID, ApplicationID: d.ApplicationID, MentorID: d.MentorID, Date: fromDate(d.Day),
			Topics: d.Topics, NextSteps: d.NextSteps, PrivateNote: d.PrivateNote, CreatedAt: fromDate(d.CreatedAt)})
	}
	return out, err
}
