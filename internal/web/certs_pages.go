package web

import (
	"github.com/gofiber/fiber/v2"
)

func (s *Server) certsPageRoutes(app *fiber.App) {
	app.Get("/verify/:code", s.verifyPage)
}

// verifyPage tells anyone holding a certificate's code whether it holds:
// whom it names, for what, by whom and when, and, once revoked, why and
// what replaced it. It shows nothing else about the holder.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	cert, err := s.Certs.ByCode(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	return s.render(c, "certs/verify", "verify.title", fiber.Map{"Cert": cert, "Reissued": cert.ReplacedBy != ""})
}
