package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/template/html/v2"

	"sprout/internal/accounts"
	"sprout/internal/i18n"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/services"
)

// Deps is what the web layer is built from.
type Deps struct {
	services.Services
	Mail mail.Store
	KV   kv.Store
	Ping func(ctx context.Context) error
	// Unavailable names a store error that means the store cannot answer
	// now (closed, unreachable, full), so the answer is 503, not 500.
	Unavailable func(error) error
	Catalog     *i18n.Catalog
	Views       fs.FS
	Static      fs.FS
	BaseURL     string
	Version     string
	Logger      *slog.Logger
	// MailDelivered is true when an SMTP server sends the outbox; otherwise
	// the admin mailbox is where mail can be read.
	MailDelivered bool
	// RegistrationLimit is how many registrations one client address may
	// send a minute; 0 turns the limit off. Venues put thousands of
	// visitors behind one address, so it is generous.
	RegistrationLimit int
	// ProxyHeader names the header holding the client address behind a
	// trusted proxy; empty means the connection's address.
	ProxyHeader string
	// TrustedProxies are the peers whose ProxyHeader is believed.
	TrustedProxies []netip.Prefix
}

// Server holds the dependencies handlers share.
type Server struct {
	Deps
	secure bool
}

// New builds the Fiber app with every route.
func New(d Deps) (*fiber.App, error) {
	engine := html.NewFileSystem(http.FS(d.Views), ".html")
	addFuncs(engine)
	if err := engine.Load(); err != nil {
		return nil, err
	}
	u, err := url.Parse(d.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, secure: u.Scheme == "https"}
	app := fiber.New(fiber.Config{
		AppName:               "Sprout",
		Views:                 engine,
		ErrorHandler:          s.handleError,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,

		// Bodies stream so that limitBody refuses one over its route's
		// limit before it is read; multipart forms are parsed only when a
		// handler asks, after that.
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	s.middleware(app)
	s.routes(app)
	return app, nil
}

func (s *Server) middleware(app *fiber.App) {
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(requestid.New(requestid.Config{ContextKey: localRequestID}))
	app.Use(s.logRequests)
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
			"font-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:; object-src 'none'; frame-src 'self'; " +
			"base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
		ReferrerPolicy:            "same-origin",
		CrossOriginEmbedderPolicy: "unsafe-none",
		HSTSMaxAge:                map[bool]int{true: 31536000, false: 0}[s.secure],
	}))
	// API answers are small JSON documents that compressing would slow down;
	// pages and assets are worth it.
	app.Use(compress.New(compress.Config{Next: func(c *fiber.Ctx) bool { return isAPI(c) || isDownload(c) }}))
	app.Use(etag.New(etag.Config{Next: func(c *fiber.Ctx) bool { return isAPI(c) || isDownload(c) }}))
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(s.Static), MaxAge: 3600}))
	app.Use(s.language)
	app.Use(s.limitBody)
	app.Use(s.csrf)
	app.Use(s.loadSessionUser)
	app.Use(s.recordAudit)
}

// limits are the rate limits several areas share. Each counts its own
// action in the store, so every instance holds it together.
type limits struct {
	// signup, reset and lost guard account creation and the mails anyone
	// can ask for: password resets and lost tickets. Each counts alone.
	signup, reset, lost fiber.Handler
	// register only slows a runaway client; the store counts it with
	// the registration itself.
	register fiber.Handler
}

func (s *Server) limits() limits {
	l := limits{
		signup:   s.limit("signup", 120, 10*time.Minute),
		reset:    s.limit("reset", 20, 15*time.Minute),
		lost:     s.limit("lost", 20, 15*time.Minute),
		register: func(c *fiber.Ctx) error { return c.Next() },
	}
	if s.RegistrationLimit > 0 {
		l.register = s.allowance("register", s.RegistrationLimit, time.Minute)
	}
	return l
}

// organizerRoles are the roles that run events.
var organizerRoles = []accounts.Role{accounts.RoleOrganizer, accounts.RoleAdmin}

// routes lists the areas; each declares its own routes beside its
// handlers, the JSON API's in <area>_api.go, the pages' in <area>_pages.go.
// Anything no area claims is not found.
func (s *Server) routes(app *fiber.App) {
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", s.ready)
	app.Get("/.well-known/jwks.json", s.jwks)
	lim := s.limits()

	api := app.Group("/api/v1", s.loadBearerUser)
	s.accountsAPIRoutes(api, lim)
	s.eventsAPIRoutes(api, lim)
	s.checkinRoutes(api)
	s.trainingRoutes(api)
	s.incubatorRoutes(api)
	s.expoRoutes(api)
	s.auditAPIRoutes(api)
	s.certsAPIRoutes(api)
	s.courseCertAPIRoutes(api)
	s.holidaysAPIRoutes(api)
	s.enterpriseAPIRoutes(api)
	s.officerAPIRoutes(api)
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	s.accountsPageRoutes(app, lim)
	s.homeRoutes(app)
	s.eventsPageRoutes(app, lim)
	s.manageRoutes(app)
	s.gateRoutes(app)
	s.trainingPageRoutes(app)
	s.dashboardRoutes(app)
	s.scansRoutes(app)
	s.staffingRoutes(app)
	s.programRoutes(app)
	s.reviewRoutes(app)
	s.selectionRoutes(app)
	s.cohortRoutes(app)
	s.floorRoutes(app)
	s.expoPageRoutes(app)
	s.leadRoutes(app)
	s.exhibitorRoutes(app)
	s.adminRoutes(app)
	s.holidayRoutes(app)
	s.officerRoutes(app)
	s.auditRoutes(app)
	s.certsPageRoutes(app)
	s.courseCertRoutes(app)
	s.certPDFRoutes(app)
	s.impactRoutes(app)
	s.enterprisePageRoutes(app)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

func (s *Server) ready(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		s.log(c).Warn("store not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// isDownload tells exports and live feeds apart: they stream, and an ETag
// or compression would hold the whole answer first (an XLSX is zipped
// already; a feed never ends).
func isDownload(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, "/live")
}

// isProbe tells machine-read paths apart: they hold no form, so they need no
// CSRF token, whose making writes to the store.
func isProbe(c *fiber.Ctx) bool {
	switch c.Path() {
	case "/healthz", "/readyz", "/.well-known/jwks.json", "/impact.json", "/impact.csv":
		return true
	}
	return false
}
