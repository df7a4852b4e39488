package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/i18n"
)

func (s *Server) accountsPageRoutes(app *fiber.App, lim limits) {
	app.Get("/", s.home)
	app.Get("/lang/:code", s.switchLanguage)
	app.Post("/lang/:code", s.saveLanguage)
	app.Get("/login", s.loginPage)
	app.Post("/login", s.loginSubmit)
	app.Get("/signup", s.signupPage)
	app.Post("/signup", lim.signup, s.signupSubmit)
	app.Get("/logout", s.logoutPage)
	app.Post("/logout", s.logoutSubmit)
	app.Get("/password/forgot", s.forgotPage)
	app.Post("/password/forgot", lim.reset, s.forgotSubmit)
	app.Get("/password/reset/:token", s.resetPage)
	app.Post("/password/reset/:token", s.resetSubmit)
	acct := app.Group("/account", s.pageRequire())
	acct.Get("", s.accountPage)
	acct.Post("/profile", s.accountProfile)
	acct.Post("/password", s.accountPassword)
}

// formError is formErrorPage for a page built from a title and data.
func (s *Server) formError(c *fiber.Ctx, view, titleID string, err error, form map[string]string, data any) error {
	return s.formErrorPage(c, s.page(c, titleID, data), view, err, form)
}

func (s *Server) home(c *fiber.Ctx) error {
	upcoming, _, err := s.Events.Upcoming(c.UserContext(), 0, 3)
	if err != nil {
		return err
	}
	return s.render(c, "home/index", "", fiber.Map{"Events": upcoming})
}

// switchLanguage shows this browser the site in another language. A link
// does it, so it writes nothing but the browser's cookie: a link from
// another site must not change an account.
func (s *Server) switchLanguage(c *fiber.Ctx) error {
	code := c.Params("code")
	if !i18n.Valid(code) {
		return fiber.ErrNotFound
	}
	s.setCookie(c, langCookie, code, langKept)
	return c.Redirect(safeNext(c.Query("next"), "/"), fiber.StatusSeeOther)
}

// saveLanguage is the signed-in switch: a form, so the account keeps the
// choice and its mail follows it.
func (s *Server) saveLanguage(c *fiber.Ctx) error {
	code := c.Params("code")
	if !i18n.Valid(code) {
		return fiber.ErrNotFound
	}
	s.setCookie(c, langCookie, code, langKept)
	if u := currentUser(c); u != nil && u.Lang != code {
		if _, err := s.Accounts.UpdateProfile(c.UserContext(), u.ID, u.Name, code); err != nil {
			return err
		}
	}
	return c.Redirect(safeNext(c.FormValue("next"), "/"), fiber.StatusSeeOther)
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next"), "/me"), fiber.StatusSeeOther)
	}
	p := s.page(c, "login.title", nil)
	p.Form = map[string]string{"next": c.Query("next")}
	return p.render(c, "accounts/login")
}

func (s *Server) startSession(c *fiber.Ctx, u accounts.User) error {
	secret, exp, err := s.Accounts.IssueToken(c.UserContext(), u.ID, accounts.TokenSession)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, secret, exp.Sub(s.Clock.Now()))
	s.setCookie(c, langCookie, u.Lang, langKept)
	return nil
}

func (s *Server) loginSubmit(c *fiber.Ctx) error {
	form := map[string]string{"email": c.FormValue("email"), "next": c.FormValue("next")}
	u, err := s.Accounts.Login(c.UserContext(), c.FormValue("email"), c.FormValue("password"), s.client(c))
	if err != nil {
		return s.formError(c, "accounts/login", "login.title", retryAfter(c, err), form, nil)
	}
	// The language the visitor chose before signing in wins over the one
	// the account saved, and becomes the account's: mail follows it too.
	if chosen := c.Cookies(langCookie); i18n.Valid(chosen) && chosen != u.Lang {
		if u, err = s.Accounts.UpdateProfile(c.UserContext(), u.ID, u.Name, chosen); err != nil {
			return err
		}
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return s.redirectFlash(c, safeNext(form["next"], "/me"), "ok", "flash.signed_in")
}

func (s *Server) signupPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(safeNext(c.Query("next"), "/account"), fiber.StatusSeeOther)
	}
	p := s.page(c, "signup.title", nil)
	p.Form = map[string]string{"next": c.Query("next")}
	c.Type("html", "utf-8")
	return p.render(c, "accounts/signup")
}

func (s *Server) signupSubmit(c *fiber.Ctx) error {
	form := map[string]string{"email": c.FormValue("email"), "name": c.FormValue("name"), "next": c.FormValue("next")}
	u, err := s.Accounts.Signup(c.UserContext(), accounts.NewUser{
		Email: form["email"], Name: form["name"], Password: c.FormValue("password"), Lang: s.lang(c).Code,
	})
	if err != nil {
		return s.formError(c, "accounts/signup", "signup.title", err, form, nil)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return s.redirectFlash(c, safeNext(form["next"], "/account"), "ok", "flash.welcome")
}

func (s *Server) logoutPage(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return s.render(c, "accounts/logout", "logout.title", nil)
}

func (s *Server) logoutSubmit(c *fiber.Ctx) error {
	// The browser forgets what the scanners kept for this user: the queue of
	// scans, the tickets cancelled, who is inside (localStorage), the pages
	// kept offline (the service worker and its caches) and the HTTP cache.
	// Not "cookies": it would take the flash cookie set on this very answer
	// and the language chosen; the session cookie is expired below.
	c.Set(fiber.HeaderClearSiteData, `"cache", "storage"`)
	secret, _ := c.Locals(localSecret).(string)
	if err := s.Accounts.Revoke(c.UserContext(), secret); err != nil {
		return err
	}
	s.clearCookie(c, sessionCookie)
	return s.redirectFlash(c, "/", "ok", "flash.signed_out")
}

func (s *Server) forgotPage(c *fiber.Ctx) error {
	return s.render(c, "accounts/forgot", "forgot.title", fiber.Map{"Sent": false})
}

func (s *Server) forgotSubmit(c *fiber.Ctx) error {
	if err := s.Accounts.RequestReset(c.UserContext(), c.FormValue("email")); err != nil {
		return err
	}
	return s.render(c, "accounts/forgot", "forgot.title", fiber.Map{"Sent": true, "Delivered": s.MailDelivered})
}

// resetPage lets the owner of a reset link choose a password; a user an
// admin invited, who has none yet, is welcomed rather than told to reset.
func (s *Server) resetPage(c *fiber.Ctx) error {
	u, err := s.Accounts.CheckReset(c.UserContext(), c.Params("token"))
	if err != nil {
		return s.resetInvalid(c, err)
	}
	return s.render(c, "accounts/reset", resetTitle(u), fiber.Map{"Token": c.Params("token"), "Invited": u.Invited()})
}

func resetTitle(u accounts.User) string {
	if u.Invited() {
		return "invite.title"
	}
	return "reset.title"
}

// resetInvalid answers a link used, expired or unknown with its page.
func (s *Server) resetInvalid(c *fiber.Ctx, err error) error {
	if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	c.Status(fiber.StatusNotFound)
	return s.render(c, "accounts/reset", "reset.title", fiber.Map{"Invalid": true})
}

func (s *Server) resetSubmit(c *fiber.Ctx) error {
	token := c.Params("token")
	u, err := s.Accounts.CheckReset(c.UserContext(), token)
	if err != nil {
		return s.resetInvalid(c, err)
	}
	data := fiber.Map{"Token": token, "Invited": u.Invited()}
	if c.FormValue("password") != c.FormValue("password_confirm") {
		return s.formError(c, "accounts/reset", resetTitle(u), errs.Field("password_confirm", "error.password_mismatch"), nil, data)
	}
	if _, err := s.Accounts.ResetPassword(c.UserContext(), token, c.FormValue("password")); err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return s.resetInvalid(c, err)
		}
		return s.formError(c, "accounts/reset", resetTitle(u), err, nil, data)
	}
	s.clearCookie(c, sessionCookie)
	if u.Invited() {
		return s.redirectFlash(c, "/login", "ok", "flash.password_chosen")
	}
	return s.redirectFlash(c, "/login", "ok", "flash.password_reset")
}

func (s *Server) accountPage(c *fiber.Ctx) error {
	u := currentUser(c)
	p := s.page(c, "account.title", nil)
	p.Form = map[string]string{"name": u.Name, "lang": u.Lang}
	return p.render(c, "accounts/account")
}

func (s *Server) accountProfile(c *fiber.Ctx) error {
	u := currentUser(c)
	form := map[string]string{"name": c.FormValue("name"), "lang": c.FormValue("lang")}
	nu, err := s.Accounts.UpdateProfile(c.UserContext(), u.ID, form["name"], form["lang"])
	if err != nil {
		return s.formError(c, "accounts/account", "account.title", err, form, nil)
	}
	s.setCookie(c, langCookie, nu.Lang, langKept)
	return s.redirectFlash(c, "/account", "ok", "flash.profile_saved")
}

func (s *Server) accountPassword(c *fiber.Ctx) error {
	u := currentUser(c)
	form := map[string]string{"name": u.Name, "lang": u.Lang}
	if c.FormValue("password") != c.FormValue("password_confirm") {
		return s.formError(c, "accounts/account", "account.title", errs.Field("password_confirm", "error.password_mismatch"), form, nil)
	}
	secret, _ := c.Locals(localSecret).(string)
	if err := s.Accounts.ChangePassword(c.UserContext(), u.ID, c.FormValue("current_password"), c.FormValue("password"), secret); err != nil {
		return s.formError(c, "accounts/account", "account.title", err, form, nil)
	}
	return s.redirectFlash(c, "/account", "ok", "flash.password_changed")
}
