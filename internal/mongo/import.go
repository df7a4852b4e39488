package mongo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certification"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/files"
	"sprout/internal/incubator"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/mail"
	"sprout/internal/migrate"
	"sprout/internal/staffing"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/workdays"
)

var _ migrate.Target = (*Store)(nil)

// Occupied names the collections of the database uri names that hold a
// document, only reading: a migration refuses such a database before Open
// writes anything (indexes, the readiness probe).
func Occupied(ctx context.Context, uri string) ([]string, error) {
	name, err := databaseName(uri)
	if err != nil {
		return nil, err
	}
	opts, err := clientOptions(uri)
	if err != nil {
		return nil, err
	}
	client, err := driver.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongo: connect: %w", err)
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		client.Disconnect(dctx)
	}()
	db := client.Database(name)
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, "system.") {
			continue
		}
		held, err := exists(ctx, db.Collection(n), bson.D{})
		if err != nil {
			return nil, err
		}
		if held {
			out = append(out, n)
		}
	}
	return out, nil
}

// Drop removes the database with everything in it.
func (s *Store) Drop(ctx context.Context) error {
	return s.db.Drop(ctx)
}

// kindColls is where each kind of record lives.
func (s *Store) kindColls() map[migrate.Kind]*driver.Collection {
	ck, sc, ic, cc, xc := s.checkinColls(), s.staffingColls(), s.incubatorColls(), s.cohortColls(), s.expoColls()
	return map[migrate.Kind]*driver.Collection{
		migrate.Users:           s.users,
		migrate.Tokens:          s.tokens,
		migrate.KV:              s.kv,
		migrate.Outbox:          s.outbox,
		migrate.SigningKeys:     s.signingKeys(),
		migrate.Files:           s.files.GetFilesCollection(),
		migrate.Events:          s.events,
		migrate.Agenda:          s.agenda,
		migrate.TicketTypes:     s.ticketTypes,
		migrate.Tickets:         s.tickets,
		migrate.Waitlist:        s.waitlist,
		migrate.EventGates:      sc.gates,
		migrate.EventStaff:      sc.staff,
		migrate.Scans:           ck.scans,
		migrate.Presence:        ck.presence,
		migrate.Attendance:      s.attendance(),
		migrate.Programs:        ic.programs,
		migrate.Applications:    ic.applications,
		migrate.Reviewers:       ic.assignments,
		migrate.Reviews:         ic.reviews,
		migrate.ReviewReminders: s.db.Collection("review_reminders"),
		migrate.Cohorts:         ic.cohorts,
		migrate.Mentors:         cc.mentors,
		migrate.Milestones:      cc.milestones,
		migrate.Reports:         cc.reports,
		migrate.Reminders:       cc.reminders,
		migrate.Profiles:        cc.profiles,
		migrate.Sessions:        s.sessions(),
		migrate.Booths:          xc.booths,
		migrate.BoothChanges:    xc.changes,
		migrate.Exhibitors:      xc.exhibitors,
		migrate.ExhibitorOwners: xc.owners,
		migrate.BoothStaff:      xc.staff,
		migrate.Leads:           xc.leads,
		migrate.AuditLog:        s.auditLog(),
		migrate.Certificates:    s.certificates(),
		migrate.CertCounters:    s.certCounters(),
		migrate.Holidays:        s.holidays(),
		migrate.STDossiers:      s.dossiers(),
	}
}

// Counts counts the documents of each kind.
func (s *Store) Counts(ctx context.Context) (map[migrate.Kind]int, error) {
	out := map[migrate.Kind]int{}
	for k, c := range s.kindColls() {
		n, err := c.CountDocuments(ctx, bson.D{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name(), err)
		}
		out[k] = int(n)
	}
	return out, nil
}

// importBatch is how many documents one insert carries: few round trips,
// and far below the 48 MB a message may hold.
const importBatch = 500

// importer writes each record as the document the store's own method would
// write for it, through the same doc types and keys, in batches. Values the
// integrity checks derive start as a new record's do (a type's remaining
// seats at its capacity, no waitlist number given, no check-in counts):
// migrate recomputes them with Repair once every record is in.
type importer struct {
	s       *Store
	colls   map[migrate.Kind]*driver.Collection
	pending map[migrate.Kind][]any
	// slots numbers each exhibitor's staff places in the order they came,
	// as AddBoothStaff hands out the first free slot.
	slots map[string]int
	// annulled are each ticket's annulled scans, as AnnulScan lists them
	// on presence; scans come before presence.
	annulled map[string][]checkin.Scan
	// reviewed are the programmes marked as reviewed, as PutReview marks
	// them.
	reviewed map[string]bool
}

// Importer writes records into the database, which must be empty.
func (s *Store) Importer() migrate.Importer {
	return &importer{s: s, colls: s.kindColls(), pending: map[migrate.Kind][]any{}, slots: map[string]int{},
		annulled: map[string][]checkin.Scan{}, reviewed: map[string]bool{}}
}

func (im *importer) put(ctx context.Context, k migrate.Kind, doc any) error {
	im.pending[k] = append(im.pending[k], doc)
	if len(im.pending[k]) < importBatch {
		return nil
	}
	return im.flush(ctx, k)
}

func (im *importer) flush(ctx context.Context, k migrate.Kind) error {
	docs := im.pending[k]
	if len(docs) == 0 {
		return nil
	}
	im.pending[k] = nil
	if _, err := im.colls[k].InsertMany(ctx, docs, options.InsertMany().SetOrdered(true)); err != nil {
		return fmt.Errorf("%s: %w", im.colls[k].Name(), translate(err))
	}
	return nil
}

func (im *importer) Flush(ctx context.Context) error {
	for _, k := range slices.Sorted(maps.Keys(im.pending)) {
		if err := im.flush(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// User: as CreateUser.
func (im *importer) User(ctx context.Context, u accounts.User) error {
	roles := []string{}
	for _, r := range u.Roles {
		if !slices.Contains(roles, string(r)) {
			roles = append(roles, string(r))
		}
	}
	return im.put(ctx, migrate.Users, userDoc{ID: u.ID, Email: u.Email, EmailKey: emailKey(u.Email), Name: u.Name, Lang: u.Lang,
		PasswordHash: u.PasswordHash, Search: u.SearchKey(), Roles: roles, CreatedAt: date(u.CreatedAt), UpdatedAt: date(u.UpdatedAt),
		LastSignInAt: date(u.LastSignInAt), DeactivatedAt: date(u.DeactivatedAt)})
}

// Token: as CreateToken.
func (im *importer) Token(ctx context.Context, t accounts.Token) error {
	return im.put(ctx, migrate.Tokens, tokenDoc{Hash: t.Hash, UserID: t.UserID, Kind: string(t.Kind),
		CreatedAt: date(t.CreatedAt), ExpiresAt: date(t.ExpiresAt)})
}

// KV: a value as KVSet writes it, a counter as KVIncr makes it.
func (im *importer) KV(ctx context.Context, e migrate.KVEntry) error {
	doc := bson.D{{Key: "_id", Value: e.Key}}
	if e.Value != nil {
		doc = append(doc, bson.E{Key: "value", Value: e.Value})
	}
	doc = append(doc, bson.E{Key: "n", Value: e.N}, bson.E{Key: "expires_at", Value: date(e.ExpiresAt)})
	return im.put(ctx, migrate.KV, doc)
}

// Mail: as EnqueueMail.
func (im *importer) Mail(ctx context.Context, m mail.Message) error {
	return im.put(ctx, migrate.Outbox, newMailDoc(m))
}

// Key: as CreateKey.
func (im *importer) Key(ctx context.Context, k keys.Key) error {
	return im.put(ctx, migrate.SigningKeys, keyDoc{ID: k.ID, Seed: k.Private.Seed(), CreatedAt: date(k.CreatedAt), RetiredAt: date(k.RetiredAt)})
}

// File goes through PutFile itself: GridFS splits it into chunks.
func (im *importer) File(ctx context.Context, f files.File) error {
	return im.s.PutFile(ctx, f)
}

// Event: as CreateEvent.
func (im *importer) Event(ctx context.Context, e events.Event) error {
	return im.put(ctx, migrate.Events, eventDoc{ID: e.ID, Slug: e.Slug, Title: e.Title, TitleEN: e.TitleEN,
		Description: e.Description, DescriptionEN: e.DescriptionEN, Venue: e.Venue, StartsAt: date(e.StartsAt),
		EndsAt: date(e.EndsAt), Published: e.Published, CreatedBy: e.CreatedBy, CreatedAt: date(e.CreatedAt),
		UpdatedAt: date(e.UpdatedAt), BannerID: e.BannerID, Questions: questionDocs(e.Questions), Course: courseDoc(e.Course)})
}

// AgendaItem: as CreateAgendaItem.
func (im *importer) AgendaItem(ctx context.Context, a events.AgendaItem) error {
	return im.put(ctx, migrate.Agenda, newAgendaDoc(a))
}

// TicketType: as CreateTicketType, every seat remaining until Repair counts
// the type's active tickets.
func (im *importer) TicketType(ctx context.Context, t events.TicketType) error {
	return im.put(ctx, migrate.TicketTypes, typeDoc{ID: t.ID, EventID: t.EventID, Name: t.Name, NameEN: t.NameEN, Capacity: t.Capacity,
		Remaining: t.Capacity, Waitlist: t.Waitlist, Invite: t.Invite, SalesStart: date(t.SalesStart), SalesEnd: date(t.SalesEnd),
		CreatedAt: date(t.CreatedAt)})
}

// Ticket: as insertTicket, keeping the token of a ticket that still holds
// the one it was issued with.
func (im *importer) Ticket(ctx context.Context, t tickets.Ticket) error {
	d := newTicketDoc(t, string(t.Status))
	d.Token = t.Token
	return im.put(ctx, migrate.Tickets, d)
}

// WaitEntry: as JoinWaitlist; an entry no longer waiting frees the person's
// key by holding its own id, as leaving the line does.
func (im *importer) WaitEntry(ctx context.Context, w migrate.WaitEntry) error {
	waiting := w.ID
	if w.Status == tickets.Waiting {
		waiting = personKey(w.EventID, w.Email)
	}
	return im.put(ctx, migrate.Waitlist, waitDoc{ID: w.ID, EventID: w.EventID, TypeID: w.TypeID, Seq: w.Seq, Name: w.Name,
		Email: w.Email, Phone: w.Phone, ShareContact: w.ShareContact, ConsentAt: date(w.Consent.At),
		ConsentWords: w.Consent.Version, Answers: w.Answers, Lang: w.Lang, Status: string(w.Status), WaitingKey: waiting, TicketID: w.TicketID,
		Secret: w.Secret, CreatedAt: date(w.CreatedAt)})
}

// Gates: as SetGates.
func (im *importer) Gates(ctx context.Context, g migrate.Gates) error {
	return im.put(ctx, migrate.EventGates, gatesDoc{ID: g.EventID, Names: append([]string{}, g.Names...)})
}

// Staff: as AddStaff.
func (im *importer) Staff(ctx context.Context, a staffing.Assignment) error {
	return im.put(ctx, migrate.EventStaff, staffDoc{ID: staffKey(a.EventID, a.UserID), EventID: a.EventID, UserID: a.UserID,
		AssignedBy: a.AssignedBy, AssignedAt: date(a.AssignedAt)})
}

// Scan: as RecordScan stores a decided scan.
func (im *importer) Scan(ctx context.Context, sc checkin.Scan) error {
	if !sc.AnnulledAt.IsZero() {
		im.annulled[sc.TicketID] = append(im.annulled[sc.TicketID], sc)
	}
	return im.put(ctx, migrate.Scans, newScanDoc(sc))
}

// Presence: as decide and AnnulScan keep it.
func (im *importer) Presence(ctx context.Context, p integrity.Presence) error {
	d := presenceDoc{TicketID: p.TicketID, EventID: p.EventID, Inside: p.Inside, Entries: p.Entries,
		FirstInAt: date(p.FirstInAt), LastScan: p.LastScan}
	scans := im.annulled[p.TicketID]
	slices.SortFunc(scans, func(a, b checkin.Scan) int { return a.AnnulledAt.Compare(b.AnnulledAt) })
	for _, sc := range scans {
		d.Annulled = append(d.Annulled, sc.ID)
	}
	return im.put(ctx, migrate.Presence, d)
}

// Attendance: as RecordAttendance.
func (im *importer) Attendance(ctx context.Context, a training.Attendance) error {
	return im.put(ctx, migrate.Attendance, attendanceOf(a))
}

// Program: as CreateProgram.
func (im *importer) Program(ctx context.Context, p incubator.Program) error {
	return im.put(ctx, migrate.Programs, newProgramDoc(p))
}

// Application: as CreateApplication.
func (im *importer) Application(ctx context.Context, a incubator.Application) error {
	answers, err := answersJSON(a)
	if err != nil {
		return err
	}
	return im.put(ctx, migrate.Applications, applicationDoc{ID: a.ID, ProgramID: a.ProgramID, FounderID: a.FounderID,
		StartupName: a.StartupName, Answers: answers, Status: string(a.Status), Version: a.Version, CohortID: a.CohortID,
		DecisionNote: a.DecisionNote, CreatedAt: date(a.CreatedAt), UpdatedAt: date(a.UpdatedAt),
		SubmittedAt: date(a.SubmittedAt), DecidedAt: date(a.DecidedAt)})
}

// Reviewer: as AssignReviewer.
func (im *importer) Reviewer(ctx context.Context, a migrate.Assignment) error {
	return im.put(ctx, migrate.Reviewers, assignmentDoc{ID: reviewKey(a.ApplicationID, a.UserID), ApplicationID: a.ApplicationID,
		ReviewerID: a.UserID, AssignedAt: date(a.AssignedAt)})
}

// Review: as PutReview, scores in criterion order, its programme marked
// as reviewed.
func (im *importer) Review(ctx context.Context, r migrate.Review) error {
	if !im.reviewed[r.ProgramID] {
		if err := im.flush(ctx, migrate.Programs); err != nil {
			return err
		}
		if _, err := im.colls[migrate.Programs].UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ProgramID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "reviewed", Value: true}}}}); err != nil {
			return translate(err)
		}
		im.reviewed[r.ProgramID] = true
	}
	scores := make([]scoreDoc, 0, len(r.Scores))
	for _, k := range slices.Sorted(maps.Keys(r.Scores)) {
		scores = append(scores, scoreDoc{Criterion: k, Score: r.Scores[k]})
	}
	return im.put(ctx, migrate.Reviews, reviewDoc{ID: reviewKey(r.ApplicationID, r.ReviewerID), ApplicationID: r.ApplicationID,
		ProgramID: r.ProgramID, ReviewerID: r.ReviewerID, Scores: scores, Comment: r.Comment, Conflict: r.Conflict,
		CreatedAt: date(r.CreatedAt), UpdatedAt: date(r.UpdatedAt)})
}

// Cohort: as CreateCohort.
func (im *importer) Cohort(ctx context.Context, c incubator.Cohort) error {
	return im.put(ctx, migrate.Cohorts, cohortDoc{ID: c.ID, ProgramID: c.ProgramID, Name: c.Name, StartsAt: date(c.StartsAt),
		EndsAt: date(c.EndsAt), CreatedAt: date(c.CreatedAt)})
}

// Mentor: as AssignMentor.
func (im *importer) Mentor(ctx context.Context, a migrate.Assignment) error {
	return im.put(ctx, migrate.Mentors, mentorDoc{ID: pairKey(a.ApplicationID, a.UserID), ApplicationID: a.ApplicationID,
		MentorID: a.UserID, AssignedAt: date(a.AssignedAt)})
}

// Milestone: as PutMilestone.
func (im *importer) Milestone(ctx context.Context, m incubator.Milestone) error {
	return im.put(ctx, migrate.Milestones, milestoneDoc{ID: m.ID, ApplicationID: m.ApplicationID, Title: m.Title, Due: date(m.Due),
		Status: string(m.Status), CreatedAt: date(m.CreatedAt)})
}

// Session: as AddSession.
func (im *importer) Session(ctx context.Context, x incubator.Session) error {
	return im.put(ctx, migrate.Sessions, newSessionDoc(x))
}

// Report: as CreateReport.
func (im *importer) Report(ctx context.Context, r incubator.Report) error {
	return im.put(ctx, migrate.Reports, reportDoc{ID: pairKey(r.ApplicationID, r.Month), ApplicationID: r.ApplicationID,
		Month: r.Month, Revenue: r.Revenue, Users: r.Users, Staff: r.Staff, Funding: r.Funding, Highlights: r.Highlights,
		FiledBy: r.FiledBy, CreatedAt: date(r.CreatedAt), UpdatedAt: date(r.UpdatedAt)})
}

// ReviewReminder: as MarkReviewReminded.
func (im *importer) ReviewReminder(ctx context.Context, r migrate.ReviewReminder) error {
	return im.put(ctx, migrate.ReviewReminders, bson.D{{Key: "_id", Value: pairKey(r.ProgramID, r.ReviewerID)}})
}

// Reminder: as MarkReminded.
func (im *importer) Reminder(ctx context.Context, r migrate.Reminder) error {
	return im.put(ctx, migrate.Reminders, bson.D{{Key: "_id", Value: pairKey(r.ApplicationID, r.Month)}})
}

// Profile: as PutProfile.
func (im *importer) Profile(ctx context.Context, p incubator.Profile) error {
	return im.put(ctx, migrate.Profiles, profileDoc{ID: p.ApplicationID, Name: p.Name, Sector: p.Sector, Stage: p.Stage,
		Pitch: p.Pitch, LogoID: p.LogoID, UpdatedAt: date(p.UpdatedAt)})
}

// Booth: as insertBooth; the source's floor already holds the overlap and
// code rules.
func (im *importer) Booth(ctx context.Context, b expo.Booth) error {
	return im.put(ctx, migrate.Booths, boothDoc{ID: b.ID, EventID: b.EventID, Code: b.Code, Hall: b.Hall, Zone: b.Zone,
		X: b.X, Y: b.Y, W: b.W, H: b.H, SizeClass: b.SizeClass, Price: b.Price, Status: string(b.Status),
		ExhibitorID: b.ExhibitorID, HeldUntil: date(b.HeldUntil), CreatedAt: date(b.CreatedAt)})
}

// BoothChange: as AddChange.
func (im *importer) BoothChange(ctx context.Context, c expo.Change) error {
	return im.put(ctx, migrate.BoothChanges, changeDoc{ID: c.ID, EventID: c.EventID, BoothID: c.BoothID, BoothCode: c.BoothCode,
		Action: c.Action, ExhibitorID: c.ExhibitorID, Company: c.Company, ByID: c.ByID, ByName: c.ByName, At: date(c.At)})
}

// Exhibitor: as CreateExhibitor writes the application.
func (im *importer) Exhibitor(ctx context.Context, x expo.Exhibitor) error {
	return im.put(ctx, migrate.Exhibitors, newExhibitorDoc(x))
}

// ExhibitorOwner: the claim CreateExhibitor takes first.
func (im *importer) ExhibitorOwner(ctx context.Context, o migrate.ExhibitorOwner) error {
	return im.put(ctx, migrate.ExhibitorOwners, ownerClaimDoc{Key: o.EventID + "\x00" + o.OwnerID, ExhibitorID: o.ExhibitorID,
		At: date(o.ClaimedAt)})
}

// BoothStaff: as AddBoothStaff, in the exhibitor's next slot.
func (im *importer) BoothStaff(ctx context.Context, st expo.Staff) error {
	slot := im.slots[st.ExhibitorID]
	im.slots[st.ExhibitorID] = slot + 1
	return im.put(ctx, migrate.BoothStaff, boothStaffDoc{ID: st.ID, ExhibitorID: st.ExhibitorID, EventID: st.EventID, Name: st.Name,
		Email: st.Email, EmailKey: tickets.EmailKey(st.Email), Phone: st.Phone, TicketID: st.TicketID, UserID: st.UserID,
		Secret: st.Secret, SecretKey: secretKey(st), Slot: slot, CreatedAt: date(st.CreatedAt)})
}

// Lead: as AddLead.
func (im *importer) Lead(ctx context.Context, l expo.Lead) error {
	return im.put(ctx, migrate.Leads, leadDoc{Key: leadKey(l.ExhibitorID, l.TicketID), ID: l.ID, ExhibitorID: l.ExhibitorID,
		EventID: l.EventID, TicketID: l.TicketID, Name: l.Name, Email: l.Email, Phone: l.Phone, Note: l.Note, Rating: l.Rating,
		ScannedBy: l.ScannedBy, CreatedAt: date(l.CreatedAt)})
}

// AuditEntry: as AppendAudit.
func (im *importer) AuditEntry(ctx context.Context, e audit.Entry) error {
	return im.put(ctx, migrate.AuditLog, newAuditDoc(e))
}

// Certificate: as IssueCert, revoked or not.
func (im *importer) Certificate(ctx context.Context, c certs.Certificate) error {
	return im.put(ctx, migrate.Certificates, certToDoc(c))
}

// CertCounter: as IssueCert counts.
func (im *importer) CertCounter(ctx context.Context, c migrate.CertCounter) error {
	return im.put(ctx, migrate.CertCounters, certCounterDoc{Year: c.Year, N: c.N})
}

// Dossier: as CreateDossier, at its version.
func (im *importer) Dossier(ctx context.Context, d certification.Dossier) error {
	doc, err := toDossierDoc(d)
	if err != nil {
		return err
	}
	return im.put(ctx, migrate.STDossiers, doc)
}

// Holiday: as PutHoliday.
func (im *importer) Holiday(ctx context.Context, h workdays.Holiday) error {
	return im.put(ctx, migrate.Holidays, holidayToDoc(h))
}
