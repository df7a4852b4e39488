package mongo

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/incubator"
)

var _ incubator.Store = (*Store)(nil)

// incubatorColls are the collections of the incubator. assignments and
// reviews hold one document per application and reviewer, whose _id (see
// reviewKey) keeps the pair unique without a second unique index.
type incubatorColls struct {
	programs, applications, assignments, reviews, cohorts *driver.Collection
}

func (s *Store) incubatorColls() incubatorColls {
	return incubatorColls{
		programs:     s.db.Collection("programs"),
		applications: s.db.Collection("applications"),
		assignments:  s.db.Collection("application_reviewers"),
		reviews:      s.db.Collection("reviews"),
		cohorts:      s.db.Collection("cohorts"),
	}
}

func reviewKey(applicationID, reviewerID string) string { return applicationID + "|" + reviewerID }

// mustExist stands in for the SQLite store's foreign keys: what belongs to
// an unknown programme or application is errs.NotFound. No store method
// deletes either, so checking first leaves no window for an orphan.
func mustExist(ctx context.Context, c *driver.Collection, what, id string) error {
	ok, err := exists(ctx, c, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return err
	}
	if !ok {
		return errs.Wrapf(errs.NotFound, "%s %s does not exist", what, id)
	}
	return nil
}

type questionDoc struct {
	ID       string   `bson:"id"`
	Label    string   `bson:"label"`
	Kind     string   `bson:"kind"`
	Required bool     `bson:"required"`
	Options  []string `bson:"options"`
	Help     string   `bson:"help"`
	// English texts and the removed flag are left out when empty, so
	// documents written before them read the same.
	LabelEN   string   `bson:"label_en,omitempty"`
	HelpEN    string   `bson:"help_en,omitempty"`
	OptionsEN []string `bson:"options_en,omitempty"`
	Removed   bool     `bson:"removed,omitempty"`
}

type criterionDoc struct {
	ID        string            `bson:"id"`
	Label     string            `bson:"label"`
	Weight    float64           `bson:"weight"`
	Anchors   map[string]string `bson:"anchors"`
	LabelEN   string            `bson:"label_en,omitempty"`
	AnchorsEN map[string]string `bson:"anchors_en,omitempty"`
}

type programDoc struct {
	ID            string         `bson:"_id"`
	Slug          string         `bson:"slug"`
	Title         string         `bson:"title"`
	TitleEN       string         `bson:"title_en"`
	Description   string         `bson:"description"`
	DescriptionEN string         `bson:"description_en"`
	Eligibility   string         `bson:"eligibility"`
	OpensAt       bson.DateTime  `bson:"opens_at"`
	ClosesAt      bson.DateTime  `bson:"closes_at"`
	Questions     []questionDoc  `bson:"questions"`
	Criteria      []criterionDoc `bson:"criteria"`
	Blind         bool           `bson:"blind"`
	CreatedBy     string         `bson:"created_by"`
	CreatedAt     bson.DateTime  `bson:"created_at"`
	// ReviewDeadline is 0 when there is none, as in documents from before.
	ReviewDeadline  bson.DateTime `bson:"review_deadline"`
	CriteriaVersion int           `bson:"criteria_version"`
	// Reviewed is set by the first review, in a step guarded by the
	// criteria's version, so that the criteria cannot change under it:
	// reviews live in their own collection.
	Reviewed bool `bson:"reviewed"`
	Internal bool `bson:"internal"`
}

func newProgramDoc(p incubator.Program) programDoc {
	d := programDoc{
		ID:              p.ID,
		Slug:            p.Slug,
		Title:           p.Title,
		TitleEN:         p.TitleEN,
		Description:     p.Description,
		DescriptionEN:   p.DescriptionEN,
		Eligibility:     p.Eligibility,
		OpensAt:         date(p.OpensAt),
		ClosesAt:        date(p.ClosesAt),
		Questions:       make([]questionDoc, 0, len(p.Questions)),
		Criteria:        make([]criterionDoc, 0, len(p.Criteria)),
		Blind:           p.Blind,
		CreatedBy:       p.CreatedBy,
		CreatedAt:       date(p.CreatedAt),
		ReviewDeadline:  date(p.ReviewDeadline),
		CriteriaVersion: p.CriteriaVersion,
		Internal:        p.Internal,
	}
	for _, q := range p.Questions {
		d.Questions = append(d.Questions, questionDoc{ID: q.ID, Label: q.Label, Kind: string(q.Kind), Required: q.Required,
			Options: q.Options, Help: q.Help, LabelEN: q.LabelEN, HelpEN: q.HelpEN, OptionsEN: q.OptionsEN, Removed: q.Removed})
	}
	for _, c := range p.Criteria {
		d.Criteria = append(d.Criteria, criterionDoc{ID: c.ID, Label: c.Label, Weight: c.Weight, Anchors: c.Anchors,
			LabelEN: c.LabelEN, AnchorsEN: c.AnchorsEN})
	}
	return d
}

func (d programDoc) program() incubator.Program {
	p := incubator.Program{
		ID:              d.ID,
		Slug:            d.Slug,
		Title:           d.Title,
		TitleEN:         d.TitleEN,
		Description:     d.Description,
		DescriptionEN:   d.DescriptionEN,
		Eligibility:     d.Eligibility,
		OpensAt:         fromDate(d.OpensAt),
		ClosesAt:        fromDate(d.ClosesAt),
		Questions:       make([]incubator.Question, 0, len(d.Questions)),
		Criteria:        make([]incubator.Criterion, 0, len(d.Criteria)),
		Blind:           d.Blind,
		CreatedBy:       d.CreatedBy,
		CreatedAt:       fromDate(d.CreatedAt),
		ReviewDeadline:  fromDate(d.ReviewDeadline),
		CriteriaVersion: d.CriteriaVersion,
		Internal:        d.Internal,
	}
	for _, q := range d.Questions {
		p.Questions = append(p.Questions, incubator.Question{ID: q.ID, Label: q.Label, Kind: incubator.Kind(q.Kind),
			Required: q.Required, Options: q.Options, Help: q.Help, LabelEN: q.LabelEN, HelpEN: q.HelpEN, OptionsEN: q.OptionsEN,
			Removed: q.Removed})
	}
	for _, c := range d.Criteria {
		p.Criteria = append(p.Criteria, incubator.Criterion{ID: c.ID, Label: c.Label, Weight: c.Weight, Anchors: c.Anchors,
			LabelEN: c.LabelEN, AnchorsEN: c.AnchorsEN})
	}
	return p
}

func (s *Store) CreateProgram(ctx context.Context, p incubator.Program) error {
	_, err := s.incubatorColls().programs.InsertOne(ctx, newProgramDoc(p))
	return translate(err)
}

// criteriaAt matches a programme whose criteria are at version v; a
// document from before versions has none, which is version 0.
func criteriaAt(v int) bson.E {
	if v == 0 {
		return bson.E{Key: "criteria_version", Value: bson.D{{Key: "$in", Value: bson.A{0, nil}}}}
	}
	return bson.E{Key: "criteria_version", Value: v}
}

// UpdateProgram replaces the programme's document but its creator and
// creation time, in one single-document update guarded by the criteria's
// version and, when they change, by no review having started.
func (s *Store) UpdateProgram(ctx context.Context, p incubator.Program, rescored bool) error {
	d := newProgramDoc(p)
	// FerretDB reports a unique index broken by an update as an internal
	// error, not as a duplicate key: a slug taken is found first. The
	// unique index still stops two renames racing to one slug.
	programs := s.incubatorColls().programs
	taken, err := exists(ctx, programs, bson.D{{Key: "slug", Value: d.Slug}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: d.ID}}}})
	if err != nil {
		return err
	}
	if taken {
		return errs.Wrapf(errs.Conflict, "slug %s is taken", d.Slug)
	}
	filter := bson.D{{Key: "_id", Value: p.ID}, criteriaAt(p.CriteriaVersion)}
	version := p.CriteriaVersion
	if rescored {
		filter = append(filter, bson.E{Key: "reviewed", Value: bson.D{{Key: "$ne", Value: true}}})
		version++
	}
	res, err := programs.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{
		{Key: "slug", Value: d.Slug}, {Key: "title", Value: d.Title}, {Key: "title_en", Value: d.TitleEN},
		{Key: "description", Value: d.Description}, {Key: "description_en", Value: d.DescriptionEN},
		{Key: "eligibility", Value: d.Eligibility}, {Key: "opens_at", Value: d.OpensAt}, {Key: "closes_at", Value: d.ClosesAt},
		{Key: "questions", Value: d.Questions}, {Key: "criteria", Value: d.Criteria}, {Key: "blind", Value: d.Blind},
		{Key: "review_deadline", Value: d.ReviewDeadline}, {Key: "criteria_version", Value: version},
	}}})
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	var now programDoc
	if err := programs.FindOne(ctx, bson.D{{Key: "_id", Value: p.ID}}).Decode(&now); err != nil {
		return translate(err)
	}
	if now.CriteriaVersion != p.CriteriaVersion {
		return errs.Wrapf(errs.Stale, "program %s criteria are at version %d, not %d", p.ID, now.CriteriaVersion, p.CriteriaVersion)
	}
	return incubator.ErrReviewed
}

// MarkReviewReminded inserts a document keyed by the pair: the unique _id
// lets only the first of several instances in.
func (s *Store) MarkReviewReminded(ctx context.Context, programID, reviewerID string) (bool, error) {
	_, err := s.db.Collection("review_reminders").InsertOne(ctx, bson.D{{Key: "_id", Value: pairKey(programID, reviewerID)}})
	if err = translate(err); errs.KindOf(err) == errs.Conflict {
		return false, nil
	}
	return err == nil, err
}

func (s *Store) findProgram(ctx context.Context, filter bson.D) (incubator.Program, error) {
	return decodeOne(s.incubatorColls().programs.FindOne(ctx, filter), programDoc.program)
}

func (s *Store) Program(ctx context.Context, id string) (incubator.Program, error) {
	return s.findProgram(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) ProgramBySlug(ctx context.Context, slug string) (incubator.Program, error) {
	return s.findProgram(ctx, bson.D{{Key: "slug", Value: slug}})
}

func (s *Store) Programs(ctx context.Context, offset, limit int) ([]incubator.Program, int, error) {
	docs, total, err := sortedPage[programDoc](ctx, s.incubatorColls().programs, bson.D{},
		bson.D{{Key: "closes_at", Value: 1}, {Key: "_id", Value: 1}}, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, programDoc.program), total, nil
}

// applicationDoc keeps the answers as the JSON the SQLite store keeps, in
// a binary field: each answer comes back byte for byte, and question ids
// need not be valid field names.
type applicationDoc struct {
	ID           string        `bson:"_id"`
	ProgramID    string        `bson:"program_id"`
	FounderID    string        `bson:"founder_id"`
	StartupName  string        `bson:"startup_name"`
	Answers      []byte        `bson:"answers"`
	Status       string        `bson:"status"`
	Version      int           `bson:"version"`
	CohortID     string        `bson:"cohort_id"`
	DecisionNote string        `bson:"decision_note"`
	CreatedAt    bson.DateTime `bson:"created_at"`
	UpdatedAt    bson.DateTime `bson:"updated_at"`
	SubmittedAt  bson.DateTime `bson:"submitted_at"`
	DecidedAt    bson.DateTime `bson:"decided_at"`
}

func (d applicationDoc) application() (incubator.Application, error) {
	a := incubator.Application{
		ID:           d.ID,
		ProgramID:    d.ProgramID,
		FounderID:    d.FounderID,
		StartupName:  d.StartupName,
		Status:       incubator.Status(d.Status),
		Version:      d.Version,
		CohortID:     d.CohortID,
		DecisionNote: d.DecisionNote,
		CreatedAt:    fromDate(d.CreatedAt),
		UpdatedAt:    fromDate(d.UpdatedAt),
		SubmittedAt:  fromDate(d.SubmittedAt),
		DecidedAt:    fromDate(d.DecidedAt),
	}
	return a, json.Unmarshal(d.Answers, &a.Answers)
}

func answersJSON(a incubator.Application) ([]byte, error) {
	if a.Answers == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(a.Answers)
}

func (s *Store) CreateApplication(ctx context.Context, a incubator.Application) error {
	answers, err := answersJSON(a)
	if err != nil {
		return err
	}
	c := s.incubatorColls()
	if err := mustExist(ctx, c.programs, "programme", a.ProgramID); err != nil {
		return err
	}
	_, err = c.applications.InsertOne(ctx, applicationDoc{
		ID:           a.ID,
		ProgramID:    a.ProgramID,
		FounderID:    a.FounderID,
		StartupName:  a.StartupName,
		Answers:      answers,
		Status:       string(a.Status),
		Version:      a.Version,
		CohortID:     a.CohortID,
		DecisionNote: a.DecisionNote,
		CreatedAt:    date(a.CreatedAt),
		UpdatedAt:    date(a.UpdatedAt),
		SubmittedAt:  date(a.SubmittedAt),
		DecidedAt:    date(a.DecidedAt),
	})
	return translate(err)
}

func (s *Store) Application(ctx context.Context, id string) (incubator.Application, error) {
	var d applicationDoc
	if err := s.incubatorColls().applications.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return incubator.Application{}, translate(err)
	}
	return d.application()
}

// guarded runs a guarded update of one application and, when the guard
// refused it, tells an unknown application (errs.NotFound) from a refusal.
func (s *Store) guarded(ctx context.Context, id string, filter, update bson.D, refused error) error {
	c := s.incubatorColls().applications
	res, err := c.UpdateOne(ctx, filter, update)
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount > 0 {
		return nil
	}
	if err := mustExist(ctx, c, "application", id); err != nil {
		return err
	}
	return refused
}

func (s *Store) UpdateApplication(ctx context.Context, a incubator.Application) error {
	answers, err := answersJSON(a)
	if err != nil {
		return err
	}
	return s.guarded(ctx, a.ID,
		bson.D{{Key: "_id", Value: a.ID}, {Key: "version", Value: a.Version - 1}},
		bson.D{{Key: "$set", Value: bson.D{
			{Key: "startup_name", Value: a.StartupName},
			{Key: "answers", Value: answers},
			{Key: "version", Value: a.Version},
			{Key: "updated_at", Value: date(a.UpdatedAt)},
		}}},
		errs.New(errs.Stale, "error.stale"))
}

func (s *Store) SetStatus(ctx context.Context, a incubator.Application, from []incubator.Status) error {
	if len(from) == 0 {
		return errs.New(errs.Conflict, "error.status_change")
	}
	return s.guarded(ctx, a.ID,
		bson.D{{Key: "_id", Value: a.ID}, {Key: "status", Value: bson.D{{Key: "$in", Value: statusStrings(from)}}}},
		bson.D{
			{Key: "$set", Value: bson.D{
				{Key: "status", Value: string(a.Status)},
				{Key: "cohort_id", Value: a.CohortID},
				{Key: "decision_note", Value: a.DecisionNote},
				{Key: "updated_at", Value: date(a.UpdatedAt)},
				{Key: "submitted_at", Value: date(a.SubmittedAt)},
				{Key: "decided_at", Value: date(a.DecidedAt)},
			}},
			{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
		},
		errs.New(errs.Conflict, "error.status_change"))
}

func statusStrings(sts []incubator.Status) bson.A {
	out := make(bson.A, 0, len(sts))
	for _, st := range sts {
		out = append(out, string(st))
	}
	return out
}

func applications(docs []applicationDoc) ([]incubator.Application, error) {
	var out []incubator.Application
	for _, d := range docs {
		a, err := d.application()
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *Store) findApplications(ctx context.Context, filter, sort bson.D) ([]incubator.Application, error) {
	cur, err := s.incubatorColls().applications.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, err
	}
	var docs []applicationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return applications(docs)
}

func (s *Store) Applications(ctx context.Context, q incubator.AppQuery) ([]incubator.Application, int, error) {
	filter := bson.D{{Key: "program_id", Value: q.ProgramID}}
	if len(q.Statuses) > 0 {
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: statusStrings(q.Statuses)}}})
	}
	docs, total, err := sortedPage[applicationDoc](ctx, s.incubatorColls().applications, filter,
		bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	out, err := applications(docs)
	return out, total, err
}

func (s *Store) FounderApplications(ctx context.Context, founderID string) ([]incubator.Application, error) {
	return s.findApplications(ctx, bson.D{{Key: "founder_id", Value: founderID}},
		bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}})
}

type assignmentDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	ReviewerID    string        `bson:"reviewer_id"`
	AssignedAt    bson.DateTime `bson:"assigned_at"`
}

// AssignReviewer keeps the first assignment of a pair, as the SQLite
// store's INSERT OR IGNORE does.
func (s *Store) AssignReviewer(ctx context.Context, applicationID, reviewerID string, at time.Time) error {
	c := s.incubatorColls()
	if err := mustExist(ctx, c.applications, "application", applicationID); err != nil {
		return err
	}
	_, err := c.assignments.InsertOne(ctx, assignmentDoc{ID: reviewKey(applicationID, reviewerID),
		ApplicationID: applicationID, ReviewerID: reviewerID, AssignedAt: date(at)})
	if driver.IsDuplicateKeyError(err) {
		return nil
	}
	return translate(err)
}

func (s *Store) reviewerAssignments(ctx context.Context, filter, sort bson.D) ([]assignmentDoc, error) {
	cur, err := s.incubatorColls().assignments.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, err
	}
	var docs []assignmentDoc
	return docs, cur.All(ctx, &docs)
}

func (s *Store) Reviewers(ctx context.Context, applicationID string) ([]string, error) {
	docs, err := s.reviewerAssignments(ctx, bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "assigned_at", Value: 1}, {Key: "reviewer_id", Value: 1}})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range docs {
		out = append(out, d.ReviewerID)
	}
	return out, nil
}

// ReviewerApplications reads the assignments, then their applications:
// FerretDB has no $lookup to join them.
func (s *Store) ReviewerApplications(ctx context.Context, reviewerID string) ([]incubator.Application, error) {
	docs, err := s.reviewerAssignments(ctx, bson.D{{Key: "reviewer_id", Value: reviewerID}},
		bson.D{{Key: "assigned_at", Value: 1}, {Key: "application_id", Value: 1}})
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	ids := make(bson.A, 0, len(docs))
	for _, d := range docs {
		ids = append(ids, d.ApplicationID)
	}
	apps, err := s.findApplications(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}, bson.D{})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]incubator.Application, len(apps))
	for _, a := range apps {
		byID[a.ID] = a
	}
	var out []incubator.Application
	for _, d := range docs {
		if a, ok := byID[d.ApplicationID]; ok {
			out = append(out, a)
		}
	}
	return out, nil
}

// scoreDoc is one score of a review. Scores are a list rather than a
// document keyed by criterion: criterion ids need not be valid field names.
type scoreDoc struct {
	Criterion string `bson:"criterion"`
	Score     int    `bson:"score"`
}

type reviewDoc struct {
	ID            string        `bson:"_id"`
	ApplicationID string        `bson:"application_id"`
	ProgramID     string        `bson:"program_id"`
	ReviewerID    string        `bson:"reviewer_id"`
	Scores        []scoreDoc    `bson:"scores"`
	Comment       string        `bson:"comment"`
	Conflict      bool          `bson:"conflict"`
	CreatedAt     bson.DateTime `bson:"created_at"`
	UpdatedAt     bson.DateTime `bson:"updated_at"`
}

func (d reviewDoc) review() incubator.Review {
	r := incubator.Review{
		ApplicationID: d.ApplicationID,
		ReviewerID:    d.ReviewerID,
		Scores:        make(map[string]int, len(d.Scores)),
		Comment:       d.Comment,
		Conflict:      d.Conflict,
		CreatedAt:     fromDate(d.CreatedAt),
		UpdatedAt:     fromDate(d.UpdatedAt),
	}
	for _, sc := range d.Scores {
		r.Scores[sc.Criterion] = sc.Score
	}
	return r
}

// PutReview keeps the first review's creation time and programme, as the
// SQLite store's upsert does.
func (s *Store) PutReview(ctx context.Context, r incubator.Review, criteria int) error {
	c := s.incubatorColls()
	var app struct {
		ProgramID string `bson:"program_id"`
	}
	err := c.applications.FindOne(ctx, bson.D{{Key: "_id", Value: r.ApplicationID}},
		options.FindOne().SetProjection(bson.D{{Key: "program_id", Value: 1}})).Decode(&app)
	if err != nil {
		return translate(err)
	}
	res, err := c.programs.UpdateOne(ctx, bson.D{{Key: "_id", Value: app.ProgramID}, criteriaAt(criteria)},
		bson.D{{Key: "$set", Value: bson.D{{Key: "reviewed", Value: true}}}})
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.Wrapf(errs.Stale, "program %s criteria are no longer at version %d", app.ProgramID, criteria)
	}
	scores := make([]scoreDoc, 0, len(r.Scores))
	for _, k := range slices.Sorted(maps.Keys(r.Scores)) {
		scores = append(scores, scoreDoc{Criterion: k, Score: r.Scores[k]})
	}
	_, err = c.reviews.UpdateOne(ctx, bson.D{{Key: "_id", Value: reviewKey(r.ApplicationID, r.ReviewerID)}},
		bson.D{
			{Key: "$set", Value: bson.D{
				{Key: "scores", Value: scores},
				{Key: "comment", Value: r.Comment},
				{Key: "conflict", Value: r.Conflict},
				{Key: "updated_at", Value: date(r.UpdatedAt)},
			}},
			{Key: "$setOnInsert", Value: bson.D{
				{Key: "application_id", Value: r.ApplicationID},
				{Key: "program_id", Value: app.ProgramID},
				{Key: "reviewer_id", Value: r.ReviewerID},
				{Key: "created_at", Value: date(r.CreatedAt)},
			}},
		},
		options.UpdateOne().SetUpsert(true))
	return translate(err)
}

func (s *Store) findReviews(ctx context.Context, filter, sort bson.D) ([]incubator.Review, error) {
	cur, err := s.incubatorColls().reviews.Find(ctx, filter, options.Find().SetSort(sort))
	if err != nil {
		return nil, err
	}
	var docs []reviewDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return convert(docs, reviewDoc.review), nil
}

func (s *Store) Reviews(ctx context.Context, applicationID string) ([]incubator.Review, error) {
	return s.findReviews(ctx, bson.D{{Key: "application_id", Value: applicationID}},
		bson.D{{Key: "created_at", Value: 1}, {Key: "reviewer_id", Value: 1}})
}

func (s *Store) ProgramReviews(ctx context.Context, programID string) ([]incubator.Review, error) {
	return s.findReviews(ctx, bson.D{{Key: "program_id", Value: programID}},
		bson.D{{Key: "application_id", Value: 1}, {Key: "created_at", Value: 1}})
}

type cohortDoc struct {
	ID        string        `bson:"_id"`
	ProgramID string        `bson:"program_id"`
	Name      string        `bson:"name"`
	StartsAt  bson.DateTime `bson:"starts_at"`
	EndsAt    bson.DateTime `bson:"ends_at"`
	CreatedAt bson.DateTime `bson:"created_at"`
}

func (d cohortDoc) cohort() incubator.Cohort {
	return incubator.Cohort{ID: d.ID, ProgramID: d.ProgramID, Name: d.Name, StartsAt: fromDate(d.StartsAt),
		EndsAt: fromDate(d.EndsAt), CreatedAt: fromDate(d.CreatedAt)}
}

func (s *Store) CreateCohort(ctx context.Context, c incubator.Cohort) error {
	cs := s.incubatorColls()
	if err := mustExist(ctx, cs.programs, "programme", c.ProgramID); err != nil {
		return err
	}
	_, err := cs.cohorts.InsertOne(ctx, cohortDoc{ID: c.ID, ProgramID: c.ProgramID, Name: c.Name,
		StartsAt: date(c.StartsAt), EndsAt: date(c.EndsAt), CreatedAt: date(c.CreatedAt)})
	return translate(err)
}

func (s *Store) Cohort(ctx context.Context, id string) (incubator.Cohort, error) {
	return decodeOne(s.incubatorColls().cohorts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}), cohortDoc.cohort)
}
