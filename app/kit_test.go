package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/app"
	"sprout/internal/storetest"
)

var assets = app.Assets{Views: os.DirFS("../views"), Static: os.DirFS("../static")}

// env is one Sprout wired on a real store, driven through its HTTP app.
type env struct {
	t     *testing.T
	app   *app.App
	web   *fiber.App
	base  string // the server's URL on 127.0.0.1
	admin string // an admin's API token
}

func baseConfig(t *testing.T) app.Config {
	cfg, err := app.LoadConfig(func(k string) string {
		return map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error"}[k]
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
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, baseConfig(t))) })
	t.Run("mongodb-wire", func(t *testing.T) {
		cfg := baseConfig(t)
		cfg.MongoURI = storetest.FerretDBURI(t)
		fn(t, newEnv(t, cfg))
	})
	if os.Getenv("MONGODB_TEST_URI") != "" {
		t.Run("mongodb", func(t *testing.T) {
			cfg := baseConfig(t)
			cfg.MongoURI = storetest.MongoDBTestURI(t)
			fn(t, newEnv(t, cfg))
		})
	}
}

func newEnv(t *testing.T, cfg app.Config) *env {
	t.Helper()
	a, err := app.New(context.Background(), cfg, assets)
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
	e := &env{t: t, app: a, web: w, base: "http://" + ln.Addr().String()}
	if _, _, err := a.Accounts.EnsureAdmin(context.Background(), "admin@sprout.test", "admin-password-1", "Quản Trị"); err != nil {
		t.Fatal(err)
	}
	r := e.call("POST", "/api/v1/auth/login", map[string]any{"email": "admin@sprout.test", "password": "admin-password-1"})
	r.status(200)
	e.admin = r.str("token")
	return e
}

type resp struct {
	t      *testing.T
	code   int
	header http.Header
	body   []byte
	json   map[string]any
}

// call sends a request; body is JSON-encoded unless it is a string or
// []byte, sent as is. hdr holds header name and value pairs.
func (e *env) call(method, path string, body any, hdr ...string) *resp {
	e.t.Helper()
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
			e.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.base+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	out := &resp{t: e.t, code: res.StatusCode, header: res.Header}
	out.body, _ = io.ReadAll(res.Body)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out.body, &out.json); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %v: %s", method, path, err, out.body)
		}
	}
	return out
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

func (r *resp) get(path string) any {
	var v any = r.json
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
