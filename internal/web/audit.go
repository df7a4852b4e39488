package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/audit"
)

// audited is what the log records for a route: the action, the kind of
// thing changed and the route parameter naming it. An empty param means
// the request makes the thing, whose id the answer gives.
type audited struct {
	action, kind, param string
}

// auditedRoutes are the routes of the changes organizers and admins make,
// by method and pattern, the JSON API's and the pages' alike. Every route
// that changes data is either here or in unaudited; a test walks the app's
// routes to hold to it.
var auditedRoutes = map[string]audited{
	"POST /api/v1/users":                    {"user.create", "user", ""},
	"POST /api/v1/users/:id/roles":          {"user.roles", "user", "id"},
	"POST /api/v1/users/:id/deactivate":     {"user.deactivate", "user", "id"},
	"POST /api/v1/users/:id/reactivate":     {"user.reactivate", "user", "id"},
	"POST /admin/users":                     {"user.create", "user", ""},
	"POST /admin/users/:id/roles":           {"user.roles", "user", "id"},
	"POST /admin/users/:id/deactivate":      {"user.deactivate", "user", "id"},
	"POST /admin/users/:id/reactivate":      {"user.reactivate", "user", "id"},
	"POST /api/v1/events":                   {"event.create", "event", ""},
	"PUT /api/v1/events/:id":                {"event.update", "event", "id"},
	"PUT /api/v1/events/:id/banner":         {"event.banner", "event", "id"},
	"POST /manage/events":                   {"event.create", "event", ""},
	"POST /manage/events/:id":               {"event.update", "event", "id"},
	"POST /manage/events/:id/banner":        {"event.banner", "event", "id"},
	"POST /manage/events/:id/banner/delete": {"event.banner_remove", "event", "id"},
	"POST /manage/events/:id/gates":         {"event.gates", "event", "id"},
	"PUT /api/v1/events/:id/questions":      {"event.questions", "event", "id"},
	"POST /manage/events/:id/questions":     {"event.questions", "event", "id"},
	"PUT /api/v1/events/:id/course":         {"event.course", "event", "id"},
	"POST /manage/events/:id/course":        {"event.course", "event", "id"},

	"POST /api/v1/events/:id/ticket-types":           {"ticket_type.create", "ticket_type", ""},
	"PUT /api/v1/events/:id/ticket-types/:type":      {"ticket_type.update", "ticket_type", "type"},
	"POST /manage/events/:id/types":                  {"ticket_type.create", "ticket_type", ""},
	"POST /manage/events/:id/types/:type":            {"ticket_type.update", "ticket_type", "type"},
	"POST /api/v1/events/:id/agenda":                 {"agenda.create", "agenda_item", ""},
	"PUT /api/v1/events/:id/agenda/:item":            {"agenda.update", "agenda_item", "item"},
	"DELETE /api/v1/events/:id/agenda/:item":         {"agenda.delete", "agenda_item", "item"},
	"POST /manage/events/:id/agenda":                 {"agenda.create", "agenda_item", ""},
	"POST /manage/events/:id/agenda/:session":        {"agenda.update", "agenda_item", "session"},
	"POST /manage/events/:id/agenda/:session/delete": {"agenda.delete", "agenda_item", "session"},

	"POST /api/v1/tickets/:id/cancel":                      {"ticket.cancel", "ticket", "id"},
	"POST /api/v1/tickets/:id/resend":                      {"ticket.resend", "ticket", "id"},
	"POST /manage/events/:id/registrations/:ticket/cancel": {"ticket.cancel", "ticket", "ticket"},
	"POST /manage/events/:id/registrations/:ticket/resend": {"ticket.resend", "ticket", "ticket"},
	"POST /api/v1/events/:id/waitlist/:entry/promote":      {"waitlist.promote", "waitlist_entry", "entry"},
	"DELETE /api/v1/events/:id/waitlist/:entry":            {"waitlist.remove", "waitlist_entry", "entry"},
	"POST /manage/events/:id/waitlist/:entry/promote":      {"waitlist.promote", "waitlist_entry", "entry"},
	"POST /manage/events/:id/waitlist/:entry/remove":       {"waitlist.remove", "waitlist_entry", "entry"},

	// Gate staff may annul a scan too: an annulment undoes an entry, so
	// the log keeps whoever made it.
	"POST /api/v1/events/:id/checkins/:scan/annul": {"scan.annul", "scan", "scan"},
	"POST /events/:id/gate/scans/:scan/annul":      {"scan.annul", "scan", "scan"},
	"POST /manage/events/:id/scans/:scan/annul":    {"scan.annul", "scan", "scan"},
	"POST /api/v1/events/:id/staff":                {"staff.assign", "event", "id"},
	"DELETE /api/v1/events/:id/staff/:user":        {"staff.remove", "user", "user"},
	"POST /manage/events/:id/staff":                {"staff.assign", "event", "id"},
	"POST /manage/events/:id/staff/:user/remove":   {"staff.remove", "user", "user"},

	// Undoing attendance, like annulling a scan, takes back gate work: the
	// log keeps whoever did.
	"DELETE /api/v1/events/:id/sessions/:session/attendance/:ticket": {"attendance.undo", "ticket", "ticket"},
	"POST /events/:id/sessions/:session/attendance/:ticket/undo":     {"attendance.undo", "ticket", "ticket"},

	"POST /api/v1/events/:id/booths":                    {"booth.create", "booth", ""},
	"POST /api/v1/events/:id/booths/block":              {"booth.create_block", "event", "id"},
	"PATCH /api/v1/booths/:id":                          {"booth.update", "booth", "id"},
	"POST /api/v1/booths/:id/assign":                    {"booth.assign", "booth", "id"},
	"POST /api/v1/booths/:id/hold":                      {"booth.hold", "booth", "id"},
	"POST /api/v1/booths/:id/release":                   {"booth.release", "booth", "id"},
	"POST /api/v1/booths/:id/block":                     {"booth.block", "booth", "id"},
	"POST /api/v1/booths/:id/unblock":                   {"booth.unblock", "booth", "id"},
	"POST /api/v1/booths/:id/move":                      {"booth.move", "booth", "id"},
	"POST /manage/events/:id/booths":                    {"booth.create", "booth", ""},
	"POST /manage/events/:id/booths/block":              {"booth.create_block", "event", "id"},
	"POST /manage/events/:id/booths/:booth/edit":        {"booth.update", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/assign":      {"booth.assign", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/hold":        {"booth.hold", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/release":     {"booth.release", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/block":       {"booth.block", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/unblock":     {"booth.unblock", "booth", "booth"},
	"POST /manage/events/:id/booths/:booth/move":        {"booth.move", "booth", "booth"},
	"POST /api/v1/exhibitors/:id/approve":               {"exhibitor.approve", "exhibitor", "id"},
	"POST /api/v1/exhibitors/:id/reject":                {"exhibitor.reject", "exhibitor", "id"},
	"POST /manage/events/:id/exhibitors/:x/approve":     {"exhibitor.approve", "exhibitor", "x"},
	"POST /manage/events/:id/exhibitors/:x/reject":      {"exhibitor.reject", "exhibitor", "x"},
	"POST /manage/events/:id/exhibitors/:x/priority":    {"exhibitor.priority", "exhibitor", "x"},
	"POST /manage/events/:id/exhibitors/:x/acknowledge": {"exhibitor.acknowledge", "exhibitor", "x"},

	"POST /api/v1/programs":                                        {"program.create", "program", ""},
	"PUT /api/v1/programs/:id":                                     {"program.update", "program", "id"},
	"POST /manage/programs":                                        {"program.create", "program", ""},
	"POST /manage/programs/:id/edit":                               {"program.update", "program", "id"},
	"POST /manage/programs/:id/close":                              {"program.close", "program", "id"},
	"POST /manage/programs/:id/extend":                             {"program.extend", "program", "id"},
	"POST /manage/programs/:id/reviewers/auto":                     {"program.auto_assign", "program", "id"},
	"POST /manage/programs/:id/decisions":                          {"program.decide_many", "program", "id"},
	"POST /api/v1/applications/:id/reviewers":                      {"application.reviewer", "application", "id"},
	"POST /api/v1/applications/:id/decision":                       {"application.decide", "application", "id"},
	"POST /manage/programs/:id/applications/:app/reviewers":        {"application.reviewer", "application", "app"},
	"POST /manage/programs/:id/applications/:app/decision":         {"application.decide", "application", "app"},
	"POST /api/v1/cohorts":                                         {"cohort.create", "cohort", ""},
	"POST /manage/cohorts":                                         {"cohort.create", "cohort", ""},
	"POST /manage/cohorts/:id/startups/:app/mentors":               {"cohort.mentor", "application", "app"},
	"POST /manage/cohorts/:id/startups/:app/milestones":            {"milestone.create", "application", "app"},
	"POST /manage/cohorts/:id/startups/:app/milestones/:milestone": {"milestone.update", "milestone", "milestone"},

	"POST /api/v1/certificates/:code/revoke":             {"certificate.revoke", "certificate", "code"},
	"POST /api/v1/certificates/:code/reissue":            {"certificate.reissue", "certificate", "code"},
	"POST /api/v1/events/:id/certificates":               {"certificate.issue", "event", "id"},
	"POST /manage/events/:id/certificates/issue":         {"certificate.issue", "event", "id"},
	"POST /manage/events/:id/certificates/:code/revoke":  {"certificate.revoke", "certificate", "code"},
	"POST /manage/events/:id/certificates/:code/reissue": {"certificate.reissue", "certificate", "code"},

	// A page's new entry is named by its date in the details kept.
	"PUT /api/v1/holidays/:date":        {"holiday.put", "holiday", "date"},
	"DELETE /api/v1/holidays/:date":     {"holiday.delete", "holiday", "date"},
	"POST /admin/holidays":              {"holiday.put", "holiday", ""},
	"POST /admin/holidays/:date/delete": {"holiday.delete", "holiday", "date"},

	"POST /api/v1/st/dossiers/:id/additions": {"st_dossier.additions", "st_dossier", "id"},
	"POST /api/v1/st/dossiers/:id/complete":  {"st_dossier.complete", "st_dossier", "id"},
	"POST /api/v1/st/dossiers/:id/grant":     {"st_dossier.grant", "st_dossier", "id"},
	"POST /api/v1/st/dossiers/:id/refuse":    {"st_dossier.refuse", "st_dossier", "id"},
	"POST /api/v1/st/dossiers/:id/revoke":    {"st_dossier.revoke", "st_dossier", "id"},
	"POST /officer/dossiers/:id/additions":   {"st_dossier.additions", "st_dossier", "id"},
	"POST /officer/dossiers/:id/complete":    {"st_dossier.complete", "st_dossier", "id"},
	"POST /officer/dossiers/:id/grant":       {"st_dossier.grant", "st_dossier", "id"},
	"POST /officer/dossiers/:id/refuse":      {"st_dossier.refuse", "st_dossier", "id"},
	"POST /officer/dossiers/:id/revoke":      {"st_dossier.revoke", "st_dossier", "id"},
}

// auditDetails are the request fields an action's entry keeps, by action,
// the form's and the JSON body's names alike: what the action alone does
// not tell. Never a password.
var auditDetails = map[string][]string{
	"user.create":          {"email", "roles"},
	"user.roles":           {"role", "action", "grant"},
	"ticket_type.create":   {"name", "capacity", "waitlist"},
	"ticket_type.update":   {"name", "capacity", "waitlist"},
	"staff.assign":         {"user_id", "email", "gate"},
	"booth.assign":         {"exhibitor_id"},
	"booth.hold":           {"exhibitor_id", "hours", "minutes"},
	"booth.move":           {"to_booth_id"},
	"application.reviewer": {"user_id"},
	"application.decide":   {"decision", "cohort_id"},
	"program.decide_many":  {"decision", "cohort_id", "ids"},
	"cohort.mentor":        {"user_id"},
	"certificate.revoke":   {"reason"},
	"certificate.reissue":  {"holder", "title"},
	"holiday.put":          {"date", "name", "name_en", "kind"},
	"st_dossier.additions": {"note"},
	"st_dossier.refuse":    {"reasons"},
	"st_dossier.revoke":    {"reasons"},
}

// unaudited are the routes that change data but are no organizer's or
// admin's action: signing in and out, one's own account, what visitors,
// founders, reviewers, mentors and exhibitors do, and gate work, which the
// scan log records with its gate and staff member, as a course's attendance
// records who took it.
var unaudited = map[string]bool{
	"POST /api/v1/auth/signup": true, "POST /api/v1/auth/login": true, "POST /api/v1/auth/logout": true,
	"POST /api/v1/auth/password-reset": true, "POST /api/v1/auth/password-reset/confirm": true,
	"POST /login": true, "POST /logout": true, "POST /signup": true, "POST /lang/:code": true,
	"POST /password/forgot": true, "POST /password/reset/:token": true,
	"POST /account/profile": true, "POST /account/password": true,

	"POST /api/v1/events/:id/registrations": true, "POST /events/:slug/register": true,
	"POST /api/v1/tickets/lost": true, "POST /tickets/lost": true, "POST /t/:secret/cancel": true,

	"POST /api/v1/events/:id/checkins": true, "POST /events/:id/gate/scan": true,
	"POST /api/v1/events/:id/walk-ins": true, "POST /events/:id/gate/walk-in": true,
	"POST /api/v1/events/:id/sessions/:session/attendance": true, "POST /events/:id/sessions/:session/attendance": true,
	"POST /events/:id/gate/sessions/:session/attendance": true,

	"POST /api/v1/programs/:id/applications": true, "PUT /api/v1/applications/:id": true,
	"POST /api/v1/applications/:id/submit": true, "POST /api/v1/applications/:id/withdraw": true,
	"POST /programs/:slug/apply": true, "POST /programs/applications/:id": true,
	"PUT /programs/applications/:id/draft": true, "POST /programs/applications/:id/withdraw": true,
	"POST /programs/applications/:id/files/:question": true,
	"POST /api/v1/applications/:id/reviews":           true, "POST /reviews/:id": true,
	"POST /cohort/reports": true, "POST /cohort/reports/:app/:month": true, "POST /cohort/profile/:app": true,
	"POST /mentor/startups/:app/sessions": true,

	"POST /api/v1/events/:id/exhibitors": true, "POST /events/:id/exhibit": true,
	"POST /api/v1/exhibitors/:id/leads": true, "PATCH /api/v1/exhibitors/:id/leads/:lead": true,
	"POST /exhibitors/:id/scan": true, "POST /exhibitors/:id/leads/:lead": true, "PATCH /exhibitors/:id/leads/:lead": true,
	"POST /exhibitors/:x/profile": true, "POST /exhibitors/:x/staff": true,
	"POST /exhibitors/:x/staff/:staff/remove": true, "POST /exhibitors/:x/staff/:staff/invite": true,
	"POST /exhibitors/join/:secret": true,

	// An enterprise's own certification dossier: the dossier keeps its
	// history of stages with who moved it, as an application does.
	"POST /api/v1/st/dossiers": true, "PUT /api/v1/st/dossiers/:id": true,
	"POST /api/v1/st/dossiers/:id/proofs/:index": true, "POST /api/v1/st/dossiers/:id/submit": true,
	"POST /api/v1/st/dossiers/:id/reports": true,
	"POST /enterprise/dossiers":            true, "POST /enterprise/dossiers/:id": true, "PUT /enterprise/dossiers/:id/draft": true,
	"POST /enterprise/dossiers/:id/proofs/:index": true, "POST /enterprise/dossiers/:id/reports": true,
}

// recordAudit logs each change of an audited route that succeeded, once
// its handler has answered. It is a write of its own after the change
// rather than part of the change's store step: every store method would
// otherwise take the entry. A failed write is logged and the answer stands,
// since the change is made already.
func (s *Server) recordAudit(c *fiber.Ctx) error {
	if err := c.Next(); err != nil || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return err
	}
	r, ok := auditedRoutes[c.Method()+" "+c.Route().Path]
	u := currentUser(c)
	if !ok || u == nil || !succeeded(c) {
		return nil
	}
	e := audit.Entry{ActorID: u.ID, ActorName: u.Name, ActorEmail: u.Email, Action: r.action, Method: c.Method(),
		Path: c.Path(), TargetKind: r.kind, Status: c.Response().StatusCode(), IP: s.client(c)}
	for _, role := range u.Roles {
		e.ActorRoles = append(e.ActorRoles, string(role))
	}
	if strings.Contains(c.Route().Path, "/events/:id") {
		e.EventID = c.Params("id")
	}
	made := answered(c)
	if r.param != "" {
		e.TargetID = c.Params(r.param)
	} else {
		e.TargetID = made.ID
	}
	if e.EventID == "" {
		e.EventID = made.EventID
	}
	if r.kind == "event" && e.EventID == "" {
		e.EventID = e.TargetID
	}
	e.Detail = requestDetail(c, auditDetails[r.action])
	if err := s.Audit.Record(c.UserContext(), e); err != nil {
		s.log(c).Error("audit entry not written", "action", e.Action, "actor", e.ActorID, "path", e.Path, "err", err)
	}
	return nil
}

// succeeded tells a change made from one refused. The API answers a
// change with 2xx; a page redirects after it, and after a refusal either
// shows the form again with its mistakes (200 HTML) or redirects with an
// error for the next page.
func succeeded(c *fiber.Ctx) bool {
	status := c.Response().StatusCode()
	switch {
	case status >= 300 && status < 400:
		return !bytes.HasPrefix(c.Response().Header.PeekCookie(flashCookie), []byte(flashCookie+"=error:"))
	case status >= 200 && status < 300:
		return !bytes.HasPrefix(c.Response().Header.ContentType(), []byte(fiber.MIMETextHTML))
	}
	return false
}

// made names what a change made or touched, as its answer tells: the
// object of a JSON answer, or the page a form redirects to below the one
// it was sent to ("/manage/events" → "/manage/events/<id>").
type made struct {
	ID      string `json:"id"`
	EventID string `json:"event_id"`
}

func answered(c *fiber.Ctx) made {
	var m made
	if loc := string(c.Response().Header.Peek(fiber.HeaderLocation)); loc != "" {
		if rest, ok := strings.CutPrefix(loc, c.Path()+"/"); ok {
			m.ID, _, _ = strings.Cut(rest, "/")
			m.ID, _, _ = strings.Cut(m.ID, "#")
			m.ID, _, _ = strings.Cut(m.ID, "?")
		}
		return m
	}
	if !bytes.HasPrefix(c.Response().Header.ContentType(), []byte(fiber.MIMEApplicationJSON)) {
		return m
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(c.Response().Body(), &body) != nil || len(body) != 1 {
		return m
	}
	for _, v := range body {
		json.Unmarshal(v, &m)
	}
	return m
}

// requestDetail is "field=value, ..." for the fields the request sent, read
// from its JSON body or its form; several values of a form field are
// joined by spaces, as a JSON list is.
func requestDetail(c *fiber.Ctx, fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	var body map[string]any
	isJSON := bytes.HasPrefix(c.Request().Header.ContentType(), []byte(fiber.MIMEApplicationJSON))
	if isJSON && json.Unmarshal(c.Body(), &body) != nil {
		return ""
	}
	var parts []string
	for _, f := range fields {
		var v string
		switch x := body[f].(type) {
		case nil:
			if !isJSON {
				var vals []string
				for _, b := range c.Request().PostArgs().PeekMulti(f) {
					vals = append(vals, string(b))
				}
				v = strings.Join(vals, " ")
			}
		case []any:
			vals := make([]string, len(x))
			for i, el := range x {
				vals[i] = fmt.Sprint(el)
			}
			v = strings.Join(vals, " ")
		default:
			v = fmt.Sprint(x)
		}
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, f+"="+v)
		}
	}
	return strings.Join(parts, ", ")
}
