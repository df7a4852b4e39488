package web

import (
	"io"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/incubator"
)

// Request bodies stream (fiber.Config.StreamRequestBody): the server reads
// no more than the first few KB of one before the handlers run, so
// limitBody can refuse a body by its declared length before it arrives,
// and a rate limit answers before the body it guards is read.

// anonymousBody is the largest body of a request anyone may send without
// signing in (API.md: 64 KB).
const anonymousBody = 64 << 10

// bodyRule is the largest body one route accepts; "*" in path stands for
// any one segment, as a route's parameter does.
type bodyRule struct {
	method string
	path   []string
	max    int
}

func rule(method, path string, max int) bodyRule {
	return bodyRule{method: method, path: strings.Split(strings.Trim(path, "/"), "/"), max: max}
}

// bodyRules name the routes whose bodies are not bounded by maxJSON: the
// ones anonymous clients call, smaller, and the uploads, larger. A form
// upload may be up to twice its file's limit, so that a file a little too
// large brings the form back with the limit in words rather than an error
// page.
var bodyRules = []bodyRule{
	rule("POST", "/api/v1/auth/signup", anonymousBody),
	rule("POST", "/api/v1/auth/login", anonymousBody),
	rule("POST", "/api/v1/auth/logout", anonymousBody),
	rule("POST", "/api/v1/auth/password-reset", anonymousBody),
	rule("POST", "/api/v1/auth/password-reset/confirm", anonymousBody),
	rule("POST", "/api/v1/events/*/registrations", anonymousBody),
	rule("POST", "/api/v1/tickets/lost", anonymousBody),
	rule("POST", "/lang/*", anonymousBody),
	rule("POST", "/login", anonymousBody),
	rule("POST", "/signup", anonymousBody),
	rule("POST", "/logout", anonymousBody),
	rule("POST", "/password/forgot", anonymousBody),
	rule("POST", "/password/reset/*", anonymousBody),
	rule("POST", "/events/*/register", anonymousBody),
	rule("POST", "/t/*/cancel", anonymousBody),
	rule("POST", "/tickets/lost", anonymousBody),

	rule("PUT", "/api/v1/events/*/banner", events.MaxBanner),
	rule("POST", "/manage/events/*/banner", 2*events.MaxBanner),
	rule("POST", "/programs/applications/*/files/*", 2*incubator.MaxAttachment),
	rule("POST", "/exhibitors/*/profile", 2*expo.MaxLogo),
	rule("POST", "/cohort/profile/*", 2*incubator.MaxLogo),
	rule("POST", "/api/v1/st/dossiers/*/proofs/*", 2*certification.MaxProof),
	rule("POST", "/enterprise/dossiers/*/proofs/*", 2*certification.MaxProof),
}

// bodyMax is the largest body the route of c accepts. Routes match without
// regard to case or a trailing slash, as Fiber routes them.
func bodyMax(c *fiber.Ctx) int {
	segs := strings.Split(strings.Trim(c.Path(), "/"), "/")
	for _, r := range bodyRules {
		if r.method == c.Method() && matchPath(r.path, segs) {
			return r.max
		}
	}
	return maxJSON
}

func matchPath(pattern, segs []string) bool {
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if segs[i] == "" || p != "*" && !strings.EqualFold(p, segs[i]) {
			return false
		}
	}
	return true
}

// limitBody refuses a body over its route's limit before anything reads
// it: by its declared length, or, sent in chunks, by reading at most one
// byte past the limit (and never past maxJSON, as that is held in memory
// before the route has checked who is asking). The connection closes after
// a refusal, so the rest of the body is never read.
//
// After the handlers, what of a body they left unread is skipped if small;
// otherwise the connection closes after the answer, since the next request
// would start inside it.
func (s *Server) limitBody(c *fiber.Ctx) error {
	max := bodyMax(c)
	req := c.Request()
	switch n := req.Header.ContentLength(); {
	case n > max:
		return s.answerAndClose(c, errs.New(errs.TooLarge, "error.too_large"))
	case n == -1 && req.IsBodyStream():
		max = min(max, maxJSON)
		data, err := io.ReadAll(io.LimitReader(req.BodyStream(), int64(max)+1))
		if err != nil {
			return err
		}
		if len(data) > max {
			return s.answerAndClose(c, errs.New(errs.TooLarge, "error.too_large"))
		}
		req.SetBodyRaw(data)
	}
	err := c.Next()
	if req.IsBodyStream() {
		if n, _ := io.Copy(io.Discard, io.LimitReader(req.BodyStream(), anonymousBody+1)); n > anonymousBody {
			return s.answerAndClose(c, err)
		}
	}
	return err
}

// answerAndClose answers (err, when not nil, in the contract's shape) and
// closes the connection without reading the rest of the body. The answer
// is written from the hijacked connection, which then stays open, unread,
// for a while: closing it with a body still arriving would reset it, and a
// client still writing could lose the answer with it. A streamed answer
// cannot be held, and closes the connection when it ends.
func (s *Server) answerAndClose(c *fiber.Ctx, err error) error {
	c.Context().SetConnectionClose()
	if err != nil {
		if err := s.handleError(c, err); err != nil {
			return err
		}
	}
	if c.Response().IsBodyStream() {
		return nil
	}
	answer := c.Response().String()
	c.Context().HijackSetNoResponse(true)
	c.Context().Hijack(func(conn net.Conn) {
		// A socket's deadline is on the machine's clock, whatever the app's.
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.WriteString(conn, answer); err == nil {
			time.Sleep(500 * time.Millisecond)
		}
	})
	return nil
}
