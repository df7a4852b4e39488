package web

import (
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
)

// isBanner tells banner images apart: they hold no form, so they need no
// CSRF token, whose cookie would also keep shared caches from keeping them.
func isBanner(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasPrefix(p, "/events/") && strings.HasSuffix(p, "/banner")
}

// eventBanner serves an event's banner to anyone who may see the event.
// Pages link it with the banner's id in the query, so a new banner is a new
// URL and an hour of caching never shows the old one.
func (s *Server) eventBanner(c *fiber.Ctx) error {
	ctx := c.UserContext()
	e, err := s.Events.EventBySlug(ctx, c.Params("slug"), isOrganizer(c))
	if errors.Is(err, errs.ErrNotFound) {
		e, err = s.Events.Event(ctx, c.Params("slug"), isOrganizer(c))
	}
	if err != nil {
		return err
	}
	f, err := s.Events.Banner(ctx, e)
	if err != nil {
		return err
	}
	cache := "public, max-age=3600"
	if !e.Published {
		// Only organizers see a draft; no shared cache may hand it on.
		cache = "private, max-age=3600"
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderCacheControl, cache)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}

// bannerUpload reads the banner form's file, at most one byte more than a
// banner may have: enough to refuse a larger one without copying it whole.
func bannerUpload(c *fiber.Ctx) (name string, data []byte, err error) {
	fh, err := c.FormFile("banner")
	if err != nil {
		return "", nil, errs.Field("banner", "error.required")
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, events.MaxBanner+1))
	return fh.Filename, data, err
}

func (s *Server) manageSetBanner(c *fiber.Ctx) error {
	name, data, err := bannerUpload(c)
	if err == nil {
		_, err = s.Events.SetBanner(c.UserContext(), c.Params("id"), name, data)
	}
	if err != nil {
		return s.manageFailed(c, err, nil, func(m *managedEvent, f form) { m.Banner = f })
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#banner", "ok", "flash.banner_saved")
}

func (s *Server) manageRemoveBanner(c *fiber.Ctx) error {
	if _, err := s.Events.RemoveBanner(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	return s.redirectFlash(c, "/manage/events/"+c.Params("id")+"#banner", "ok", "flash.banner_removed")
}

// apiSetBanner takes the image as the whole body. Its type is judged by
// its bytes, so the Content-Type the client sends is not consulted.
func (s *Server) apiSetBanner(c *fiber.Ctx) error {
	e, err := s.Events.SetBanner(c.UserContext(), c.Params("id"), "", c.Body())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"event": e})
}
