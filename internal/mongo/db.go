// Package mongo is the MongoDB store: every state change that must be atomic
// is a single-document operation, so no multi-document transaction is needed
// and the adapter stays inside what FerretDB implements as well. The one
// check that spans documents, booths overlapping on a floor, is serialised
// by a lease lock per hall instead (see onFloor).
package mongo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"sprout/internal/errs"
	"sprout/internal/keyset"
)

// DefaultDatabase is used when the URI names no database.
const DefaultDatabase = "sprout"

// Store implements every domain store interface on MongoDB.
type Store struct {
	client *driver.Client
	db     *driver.Database
	users  *driver.Collection
	tokens *driver.Collection
	kv     *driver.Collection
	outbox *driver.Collection

	events      *driver.Collection
	agenda      *driver.Collection
	ticketTypes *driver.Collection
	tickets     *driver.Collection
	waitlist    *driver.Collection

	// files reads and deletes; see PutFile for uploads.
	files *driver.GridFSBucket

	// counts keeps the events' check-in counts a moment; see countsCache.
	counts countsCache
}

// Open connects to the server at uri, uses the database named in its path
// and creates the indexes the queries rely on.
// Option changes how Open connects.
type Option func(*openOptions)

type openOptions struct {
	ferretDBPool bool
}

// AcceptFerretDBPool lets Open serve on FerretDB with more than one
// connection. FerretDB 1.x applies an update as a read then a write, so two
// connections updating one document lose updates (a mail sent twice, a seat
// sold twice): only an operator who accepts that, or a server in front of
// it that runs one operation at a time, should say so.
func AcceptFerretDBPool() Option { return func(o *openOptions) { o.ferretDBPool = true } }

func Open(ctx context.Context, uri string, opts ...Option) (*Store, error) {
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	name, err := databaseName(uri)
	if err != nil {
		return nil, err
	}
	copts, err := clientOptions(uri)
	if err != nil {
		return nil, err
	}
	client, err := driver.Connect(copts)
	if err != nil {
		return nil, fmt.Errorf("mongo: connect: %w", err)
	}
	db := client.Database(name)
	s := &Store{
		client: client,
		db:     db,
		users:  db.Collection("users"),
		tokens: db.Collection("tokens"),
		kv:     db.Collection("kv"),
		outbox: db.Collection("outbox"),

		events:      db.Collection("events"),
		agenda:      db.Collection("agenda_items"),
		ticketTypes: db.Collection("ticket_types"),
		tickets:     db.Collection("tickets"),
		waitlist:    db.Collection("waitlist"),

		files: db.GridFSBucket(),
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("mongo: ping: %w", err)
	}
	if err := s.refuseFerretDBPool(ctx, copts, o); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.createIndexes(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("mongo: create indexes: %w", err)
	}
	return s, nil
}

// clientOptions are the URI's, with what Sprout acknowledges made durable:
// a write is answered once a majority of the replica set holds it, so a
// failover cannot roll back a check-in already shown at the gate, and
// reads go to the primary, so the seat and waitlist steps read what the
// step before them wrote. A URI asking for less is refused rather than
// quietly overridden.
func clientOptions(uri string) (*options.ClientOptions, error) {
	opts := options.Client().ApplyURI(uri)
	if opts.ReadPreference != nil && opts.ReadPreference.Mode() != readpref.PrimaryMode {
		return nil, fmt.Errorf("mongo: readPreference=%s in the URI: Sprout reads from the primary only (a secondary may not have the seat a registration just took); remove it", opts.ReadPreference.Mode())
	}
	if wc := opts.WriteConcern; wc != nil && (wc.W != nil && wc.W != "majority" || wc.Journal != nil && !*wc.Journal) {
		return nil, fmt.Errorf("mongo: the URI's write concern (w=%v) is weaker than majority: a failover could undo an answered registration or check-in; remove w and journal from the URI", wc.W)
	}
	return opts.SetWriteConcern(writeconcern.Majority()).SetReadPreference(readpref.Primary()), nil
}

// refuseFerretDBPool refuses to serve on FerretDB through a pool of more
// than one connection, unless told it is accepted: FerretDB names itself
// in buildInfo.
func (s *Store) refuseFerretDBPool(ctx context.Context, copts *options.ClientOptions, o openOptions) error {
	if o.ferretDBPool || (copts.MaxPoolSize != nil && *copts.MaxPoolSize == 1) {
		return nil
	}
	var info bson.M
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return fmt.Errorf("mongo: buildInfo: %w", err)
	}
	if v, ok := info["ferretdbVersion"]; ok {
		return fmt.Errorf("mongo: the server is FerretDB %v, which loses concurrent updates over more than one connection: "+
			"add maxPoolSize=1 to MONGODB_URI, or set MONGODB_FERRETDB_POOL=accept to serve anyway", v)
	}
	return nil
}

// databaseName reads the database from the URI path. The driver keeps it to
// itself, and its own parser would resolve mongodb+srv hosts a second time.
func databaseName(uri string) (string, error) {
	scheme, rest, ok := strings.Cut(uri, "://")
	if !ok || (scheme != "mongodb" && scheme != "mongodb+srv") {
		return "", errors.New("mongo: URI must start with mongodb:// or mongodb+srv://")
	}
	rest, _, _ = strings.Cut(rest, "?")
	_, path, _ := strings.Cut(rest, "/")
	name, err := url.PathUnescape(path)
	if err != nil {
		return "", fmt.Errorf("mongo: database in URI: %w", err)
	}
	if name == "" {
		return DefaultDatabase, nil
	}
	return name, nil
}

func (s *Store) createIndexes(ctx context.Context) error {
	asc, desc := 1, -1
	ck := s.checkinColls()
	sc := s.staffingColls()
	ic := s.incubatorColls()
	xc := s.expoColls()
	cc := s.cohortColls()
	indexes := []struct {
		coll   *driver.Collection
		models []driver.IndexModel
	}{
		{s.users, []driver.IndexModel{
			{Keys: bson.D{{Key: "email_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "roles", Value: asc}}},
			// The admin's search matches anywhere in the folded name and
			// email: scanning this index reads less than the users.
			{Keys: bson.D{{Key: "search", Value: asc}}},
		}},
		{s.tokens, []driver.IndexModel{
			{Keys: bson.D{{Key: "user_id", Value: asc}, {Key: "kind", Value: asc}}},
			{Keys: bson.D{{Key: "expires_at", Value: asc}}},
			// Password resets used but not finished, which recovery finds.
			{Keys: bson.D{{Key: "used_at", Value: asc}}},
		}},
		{s.kv, []driver.IndexModel{
			{Keys: bson.D{{Key: "expires_at", Value: asc}}},
		}},
		{s.outbox, []driver.IndexModel{
			{Keys: bson.D{{Key: "status", Value: asc}, {Key: "next_attempt_at", Value: asc}}},
			{Keys: bson.D{{Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "to", Value: asc}, {Key: "created_at", Value: desc}}},
		}},
		{s.events, []driver.IndexModel{
			{Keys: bson.D{{Key: "slug", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "starts_at", Value: asc}, {Key: "_id", Value: asc}}},
			{Keys: bson.D{{Key: "ends_at", Value: asc}}},
		}},
		{s.agenda, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "starts_at", Value: asc}, {Key: "room", Value: asc}}},
		}},
		{s.ticketTypes, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "created_at", Value: asc}}},
		}},
		{s.tickets, []driver.IndexModel{
			// One active ticket per person and event; see personKey.
			{Keys: bson.D{{Key: "active_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "secret", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			// The gate's offline data lists an event's cancelled tickets, a
			// few among many, and the registrations page counts them.
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "status", Value: asc}, {Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			// A search reads the range of each word it asks for, within the
			// event; tickets from before search_words have none, which
			// giveSearchWords finds here.
			{Keys: bson.D{{Key: "search_words", Value: asc}, {Key: "event_id", Value: asc}}},
			{Keys: bson.D{{Key: "type_id", Value: asc}, {Key: "status", Value: asc}}},
			{Keys: bson.D{{Key: "email_key", Value: asc}, {Key: "created_at", Value: desc}}},
			{Keys: bson.D{{Key: "key_id", Value: asc}, {Key: "expires_at", Value: asc}}},
			// What Recover looks for: tickets being registered and
			// cancellations passing their seat on.
			{Keys: bson.D{{Key: "status", Value: asc}, {Key: "created_at", Value: asc}}},
			{Keys: bson.D{{Key: "passing", Value: asc}}},
		}},
		{s.waitlist, []driver.IndexModel{
			// One waiting entry per person and event; see personKey.
			{Keys: bson.D{{Key: "waiting_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			// Every entry has one; see giveWaitSecrets.
			{Keys: bson.D{{Key: "secret", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "type_id", Value: asc}, {Key: "status", Value: asc}, {Key: "seq", Value: asc}}},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "status", Value: asc}, {Key: "type_id", Value: asc}, {Key: "seq", Value: asc}}},
			{Keys: bson.D{{Key: "status", Value: asc}}},
			{Keys: bson.D{{Key: "promotion.at", Value: asc}}},
		}},
		{ck.scans, []driver.IndexModel{
			// One scan per nonce and event; see nonceKey.
			{Keys: bson.D{{Key: "nonce_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "recorded_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "ticket_id", Value: asc}, {Key: "recorded_at", Value: desc}}},
			// The entries Stats and Arrivals group, and what they group by,
			// so MongoDB can answer from the index alone; see entryCounts.
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "accepted", Value: asc}, {Key: "direction", Value: asc},
				{Key: "annulled_at", Value: asc}, {Key: "gate", Value: asc}, {Key: "slot", Value: asc}}},
			// Scans from before slots were kept, which Open gives one.
			{Keys: bson.D{{Key: "slot", Value: asc}}},
			// What RecoverScans looks for.
			{Keys: bson.D{{Key: "result", Value: asc}, {Key: "recorded_at", Value: asc}}},
			{Keys: bson.D{{Key: "annulling_at", Value: asc}}},
		}},
		{ck.presence, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "entries", Value: asc}}},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "inside", Value: asc}}},
		}},
		{sc.staff, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "assigned_at", Value: asc}}},
			{Keys: bson.D{{Key: "user_id", Value: asc}, {Key: "assigned_at", Value: desc}}},
		}},
		{ic.programs, []driver.IndexModel{
			{Keys: bson.D{{Key: "slug", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "closes_at", Value: asc}, {Key: "_id", Value: asc}}},
		}},
		{ic.applications, []driver.IndexModel{
			// One application per founder and programme.
			{Keys: bson.D{{Key: "program_id", Value: asc}, {Key: "founder_id", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "program_id", Value: asc}, {Key: "created_at", Value: asc}, {Key: "_id", Value: asc}}},
			{Keys: bson.D{{Key: "founder_id", Value: asc}, {Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "cohort_id", Value: asc}}},
		}},
		{ic.assignments, []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}, {Key: "assigned_at", Value: asc}, {Key: "reviewer_id", Value: asc}}},
			{Keys: bson.D{{Key: "reviewer_id", Value: asc}, {Key: "assigned_at", Value: asc}, {Key: "application_id", Value: asc}}},
		}},
		{ic.reviews, []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}, {Key: "created_at", Value: asc}, {Key: "reviewer_id", Value: asc}}},
			{Keys: bson.D{{Key: "program_id", Value: asc}, {Key: "application_id", Value: asc}, {Key: "created_at", Value: asc}}},
		}},
		{ic.cohorts, []driver.IndexModel{
			{Keys: bson.D{{Key: "program_id", Value: asc}}},
		}},
		{s.attendance(), []driver.IndexModel{
			// A session's list, and an event's for its attendance sheet.
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "session_id", Value: asc}, {Key: "at", Value: asc}}},
		}},
		{cc.mentors, []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}}},
			{Keys: bson.D{{Key: "mentor_id", Value: asc}}},
		}},
		{cc.milestones, []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}}},
		}},
		{cc.reports, []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}}},
		}},
		{s.sessions(), []driver.IndexModel{
			{Keys: bson.D{{Key: "application_id", Value: asc}, {Key: "day", Value: desc}}},
		}},
		{xc.booths, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "code", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "hall", Value: asc}}},
			{Keys: bson.D{{Key: "exhibitor_id", Value: asc}}},
			// Blocks being made and moves under way, which recovery finds.
			{Keys: bson.D{{Key: "block", Value: asc}}},
			{Keys: bson.D{{Key: "hidden", Value: asc}}},
			{Keys: bson.D{{Key: "moving_at", Value: asc}}},
		}},
		{xc.exhibitors, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "created_at", Value: asc}, {Key: "_id", Value: asc}}},
			{Keys: bson.D{{Key: "owner_id", Value: asc}, {Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			// Rejections whose booths and staff recovery may still free.
			{Keys: bson.D{{Key: "status", Value: asc}}},
		}},
		{xc.changes, []driver.IndexModel{
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "at", Value: desc}, {Key: "_id", Value: desc}}},
		}},
		{xc.staff, []driver.IndexModel{
			// The allowance and one place per email; see boothStaffDoc.
			{Keys: bson.D{{Key: "exhibitor_id", Value: asc}, {Key: "slot", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "exhibitor_id", Value: asc}, {Key: "email_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "exhibitor_id", Value: asc}, {Key: "created_at", Value: asc}, {Key: "_id", Value: asc}}},
			// One place per invitation; see secretKey.
			{Keys: bson.D{{Key: "secret_key", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "user_id", Value: asc}, {Key: "created_at", Value: desc}, {Key: "_id", Value: desc}}},
			// Places whose badge is being added, which recovery settles.
			{Keys: bson.D{{Key: "adding", Value: asc}}},
		}},
		{s.auditLog(), []driver.IndexModel{
			// Newest first, whole or filtered by who, what or which event.
			{Keys: bson.D{{Key: "at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "actor_id", Value: asc}, {Key: "at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "action", Value: asc}, {Key: "at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "at", Value: desc}, {Key: "_id", Value: desc}}},
		}},
		{s.certificates(), []driver.IndexModel{
			// One certificate per kind and source: issuing twice gives the first.
			{Keys: bson.D{{Key: "kind", Value: asc}, {Key: "source", Value: asc}}, Options: options.Index().SetUnique(true)},
			// A kind's certificates, newest first.
			{Keys: bson.D{{Key: "kind", Value: asc}, {Key: "issued_at", Value: desc}, {Key: "_id", Value: desc}}},
		}},
		{s.dossiers(), []driver.IndexModel{
			// An owner's dossiers, and dossiers at a stage, by their last change.
			{Keys: bson.D{{Key: "owner_id", Value: asc}, {Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "stage", Value: asc}, {Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
			// The registry's filters: by sector, by the year granted, by words.
			{Keys: bson.D{{Key: "sector", Value: asc}, {Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "granted_year", Value: asc}, {Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "words", Value: asc}}},
			{Keys: bson.D{{Key: "kind", Value: asc}, {Key: "stage", Value: asc}, {Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
			{Keys: bson.D{{Key: "updated_at", Value: desc}, {Key: "_id", Value: desc}}},
		}},
		{xc.leads, []driver.IndexModel{
			// One lead per exhibitor and ticket is the _id; see leadKey.
			{Keys: bson.D{{Key: "id", Value: asc}}, Options: options.Index().SetUnique(true)},
			{Keys: bson.D{{Key: "exhibitor_id", Value: asc}, {Key: "created_at", Value: desc}, {Key: "id", Value: desc}}},
			{Keys: bson.D{{Key: "event_id", Value: asc}, {Key: "exhibitor_id", Value: asc}}},
		}},
	}
	if err := s.giveWaitSecrets(ctx); err != nil {
		return fmt.Errorf("waitlist secrets: %w", err)
	}
	if err := s.giveScanSlots(ctx); err != nil {
		return fmt.Errorf("scan slots: %w", err)
	}
	if err := s.giveSearchWords(ctx); err != nil {
		return fmt.Errorf("ticket search words: %w", err)
	}
	for _, ix := range indexes {
		missing, err := missingIndexes(ctx, ix.coll, ix.models)
		if err != nil {
			return fmt.Errorf("%s: %w", ix.coll.Name(), err)
		}
		if len(missing) == 0 {
			continue
		}
		if _, err := ix.coll.Indexes().CreateMany(ctx, missing); err != nil {
			return fmt.Errorf("%s: %w", ix.coll.Name(), err)
		}
	}
	return nil
}

// missingIndexes leaves out of models the indexes the collection has
// already, by their keys: a start on a database used before asks for
// nothing (FerretDB cuts the connection when asked for an index that
// exists) and costs one listing per collection.
func missingIndexes(ctx context.Context, c *driver.Collection, models []driver.IndexModel) ([]driver.IndexModel, error) {
	cur, err := c.Indexes().List(ctx)
	if err != nil {
		return nil, err
	}
	var have []struct {
		Key bson.D `bson:"key"`
	}
	if err := cur.All(ctx, &have); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, h := range have {
		seen[keySignature(h.Key)] = true
	}
	var out []driver.IndexModel
	for _, m := range models {
		if !seen[keySignature(m.Keys.(bson.D))] {
			out = append(out, m)
		}
	}
	return out, nil
}

// keySignature names an index by its fields and directions, in order;
// %v writes a direction alike whatever number type the server sends back.
func keySignature(keys bson.D) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s:%v,", k.Key, k.Value)
	}
	return b.String()
}

// Close disconnects. Like sql.DB's, a second Close is no error. Close has no
// context, so it bounds the wait itself.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil && !errors.Is(err, driver.ErrClientDisconnected) {
		return err
	}
	return nil
}

// Ping tells whether the server takes a write, not only whether it
// answers: a primary that lost its disk or its majority still answers
// pings. The probe is one document of a collection of its own, rewritten.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.db.Collection("ready_probe").UpdateOne(ctx, bson.D{{Key: "_id", Value: "probe"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: date(time.Now())}}}},
		options.UpdateOne().SetUpsert(true))
	return translate(err)
}

// date and fromDate keep times as BSON dates (milliseconds); the epoch is the
// zero time, as 0 is in the SQLite store, so both compare alike.
func date(t time.Time) bson.DateTime {
	if t.IsZero() {
		return 0
	}
	return bson.DateTime(t.UnixMilli())
}

func fromDate(d bson.DateTime) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(d)).UTC()
}

// translate maps driver errors into the domain's vocabulary.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, driver.ErrNoDocuments):
		return errs.ErrNotFound
	case driver.IsDuplicateKeyError(err):
		return errs.Wrap(errs.Conflict, err)
	case errors.Is(err, driver.ErrClientDisconnected):
		return errs.ErrStoreClosed.Because(err)
	case outOfSpace(err):
		return errs.ErrStoreFull.Because(err)
	}
	return err
}

// Unavailable names an error of any call on the store as errs.ErrStoreClosed
// (closed, or the server out of reach), errs.ErrStoreFull (out of disk) or
// leaves it as it is: a caller then answers "unavailable", not "internal".
func (s *Store) Unavailable(err error) error {
	switch {
	case err == nil:
		return nil
	case errs.KindOf(err) == errs.Unavailable:
		return err
	case errors.Is(err, driver.ErrClientDisconnected), driver.IsNetworkError(err), driver.IsTimeout(err):
		return errs.ErrStoreClosed.Because(err)
	case outOfSpace(err):
		return errs.ErrStoreFull.Because(err)
	}
	return err
}

// outOfSpace tells a write the server refused for lack of disk
// (OutOfDiskSpace, code 14031).
func outOfSpace(err error) bool {
	var se driver.ServerError
	return errors.As(err, &se) && se.HasErrorCode(14031)
}

// matched turns "no document matched" into errs.NotFound.
func matched(res *driver.UpdateResult, err error) error {
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.ErrNotFound
	}
	return nil
}

// page finds one page sorted newest first, with LIMIT/OFFSET semantics of
// the SQLite store: a negative limit means no limit, a zero one no rows.
func page[T any](ctx context.Context, c *driver.Collection, filter bson.D, offset, limit int) ([]T, int, error) {
	return sortedPage[T](ctx, c, filter, bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}, offset, limit)
}

// pageAfter reads up to limit documents of a list kept newest first by the
// time field at, then _id, that come after the cursor: keyset paging.
func pageAfter[T any](ctx context.Context, c *driver.Collection, filter bson.D, at string, after keyset.Cursor, limit int) ([]T, error) {
	if !after.IsZero() {
		filter = append(slices.Clone(filter), bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: at, Value: bson.D{{Key: "$lt", Value: date(after.At)}}}},
			bson.D{{Key: at, Value: date(after.At)}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: after.ID}}}},
		}})
	}
	cur, err := c.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: at, Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, err
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// sortedPage is page in another order.
func sortedPage[T any](ctx context.Context, c *driver.Collection, filter, sort bson.D, offset, limit int) ([]T, int, error) {
	total, err := c.CountDocuments(ctx, filter)
	if err != nil {
		return nil, 0, err
	}
	if limit == 0 {
		return nil, int(total), nil
	}
	opts := options.Find().SetSort(sort).SetSkip(int64(max(offset, 0)))
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, 0, err
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, 0, err
	}
	return out, int(total), nil
}

// decodeOne decodes what a single-document operation found and converts
// it; no document is errs.ErrNotFound, through translate.
func decodeOne[D, T any](res *driver.SingleResult, conv func(D) T) (T, error) {
	var d D
	if err := res.Decode(&d); err != nil {
		var zero T
		return zero, translate(err)
	}
	return conv(d), nil
}

// convert converts documents; none stays nil, which the stores return for
// an empty list.
func convert[D, T any](docs []D, conv func(D) T) []T {
	var out []T
	for _, d := range docs {
		out = append(out, conv(d))
	}
	return out
}
