package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/vn"
)

// exhibitorReview is the organizer's page of one application: the whole
// profile, what changed since it was approved, its history, and the
// forms to approve, reject or acknowledge the changes.
type exhibitorReview struct {
	Event    events.Event
	X        expo.Exhibitor
	Codes    []string
	Cohort   string
	Products []string
	// Phone and Size are written as the application form shows them.
	Phone, Size string
	Changed     []expo.FieldChange
	Reject      form
	Here, Back  string
}

// exhibitorPath is an application's page for its event's organizers.
func exhibitorPath(eventID, id string) string {
	return "/manage/events/" + eventID + "/exhibitors/" + id
}

func (s *Server) loadExhibitorReview(c *fiber.Ctx) (exhibitorReview, error) {
	ctx := c.UserContext()
	e, err := s.managedEvent(c)
	if err != nil {
		return exhibitorReview{}, err
	}
	x, err := s.Expo.Exhibitor(ctx, e.ID, c.Params("x"))
	if err != nil {
		return exhibitorReview{}, err
	}
	booths, err := s.Expo.Booths(ctx, e.ID)
	if err != nil {
		return exhibitorReview{}, err
	}
	v := exhibitorReview{Event: e, X: x, Codes: expo.BoothCodes(booths)[x.ID], Changed: x.ChangedSinceApproval(),
		Here: exhibitorPath(e.ID, x.ID), Back: "/manage/events/" + e.ID + "/exhibitors"}
	l := s.lang(c)
	size := func(code string) string {
		if id := "exhibitor.size." + code; code != "" && s.Catalog.Has(id) {
			return l.T(id)
		}
		return code
	}
	v.Phone, v.Size = vn.FormatPhone(x.Phone), size(x.PreferredSize)
	for i, ch := range v.Changed {
		switch ch.Field {
		case "phone":
			v.Changed[i].Old, v.Changed[i].New = vn.FormatPhone(ch.Old), vn.FormatPhone(ch.New)
		case "preferred_size":
			v.Changed[i].Old, v.Changed[i].New = size(ch.Old), size(ch.New)
		}
	}
	for _, p := range strings.Split(x.Products, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Products = append(v.Products, p)
		}
	}
	if x.CohortID != "" {
		cohorts, err := s.Incubator.Cohorts(ctx)
		if err != nil {
			return v, err
		}
		for _, co := range cohorts {
			if co.ID == x.CohortID {
				v.Cohort = co.Name
			}
		}
	}
	return v, nil
}

func (s *Server) renderExhibitorReview(c *fiber.Ctx, v exhibitorReview) error {
	p := s.page(c, "", fiber.Map{"Event": v.Event, "Review": v})
	p.Title = v.X.Company + " · " + p.L.T("expo.exhibitors.title") + " · " + v.Event.TitleIn(p.L.Code)
	c.Type("html", "utf-8")
	return p.render(c, "manage/expo_exhibitor")
}

// exhibitorReject rejects an application for the reason the organizer
// gives, which the exhibitor is mailed. Without one, the application's
// page shows again with the reason marked, whichever page the form was on.
func (s *Server) exhibitorReject(c *fiber.Ctx) error {
	values := formValues(c, "reason")
	back := safeNext(c.FormValue("back"), "/manage/events/"+c.Params("id")+"/exhibitors")
	ctx := c.UserContext()
	if _, err := s.Expo.Exhibitor(ctx, c.Params("id"), c.Params("x")); err != nil {
		return err
	}
	var err error
	if strings.TrimSpace(values["reason"]) == "" {
		err = errs.Field("reason", "expo.reject.reason_required")
	} else {
		_, err = s.Expo.Decide(ctx, *currentUser(c), c.Params("x"), expo.Rejected, values["reason"])
	}
	if err != nil {
		return refill(s, c, err, values, s.loadExhibitorReview, func(v *exhibitorReview, f form) { v.Reject = f },
			s.renderExhibitorReview)
	}
	return s.redirectFlash(c, back, "ok", "expo.flash.rejected")
}

// exhibitorAcknowledge accepts what an approved exhibitor changed in its
// profile since it was approved.
func (s *Server) exhibitorAcknowledge(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := s.Expo.Exhibitor(ctx, c.Params("id"), c.Params("x")); err != nil {
		return err
	}
	_, err := s.Expo.Acknowledge(ctx, *currentUser(c), c.Params("x"))
	return s.goBack(c, exhibitorPath(c.Params("id"), c.Params("x")), "expo.flash.acknowledged", err)
}
