package web

import "github.com/gofiber/fiber/v2"

// jwks publishes the public halves of the ticket keys, so that gates verify
// tickets offline. A rotated-in key signs at once, while this answer may be
// cached for five minutes: a gate meeting an unknown kid must fetch it anew.
func (s *Server) jwks(c *fiber.Ctx) error {
	set, err := s.Keys.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.JSON(set)
}
