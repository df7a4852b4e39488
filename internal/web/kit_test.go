package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/clock"
	"sprout/internal/mail"
	"sprout/internal/storetest"
)

var assets = app.Assets{Views: os.DirFS("../../views"), Static: os.DirFS("../../static")}

// env is one Sprout wired on a real store, driven through its HTTP app.
type env struct {
	t   *testing.T
	app *app.App
	// clock is the app's clock: the machine's, moved by CLOCK_OFFSET when the
	// suite runs as if on another day, and by tests that jump ahead.
	clock *clock.Shifted
	web   *fiber.App
	base  string // the server's URL on 127.0.0.1
	admin string // an admin's API token
}

// baseConfig is a test's configuration: a fresh data directory, quiet logs,
// and the clock offset the suite runs with (CLOCK_OFFSET=8760h go test ./...
// runs it a year ahead).
func baseConfig(t *testing.T) app.Config {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// forEachStore runs fn on the embedded SQLite store, on MongoDB's wire
// protocol through an in-process FerretDB, and on a real MongoDB when
// MONGODB_TEST_URI is set.
func forEachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, newEnv(t, baseConfig(t)))
	})
	t.Run("mongodb-wire", func(t *testing.T) {
		t.Parallel()
		cfg := baseConfig(t)
		// The relay in front of FerretDB runs one operation at a time.
		cfg.MongoURI, cfg.FerretDBPool = storetest.FerretDBURI(t), true
		fn(t, newEnv(t, cfg))
	})
	if os.Getenv("MONGODB_TEST_URI") != "" {
		t.Run("mongodb", func(t *testing.T) {
			t.Parallel()
			cfg := baseConfig(t)
			cfg.MongoURI = storetest.MongoDBTestURI(t)
			fn(t, newEnv(t, cfg))
		})
	}
}

func newEnv(t *testing.T, cfg app.Config) *env {
	t.Helper()
	clk := clock.NewShifted(cfg.ClockOffset)
	a, err := app.New(context.Background(), cfg, assets, app.WithClock(clk), app.WithPasswordCost(testPasswordCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
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
	e := &env{t: t, app: a, clock: clk, web: w, base: "http://" + ln.Addr().String()}
	if _, _, err := a.Accounts.EnsureAdmin(context.Background(), "admin@sprout.test", "admin-password-1", "Quản Trị"); err != nil {
		t.Fatal(err)
	}
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "admin@sprout.test", "password": "admin-password-1"})
	r.status(200)
	e.admin = r.str("token")
	return e
}

// testPasswordCost keeps argon2id but at its least cost: the HTTP tests sign
// hundreds of people up and in, and what they check is who may do what, not
// the hash's strength, which the accounts package tests.
var testPasswordCost = accounts.PasswordCost{Memory: 64, Time: 1}

// now is the time by the app's clock.
func (e *env) now() time.Time { return e.clock.Now() }

type resp struct {
	t      *testing.T
	code   int
	header http.Header
	body   []byte
	json   map[string]any
}

// send makes one request through client and reads the answer; body is
// JSON-encoded unless it is a string or []byte, sent as is. hdr holds header
// name and value pairs. It is the one way tests call Sprout over HTTP.
func send(t *testing.T, client *http.Client, method, url string, body any, hdr ...string) *resp {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := &resp{t: t, code: res.StatusCode, header: res.Header}
	out.body, _ = io.ReadAll(res.Body)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out.body, &out.json); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v: %s", method, url, err, out.body)
		}
	}
	return out
}

// call sends a request to the API, as a program does; see send.
func (e *env) call(method, path string, body any, hdr ...string) *resp {
	e.t.Helper()
	return send(e.t, http.DefaultClient, method, e.base+path, body, hdr...)
}

func (e *env) authed(token, method, path string, body any, hdr ...string) *resp {
	e.t.Helper()
	return e.call(method, path, body, append([]string{"Authorization", "Bearer " + token}, hdr...)...)
}

func (r *resp) status(want int) *resp {
	r.t.Helper()
	if r.code != want {
		r.t.Fatalf("status %d, want %d: %s", r.code, want, r.body)
	}
	return r
}

// errorCode checks the contract's error shape and returns the code.
func (r *resp) errorCode(status int, code string) string {
	r.t.Helper()
	r.status(status)
	e, ok := r.json["error"].(map[string]any)
	if !ok {
		r.t.Fatalf("no error object in %s", r.body)
	}
	msg, _ := e["message"].(string)
	if e["code"] != code || msg == "" {
		r.t.Fatalf("error = %v, want code %q with a message", e, code)
	}
	return msg
}

// str digs a string out of the JSON body by a dotted path.
func (r *resp) str(path string) string {
	r.t.Helper()
	v := r.get(path)
	s, ok := v.(string)
	if !ok {
		r.t.Fatalf("%s is %v, not a string, in %s", path, v, r.body)
	}
	return s
}

// get reads the value at a dotted path of the JSON answer; a number
// indexes an array.
func (r *resp) get(path string) any {
	var v any = r.json
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// browser is a cookie-keeping client that does not follow redirects, so
// tests see each answer.
type browser struct {
	t    *testing.T
	e    *env
	c    *http.Client
	lang string
}

func (e *env) browser(lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, e: e, lang: lang, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	code     int
	location string
	html     string
}

func (b *browser) do(method, path string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.e.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return page{code: res.StatusCode, location: res.Header.Get("Location"), html: string(data)}
}

var csrfRE = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// submit loads a page, takes its form's CSRF token and posts the form.
func (b *browser) submit(from, action string, form url.Values) page {
	b.t.Helper()
	p := b.do("GET", from, nil)
	m := csrfRE.FindStringSubmatch(p.html)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", from)
	}
	form.Set("_csrf", m[1])
	return b.do("POST", action, form)
}

func mailQuery(to string) mail.Query { return mail.Query{To: to, Limit: 10} }

// mails lists the mail to an address, newest first, rendered as sent.
func (e *env) mails(to string) []mail.Message {
	e.t.Helper()
	msgs, _, err := e.app.Store.ListMail(context.Background(), mailQuery(to))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range msgs {
		if msgs[i], err = e.app.Outbox.Render(context.Background(), msgs[i]); err != nil {
			e.t.Fatal(err)
		}
	}
	return msgs
}

var linkRE = regexp.MustCompile(`https?://\S+/password/reset/[A-Za-z0-9]+`)

func resetLink(t *testing.T, text string) string {
	t.Helper()
	link := linkRE.FindString(text)
	if link == "" {
		t.Fatalf("no reset link in %q", text)
	}
	return link
}

var csrfMetaRE = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// scriptCSRF opens a scanning page (a gate, a booth's scanner) in b and
// returns the CSRF token it carries for its scripts.
func (b *browser) scriptCSRF(path string) string {
	b.t.Helper()
	p := b.do("GET", path, nil)
	if p.code != 200 {
		b.t.Fatalf("%s: %d", path, p.code)
	}
	m := csrfMetaRE.FindStringSubmatch(p.html)
	if m == nil {
		b.t.Fatalf("%s carries no CSRF token for its scripts", path)
	}
	return m[1]
}

// pageJSON calls one of a scanning page's JSON endpoints with the browser's
// cookies, and csrf (when not empty) in the X-CSRF-Token header.
func (b *browser) pageJSON(method, path, csrf string, body any) *resp {
	b.t.Helper()
	var hdr []string
	if csrf != "" {
		hdr = append(hdr, "X-CSRF-Token", csrf)
	}
	if b.lang != "" {
		hdr = append(hdr, "Accept-Language", b.lang)
	}
	return send(b.t, b.c, method, b.e.base+path, body, hdr...)
}
