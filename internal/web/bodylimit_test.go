package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// padded is a valid JSON body of about size bytes: a lost-ticket request
// with blank space after its one field.
func padded(size int) string {
	return `{"email":"lost@example.vn"` + strings.Repeat(" ", size) + `}`
}

// API.md, Events and tickets (v1.1): a JSON endpoint anonymous clients may
// call answers a body over 64 KB with 413 too_large.
func TestAnonymousBodyOver64KB(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))

	e.call("POST", "/api/v1/tickets/lost", padded(100<<10)).errorCode(413, "too_large")
	e.call("POST", "/api/v1/auth/signup", padded(100<<10)).errorCode(413, "too_large")
	e.call("POST", "/api/v1/Tickets/Lost/", padded(100<<10)).errorCode(413, "too_large")
	if r := e.call("POST", "/api/v1/tickets/lost", padded(60<<10)); r.code == 413 {
		t.Fatal("a 60 KB body is within the limit")
	}
	// Signed-in JSON keeps the 1 MiB limit.
	if r := e.authed(e.admin, "POST", "/api/v1/events", `{"title":"Hội thảo"`+strings.Repeat(" ", 100<<10)+`}`); r.code == 413 {
		t.Fatal("a signed-in client's 100 KB body is within the limit")
	}

	// A body sent in chunks, of no declared length, is read only up to the
	// limit.
	req, err := http.NewRequest("POST", e.base+"/api/v1/tickets/lost", io.MultiReader(strings.NewReader(padded(100<<10))))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.TransferEncoding = []string{"chunked"}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Error struct{ Code string } }
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != 413 || body.Error.Code != "too_large" {
		t.Fatalf("a chunked 100 KB body: %d %q", res.StatusCode, body.Error.Code)
	}
}

// A gzipped JSON body is read, but inflated no further than the largest
// JSON body: a 60 KB one that would inflate to 60 MB is refused.
func TestGzippedJSONBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		io.WriteString(w, s)
		w.Close()
		return b.Bytes()
	}
	e.call("POST", "/api/v1/tickets/lost", gz(padded(10)), "Content-Encoding", "gzip").status(202)
	bomb := gz(padded(60 << 20))
	if len(bomb) > 64<<10 {
		t.Fatalf("the compressed body is %d bytes", len(bomb))
	}
	e.call("POST", "/api/v1/tickets/lost", bomb, "Content-Encoding", "gzip").errorCode(413, "too_large")
	e.call("POST", "/api/v1/tickets/lost", padded(10), "Content-Encoding", "br").errorCode(400, "invalid")
}

// A body declared larger than the route takes is refused before it is
// sent: the answer comes with only the first KB written, and the
// connection closes.
func TestDeclaredBodyRefusedBeforeSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The server reads the first 8 KB of a body with its headers; nothing
	// more is sent.
	head := "POST /api/v1/tickets/lost HTTP/1.1\r\nHost: sprout.test\r\nContent-Type: application/json\r\nContent-Length: 32000000\r\n\r\n"
	if _, err := io.WriteString(conn, head+padded(16<<10)); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	var body struct{ Error struct{ Code string } }
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != 413 || body.Error.Code != "too_large" || !res.Close {
		t.Fatalf("a declared 32 MB body: %d %q, closes: %v", res.StatusCode, body.Error.Code, res.Close)
	}
}

// A body the handlers leave unread is skipped, so the next request on the
// connection is read from its own start.
func TestUnreadBodyKeepsConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"title":"Hội thảo"` + strings.Repeat(" ", 30<<10) + `}`
	first := "POST /api/v1/events HTTP/1.1\r\nHost: sprout.test\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body
	if _, err := io.WriteString(conn, first+"GET /healthz HTTP/1.1\r\nHost: sprout.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	for _, want := range []int{401, 200} {
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("want %d: %v", want, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("got %d, want %d", res.StatusCode, want)
		}
	}
}

// A large body a route refuses to read still gets its answer to the
// client, which is still writing it when the answer comes.
func TestUnreadLargeBodyGetsItsAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, baseConfig(t))
	image := bytes.Repeat([]byte{0}, 2<<20)
	for range 5 {
		e.call("PUT", "/api/v1/events/someid/banner", image, "Content-Type", "image/png").errorCode(401, "unauthorized")
	}
}
