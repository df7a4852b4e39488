package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certs"
)

func (s *Server) certsAPIRoutes(api fiber.Router) {
	organizer := s.apiRequire(organizerRoles...)
	api.Get("/certificates", organizer, s.apiCerts)
	api.Get("/certificates/:code", s.apiCert)
	api.Post("/certificates/:code/revoke", organizer, s.apiRevokeCert)
	api.Post("/certificates/:code/reissue", organizer, s.apiReissueCert)
}

// certJSON is a certificate as the API shows it; the token only where one
// certificate is asked for.
type certJSON struct {
	Code         string     `json:"code"`
	Kind         string     `json:"kind"`
	Holder       string     `json:"holder"`
	Title        string     `json:"title"`
	Issuer       string     `json:"issuer"`
	IssuedAt     time.Time  `json:"issued_at"`
	Status       string     `json:"status"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	RevokeReason string     `json:"revoke_reason,omitempty"`
	Replaces     string     `json:"replaces,omitempty"`
	ReplacedBy   string     `json:"replaced_by,omitempty"`
	Token        string     `json:"token,omitempty"`
}

func certOut(c certs.Certificate) certJSON {
	out := certJSON{Code: c.Code, Kind: string(c.Kind), Holder: c.Holder, Title: c.Title, Issuer: c.Issuer,
		IssuedAt: c.IssuedAt, Status: string(c.Status), RevokeReason: c.RevokeReason, Replaces: c.Replaces, ReplacedBy: c.ReplacedBy}
	if !c.RevokedAt.IsZero() {
		at := c.RevokedAt
		out.RevokedAt = &at
	}
	return out
}

func (s *Server) certWithToken(c *fiber.Ctx, cert certs.Certificate) error {
	tok, err := s.Certs.Token(c.UserContext(), cert)
	if err != nil {
		return err
	}
	out := certOut(cert)
	out.Token = tok
	return c.JSON(fiber.Map{"certificate": out})
}

func (s *Server) apiCert(c *fiber.Ctx) error {
	cert, err := s.Certs.ByCode(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	return s.certWithToken(c, cert)
}

func (s *Server) apiCerts(c *fiber.Ctx) error {
	list, err := s.Certs.List(c.UserContext(), certs.Kind(c.Query("kind")))
	if err != nil {
		return err
	}
	out := make([]certJSON, 0, len(list))
	for _, cert := range list {
		out = append(out, certOut(cert))
	}
	return c.JSON(fiber.Map{"certificates": out})
}

func (s *Server) apiRevokeCert(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cert, err := s.Certs.Revoke(c.UserContext(), c.Params("code"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"certificate": certOut(cert)})
}

func (s *Server) apiReissueCert(c *fiber.Ctx) error {
	var in struct {
		Holder string `json:"holder"`
		Title  string `json:"title"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cert, err := s.Certs.Reissue(c.UserContext(), c.Params("code"), in.Holder, in.Title)
	if err != nil {
		return err
	}
	return s.certWithToken(c, cert)
}
