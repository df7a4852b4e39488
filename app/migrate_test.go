package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/demo"
	"sprout/internal/keys"
	"sprout/internal/qr/qrtest"
	"sprout/internal/storetest"
	"sprout/internal/tickets"
	"sprout/internal/vn"
)

// served is what a running Sprout answers to the same requests, to compare
// the embedded store with its copy on MongoDB.
type served struct {
	// pages maps each path, signed in as the role before the space, to its
	// status.
	pages map[string]int
	// roles maps each demo account to the roles its sign-in answered.
	roles map[string]string
	// tokens maps a ticket page to the token its QR code holds.
	tokens map[string]string
	jwks   string
	banner []byte
	stats  string
}

// demoPlaces are the demo's records the visit goes to.
type demoPlaces struct {
	techfest, expo, expoID, program, programID, cohortID string
	passwords                                            map[string]string
	secrets                                              []string
}

// sproutClient talks to one running Sprout like a browser: cookies kept,
// redirects not followed.
type sproutClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newSproutClient(t *testing.T, base string) *sproutClient {
	jar, _ := cookiejar.New(nil)
	return &sproutClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (c *sproutClient) do(method, path string, body io.Reader, hdr ...string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res.StatusCode, data
}

func (c *sproutClient) api(method, path, bearer string, body any) (int, map[string]any) {
	c.t.Helper()
	raw, _ := json.Marshal(body)
	hdr := []string{"Content-Type", "application/json"}
	if bearer != "" {
		hdr = append(hdr, "Authorization", "Bearer "+bearer)
	}
	code, data := c.do(method, path, bytes.NewReader(raw), hdr...)
	var out map[string]any
	json.Unmarshal(data, &out)
	return code, out
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// signIn signs in through the login form, as a person does.
func (c *sproutClient) signIn(email, password string) {
	c.t.Helper()
	_, page := c.do("GET", "/login", nil)
	m := csrfField.FindSubmatch(page)
	if m == nil {
		c.t.Fatal("no CSRF token on /login")
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {string(m[1])}}
	if code, _ := c.do("POST", "/login", strings.NewReader(form.Encode()), "Content-Type", "application/x-www-form-urlencoded"); code != 303 {
		c.t.Fatalf("sign in as %s: %d", email, code)
	}
}

// serve runs a's web app on a port of its own until the test ends.
func serve(t *testing.T, a *app.App) string {
	t.Helper()
	w, err := a.Web()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go w.Listener(ln)
	t.Cleanup(func() { w.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// visit signs every demo account in and reads the main pages of each role,
// the ticket pages, the published keys, a banner and the expo's counts.
func visit(t *testing.T, base string, p demoPlaces) served {
	t.Helper()
	s := served{pages: map[string]int{}, roles: map[string]string{}, tokens: map[string]string{}}
	anon := newSproutClient(t, base)
	for _, path := range []string{"/", "/events", "/events/" + p.techfest, "/events/" + p.expo, "/events/" + p.expo + "/floor",
		"/events/" + p.expo + "/exhibitors", "/programs", "/programs/" + p.program, "/startups", "/tickets/lost"} {
		s.pages["anonymous "+path], _ = anon.do("GET", path, nil)
	}
	for _, secret := range p.secrets {
		code, _ := anon.do("GET", "/t/"+secret, nil)
		s.pages["anonymous /t/"+secret] = code
		code, img := anon.do("GET", "/t/"+secret+"/qr.png", nil)
		if code != 200 {
			t.Fatalf("the QR code of ticket page %s: %d", secret, code)
		}
		tok, err := qrtest.DecodePNG(img)
		if err != nil {
			t.Fatalf("the QR code of ticket page %s: %v", secret, err)
		}
		s.tokens[secret] = tok
	}
	_, jwks := anon.do("GET", "/.well-known/jwks.json", nil)
	s.jwks = string(jwks)
	var code int
	if code, s.banner = anon.do("GET", "/events/"+p.techfest+"/banner", nil); code != 200 {
		t.Fatalf("the Techfest's banner: %d", code)
	}

	pages := map[accounts.Role][]string{
		accounts.RoleAdmin: {"/admin/users", "/admin/mailbox", "/admin/audit"},
		accounts.RoleOrganizer: {"/manage/events", "/manage/events/" + p.expoID, "/manage/events/" + p.expoID + "/dashboard",
			"/manage/events/" + p.expoID + "/registrations", "/manage/events/" + p.expoID + "/scans",
			"/manage/programs/" + p.programID, "/manage/programs/" + p.programID + "/ranking", "/manage/cohorts/" + p.cohortID},
		accounts.RoleReviewer:  {"/reviews"},
		accounts.RoleMentor:    {"/mentor"},
		accounts.RoleStaff:     {"/gate", "/events/" + p.expoID + "/gate"},
		accounts.RoleExhibitor: {"/exhibitors/mine"},
		accounts.RoleFounder:   {"/programs/mine", "/cohort/reports"},
	}
	for _, da := range demo.Accounts {
		code, body := anon.api("POST", "/api/v1/auth/login", "", map[string]any{"email": da.Email, "password": p.passwords[da.Email]})
		user, _ := body["user"].(map[string]any)
		s.roles[da.Email] = fmt.Sprint(code, " ", user["roles"])
		if da.Role == accounts.RoleOrganizer {
			token, _ := body["token"].(string)
			_, stats := anon.api("GET", "/api/v1/events/"+p.expoID+"/stats", token, nil)
			raw, _ := json.Marshal(stats)
			s.stats = string(raw)
		}
		b := newSproutClient(t, base)
		b.signIn(da.Email, p.passwords[da.Email])
		for _, path := range pages[da.Role] {
			s.pages[string(da.Role)+" "+path], _ = b.do("GET", path, nil)
		}
	}
	return s
}

// scan checks the ticket in at the expo's first gate as the demo's gate
// staff and returns the result.
func scan(t *testing.T, base string, p demoPlaces, token string) string {
	t.Helper()
	c := newSproutClient(t, base)
	code, login := c.api("POST", "/api/v1/auth/login", "", map[string]any{"email": "cong@demo.sprout.vn", "password": p.passwords["cong@demo.sprout.vn"]})
	if code != 200 {
		t.Fatalf("the gate staff's sign-in: %d %v", code, login)
	}
	code, out := c.api("POST", "/api/v1/events/"+p.expoID+"/checkins", login["token"].(string), map[string]any{"token": token, "gate": "Cổng A", "direction": "in"})
	if code != 200 {
		t.Fatalf("scan: %d %v", code, out)
	}
	return fmt.Sprint(out["result"])
}

// fingerprint hashes every document of the database, collection by
// collection, to tell whether anything was written.
func fingerprint(t *testing.T, uri string) map[string]string {
	t.Helper()
	ctx := context.Background()
	client, err := driver.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	u, _ := url.Parse(uri)
	db := client.Database(strings.TrimPrefix(u.Path, "/"))
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		docs := 0
		for cur.Next(ctx) {
			h.Write(cur.Current)
			docs++
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		out[n] = fmt.Sprintf("%d documents, %x", docs, h.Sum(nil))
	}
	return out
}

func sameFingerprint(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func bannerPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 24))
	for x := range 64 {
		for y := range 24 {
			img.Set(x, y, color.RGBA{R: uint8(4 * x), G: 160, B: uint8(10 * y), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMigrateTheDemoToMongoDB copies the demo, with a ticket checked in, a
// banner and a ticket that still holds the token it was issued with, from
// the embedded store into an empty database on FerretDB: Sprout started on
// the copy signs every demo account in, answers the main pages as on
// SQLite, shows the same QR codes on the same ticket pages, publishes the
// same keys, serves the banner's bytes and the same counts, and knows the
// ticket is inside already. sprout check passes on the copy. A dry run
// writes nothing, and migrating into the database again is refused
// without writing anything.
func TestMigrateTheDemoToMongoDB(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir)
	t.Setenv("LOG_LEVEL", "error")
	t.Setenv("MONGODB_URI", "")
	cfg, err := app.LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	// Mid-morning of the app's today, held still: the demo is the same
	// whatever the hour the test runs.
	today := clock.System{Offset: cfg.ClockOffset}.Now().In(vn.Zone)
	clk := clock.NewManual(time.Date(today.Year(), today.Month(), today.Day(), 10, 30, 0, 0, vn.Zone))
	open := func(cfg app.Config) *app.App {
		t.Helper()
		a, err := app.New(ctx, cfg, testAssets(), app.WithClock(clk), app.WithPasswordCost(accounts.PasswordCost{Memory: 64, Time: 1}))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	// The demo, seeded through the services on the embedded store.
	began := time.Now()
	a := open(cfg)
	var printed bytes.Buffer
	if err := a.SeedDemo(ctx, &printed); err != nil {
		t.Fatal(err)
	}
	p := demoPlaces{techfest: "techfest-ha-noi-2026", expo: "trien-lam-doi-moi-sang-tao-" + clk.Now().In(vn.Zone).Format("2006-01-02"),
		passwords: map[string]string{}}
	for _, l := range strings.Split(printed.String(), "\n") {
		if f := strings.Fields(l); len(f) > 2 && strings.Contains(f[len(f)-2], "@demo.sprout.vn") {
			p.passwords[f[len(f)-2]] = f[len(f)-1]
		}
	}
	techfest, err := a.Events.EventBySlug(ctx, p.techfest, true)
	if err != nil {
		t.Fatal(err)
	}
	expo, err := a.Events.EventBySlug(ctx, p.expo, true)
	if err != nil {
		t.Fatal(err)
	}
	p.expoID = expo.ID
	programs, err := a.Incubator.Calls(ctx)
	if err != nil || len(programs) != 1 {
		t.Fatalf("the demo's open calls: %v, %v", programs, err)
	}
	p.program, p.programID = programs[0].Slug, programs[0].ID
	cohorts, err := a.Incubator.Cohorts(ctx)
	if err != nil || len(cohorts) != 1 {
		t.Fatalf("the demo's cohorts: %v, %v", cohorts, err)
	}
	p.cohortID = cohorts[0].ID
	banner := bannerPNG(t)
	if _, err := a.Events.SetBanner(ctx, techfest.ID, "băng rôn.png", banner); err != nil {
		t.Fatal(err)
	}
	// A visitor of the expo not in yet, and one of the Techfest.
	var visitor, guest tickets.Ticket
	list, _, err := a.Tickets.List(ctx, tickets.Query{EventID: expo.ID, Status: tickets.Active, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range list {
		if first, _, err := a.Checkin.Presence(ctx, tk.ID); err == nil && first.IsZero() && visitor.ID == "" {
			visitor = tk
		}
	}
	if list, _, err = a.Tickets.List(ctx, tickets.Query{EventID: techfest.ID, Status: tickets.Active, Limit: 1}); err != nil || len(list) != 1 {
		t.Fatalf("the Techfest's tickets: %v, %v", list, err)
	}
	guest = list[0]
	if visitor.ID == "" {
		t.Fatal("every expo ticket is checked in already")
	}
	// The Techfest ticket is made one written before tickets kept their
	// claims: its row holds the token it was issued with, which differs
	// from its claims signed again (issued a minute earlier).
	kid := guest.KeyID
	old := guest.Claims()
	old.IssuedAt = old.IssuedAt.Add(-time.Minute)
	legacy, err := a.Keys.SignWith(ctx, kid, old)
	if err != nil {
		t.Fatal(err)
	}
	resigned, err := a.Keys.SignWith(ctx, kid, guest.Claims())
	if err != nil || legacy == resigned {
		t.Fatalf("the legacy token is the token signed again: %v", err)
	}
	a.Close()
	db, err := sql.Open("sqlite", "file:"+cfg.SQLitePath())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE tickets SET token = ? WHERE id = ?`, legacy, guest.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()
	p.secrets = []string{visitor.Secret, guest.Secret}
	seeded := time.Since(began)

	// On the embedded store: the visitor goes in at the gate.
	a = open(cfg)
	base := serve(t, a)
	if got := scan(t, base, p, visitor.Token); got != "ok" {
		t.Fatalf("the visitor's first scan: %s", got)
	}
	before := visit(t, base, p)
	a.Close()
	if before.tokens[guest.Secret] != legacy || before.tokens[visitor.Secret] != visitor.Token {
		t.Fatalf("the ticket pages on SQLite show %v; want the legacy token for %s and the issued one for %s", before.tokens, guest.ID, visitor.ID)
	}
	for path, code := range before.pages {
		if code != 200 {
			t.Errorf("on SQLite, %s answered %d", path, code)
		}
	}
	if !bytes.Equal(before.banner, banner) {
		t.Fatal("the banner served on SQLite is not the one uploaded")
	}

	uri := storetest.FerretDBURI(t)
	sprout := func(args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := app.Main(args, app.Assets{}, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	// A dry run counts and writes nothing, not even an index.
	code, out, errOut := sprout("migrate", "--to", uri, "--dry-run")
	if code != 0 || !regexp.MustCompile(`(?m)^\s*tickets\s+\d+\s*$`).MatchString(out) || !strings.Contains(out, "the target is empty") {
		t.Fatalf("migrate --dry-run: exit %d\n%s%s", code, out, errOut)
	}
	if fp := fingerprint(t, uri); len(fp) != 0 {
		t.Fatalf("a dry run wrote %v", fp)
	}

	migrating := time.Now()
	code, out, errOut = sprout("migrate", "--to", uri)
	took := time.Since(migrating)
	if code != 0 || !strings.Contains(out, "verified: the copy holds what the embedded store holds") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("seeding the demo took %s, migrating it %s:\n%s", seeded.Round(time.Millisecond), took.Round(time.Millisecond), out)

	// Sprout on the copy.
	mcfg := cfg
	mcfg.MongoURI, mcfg.FerretDBPool = uri, true
	m := open(mcfg)
	base = serve(t, m)
	if got := scan(t, base, p, visitor.Token); got != "already_checked_in" {
		t.Errorf("the visitor's scan after the move: %s, want already_checked_in", got)
	}
	after := visit(t, base, p)
	m.Close()
	for path, code := range before.pages {
		if after.pages[path] != code {
			t.Errorf("%s answered %d on SQLite, %d on the copy", path, code, after.pages[path])
		}
	}
	for _, da := range demo.Accounts {
		if want := "200 [" + string(da.Role) + "]"; before.roles[da.Email] != want || after.roles[da.Email] != want {
			t.Errorf("%s signs in with %q on SQLite, %q on the copy; want %q", da.Email, before.roles[da.Email], after.roles[da.Email], want)
		}
	}
	for secret, tok := range before.tokens {
		if after.tokens[secret] != tok {
			t.Errorf("the ticket page /t/%s shows another QR token on the copy", secret)
		}
	}
	var set keys.JWKSet
	if err := json.Unmarshal([]byte(after.jwks), &set); err != nil || len(set.Keys) == 0 || after.jwks != before.jwks {
		t.Errorf("JWKS on SQLite %s, on the copy %s", before.jwks, after.jwks)
	}
	if !bytes.Equal(after.banner, banner) {
		t.Error("the banner served from the copy differs from the one uploaded")
	}
	if after.stats != before.stats || !strings.Contains(after.stats, `"checked_in"`) {
		t.Errorf("the expo's counts on SQLite %s, on the copy %s", before.stats, after.stats)
	}

	t.Setenv("MONGODB_URI", uri)
	t.Setenv("MONGODB_FERRETDB_POOL", "accept")
	if code, out, errOut := sprout("check"); code != 0 || out != "mongodb store: every invariant holds\n" {
		t.Fatalf("check on the copy: exit %d %q %q", code, out, errOut)
	}

	// Into a database that holds data, migrating is refused and writes
	// nothing; a dry run says so too.
	held := fingerprint(t, uri)
	if code, out, errOut := sprout("migrate", "--to", uri); code == 0 || !strings.Contains(errOut, "migrate copies into an empty database only") {
		t.Fatalf("migrate into a database that holds data: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := sprout("migrate", "--to", uri, "--dry-run"); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("migrate --dry-run into a database that holds data: exit %d\n%s%s", code, out, errOut)
	}
	if again := fingerprint(t, uri); !sameFingerprint(held, again) {
		t.Fatalf("a refused migration wrote:\n%v\n%v", held, again)
	}
}
