package web

import (
	"errors"
	"log/slog"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/i18n"
	"sprout/internal/kv"
	"sprout/internal/logging"
	"sprout/internal/throttle"
)

// Keys of values a request carries through c.Locals.
const (
	localRequestID = "requestid"
	localCSRF      = "csrf"
	localUser      = "user"
	localLang      = "lang"
	localSecret    = "secret"
)

// langKept is how long a language choice is remembered.
const langKept = 365 * 24 * time.Hour

const (
	sessionCookie = "sprout_session"
	langCookie    = "sprout_lang"
	flashCookie   = "sprout_flash"
)

func (s *Server) log(c *fiber.Ctx) *slog.Logger {
	return s.Logger.With("request_id", c.Locals(localRequestID))
}

func (s *Server) logRequests(c *fiber.Ctx) error {
	id, _ := c.Locals(localRequestID).(string)
	c.SetUserContext(logging.WithRequestID(c.UserContext(), id))
	err := c.Next()
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	switch {
	case status == fiber.StatusServiceUnavailable:
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	}
	s.Logger.LogAttrs(c.UserContext(), level, "request",
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Int("status", status),
		slog.Duration("took", time.Since(c.Context().Time())), slog.String("ip", s.client(c)))
	return nil
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.Logger.ErrorContext(c.UserContext(), "panic", "panic", e, "path", c.Path())
}

// language picks the request's language: the visitor's choice (cookie),
// then the signed-in user's preference (set after loading the user), then
// Accept-Language, then Vietnamese.
func (s *Server) language(c *fiber.Ctx) error {
	lang := c.Cookies(langCookie)
	if !i18n.Valid(lang) {
		lang = s.Catalog.Match(c.Get(fiber.HeaderAcceptLanguage))
	}
	c.Locals(localLang, lang)
	return c.Next()
}

func (s *Server) lang(c *fiber.Ctx) i18n.Lang {
	l, _ := c.Locals(localLang).(string)
	return s.Catalog.For(l)
}

func currentUser(c *fiber.Ctx) *accounts.User {
	u, _ := c.Locals(localUser).(*accounts.User)
	return u
}

// loadSessionUser signs the browser in from its session cookie. API routes
// ignore cookies: they take bearer tokens only, so CSRF cannot reach them.
func (s *Server) loadSessionUser(c *fiber.Ctx) error {
	if isAPI(c) {
		return c.Next()
	}
	secret := c.Cookies(sessionCookie)
	if secret == "" {
		return c.Next()
	}
	u, err := s.Accounts.Authenticate(c.UserContext(), secret, accounts.TokenSession)
	switch {
	case err == nil:
		c.Locals(localUser, &u)
		c.Locals(localSecret, secret)
		if c.Cookies(langCookie) == "" {
			c.Locals(localLang, s.Catalog.For(u.Lang).Code)
		}
	case errors.Is(err, errs.ErrUnauthorized):
		s.clearCookie(c, sessionCookie)
	default:
		return err
	}
	return c.Next()
}

func (s *Server) loadBearerUser(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	if auth == "" {
		return c.Next()
	}
	scheme, secret, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return errs.New(errs.Unauthorized, "error.bad_token")
	}
	secret = strings.TrimSpace(secret)
	u, err := s.Accounts.Authenticate(c.UserContext(), secret, accounts.TokenAPI)
	if err != nil {
		if errors.Is(err, errs.ErrUnauthorized) {
			return errs.New(errs.Unauthorized, "error.bad_token")
		}
		return err
	}
	c.Locals(localUser, &u)
	c.Locals(localSecret, secret)
	return c.Next()
}

// apiRequire lets through a signed-in user holding any of roles (any user
// when none are named).
func (s *Server) apiRequire(roles ...accounts.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return errs.New(errs.Unauthorized, "error.sign_in_required")
		}
		if len(roles) > 0 && !u.Has(roles...) {
			return errs.New(errs.Forbidden, "error.forbidden")
		}
		return c.Next()
	}
}

// pageRequire is apiRequire for pages: strangers are sent to the login page
// and come back afterwards.
func (s *Server) pageRequire(roles ...accounts.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := currentUser(c)
		if u == nil {
			return c.Redirect("/login?next=" + url.QueryEscape(c.OriginalURL()))
		}
		if len(roles) > 0 && !u.Has(roles...) {
			return errs.New(errs.Forbidden, "error.forbidden")
		}
		return c.Next()
	}
}

func csrfFromFormOrHeader(c *fiber.Ctx) (string, error) {
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	if t := c.Get("X-CSRF-Token"); t != "" {
		return t, nil
	}
	return "", errors.New("csrf token not found")
}

func (s *Server) csrfFailed(c *fiber.Ctx, err error) error {
	s.log(c).Warn("csrf refused", "err", err)
	return errs.New(errs.Forbidden, "error.csrf")
}

// setCookie keeps a cookie for maxAge. Max-Age is relative, so the browser's
// clock never has to agree with the app's.
func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	c.Cookie(&fiber.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: max(int(maxAge/time.Second), 1),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{
		Name: name, Path: "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode,
	})
}

// limit lets a client do an action allowed times a window, counted under
// name by the store's atomic counter: Fiber's limiter reads, adds and
// writes back, so instances sharing the store lose each other's counts.
func (s *Server) limit(name string, allowed int, window time.Duration) fiber.Handler {
	l := throttle.Limiter{Store: s.KV, Prefix: "limit:" + name, Max: allowed, Window: window, Clock: s.Clock}
	return func(c *fiber.Ctx) error {
		d, err := l.Take(c.UserContext(), s.client(c))
		if err != nil {
			return err
		}
		if d > 0 {
			return retryAfter(c, throttle.Slowed("error.rate_limited_wait", d))
		}
		return c.Next()
	}
}

// allowance lets each client allowed actions a window, counted by the
// store in the same step as the action (see kv.Charge): registration is the
// rush's hot path, and a count of its own would add a commit to every
// registration, halving how many a second the store takes. The handler
// passes charge(c) on to the store; only actions done are counted.
func (s *Server) allowance(name string, allowed int, window time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		now := s.Clock.Now()
		start := now.Truncate(window)
		c.Locals(chargeKey{}, &kv.Charge{
			Key: "limit:" + name + ":" + s.client(c) + ":" + strconv.FormatInt(start.Unix(), 10),
			Max: int64(allowed), Now: now, Until: start.Add(window),
		})
		return retryAfter(c, c.Next())
	}
}

type chargeKey struct{}

// charge is what the request's allowance asks the store to count; nil
// without one.
func charge(c *fiber.Ctx) *kv.Charge {
	ch, _ := c.Locals(chargeKey{}).(*kv.Charge)
	return ch
}

// retryAfter puts the wait a rate-limited err asks for in the Retry-After
// header too, for clients that read no message.
func retryAfter(c *fiber.Ctx, err error) error {
	if n := throttle.RetryAfter(err); n > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(n))
	}
	return err
}

// client is the address limits and logs know the caller by.
func (s *Server) client(c *fiber.Ctx) string {
	var hops []string
	if s.ProxyHeader != "" {
		for _, v := range c.Request().Header.PeekAll(s.ProxyHeader) {
			hops = append(hops, strings.Split(string(v), ",")...)
		}
	}
	return clientAddr(c.Context().RemoteIP().String(), hops, s.TrustedProxies)
}

// clientAddr is peer, unless peer is a trusted proxy: then the right-most
// of hops that is not one. Each proxy appends the address it saw, so hops
// right of the first untrusted one were written by trusted proxies, while
// anything left of it is whatever the client chose to send. An unreadable
// hop ends the walk at the last address read.
func clientAddr(peer string, hops []string, trusted []netip.Prefix) string {
	isTrusted := func(a netip.Addr) bool {
		return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil {
		return peer
	}
	addr = addr.Unmap()
	for i := len(hops) - 1; i >= 0 && isTrusted(addr); i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = hop.Unmap()
	}
	return addr.String()
}
