package mongo

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/vn"
)

var _ certification.Store = (*Store)(nil)

// dossiers keep each science-and-technology certification dossier whole
// as JSON, beside the fields lists filter and sort by.
func (s *Store) dossiers() *driver.Collection { return s.db.Collection("st_dossiers") }

type dossierDoc struct {
	ID          string        `bson:"_id"`
	OwnerID     string        `bson:"owner_id"`
	Kind        string        `bson:"kind"`
	Stage       string        `bson:"stage"`
	Sector      string        `bson:"sector"`
	GrantedYear int           `bson:"granted_year"`
	Words       []string      `bson:"words"`
	Version     int           `bson:"version"`
	UpdatedAt   bson.DateTime `bson:"updated_at"`
	Doc         string        `bson:"doc"`
}

func toDossierDoc(d certification.Dossier) (dossierDoc, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return dossierDoc{}, err
	}
	words := d.Words()
	slices.Sort(words)
	return dossierDoc{ID: d.ID, OwnerID: d.OwnerID, Kind: string(d.Kind), Stage: string(d.Stage), Sector: d.Enterprise.Sector, GrantedYear: d.GrantedYear(vn.Zone),
		Words: slices.Compact(words), Version: d.Version, UpdatedAt: date(d.UpdatedAt), Doc: string(b)}, nil
}

func (d dossierDoc) dossier() (certification.Dossier, error) {
	var out certification.Dossier
	return out, json.Unmarshal([]byte(d.Doc), &out)
}

func (s *Store) CreateDossier(ctx context.Context, d certification.Dossier) error {
	doc, err := toDossierDoc(d)
	if err != nil {
		return err
	}
	_, err = s.dossiers().InsertOne(ctx, doc)
	return translate(err)
}

func (s *Store) Dossier(ctx context.Context, id string) (certification.Dossier, error) {
	var d dossierDoc
	if err := s.dossiers().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return certification.Dossier{}, translate(err)
	}
	return d.dossier()
}

func (s *Store) SaveDossier(ctx context.Context, d certification.Dossier) error {
	doc, err := toDossierDoc(d)
	if err != nil {
		return err
	}
	res, err := s.dossiers().ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "version", Value: d.Version - 1}}, doc)
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	if _, err := s.Dossier(ctx, d.ID); err != nil {
		return err
	}
	return errs.ErrConflict
}

func (s *Store) Dossiers(ctx context.Context, q certification.Query) ([]certification.Dossier, int, error) {
	filter := bson.D{}
	if q.OwnerID != "" {
		filter = append(filter, bson.E{Key: "owner_id", Value: q.OwnerID})
	}
	if len(q.Stages) > 0 {
		stages := bson.A{}
		for _, st := range q.Stages {
			stages = append(stages, string(st))
		}
		filter = append(filter, bson.E{Key: "stage", Value: bson.D{{Key: "$in", Value: stages}}})
	}
	if q.Kind != "" {
		filter = append(filter, bson.E{Key: "kind", Value: string(q.Kind)})
	}
	if q.Sector != "" {
		filter = append(filter, bson.E{Key: "sector", Value: q.Sector})
	}
	if q.Year != 0 {
		filter = append(filter, bson.E{Key: "granted_year", Value: q.Year})
	}
	if words := vn.Words(q.Text); len(words) > 0 {
		// As for tickets: each word asked starts a word of the dossier's,
		// a condition of its own, since FerretDB finds nothing with
		// patterns inside $all.
		starts := bson.A{}
		for _, w := range words {
			starts = append(starts, bson.D{{Key: "words", Value: bson.Regex{Pattern: "^" + regexp.QuoteMeta(w)}}})
		}
		filter = append(filter, bson.E{Key: "$and", Value: starts})
	}
	total, err := s.dossiers().CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, translate(err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	cur, err := s.dossiers().Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "updated_at", Value: -1}, {Key: "_id", Value: -1}}).
		SetSkip(int64(max(q.Offset, 0))).SetLimit(int64(limit)))
	if err != nil {
		return nil, 0, translate(err)
	}
	var docs []dossierDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, 0, translate(err)
	}
	out := make([]certification.Dossier, 0, len(docs))
	for _, d := range docs {
		x, err := d.dossier()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, int(total), nil
}
