package mongo

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/files"
	"sprout/internal/incubator"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/sqlite"
	"sprout/internal/staffing"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
	"sprout/internal/training"
)

// scripted is what the script below calls; both stores implement it.
type scripted interface {
	accounts.Store
	kv.Store
	mail.Store
	keys.Store
	files.Store
	events.Store
	tickets.Store
	staffing.Store
	checkin.Store
	incubator.Store
	expo.Store
	audit.Store
	certs.Store
	training.Store
}

// t0 is the script's first moment; every time in it is fixed.
var t0 = time.Date(2030, 3, 4, 2, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

// script writes a little of every kind of record through the store's own
// methods: roles added, a sign-in, an invited user deactivated, a session,
// a value and a counter, mail, a key, a file, an event with its banner,
// agenda and a full type, tickets with a waitlist one of which is promoted
// by a cancellation, gates and staff, scans in and out, with a nonce,
// refused and annulled, a programme with an application, its review,
// reviewer, mentor, milestone, report, reminder and profile, and an expo
// booth assigned to an exhibitor with staff and a lead, and the audit log's
// entry for the assignment.
func script(t *testing.T, s scripted) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateUser(ctx, accounts.User{ID: "u1", Email: "Lan.Nguyen@Example.vn", Name: "Nguyễn Thị Lan", Lang: "vi",
		Roles: []accounts.Role{accounts.RoleOrganizer, accounts.RoleOrganizer}, PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
		CreatedAt: at(0), UpdatedAt: at(0)}))
	must(s.AddUserRole(ctx, "u1", accounts.RoleAdmin))
	must(s.RecordSignIn(ctx, "u1", at(1)))
	must(s.CreateUser(ctx, accounts.User{ID: "u2", Email: "cu@example.vn", Name: "Lê Văn Cũ", Lang: "en",
		Roles: []accounts.Role{accounts.RoleStaff}, CreatedAt: at(0), UpdatedAt: at(0)}))
	must(s.DeactivateUser(ctx, "u2", at(1)))
	must(s.CreateToken(ctx, accounts.Token{Hash: "h1", UserID: "u1", Kind: accounts.TokenSession, CreatedAt: at(0), ExpiresAt: at(60 * 24)}))
	must(s.KVSet(ctx, "demo:password:lan", []byte("mam-123"), time.Time{}))
	_, err := s.KVIncr(ctx, "limit:register:1.2.3.4", at(0), at(60))
	must(err)
	attached := []mail.Attachment{{Name: "ve.png", ContentType: "image/png", ContentID: "qr", QR: "token"}}
	must(s.EnqueueMail(ctx, mail.Message{ID: "m1", To: "lan.nguyen@example.vn", Subject: "Chào", Text: "chào", HTML: "<p>chào</p>",
		Template: "welcome", Lang: "vi", Data: []byte(`{"Name":"Lan"}`), Attachments: attached, Status: mail.StatusSent, Attempts: 1,
		CreatedAt: at(0), NextAttemptAt: at(0), SentAt: at(1)}))
	must(s.CreateKey(ctx, keys.Key{ID: "k1", Private: ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), CreatedAt: at(0)}))
	must(s.PutFile(ctx, files.File{ID: "f1", Name: "băng rôn.png", ContentType: "image/png", Data: []byte("\x89PNG not really"), CreatedAt: at(1)}))

	must(s.CreateEvent(ctx, events.Event{ID: "e1", Slug: "techfest", Title: "Techfest Hà Nội", TitleEN: "Hanoi Techfest", Venue: "Hà Nội",
		StartsAt: at(600), EndsAt: at(900), Published: true, CreatedBy: "u1", CreatedAt: at(1), UpdatedAt: at(1)}))
	_, err = s.SetEventBanner(ctx, "e1", "f1", at(2))
	must(err)
	must(s.CreateAgendaItem(ctx, events.AgendaItem{ID: "ag1", EventID: "e1", StartsAt: at(600), EndsAt: at(660), Room: "A", Title: "Khai mạc", TitleEN: "Opening", Speakers: "Lan"}))
	must(s.SetEventCourse(ctx, "e1", events.Course{Enabled: true, MinPercent: 75, Required: []string{"ag1"}}, at(2)))
	must(s.CreateTicketType(ctx, events.TicketType{ID: "tt1", EventID: "e1", Name: "Phổ thông", NameEN: "General", Capacity: 2, Waitlist: true, CreatedAt: at(1)}))
	ticket := func(id, email string, minute int) tickets.Ticket {
		return tickets.Ticket{ID: id, EventID: "e1", TypeID: "tt1", Name: "Khách " + id, Email: email, Phone: "0912345678", Lang: "vi",
			ShareContact: true, Consent: tickets.Consent{At: at(minute), Version: "1"}, Status: tickets.Active, Secret: "secret-" + id,
			KeyID: "k1", NotBefore: at(0), ExpiresAt: at(2000), CreatedAt: at(minute)}
	}
	withMail := &mail.Message{ID: "t1", To: "an@example.vn", Subject: "Vé", Template: "ticket", Lang: "vi", Status: mail.StatusPending,
		CreatedAt: at(3), NextAttemptAt: at(3)}
	must(s.Register(ctx, ticket("t1", "An@Example.vn", 3), withMail, nil))
	must(s.Register(ctx, ticket("t2", "binh@example.vn", 4), nil, nil))
	for i, email := range []string{"chi@example.vn", "dung@example.vn"} {
		_, err := s.JoinWaitlist(ctx, tickets.WaitEntry{ID: "w" + string(rune('1'+i)), EventID: "e1", TypeID: "tt1", Name: "Chờ", Email: email,
			Lang: "vi", Secret: "wait-" + email, CreatedAt: at(5 + i)})
		must(err)
	}
	_, _, err = s.CancelTicket(ctx, "t2", at(10), func(w tickets.WaitEntry) (tickets.Ticket, *mail.Message, error) {
		return ticket("t3", w.Email, 10), nil, nil
	})
	must(err)
	must(s.SetGates(ctx, "e1", []string{"Cổng A", "Cổng B"}))
	must(s.AddStaff(ctx, staffing.Assignment{EventID: "e1", UserID: "u1", AssignedBy: "u1", AssignedAt: at(11)}))
	for _, sc := range []checkin.Scan{
		{ID: "s1", TicketID: "t1", Gate: "Cổng A", Direction: checkin.In, ScannedAt: at(601)},
		{ID: "s2", TicketID: "t1", Gate: "Cổng A", Direction: checkin.Out, ScannedAt: at(620)},
		{ID: "s3", TicketID: "t1", Gate: "Cổng B", Direction: checkin.In, ScannedAt: at(630), Nonce: "n1", Offline: true},
		{ID: "s4", TicketID: "t1", Gate: "Cổng A", Direction: checkin.In, ScannedAt: at(631)},
		{ID: "s5", TicketID: "t3", Gate: "Cổng B", Direction: checkin.In, ScannedAt: at(640)},
	} {
		sc.EventID, sc.StaffID, sc.RecordedAt = "e1", "u1", sc.ScannedAt
		_, err := s.RecordScan(ctx, sc)
		must(err)
	}
	_, err = s.AnnulScan(ctx, "e1", "s5", "u1", at(641))
	must(err)
	for i, tk := range []string{"t1", "t3"} {
		_, _, err = s.RecordAttendance(ctx, training.Attendance{EventID: "e1", SessionID: "ag1", TicketID: tk, At: at(650 + i), By: "u1",
			Source: training.Source([]string{"scan", "hand"}[i])})
		must(err)
	}

	must(s.CreateProgram(ctx, incubator.Program{ID: "p1", Slug: "uom-tao-2030", Title: "Ươm tạo 2030", Description: "Chương trình",
		OpensAt: at(0), ClosesAt: at(5000), CreatedBy: "u1", CreatedAt: at(0),
		Questions: []incubator.Question{{ID: "q1", Label: "Tên", Kind: incubator.KindText, Required: true},
			{ID: "q2", Label: "Lĩnh vực", Kind: incubator.KindChoice, Options: []string{"Nông nghiệp", "Y tế"}}},
		Criteria: []incubator.Criterion{{ID: "c1", Label: "Đội ngũ", Weight: 0.6, Anchors: map[string]string{"1": "yếu", "5": "mạnh"}},
			{ID: "c2", Label: "Thị trường", Weight: 0.4}}}))
	must(s.CreateApplication(ctx, incubator.Application{ID: "a1", ProgramID: "p1", FounderID: "u1", StartupName: "Mầm Xanh",
		Answers: map[string]json.RawMessage{"q1": json.RawMessage(`"Mầm Xanh"`), "q2": json.RawMessage(`"Y tế"`)},
		Status:  incubator.Submitted, Version: 3, CreatedAt: at(20), UpdatedAt: at(21), SubmittedAt: at(21)}))
	must(s.AssignReviewer(ctx, "a1", "u1", at(22)))
	must(s.PutReview(ctx, incubator.Review{ApplicationID: "a1", ReviewerID: "u1", Scores: map[string]int{"c2": 3, "c1": 4},
		Comment: "Tốt", CreatedAt: at(23), UpdatedAt: at(24)}, 0))
	must(s.CreateCohort(ctx, incubator.Cohort{ID: "co1", ProgramID: "p1", Name: "Khóa 1", StartsAt: at(100), EndsAt: at(9000), CreatedAt: at(25)}))
	must(s.AssignMentor(ctx, "a1", "u1", at(26)))
	must(s.PutMilestone(ctx, incubator.Milestone{ID: "ms1", ApplicationID: "a1", Title: "MVP", Due: at(3000), Status: incubator.MilestoneDoing, CreatedAt: at(27)}))
	must(s.CreateReport(ctx, incubator.Report{ApplicationID: "a1", Month: "2030-02", Revenue: 120000000, Users: 300, Staff: 5, Funding: 0,
		Highlights: "Ra mắt", FiledBy: "u1", CreatedAt: at(28), UpdatedAt: at(28)}))
	_, err = s.MarkReminded(ctx, "a1", "2030-03")
	must(err)
	must(s.PutProfile(ctx, incubator.Profile{ApplicationID: "a1", Name: "Mầm Xanh", Sector: "agritech", Stage: "mvp", Pitch: "Tưới thông minh",
		LogoID: "f1", UpdatedAt: at(29)}))
	must(s.AddSession(ctx, incubator.Session{ID: "ss1", ApplicationID: "a1", MentorID: "u1", Date: at(2000), Topics: "Định giá",
		NextSteps: "Gọi khách", PrivateNote: "Thiếu người bán", CreatedAt: at(29)}))

	must(s.CreateBooth(ctx, expo.Booth{ID: "b1", EventID: "e1", Code: "A01", Hall: "Sảnh 1", Zone: "A", W: 3, H: 3, SizeClass: "M",
		Price: 15000000, Status: expo.Available, CreatedAt: at(30)}))
	must(s.CreateExhibitor(ctx, expo.Exhibitor{ID: "x1", EventID: "e1", OwnerID: "u1", Company: "Mầm Xanh", ContactEmail: "lan@mamxanh.vn",
		ContactName: "Lan", Links: []string{"https://mamxanh.vn"}, Sector: "agritech", Status: expo.Approved, CreatedAt: at(31), UpdatedAt: at(31)}))
	_, err = s.ReviewExhibitor(ctx, "x1", expo.Review{To: expo.Approved, Step: expo.Step{Action: expo.StepApproved, ByID: "u1", ByName: "Lan", At: at(31)},
		Approved: &expo.Snapshot{Company: "Mầm Xanh", ContactEmail: "lan@mamxanh.vn", ContactName: "Lan", Links: []string{"https://mamxanh.vn"}, Sector: "agritech"}})
	must(err)
	must(s.UpdateExhibitor(ctx, expo.Exhibitor{ID: "x1", Company: "Mầm Xanh", ContactEmail: "lan@mamxanh.vn", ContactName: "Lan",
		Description: "Nông nghiệp số", Sector: "agritech", UpdatedAt: at(31)},
		&expo.Step{Action: expo.StepEdited, ByID: "u1", ByName: "Lan", Fields: []string{"description", "links"}, At: at(31)}))
	_, err = s.AssignBooth(ctx, "b1", "x1", at(32))
	must(err)
	must(s.AddChange(ctx, expo.Change{ID: "ch1", EventID: "e1", BoothID: "b1", BoothCode: "A01", Action: "assign", ExhibitorID: "x1",
		Company: "Mầm Xanh", ByID: "u1", ByName: "Lan", At: at(32)}))
	must(s.AddBoothStaff(ctx, expo.Staff{ID: "st1", ExhibitorID: "x1", EventID: "e1", Name: "Tùng", Email: "Tung@MamXanh.vn",
		Secret: "invite-1", CreatedAt: at(33)}, 3))
	must(s.AddBoothStaff(ctx, expo.Staff{ID: "st2", ExhibitorID: "x1", EventID: "e1", Name: "Vy", Email: "vy@mamxanh.vn", CreatedAt: at(34)}, 3))
	// The service names each place's badge, none here, which ends adding it.
	must(s.SetBoothStaffTicket(ctx, "st1", ""))
	must(s.SetBoothStaffTicket(ctx, "st2", ""))
	_, _, err = s.AddLead(ctx, expo.Lead{ID: "l1", ExhibitorID: "x1", EventID: "e1", TicketID: "t1", Name: "Khách t1", Email: "an@example.vn",
		Note: "quan tâm", Rating: "hot", ScannedBy: "u1", CreatedAt: at(35)})
	must(err)
	must(s.AppendAudit(ctx, audit.Entry{ID: "a1", At: at(36), ActorID: "u1", ActorName: "Nguyễn Thị Lan", ActorEmail: "lan.nguyen@example.vn",
		ActorRoles: []string{"organizer"}, Action: "booth.assign", Method: "POST", Path: "/api/v1/booths/b1/assign",
		TargetKind: "booth", TargetID: "b1", EventID: "e1", Detail: "exhibitor_id=x1", Status: 200, IP: "10.0.0.7"}))
	code := func(year int, n int64) string { return certs.FormatCode("HN", year, n) }
	for i, c := range []certs.Certificate{
		{Kind: certs.Training, Holder: "Nguyễn Văn An", Title: "Khởi nghiệp tinh gọn", Issuer: "Sprout", Source: "course:e1:t1",
			Details: map[string]string{"hours": "24"}, IssuedAt: at(37), Status: certs.Valid, KeyID: "k1"},
		{Kind: certs.STEnterprise, Holder: "Công ty CP Mầm Xanh", Title: "Doanh nghiệp KH&CN", Issuer: "Sprout", Source: "startup:a1",
			IssuedAt: at(38), Status: certs.Valid, KeyID: "k1"},
		{Kind: certs.Training, Holder: "Nguyễn Văn Ân", Title: "Khởi nghiệp tinh gọn", Issuer: "Sprout", Source: "reissue:HN-2030-000001",
			IssuedAt: at(60 * 24 * 366), Status: certs.Valid, Replaces: "HN-2030-000001", KeyID: "k1"},
	} {
		if _, made, err := s.IssueCert(ctx, c, code); err != nil || !made {
			t.Fatalf("certificate %d: %v, made %v", i, err, made)
		}
	}
	_, err = s.RevokeCert(ctx, "HN-2030-000001", at(39), certs.ReasonReissued, "HN-2031-000001")
	must(err)
}

// TestImportWritesWhatTheMethodsWrite runs the script through the MongoDB
// store's methods into one database, and through the SQLite store's into a
// file that is then exported into another database, whose derived values
// are recomputed: both databases hold the same documents.
func TestImportWritesWhatTheMethodsWrite(t *testing.T) {
	ctx := context.Background()
	uri := storetest.FerretDBURI(t)
	direct := openAt(t, uri)
	copied := openAt(t, storetest.WithDatabase(t, uri, storetest.TestDatabase(), nil))
	embedded, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sprout.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer embedded.Close()
	script(t, direct)
	script(t, embedded)

	imp := copied.Importer()
	if err := embedded.Export(ctx, at(2), imp); err != nil {
		t.Fatal(err)
	}
	if err := imp.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	settled := at(5000).Add(-integrity.Abandoned)
	drifts, err := copied.Check(ctx, settled)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := copied.Repair(ctx, settled, drifts); err != nil {
		t.Fatal(err)
	}
	if left, err := copied.Check(ctx, settled); err != nil || len(left) > 0 {
		t.Fatalf("after recomputing: %v, %v", left, err)
	}

	want, got := documents(t, direct), documents(t, copied)
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if !slices.Equal(want[name], got[name]) {
			t.Errorf("%s written by the methods:\n  %s\nimported:\n  %s", name, strings.Join(want[name], "\n  "), strings.Join(got[name], "\n  "))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("the import wrote %s, which the methods do not: %v", name, got[name])
		}
	}
}

// documents reads every collection the stores keep records in as JSON, one
// line a document, sorted. What differs by nature is left out: counters at
// zero, which read as none (an annulled entry leaves its slot at zero on
// one store and makes none on the other), generated _ids (counters, GridFS
// chunks), the upload time GridFS stamps, the key a
// promoted waitlist entry holds (a fresh random value, or its own id, both
// only there to be unique), and the order of a user's roles, a set.
func documents(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		if name == "ready_probe" || name == "floor_locks" {
			continue
		}
		var docs []bson.M
		cur, err := s.db.Collection(name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			t.Fatal(err)
		}
		if err := cur.All(ctx, &docs); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if (name == "gate_counts" || name == "arrivals") && d["entries"] == int32(0) {
				continue
			}
			if _, generated := d["_id"].(bson.ObjectID); generated {
				delete(d, "_id")
			}
			delete(d, "uploadDate")
			if name == "waitlist" && d["status"] != string(tickets.Waiting) {
				delete(d, "waiting_key")
			}
			if roles, ok := d["roles"].(bson.A); ok {
				slices.SortFunc(roles, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			}
			raw, err := bson.MarshalExtJSON(d, false, false)
			if err != nil {
				t.Fatal(err)
			}
			out[name] = append(out[name], normalJSON(t, raw))
		}
		slices.Sort(out[name])
	}
	return out
}

// normalJSON writes a document with its fields in name order, at every
// depth: an upsert orders fields otherwise than an insert.
func normalJSON(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
