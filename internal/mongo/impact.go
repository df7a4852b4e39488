package mongo

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/impact"
	"sprout/internal/vn"
)

var _ impact.Store = (*Store)(nil)

// impactQuery is one figure: the stages selecting what it counts, the
// field to count distinct values of ("" counts documents) and the date
// field that places each in a year.
type impactQuery struct {
	coll     *driver.Collection
	stages   bson.A
	distinct string
	dated    string
}

// count runs the query's stages, then extra, and counts what comes out.
func (q impactQuery) count(ctx context.Context, extra ...bson.D) (int, error) {
	p := append(bson.A{}, q.stages...)
	for _, st := range extra {
		p = append(p, st)
	}
	if q.distinct != "" {
		p = append(p, bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$" + q.distinct}}}})
	}
	p = append(p, bson.D{{Key: "$count", Value: "n"}})
	cur, err := q.coll.Aggregate(ctx, p)
	if err != nil {
		return 0, err
	}
	var out []struct {
		N int `bson:"n"`
	}
	if err := cur.All(ctx, &out); err != nil || len(out) == 0 {
		return 0, err
	}
	return out[0].N, nil
}

// edge is the earliest (order 1) or latest (order -1) date the query
// dates its documents with, zero when it has none.
func (q impactQuery) edge(ctx context.Context, order int) (time.Time, error) {
	p := append(bson.A{}, q.stages...)
	p = append(p,
		bson.D{{Key: "$match", Value: bson.D{{Key: q.dated, Value: bson.D{{Key: "$gt", Value: bson.DateTime(0)}}}}}},
		bson.D{{Key: "$sort", Value: bson.D{{Key: q.dated, Value: order}}}},
		bson.D{{Key: "$limit", Value: 1}})
	cur, err := q.coll.Aggregate(ctx, p)
	if err != nil {
		return time.Time{}, err
	}
	var docs []bson.Raw
	if err := cur.All(ctx, &docs); err != nil || len(docs) == 0 {
		return time.Time{}, err
	}
	v, err := docs[0].LookupErr(strings.Split(q.dated, ".")...)
	if err != nil {
		return time.Time{}, err
	}
	d, ok := v.DateTimeOK()
	if !ok {
		return time.Time{}, errors.New("impact: " + q.dated + " is no date")
	}
	return fromDate(bson.DateTime(d)), nil
}

// run counts the total, then each year from the earliest date to the
// latest with a range on the date: FerretDB has no date operators to group
// by year with, and the years are few.
func (q impactQuery) run(ctx context.Context) (impact.Count, error) {
	c := impact.Count{ByYear: map[int]int{}}
	var err error
	if c.Total, err = q.count(ctx); err != nil || c.Total == 0 {
		return c, err
	}
	first, err := q.edge(ctx, 1)
	if err != nil || first.IsZero() {
		return c, err
	}
	last, err := q.edge(ctx, -1)
	if err != nil {
		return c, err
	}
	for y := first.In(vn.Zone).Year(); y <= last.In(vn.Zone).Year(); y++ {
		from := time.Date(y, 1, 1, 0, 0, 0, 0, vn.Zone)
		n, err := q.count(ctx, bson.D{{Key: "$match", Value: bson.D{{Key: q.dated, Value: bson.D{
			{Key: "$gte", Value: date(from)}, {Key: "$lt", Value: date(from.AddDate(1, 0, 0))}}}}}})
		if err != nil {
			return impact.Count{}, err
		}
		if n > 0 {
			c.ByYear[y] = n
		}
	}
	return c, nil
}

func match(filter bson.D) bson.A { return bson.A{bson.D{{Key: "$match", Value: filter}}} }

// ImpactCounts counts each figure with aggregation pipelines ending in
// $count; no document is read into the process.
func (s *Store) ImpactCounts(ctx context.Context, now time.Time) (impact.Counts, error) {
	apps, certs := s.incubatorColls().applications, s.certificates()
	// Applications to the department's internal programmes (the council's
	// appraisals) are no startups'.
	internal := []string{}
	cur, err := s.incubatorColls().programs.Find(ctx, bson.D{{Key: "internal", Value: true}}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return impact.Counts{}, translate(err)
	}
	var ids []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &ids); err != nil {
		return impact.Counts{}, translate(err)
	}
	for _, p := range ids {
		internal = append(internal, p.ID)
	}
	public := bson.E{Key: "program_id", Value: bson.D{{Key: "$nin", Value: internal}}}
	accepted := bson.E{Key: "status", Value: "accepted"}
	// Re-issues carry the code they replace and are not counted again.
	issued := bson.E{Key: "replaces", Value: ""}
	queries := map[impact.Figure]impactQuery{
		impact.Applications: {apps, match(bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: "draft"}}},
			{Key: "submitted_at", Value: bson.D{{Key: "$gt", Value: bson.DateTime(0)}}}, public}), "", "submitted_at"},
		impact.StartupsSupported: {apps, match(bson.D{accepted, public}), "founder_id", "decided_at"},
		impact.StartupsInCohorts: {apps, match(bson.D{accepted, {Key: "cohort_id", Value: bson.D{{Key: "$ne", Value: ""}}}, public}),
			"founder_id", "decided_at"},
		impact.CertificatesIssued: {certs, match(bson.D{issued}), "", "issued_at"},
		impact.TraineesCertified: {certs, match(bson.D{{Key: "kind", Value: impact.KindTraining}, {Key: "status", Value: "valid"}}),
			"holder", "issued_at"},
		impact.EventsHeld: {s.db.Collection("events"), match(bson.D{{Key: "published", Value: true},
			{Key: "ends_at", Value: bson.D{{Key: "$lt", Value: date(now)}}}}), "", "starts_at"},
		impact.VisitorsCheckedIn: {s.checkinColls().presence, match(bson.D{{Key: "entries", Value: bson.D{{Key: "$gt", Value: 0}}}}),
			"", "first_in_at"},
		// An exhibitor counts once in the total and once in each year an
		// approval step of its history falls in.
		impact.Exhibitors: {s.expoColls().exhibitors, bson.A{
			bson.D{{Key: "$match", Value: bson.D{{Key: "status", Value: "approved"}}}},
			bson.D{{Key: "$unwind", Value: "$history"}},
			bson.D{{Key: "$match", Value: bson.D{{Key: "history.action", Value: "approved"}}}},
		}, "_id", "history.at"},
	}
	out := impact.Counts{Figures: map[impact.Figure]impact.Count{}, CertificatesByKind: map[string]impact.Count{}}
	for f, q := range queries {
		c, err := q.run(ctx)
		if err != nil {
			return impact.Counts{}, err
		}
		out.Figures[f] = c
	}
	// The unwinding leaves out approved exhibitors without a dated
	// approval, so the total is counted on the status alone.
	total, err := s.expoColls().exhibitors.CountDocuments(ctx, bson.D{{Key: "status", Value: "approved"}})
	if err != nil {
		return impact.Counts{}, err
	}
	ex := out.Figures[impact.Exhibitors]
	ex.Total = int(total)
	out.Figures[impact.Exhibitors] = ex
	for _, k := range impact.Kinds {
		c, err := impactQuery{certs, match(bson.D{issued, {Key: "kind", Value: k}}), "", "issued_at"}.run(ctx)
		if err != nil {
			return impact.Counts{}, err
		}
		out.CertificatesByKind[k] = c
	}
	return out, nil
}
