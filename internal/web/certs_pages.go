package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certification"
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
// enterprises, revoked ones with their status: found by words of the name
// or tax code without diacritics, by sector and year, each linking to its
// verification.
func (s *Server) registryPage(c *fiber.Ctx) error {
	q := strings.TrimSpace(c.Query("q"))
	sector := c.Query("sector")
	if !slices.Contains(certification.Sectors, sector) {
		sector = ""
	}
	year, _ := strconv.Atoi(c.Query("year"))
	page := max(c.QueryInt("page", 1), 1)
	list, total, err := s.Certification.Registry(c.UserContext(), q, sector, year, (page-1)*certification.RegistryPage)
	if err != nil {
		return err
	}
	this := s.Clock.Now().In(vn.Zone).Year()
	var years []int
	for y := this; y >= 2014; y-- {
		years = append(years, y)
	}
	next := ""
	if page*certification.RegistryPage < total {
		v := url.Values{"q": {q}, "sector": {sector}, "year": {c.Query("year")}, "page": {strconv.Itoa(page + 1)}}
		next = "?" + v.Encode()
	}
	return s.render(c, "certs/registry", "registry.title", fiber.Map{"Entries": list, "Total": total, "Q": q, "Sector": sector,
		"Year": year, "Years": years, "Sectors": certification.Sectors, "Next": next, "Filtered": q != "" || sector != "" || year != 0})
}
