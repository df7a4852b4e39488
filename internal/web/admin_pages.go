package web

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
	"sprout/internal/mail"
)

func (s *Server) adminRoutes(app *fiber.App) {
	admin := app.Group("/admin", s.pageRequire(accounts.RoleAdmin))
	admin.Get("/users", s.adminUsers)
	admin.Post("/users", s.adminCreateUser)
	admin.Post("/users/:id/roles", s.adminSetRole)
	admin.Post("/users/:id/deactivate", s.adminDeactivate)
	admin.Post("/users/:id/reactivate", s.adminReactivate)
	admin.Get("/mailbox", s.mailbox)
	admin.Get("/mailbox/:id", s.mailboxMessage)
	admin.Get("/mailbox/:id/body", s.mailboxBody)
}

const pageSize = 25

// Pager is what list templates need to page.
type Pager struct {
	Page, Pages, Total int
	// Query is the list's filter, to carry into the page links; encoded by
	// url.Values, so safe in a link as it is.
	Query template.URL
	Label string
}

// newPager pages total items by size, keeping the filter in the links.
func (s *Server) newPager(c *fiber.Ctx, total, size int, keep url.Values) Pager {
	for k, v := range keep {
		if len(v) == 0 || v[0] == "" {
			delete(keep, k)
		}
	}
	return Pager{Page: pageNumber(c), Total: total, Pages: max((total+size-1)/size, 1),
		Query: template.URL(keep.Encode()), Label: s.lang(c).T("common.pages")}
}

func pageNumber(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("page", "1"))
	if err != nil || n < 1 || n > 100000 {
		return 1
	}
	return n
}

func (s *Server) adminUsers(c *fiber.Ctx) error {
	return s.usersPage(c, form{Values: map[string]string{"lang": s.lang(c).Code}}, nil)
}

// usersPage lists users with the new-user form as newUser holds it,
// checked being the roles ticked in it.
func (s *Server) usersPage(c *fiber.Ctx, newUser form, checked map[accounts.Role]bool) error {
	q, role := c.Query("q"), c.Query("role")
	users, total, err := s.Accounts.List(c.UserContext(), accounts.UserQuery{
		Text: q, Role: accounts.Role(role), Offset: (pageNumber(c) - 1) * pageSize, Limit: pageSize,
	})
	if err != nil {
		return err
	}
	return s.render(c, "admin/users", "admin.users.title", fiber.Map{
		"Users": users, "Q": q, "Role": role, "NewUser": newUser, "Checked": checked,
		"Pager": s.newPager(c, total, pageSize, url.Values{"q": {q}, "role": {role}}),
	})
}

// adminCreateUser makes an account with the roles ticked and mails its
// owner the link to choose a password: the admin never knows it.
func (s *Server) adminCreateUser(c *fiber.Ctx) error {
	values := formValues(c, "name", "email", "lang")
	var roles []accounts.Role
	checked := map[accounts.Role]bool{}
	for _, r := range c.Request().PostArgs().PeekMulti("roles") {
		roles = append(roles, accounts.Role(r))
		checked[accounts.Role(r)] = true
	}
	u, err := s.Accounts.Invite(c.UserContext(), accounts.NewUser{Name: values["name"], Email: values["email"], Lang: values["lang"], Roles: roles})
	if err != nil {
		f, err := s.failedForm(c, err, values)
		if err != nil {
			return err
		}
		return s.usersPage(c, f, checked)
	}
	return s.redirectFlash(c, "/admin/users", "ok", "flash.user_invited", url.Values{"Name": {u.Name}, "Email": {u.Email}})
}

func (s *Server) adminDeactivate(c *fiber.Ctx) error {
	_, err := s.Accounts.Deactivate(c.UserContext(), *currentUser(c), c.Params("id"))
	return s.goBack(c, safeNext(c.FormValue("back"), "/admin/users"), "flash.user_deactivated", err)
}

func (s *Server) adminReactivate(c *fiber.Ctx) error {
	_, err := s.Accounts.Reactivate(c.UserContext(), c.Params("id"))
	return s.goBack(c, safeNext(c.FormValue("back"), "/admin/users"), "flash.user_reactivated", err)
}

func (s *Server) adminSetRole(c *fiber.Ctx) error {
	grant := c.FormValue("action") == "grant"
	_, err := s.Accounts.SetRole(c.UserContext(), *currentUser(c), c.Params("id"), accounts.Role(c.FormValue("role")), grant)
	msg := "flash.role_removed"
	if grant {
		msg = "flash.role_granted"
	}
	return s.goBack(c, safeNext(c.FormValue("back"), "/admin/users"), msg, err)
}

func (s *Server) mailbox(c *fiber.Ctx) error {
	to := c.Query("to")
	msgs, total, err := s.Mail.ListMail(c.UserContext(), mail.Query{To: to, Offset: (pageNumber(c) - 1) * pageSize, Limit: pageSize})
	if err != nil {
		return err
	}
	for i := range msgs {
		if msgs[i], err = s.shown(c, msgs[i]); err != nil {
			return err
		}
	}
	return s.render(c, "admin/mailbox", "admin.mailbox.title", fiber.Map{
		"Messages": msgs, "To": to, "Delivered": s.MailDelivered,
		"Pager": s.newPager(c, total, pageSize, url.Values{"to": {to}}),
	})
}

// mailboxEntry finds a message and renders it as admins may read it.
func (s *Server) mailboxEntry(c *fiber.Ctx) (mail.Message, error) {
	m, err := s.Mail.MailByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return m, err
	}
	return s.shown(c, m)
}

// shown is a message as admins may read it. One that will never be sent,
// or cannot be filled yet (its ticket cancelled, or still being
// registered), says so in place of its subject and text.
func (s *Server) shown(c *fiber.Ctx, m mail.Message) (mail.Message, error) {
	r, err := s.Outbox.Render(c.UserContext(), m)
	switch {
	case errors.Is(err, mail.ErrPermanent):
		m.Subject = s.lang(c).T("admin.mailbox.unsendable")
		m.Text = m.Subject
		return m, nil
	case errors.Is(err, mail.ErrNotReady):
		m.Subject = s.lang(c).T("admin.mailbox.not_ready")
		m.Text = m.Subject
		return m, nil
	case err != nil:
		return m, err
	}
	return maskLinks(r), nil
}

// capabilityLink is a link that opens something by its secret alone: a
// password reset, a ticket, a waiting person's page, a staff invitation.
// The groups are its path and the secret's last 4 characters.
var capabilityLink = regexp.MustCompile(`(/password/reset/|/t/|/w/|/exhibitors/join/)[^\s"'<>/?#&]*([^\s"'<>/?#&]{4})`)

// maskLinks keeps the secrets of capability links out of mail shown to
// admins, who could otherwise take over an account or a ticket: each
// becomes "…" and its last 4 characters, enough to tell links apart. The
// mail sent keeps them whole.
func maskLinks(m mail.Message) mail.Message {
	m.Text = capabilityLink.ReplaceAllString(m.Text, "${1}…${2}")
	m.HTML = capabilityLink.ReplaceAllString(m.HTML, "${1}…${2}")
	return m
}

func (s *Server) mailboxMessage(c *fiber.Ctx) error {
	m, err := s.mailboxEntry(c)
	if err != nil {
		return err
	}
	return s.render(c, "admin/message", "admin.mailbox.title", fiber.Map{"Message": m})
}

// mailboxBody serves a message's HTML on its own, sandboxed, for the frame
// on the message page: mail HTML must never run as part of the app.
func (s *Server) mailboxBody(c *fiber.Ctx) error {
	m, err := s.mailboxEntry(c)
	if err != nil {
		return err
	}
	body, err := inlineImages(m)
	if err != nil {
		return err
	}
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	c.Type("html", "utf-8")
	return c.SendString(body)
}

// cidRef is a mail's reference to one of its inline images.
var cidRef = regexp.MustCompile(`cid:[^\s"'<>)]+`)

// inlineImages is m's HTML with its inline images (a ticket's QR code) in
// place as data: URIs: a mail client finds them by cid:, a browser cannot.
func inlineImages(m mail.Message) (string, error) {
	uris := map[string]string{}
	for _, a := range m.Attachments {
		if a.ContentID == "" || !strings.HasPrefix(a.ContentType, "image/") {
			continue
		}
		data, err := a.Content()
		if err != nil {
			return "", err
		}
		uris[strings.Trim(a.ContentID, "<>")] = "data:" + a.ContentType + ";base64," + base64.StdEncoding.EncodeToString(data)
	}
	return cidRef.ReplaceAllStringFunc(m.HTML, func(ref string) string {
		if uri, ok := uris[strings.TrimPrefix(ref, "cid:")]; ok {
			return uri
		}
		return ref
	}), nil
}
