// Package app is Sprout's composition root: configuration, wiring of stores
// and services, the command-line verbs and the server's lifecycle.
package app

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"sprout/internal/certification"
	"sprout/internal/graduation"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/clock"
	"sprout/internal/demo"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/i18n"
	"sprout/internal/impact"
	"sprout/internal/incubator"
	"sprout/internal/keys"
	"sprout/internal/logging"
	"sprout/internal/mail"
	"sprout/internal/services"
	"sprout/internal/sqlite"
	"sprout/internal/staffing"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/web"
	"sprout/internal/workdays"
)

// Version is set at build time with -ldflags "-X sprout/app.Version=...".
var Version = "0.1.0-dev"

// Assets are the files embedded in the binary.
type Assets struct {
	Views  fs.FS
	Static fs.FS
}

// App is Sprout wired together.
type App struct {
	services.Services
	Config  Config
	Log     *slog.Logger
	Store   Store
	Kind    string
	Catalog *i18n.Catalog
	assets  Assets
	// mailTemplates render queued mail when it is sent.
	mailTemplates *mail.Templates
	passwordCost  accounts.PasswordCost
	// sqliteOptions are for tests only; configuration never sets them.
	sqliteOptions []sqlite.Option
}

func newLogger(c Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var h slog.Handler = slog.NewJSONHandler(os.Stderr, opts)
	if c.LogFormat == "text" {
		h = slog.NewTextHandler(os.Stderr, opts)
	}
	return slog.New(logging.Handler{Handler: h})
}

// Option adjusts how New wires the app.
type Option func(*App)

// WithPasswordCost hashes new passwords at cost c instead of the default;
// tests that sign many people up lower it.
func WithPasswordCost(c accounts.PasswordCost) Option {
	return func(a *App) { a.passwordCost = c }
}

// WithClock gives the app clk instead of the machine's clock moved by
// CLOCK_OFFSET; tests set the time this way.
func WithClock(clk clock.Clock) Option { return func(a *App) { a.Clock = clk } }

// New opens the store and builds every service.
func New(ctx context.Context, c Config, assets Assets, opts ...Option) (*App, error) {
	a := &App{Config: c, Log: newLogger(c), assets: assets}
	a.Clock = clock.System{Offset: c.ClockOffset}
	for _, o := range opts {
		o(a)
	}
	store, kind, err := openStore(ctx, c, a.sqliteOptions...)
	if err != nil {
		return nil, err
	}
	a.Store, a.Kind = store, kind
	clk := a.Clock
	if a.Catalog, err = i18n.Load(); err != nil {
		store.Close()
		return nil, err
	}
	tpl, err := mail.LoadTemplates()
	if err != nil {
		store.Close()
		return nil, err
	}
	a.Outbox = mail.NewOutbox(store, tpl, clk)
	a.mailTemplates = tpl
	a.Accounts = accounts.NewService(store, store, accounts.Mailers{Reset: a.sendReset, Invite: a.sendInvite}, clk)
	if a.passwordCost != (accounts.PasswordCost{}) {
		a.Accounts.SetPasswordCost(a.passwordCost)
	}
	a.Events = events.NewService(store, store, clk)
	a.Keys = keys.NewRing(store, clk)
	a.Tickets = tickets.NewService(store, store, a.Keys, a.Outbox, c.BaseURL, clk)
	tpl.Fill("ticket", a.Tickets.FillTicketMail)
	a.Checkin = checkin.NewService(store, store, store, a.Keys, clk)
	a.Training = training.NewService(store, store, store, a.Keys, clk)
	a.Incubator = incubator.NewService(store, store, a.Accounts, clk)
	// Decisions are mailed to founders, in their language, through the outbox.
	a.Incubator.SetMailer(a.Outbox)
	a.Staffing = staffing.NewService(store, store, store, clk)
	a.Audit = audit.NewService(store, clk)
	a.Workdays = workdays.NewService(store, store, clk)
	a.Certs = certs.NewService(store, a.Keys, clk, c.CertPrefix, c.CertIssuer)
	a.Certification = certification.NewService(store, store, a.Certs, a.Workdays, clk)
	// A dossier found complete is appraised by a council with the
	// incubator's reviews; its steps are mailed through the outbox.
	a.Certification.SetCouncil(a.Incubator)
	a.Certification.SetSigner(c.CertSigner, c.CertSignerTitle)
	a.Certification.SetNotices(certification.Notices{Mail: a.Outbox, People: store, BaseURL: c.BaseURL})
	a.Graduation = graduation.New(a.Events, a.Tickets, a.Training, a.Certs, a.Outbox, clk, c.BaseURL, c.CertPlace)
	tpl.Fill(graduation.Template, a.Graduation.FillMail)
	a.Expo = expo.NewService(store, store, store, a.Keys, clk)
	a.Impact = impact.NewService(store, clk)
	a.Expo.Connect(expo.Partners{Files: store, Badges: a.Tickets, Types: a.Events, Cohorts: a.Incubator, Mail: a.Outbox, Users: store,
		BaseURL: c.BaseURL})
	return a, nil
}

// LiveTickets counts the tickets a signing key must keep verifying.
func (a *App) LiveTickets(ctx context.Context, kid string) (int, error) {
	return a.Tickets.LiveTickets(ctx, kid)
}

// Close releases the store.
func (a *App) Close() error { return a.Store.Close() }

func (a *App) sendReset(ctx context.Context, u accounts.User, token string) error {
	_, err := a.Outbox.Enqueue(ctx, u.Email, "password_reset", u.Lang, map[string]any{
		"Name": u.Name, "Link": a.Config.BaseURL + "/password/reset/" + url.PathEscape(token),
		"ExpiresMinutes": int(accounts.ResetTTL / time.Minute),
	})
	return err
}

// sendInvite mails a user an admin created the link to choose their
// password; it is the reset page, with a token that lasts longer.
func (a *App) sendInvite(ctx context.Context, u accounts.User, token string) error {
	_, err := a.Outbox.Enqueue(ctx, u.Email, "account_invite", u.Lang, map[string]any{
		"Name": u.Name, "Link": a.Config.BaseURL + "/password/reset/" + url.PathEscape(token),
		"ExpiresDays": int(accounts.InviteTTL / (24 * time.Hour)),
	})
	return err
}

// SeedDemo seeds the demo through the services and prints its sign-ins.
func (a *App) SeedDemo(ctx context.Context, out io.Writer) error {
	return demo.Seed(ctx, a.Services, a.Config.BaseURL, out)
}

// Web builds the HTTP app.
func (a *App) Web() (*fiber.App, error) {
	return web.New(web.Deps{
		Services: a.Services, Mail: a.Store, RegistrationLimit: a.Config.RegistrationLimit, KV: a.Store, Ping: a.Store.Ping, Unavailable: a.Store.Unavailable, Catalog: a.Catalog,
		Views: a.assets.Views, Static: a.assets.Static, BaseURL: a.Config.BaseURL, Version: Version,
		Logger: a.Log, MailDelivered: a.Config.SMTPURL != "", ProxyHeader: a.Config.ProxyHeader,
		TrustedProxies: a.Config.TrustedProxies,
	})
}

// background runs the mail worker (when SMTP is configured) and the
// janitor until ctx ends. wait returns once both have returned, the mail
// being sent finished and recorded: the store must outlive them.
func (a *App) background(ctx context.Context) (wait func(), err error) {
	var worker *mail.Worker
	if a.Config.SMTPURL != "" {
		sender, err := mail.NewSMTPSender(a.Config.SMTP, a.Config.MailFrom)
		if err != nil {
			return nil, err
		}
		worker = &mail.Worker{Store: a.Store, Sender: sender, Templates: a.mailTemplates, Wake: a.Outbox.Notify(), Log: a.Log, Clock: a.Clock}
	}
	var wg sync.WaitGroup
	if worker != nil {
		wg.Go(func() { worker.Run(ctx) })
	}
	wg.Go(func() { a.janitor(ctx) })
	return wg.Wait, nil
}

// janitor runs JanitorPass at start, then every ten minutes.
func (a *App) janitor(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		a.JanitorPass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// JanitorPass sweeps expired tokens and counters, prunes mail past
// MAIL_KEEP, finishes or undoes what a process that died mid-write left
// (tickets, password resets, booths, moves, staff, rejections, scans), and
// reminds founders of missing monthly reports, reviewers of review
// deadlines, officers of S&T dossiers falling due and certified
// enterprises of yearly reports, once, by the app's clock. Instances may run it at once.
func (a *App) JanitorPass(ctx context.Context) {
	if n, err := a.Accounts.Sweep(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("sweeping tokens", "err", err)
	} else if n > 0 {
		a.Log.Info("swept expired tokens", "count", n)
	}
	if _, err := a.Store.KVDeleteExpired(ctx, a.Clock.Now()); err != nil && ctx.Err() == nil {
		a.Log.Warn("sweeping counters", "err", err)
	}
	if n, err := a.Store.PruneMail(ctx, a.Clock.Now().Add(-a.Config.MailKeep), a.Config.SMTPURL == ""); err != nil && ctx.Err() == nil {
		a.Log.Warn("pruning mail", "err", err)
	} else if n > 0 {
		a.Log.Info("pruned mail", "count", n)
	}
	if n, err := a.Tickets.Recover(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("recovering interrupted registrations", "err", err)
	} else if n > 0 {
		a.Log.Info("recovered interrupted registrations", "count", n)
	}
	if n, err := a.Accounts.Recover(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("recovering interrupted password resets", "err", err)
	} else if n > 0 {
		a.Log.Info("recovered interrupted password resets", "count", n)
	}
	if n, err := a.Expo.Recover(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("recovering interrupted exhibition changes", "err", err)
	} else if n > 0 {
		a.Log.Info("recovered interrupted exhibition changes", "count", n)
	}
	if n, err := a.Checkin.Recover(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("recovering interrupted scans", "err", err)
	} else if n > 0 {
		a.Log.Info("recovered interrupted scans", "count", n)
	}
	if n, err := a.Graduation.IssueEnded(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("issuing the certificates of courses that ended", "err", err)
	} else if n > 0 {
		a.Log.Info("issued the certificates of courses that ended", "courses", n)
	}
	if n, err := a.Incubator.RemindReports(ctx, a.Clock.Now(), a.Config.BaseURL+"/cohort/reports"); err != nil && ctx.Err() == nil {
		a.Log.Warn("reminding monthly reports", "err", err)
	} else if n > 0 {
		a.Log.Info("reminded monthly reports", "count", n)
	}
	if n, err := a.Incubator.RemindReviewers(ctx, a.Clock.Now(), a.Config.BaseURL+"/reviews"); err != nil && ctx.Err() == nil {
		a.Log.Warn("reminding reviewers of deadlines", "err", err)
	} else if n > 0 {
		a.Log.Info("reminded reviewers of deadlines", "count", n)
	}
	if n, err := a.Certification.WarnDue(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("warning officers of S&T dossiers falling due", "err", err)
	} else if n > 0 {
		a.Log.Info("warned officers of S&T dossiers falling due", "dossiers", n)
	}
	if n, err := a.Certification.RemindReports(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("reminding S&T enterprises of yearly reports", "err", err)
	} else if n > 0 {
		a.Log.Info("reminded S&T enterprises of yearly reports", "count", n)
	}
}
