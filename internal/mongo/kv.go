package mongo

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/kv"
)

var _ kv.Store = (*Store)(nil)

// live matches key when it never expires or expires after now.
func live(key string, now time.Time) bson.D {
	return bson.D{
		{Key: "_id", Value: key},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "expires_at", Value: date(time.Time{})}},
			bson.D{{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: date(now)}}}},
		}},
	}
}

// expired matches keys that have an expiry and reached it at now.
func expired(now time.Time) bson.D {
	return bson.D{{Key: "expires_at", Value: bson.D{
		{Key: "$gt", Value: date(time.Time{})},
		{Key: "$lte", Value: date(now)},
	}}}
}

// retryDup runs an upsert once more when it lost a race to insert the same
// _id: the second attempt finds the winner's document and updates it.
func retryDup[T any](fn func() (T, error)) (T, error) {
	v, err := fn()
	if driver.IsDuplicateKeyError(err) {
		v, err = fn()
	}
	return v, err
}

func (s *Store) KVGet(ctx context.Context, key string, now time.Time) ([]byte, error) {
	var raw bson.Raw
	err := s.kv.FindOne(ctx, live(key, now), options.FindOne().SetProjection(bson.D{{Key: "value", Value: 1}})).Decode(&raw)
	if err != nil {
		return nil, translate(err)
	}
	// A counter has no value.
	v, err := raw.LookupErr("value")
	if err != nil {
		return nil, errs.ErrNotFound
	}
	_, data, ok := v.BinaryOK()
	if !ok {
		return nil, errs.ErrNotFound
	}
	return append([]byte{}, data...), nil
}

func (s *Store) KVSet(ctx context.Context, key string, val []byte, expiresAt time.Time) error {
	if val == nil {
		val = []byte{}
	}
	doc := bson.D{
		{Key: "value", Value: val},
		{Key: "n", Value: int64(0)},
		{Key: "expires_at", Value: date(expiresAt)},
	}
	_, err := retryDup(func() (*driver.UpdateResult, error) {
		return s.kv.ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}}, doc, options.Replace().SetUpsert(true))
	})
	return translate(err)
}

func (s *Store) KVDelete(ctx context.Context, key string) error {
	_, err := s.kv.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}})
	return translate(err)
}

func (s *Store) KVIncr(ctx context.Context, key string, now, expiresAt time.Time) (int64, error) {
	// An expired counter starts over: once it is gone, the upsert inserts a
	// fresh one with the new expiry.
	if _, err := s.kv.DeleteOne(ctx, append(bson.D{{Key: "_id", Value: key}}, expired(now)...)); err != nil {
		return 0, translate(err)
	}
	n, err := retryDup(func() (int64, error) {
		var d struct {
			N int64 `bson:"n"`
		}
		err := s.kv.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: key}},
			bson.D{
				{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}},
				{Key: "$setOnInsert", Value: bson.D{{Key: "expires_at", Value: date(expiresAt)}}},
			},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
		).Decode(&d)
		return d.N, err
	})
	return n, translate(err)
}

func (s *Store) KVCount(ctx context.Context, key string, now time.Time) (int64, error) {
	var d struct {
		N int64 `bson:"n"`
	}
	err := s.kv.FindOne(ctx, live(key, now), options.FindOne().SetProjection(bson.D{{Key: "n", Value: 1}})).Decode(&d)
	if errors.Is(err, driver.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return d.N, nil
}

func (s *Store) KVDeleteExpired(ctx context.Context, now time.Time) (int, error) {
	res, err := s.kv.DeleteMany(ctx, expired(now))
	if err != nil {
		return 0, err
	}
	return int(res.DeletedCount), nil
}
