package mongo

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/incubator"
)

// cohortColls are the collections of cohorts. Mentors, reports and
// reminders are keyed by a compound _id (pairKey), which keeps each pair
// unique without a unique index of its own.
type cohortColls struct {
	mentors, milestones, reports, reminders, profiles *driver.Collection
}

func (s *Store) cohortColls() cohortColls {
	return cohortColls{
		mentors:    s.db.Collection("startup_mentors"),
		milestones: s.db.Collection("milestones"),
		reports:    s.db.Collection("startup_reports"),
		reminders:  s.db.Collection("report_reminders"),
		profiles:   s.db.Collection("startup_profiles"),
	}
}

func pairKey(a, b string) string { return a + "|" + b }

func findAll[T any](ctx context.Context, c *driver.Collection, filter, sort bson.D) ([]T, error) {
	cur, err := c.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, err
	}
	var docs []T
	return docs, cur.All(ctx, &docs)
}

func (s *Store) Cohorts(ctx context.Context) ([]incubator.Cohort, error) {
	docs, err := findAll[cohortDoc](ctx, s.incubatorColls().cohorts, bson.D{},
		bson.D{{Key: "starts_at", Value: -1}, {Key: "_id", Value: 1}})
	return convert(docs, cohortDoc.cohort), err
}

func (s *Store) CohortApplications(ctx context.Context, cohortID string) ([]incubator.Application, error) {
	return s.findApplications(ctx, bson.D{{Key: "cohort_id", Value: cohortID}, {Key: "status", Value: string(incubator.Accepted)}},
		bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}})
}

type mentorDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	MentorID      string        `bson:"mentor_id"`
	AssignedAt    bson.DateTime `bson:"assigned_at"`
}

func (s *Store) AssignMentor(ctx context.Context, applicationID, mentorID string, at time.Time) error {
	if err := mustExist(ctx, s.incubatorColls().applications, "application", applicationID); err != nil {
		return err
	}
	_, err := s.cohortColls().mentors.UpdateOne(ctx, bson.D{{Key: "_id", Value: pairKey(applicationID, mentorID)}},
		bson.D{{Key: "$setOnInsert", Value: mentorDoc{ID: pairKey(applicationID, mentorID), ApplicationID: applicationID,
			MentorID: mentorID, AssignedAt: date(at)}}},
		options.UpdateOne().SetUpsert(true))
	return translate(err)
}

func (s *Store) Mentors(ctx context.Context, applicationID string) ([]string, error) {
	docs, err := findAll[mentorDoc](ctx, s.cohortColls().mentors, bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "assigned_at", Value: 1}, {Key: "mentor_id", Value: 1}})
	var out []string
	for _, d := range docs {
		out = append(out, d.MentorID)
	}
	return out, err
}

func (s *Store) MentorApplications(ctx context.Context, mentorID string) ([]incubator.Application, error) {
	docs, err := findAll[mentorDoc](ctx, s.cohortColls().mentors, bson.D{{Key: "mentor_id", Value: mentorID}}, bson.D{})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	ids := make(bson.A, 0, len(docs))
	for _, d := range docs {
		ids = append(ids, d.ApplicationID)
	}
	return s.findApplications(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "startup_name", Value: 1}, {Key: "_id", Value: 1}})
}

type milestoneDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	Title         string        `bson:"title"`
	Due           bson.DateTime `bson:"due"`
	Status        string        `bson:"status"`
	CreatedAt     bson.DateTime `bson:"created_at"`
}

func (s *Store) PutMilestone(ctx context.Context, m incubator.Milestone) error {
	if err := mustExist(ctx, s.incubatorColls().applications, "application", m.ApplicationID); err != nil {
		return err
	}
	_, err := s.cohortColls().milestones.UpdateOne(ctx, bson.D{{Key: "_id", Value: m.ID}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "title", Value: m.Title}, {Key: "due", Value: date(m.Due)}, {Key: "status", Value: string(m.Status)}}},
			{Key: "$setOnInsert", Value: bson.D{{Key: "application_id", Value: m.ApplicationID}, {Key: "created_at", Value: date(m.CreatedAt)}}},
		},
		options.UpdateOne().SetUpsert(true))
	return translate(err)
}

func (s *Store) Milestones(ctx context.Context, applicationID string) ([]incubator.Milestone, error) {
	docs, err := findAll[milestoneDoc](ctx, s.cohortColls().milestones, bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "due", Value: 1}, {Key: "_id", Value: 1}})
	var out []incubator.Milestone
	for _, d := range docs {
		out = append(out, incubator.Milestone{ID: d.ID, ApplicationID: d.ApplicationID, Title: d.Title, Due: fromDate(d.Due),
			Status: incubator.MilestoneStatus(d.Status), CreatedAt: fromDate(d.CreatedAt)})
	}
	return out, err
}

type reportDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	Month         string        `bson:"month"`
	Revenue       int64         `bson:"revenue"`
	Users         int64         `bson:"users"`
	Staff         int64         `bson:"staff"`
	Funding       int64         `bson:"funding"`
	Highlights    string        `bson:"highlights"`
	FiledBy       string        `bson:"filed_by"`
	CreatedAt     bson.DateTime `bson:"created_at"`
	UpdatedAt     bson.DateTime `bson:"updated_at"`
}

func (s *Store) CreateReport(ctx context.Context, r incubator.Report) error {
	if err := mustExist(ctx, s.incubatorColls().applications, "application", r.ApplicationID); err != nil {
		return err
	}
	_, err := s.cohortColls().reports.InsertOne(ctx, reportDoc{ID: pairKey(r.ApplicationID, r.Month), ApplicationID: r.ApplicationID,
		Month: r.Month, Revenue: r.Revenue, Users: r.Users, Staff: r.Staff, Funding: r.Funding, Highlights: r.Highlights,
		FiledBy: r.FiledBy, CreatedAt: date(r.CreatedAt), UpdatedAt: date(r.UpdatedAt)})
	return translate(err)
}

func (s *Store) UpdateReport(ctx context.Context, r incubator.Report) error {
	return matched(s.cohortColls().reports.UpdateOne(ctx, bson.D{{Key: "_id", Value: pairKey(r.ApplicationID, r.Month)}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "revenue", Value: r.Revenue}, {Key: "users", Value: r.Users}, {Key: "staff", Value: r.Staff},
			{Key: "funding", Value: r.Funding}, {Key: "highlights", Value: r.Highlights}, {Key: "filed_by", Value: r.FiledBy},
			{Key: "updated_at", Value: date(r.UpdatedAt)},
		}}}))
}

func (s *Store) Reports(ctx context.Context, applicationID string) ([]incubator.Report, error) {
	docs, err := findAll[reportDoc](ctx, s.cohortColls().reports, bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "month", Value: 1}})
	var out []incubator.Report
	for _, d := range docs {
		out = append(out, incubator.Report{ApplicationID: d.ApplicationID, Month: d.Month, Revenue: d.Revenue, Users: d.Users,
			Staff: d.Staff, Funding: d.Funding, Highlights: d.Highlights, FiledBy: d.FiledBy, CreatedAt: fromDate(d.CreatedAt),
			UpdatedAt: fromDate(d.UpdatedAt)})
	}
	return out, err
}

func (s *Store) MarkReminded(ctx context.Context, applicationID, month string) (bool, error) {
	_, err := s.cohortColls().reminders.InsertOne(ctx, bson.D{{Key: "_id", Value: pairKey(applicationID, month)}})
	if err = translate(err); errs.KindOf(err) == errs.Conflict {
		return false, nil
	}
	return err == nil, err
}

type profileDoc struct {
	ID        string        `bson:"_id"`
	Name      string        `bson:"name"`
	Sector    string        `bson:"sector"`
	Stage     string        `bson:"stage"`
	Pitch     string        `bson:"pitch"`
	LogoID    string        `bson:"logo_id"`
	UpdatedAt bson.DateTime `bson:"updated_at"`
}

func (d profileDoc) profile() incubator.Profile {
	return incubator.Profile{ApplicationID: d.ID, Name: d.Name, Sector: d.Sector, Stage: d.Stage, Pitch: d.Pitch, LogoID: d.LogoID,
		UpdatedAt: fromDate(d.UpdatedAt)}
}

func (s *Store) PutProfile(ctx context.Context, p incubator.Profile) error {
	if err := mustExist(ctx, s.incubatorColls().applications, "application", p.ApplicationID); err != nil {
		return err
	}
	_, err := s.cohortColls().profiles.ReplaceOne(ctx, bson.D{{Key: "_id", Value: p.ApplicationID}},
		profileDoc{ID: p.ApplicationID, Name: p.Name, Sector: p.Sector, Stage: p.Stage, Pitch: p.Pitch, LogoID: p.LogoID,
			UpdatedAt: date(p.UpdatedAt)}, options.Replace().SetUpsert(true))
	return translate(err)
}

func (s *Store) Profile(ctx context.Context, applicationID string) (incubator.Profile, error) {
	return decodeOne(s.cohortColls().profiles.FindOne(ctx, bson.D{{Key: "_id", Value: applicationID}}), profileDoc.profile)
}

func (s *Store) Profiles(ctx context.Context) ([]incubator.Profile, error) {
	docs, err := findAll[profileDoc](ctx, s.cohortColls().profiles, bson.D{}, bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}})
	return convert(docs, profileDoc.profile), err
}
