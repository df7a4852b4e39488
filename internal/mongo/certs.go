package mongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/certs"
	"sprout/internal/errs"
)

var _ certs.Store = (*Store)(nil)

// certDoc is a certificate; its code is the _id. The token is not kept:
// key_id and the claims sign it again byte for byte.
type certDoc struct {
	Code         string            `bson:"_id"`
	Kind         string            `bson:"kind"`
	Holder       string            `bson:"holder"`
	Title        string            `bson:"title"`
	Issuer       string            `bson:"issuer"`
	Source       string            `bson:"source"`
	Details      map[string]string `bson:"details"`
	IssuedAt     bson.DateTime     `bson:"issued_at"`
	Status       string            `bson:"status"`
	RevokedAt    bson.DateTime     `bson:"revoked_at"`
	RevokeReason string            `bson:"revoke_reason"`
	Replaces     string            `bson:"replaces"`
	ReplacedBy   string            `bson:"replaced_by"`
	KeyID        string            `bson:"key_id"`
}

func certToDoc(c certs.Certificate) certDoc {
	d := c.Details
	if d == nil {
		d = map[string]string{}
	}
	return certDoc{
		Code: c.Code, Kind: string(c.Kind), Holder: c.Holder, Title: c.Title, Issuer: c.Issuer, Source: c.Source,
		Details: d, IssuedAt: date(c.IssuedAt), Status: string(c.Status), RevokedAt: date(c.RevokedAt),
		RevokeReason: c.RevokeReason, Replaces: c.Replaces, ReplacedBy: c.ReplacedBy, KeyID: c.KeyID,
	}
}

func (d certDoc) cert() certs.Certificate {
	details := d.Details
	if details == nil {
		details = map[string]string{}
	}
	return certs.Certificate{
		Code: d.Code, Kind: certs.Kind(d.Kind), Holder: d.Holder, Title: d.Title, Issuer: d.Issuer, Source: d.Source,
		Details: details, IssuedAt: fromDate(d.IssuedAt), Status: certs.Status(d.Status), RevokedAt: fromDate(d.RevokedAt),
		RevokeReason: d.RevokeReason, Replaces: d.Replaces, ReplacedBy: d.ReplacedBy, KeyID: d.KeyID,
	}
}

// certCounterDoc is the last number a year's codes were given.
type certCounterDoc struct {
	Year int   `bson:"_id"`
	N    int64 `bson:"n"`
}

// certificates are unique by kind and source; certCounters hold, per year
// (the _id), the last number given to a code.
func (s *Store) certificates() *driver.Collection { return s.db.Collection("certificates") }
func (s *Store) certCounters() *driver.Collection { return s.db.Collection("certificate_counters") }

func (s *Store) CertBySource(ctx context.Context, kind certs.Kind, source string) (certs.Certificate, error) {
	var d certDoc
	err := s.certificates().FindOne(ctx, bson.D{{Key: "kind", Value: string(kind)}, {Key: "source", Value: source}}).Decode(&d)
	return d.cert(), translate(err)
}

// IssueCert takes a number only when no certificate of the source exists;
// two issues of one source at the same moment may both take one, and the
// unique index keeps the first: the other number is left unused.
func (s *Store) IssueCert(ctx context.Context, c certs.Certificate, code func(year int, n int64) string) (certs.Certificate, bool, error) {
	found, err := s.CertBySource(ctx, c.Kind, c.Source)
	if err == nil {
		return found, false, nil
	}
	if errs.KindOf(err) != errs.NotFound {
		return certs.Certificate{}, false, err
	}
	year := c.IssuedAt.UTC().Year()
	var counter certCounterDoc
	if err := s.certCounters().FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: year}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&counter); err != nil {
		return certs.Certificate{}, false, translate(err)
	}
	c.Code = code(year, counter.N)
	if c.Details == nil {
		c.Details = map[string]string{}
	}
	_, err = s.certificates().InsertOne(ctx, certToDoc(c))
	if driver.IsDuplicateKeyError(err) {
		found, err := s.CertBySource(ctx, c.Kind, c.Source)
		return found, false, err
	}
	if err != nil {
		return certs.Certificate{}, false, translate(err)
	}
	return c, true, nil
}

func (s *Store) CertByCode(ctx context.Context, code string) (certs.Certificate, error) {
	var d certDoc
	err := s.certificates().FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&d)
	return d.cert(), translate(err)
}

func (s *Store) ListCerts(ctx context.Context, kind certs.Kind) ([]certs.Certificate, error) {
	cur, err := s.certificates().Find(ctx, bson.D{{Key: "kind", Value: string(kind)}},
		options.Find().SetSort(bson.D{{Key: "issued_at", Value: -1}, {Key: "_id", Value: -1}}))
	if err != nil {
		return nil, translate(err)
	}
	var docs []certDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, translate(err)
	}
	out := make([]certs.Certificate, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.cert())
	}
	return out, nil
}

func (s *Store) RevokeCert(ctx context.Context, code string, at time.Time, reason, replacedBy string) (certs.Certificate, error) {
	var d certDoc
	err := s.certificates().FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: code}, {Key: "status", Value: string(certs.Valid)}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "status", Value: string(certs.Revoked)}, {Key: "revoked_at", Value: date(at)},
			{Key: "revoke_reason", Value: reason}, {Key: "replaced_by", Value: replacedBy},
		}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if errs.KindOf(translate(err)) == errs.NotFound {
		if _, err := s.CertByCode(ctx, code); err != nil {
			return certs.Certificate{}, err
		}
		return certs.Certificate{}, errs.ErrConflict
	}
	if err != nil {
		return certs.Certificate{}, translate(err)
	}
	return d.cert(), nil
}
