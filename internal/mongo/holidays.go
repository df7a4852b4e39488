package mongo

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/workdays"
)

var _ workdays.Store = (*Store)(nil)

// holidayDoc is one entry of the holiday list; its date, written
// 2006-01-02, is the _id, so that one date holds one entry and _id order
// is date order.
type holidayDoc struct {
	Date   string `bson:"_id"`
	Name   string `bson:"name"`
	NameEN string `bson:"name_en"`
	Kind   string `bson:"kind"`
}

func holidayToDoc(h workdays.Holiday) holidayDoc {
	return holidayDoc{Date: h.Date.String(), Name: h.Name, NameEN: h.NameEN, Kind: string(h.Kind)}
}

func (s *Store) holidays() *driver.Collection { return s.db.Collection("holidays") }

func (s *Store) Holidays(ctx context.Context) ([]workdays.Holiday, error) {
	cur, err := s.holidays().Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, translate(err)
	}
	var docs []holidayDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err)
	}
	out := make([]workdays.Holiday, 0, len(docs))
	for _, d := range docs {
		date, err := workdays.ParseDate(d.Date)
		if err != nil {
			return nil, err
		}
		out = append(out, workdays.Holiday{Date: date, Name: d.Name, NameEN: d.NameEN, Kind: workdays.Kind(d.Kind)})
	}
	return out, nil
}

// PutHoliday replaces the date's document, making it when there is none:
// one atomic write.
func (s *Store) PutHoliday(ctx context.Context, h workdays.Holiday) (bool, error) {
	d := holidayToDoc(h)
	res, err := s.holidays().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.Date}}, d, options.Replace().SetUpsert(true))
	if err != nil {
		return false, translate(err)
	}
	return res.UpsertedCount == 1, nil
}

func (s *Store) DeleteHoliday(ctx context.Context, date workdays.Date) (bool, error) {
	res, err := s.holidays().DeleteOne(ctx, bson.D{{Key: "_id", Value: date.String()}})
	if err != nil {
		return false, translate(err)
	}
	return res.DeletedCount == 1, nil
}
