package web

import (
	"bufio"
	"bytes"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certpdf"
	"sprout/internal/certs"
	"sprout/internal/errs"
	"sprout/internal/vn"
)

// certPDFRoutes serve certificates as PDF: to organizers, one or a
// course's as a ZIP; to a holder, from their ticket page.
func (s *Server) certPDFRoutes(app *fiber.App) {
	organizer := s.pageRequire(organizerRoles...)
	app.Get("/manage/events/:id/certificates/:code.pdf", organizer, s.courseCertPDF)
	app.Get("/manage/events/:id/certificates.zip", organizer, s.courseCertsZip)
	app.Get("/t/:secret/certificate.pdf", s.ticketCertPDF)
}

func (s *Server) sendCertPDF(c *fiber.Ctx, cert certs.Certificate) error {
	var buf bytes.Buffer
	if err := certpdf.Render(&buf, s.Graduation.Doc(cert)); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(buf.Bytes())
}

func (s *Server) courseCertPDF(c *fiber.Ctx) error {
	_, cert, err := s.courseCert(c)
	if err != nil {
		return err
	}
	return s.sendCertPDF(c, cert)
}

// courseCertsZip streams a course's certificates, one PDF each, so that a
// course of thousands is never held in memory whole.
func (s *Server) courseCertsZip(c *fiber.Ctx) error {
	e, o, err := s.courseOverview(c)
	if err != nil {
		return err
	}
	docs := make([]certpdf.Doc, 0, len(o.Certificates))
	for _, cert := range o.Certificates {
		docs = append(docs, s.Graduation.Doc(cert))
	}
	name := "chung-nhan-" + e.Slug + "-" + s.Clock.Now().In(vn.Zone).Format("20060102-1504") + ".zip"
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	log := s.log(c)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := certpdf.Zip(w, docs); err != nil {
			log.Warn("writing certificates zip", "event", e.ID, "err", err)
		}
	})
	return nil
}

// ticketCertPDF is the holder's certificate of the course their ticket is
// for, while it holds.
func (s *Server) ticketCertPDF(c *fiber.Ctx) error {
	p, err := s.loadTicket(c)
	if err != nil {
		return err
	}
	if p.Course == nil || p.Course.Cert == nil || p.Course.Cert.Status != certs.Valid {
		return errs.New(errs.NotFound, "error.cert_not_found")
	}
	return s.sendCertPDF(c, *p.Course.Cert)
}
