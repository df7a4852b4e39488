package mongo

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/keys"
)

var _ keys.Store = (*Store)(nil)

// keyDoc is a signing key; seed is the 32-byte private seed, from which the
// public key follows.
type keyDoc struct {
	ID        string        `bson:"_id"`
	Seed      []byte        `bson:"seed"`
	CreatedAt bson.DateTime `bson:"created_at"`
	RetiredAt bson.DateTime `bson:"retired_at"`
}

// signingKeys needs no index beyond _id: a deployment holds a handful of
// keys, and every read lists them all.
func (s *Store) signingKeys() *driver.Collection { return s.db.Collection("signing_keys") }

func (s *Store) CreateKey(ctx context.Context, k keys.Key) error {
	_, err := s.signingKeys().InsertOne(ctx, keyDoc{
		ID: k.ID, Seed: k.Private.Seed(), CreatedAt: date(k.CreatedAt), RetiredAt: date(k.RetiredAt),
	})
	return translate(err)
}

func (s *Store) ListKeys(ctx context.Context) ([]keys.Key, error) {
	cur, err := s.signingKeys().Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}))
	if err != nil {
		return nil, err
	}
	var docs []keyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]keys.Key, 0, len(docs))
	for _, d := range docs {
		if len(d.Seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("mongo: signing key %s: seed of %d bytes", d.ID, len(d.Seed))
		}
		out = append(out, keys.Key{
			ID: d.ID, Private: ed25519.NewKeyFromSeed(d.Seed), CreatedAt: fromDate(d.CreatedAt), RetiredAt: fromDate(d.RetiredAt),
		})
	}
	return out, nil
}

// RetireKey keeps the first retirement time when called again.
func (s *Store) RetireKey(ctx context.Context, id string, at time.Time) error {
	res, err := s.signingKeys().UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "retired_at", Value: date(time.Time{})}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "retired_at", Value: date(at)}}}})
	if err != nil {
		return err
	}
	if res.MatchedCount > 0 {
		return nil
	}
	n, err := s.signingKeys().CountDocuments(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.ErrNotFound
	}
	return nil
}
