package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/vn"

	"sprout/internal/certs"
)

func (s *Server) certsPageRoutes(app *fiber.App) {
	app.Get("/verify/:code", s.verifyPage)
	app.Get("/registry", s.registryPage)
}

// verifyPage tells anyone holding a certificate's code whether it holds:
// whom it names, for what, by whom and when, and, once revoked, why and
// what replaced it. It shows nothing else about the holder.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	cert, err := s.Certs.ByCode(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	title := cert.Title
	if en := cert.Details[certs.DetailTitleEn]; en != "" && s.lang(c).Code == "en" {
		title = en
	}
	from, _ := time.ParseInLocation(time.DateOnly, cert.Details[certs.DetailFrom], vn.Zone)
	to, _ := time.ParseInLocation(time.DateOnly, cert.Details[certs.DetailTo], vn.Zone)
	hours, _ := strconv.ParseFloat(cert.Details[certs.DetailHours], 64)
	return s.render(c, "certs/verify", "verify.title", fiber.Map{"Cert": cert, "Reissued": cert.ReplacedBy != "", "Title": title,
		"From": from, "To": to, "Hours": hours, "Signer": cert.Details[certs.DetailSigner], "SignerTitle": cert.Details[certs.DetailSignerTitle]})
}

// registryPage is the public registry of certified science-and-technology
// enterprises: those whose certificate holds, newest first, each linking
// to its verification.
func (s *Server) registryPage(c *fiber.Ctx) error {
	list, err := s.Certs.List(c.UserContext(), certs.STEnterprise)
	if err != nil {
		return err
	}
	valid := make([]certs.Certificate, 0, len(list))
	for _, cert := range list {
		if cert.Status == certs.Valid {
			valid = append(valid, cert)
		}
	}
	return s.render(c, "certs/registry", "registry.title", fiber.Map{"Certs": valid})
}
