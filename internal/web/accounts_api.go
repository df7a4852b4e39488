package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/accounts"
)

func (s *Server) accountsAPIRoutes(api fiber.Router, lim limits) {
	api.Post("/auth/signup", lim.signup, s.apiSignup)
	api.Post("/auth/login", s.apiLogin)
	api.Post("/auth/logout", s.apiLogout)
	api.Post("/auth/password-reset", lim.reset, s.apiRequestReset)
	api.Post("/auth/password-reset/confirm", s.apiConfirmReset)
	api.Get("/me", s.apiRequire(), s.apiMe)
	api.Get("/users", s.apiRequire(accounts.RoleAdmin), s.apiListUsers)
	api.Post("/users", s.apiRequire(accounts.RoleAdmin), s.apiCreateUser)
	api.Post("/users/:id/roles", s.apiRequire(accounts.RoleAdmin), s.apiSetRole)
	api.Post("/users/:id/deactivate", s.apiRequire(accounts.RoleAdmin), s.apiDeactivate)
	api.Post("/users/:id/reactivate", s.apiRequire(accounts.RoleAdmin), s.apiReactivate)
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) apiSignup(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Name     string `json:"name"`
		Lang     string `json:"lang"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Lang == "" {
		in.Lang = s.lang(c).Code
	}
	u, err := s.Accounts.Signup(c.UserContext(), accounts.NewUser{Email: in.Email, Password: in.Password, Name: in.Name, Lang: in.Lang})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"user": u})
}

func (s *Server) apiLogin(c *fiber.Ctx) error {
	var in credentials
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Accounts.Login(c.UserContext(), in.Email, in.Password, s.client(c))
	if err != nil {
		return retryAfter(c, err)
	}
	token, exp, err := s.Accounts.IssueToken(c.UserContext(), u.ID, accounts.TokenAPI)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"token": token, "expires_at": exp, "user": u})
}

func (s *Server) apiLogout(c *fiber.Ctx) error {
	if currentUser(c) == nil {
		return s.apiRequire()(c)
	}
	secret, _ := c.Locals(localSecret).(string)
	if err := s.Accounts.Revoke(c.UserContext(), secret); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": true})
}

func (s *Server) apiMe(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"user": currentUser(c)})
}

func (s *Server) apiCreateUser(c *fiber.Ctx) error {
	var in struct {
		Email    string          `json:"email"`
		Password string          `json:"password"`
		Name     string          `json:"name"`
		Lang     string          `json:"lang"`
		Roles    []accounts.Role `json:"roles"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	nu := accounts.NewUser{Email: in.Email, Password: in.Password, Name: in.Name, Lang: in.Lang, Roles: in.Roles}
	// Without a password the user is invited to choose one by mail.
	create := s.Accounts.Create
	if in.Password == "" {
		create = s.Accounts.Invite
	}
	u, err := create(c.UserContext(), nu)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"user": u})
}

func (s *Server) apiListUsers(c *fiber.Ctx) error {
	limit, _ := strconv.Atoi(c.Query("limit", "50"))
	offset, _ := strconv.Atoi(c.Query("offset", "0"))
	users, total, err := s.Accounts.List(c.UserContext(), accounts.UserQuery{
		Text: c.Query("q"), Role: accounts.Role(c.Query("role")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	if users == nil {
		users = []accounts.User{}
	}
	return c.JSON(fiber.Map{"users": users, "total": total})
}

func (s *Server) apiSetRole(c *fiber.Ctx) error {
	var in struct {
		Role  accounts.Role `json:"role"`
		Grant bool          `json:"grant"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Accounts.SetRole(c.UserContext(), *currentUser(c), c.Params("id"), in.Role, in.Grant)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": u})
}

func (s *Server) apiDeactivate(c *fiber.Ctx) error {
	u, err := s.Accounts.Deactivate(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": u})
}

func (s *Server) apiReactivate(c *fiber.Ctx) error {
	u, err := s.Accounts.Reactivate(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": u})
}

func (s *Server) apiRequestReset(c *fiber.Ctx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.Accounts.RequestReset(c.UserContext(), in.Email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"ok": true})
}

func (s *Server) apiConfirmReset(c *fiber.Ctx) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Accounts.ResetPassword(c.UserContext(), in.Token, in.Password)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": u})
}
