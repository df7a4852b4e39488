package e2e_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAuditLogFitsAndFilters: after an organizer edits a ticket type
// and cancels a ticket, the admin's audit log lists both, fits the window
// in both languages on a laptop and a phone, and its filter narrows it to
// the cancellation.
func TestBrowserAuditLogFitsAndFilters(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	eventID, typeID := s.publishEvent(t, org, 50)
	s.mustAPI(t, http.StatusOK, "PUT", "/api/v1/events/"+eventID+"/ticket-types/"+typeID, org,
		map[string]any{"name": "Khách tham quan", "capacity": 120}, nil)
	tk := s.register(t, eventID, typeID, "Nguyễn Thị Phương Thảo", "thao@example.vn", "vi")
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/tickets/"+tk.ID+"/cancel", org, nil, nil)

	admin := newTab(t, browser, s.base)
	admin.signIn(adminEmail, adminPassword, "/me")
	checkWidths(t, admin, "/admin/audit", `document.querySelector("[data-audit-action]") !== null`, "admin-audit")
	if got := admin.eval(`[...document.querySelectorAll("[data-audit-action]")].map(r => r.dataset.auditAction).join(" ")`); got != "ticket.cancel ticket_type.update ticket_type.create event.create user.create" {
		t.Fatalf("the log lists %q", got)
	}
	admin.do("choosing the cancellations", chromedp.SetValue(chromedp.CSS(`select[name=action]`), "ticket.cancel"))
	admin.load("filtering", 200, "/admin/audit?actor=&action=ticket.cancel&event=&from=&to=", click(`.audit-filters button[type=submit]`))
	if got := admin.eval(`[...document.querySelectorAll("[data-audit-action]")].map(r => r.dataset.auditAction).join(" ")`); got != "ticket.cancel" {
		t.Fatalf("filtered, the log lists %q", got)
	}
	if href := admin.eval(`document.querySelector("a[data-export][href*='.csv']").getAttribute("href")`); !strings.Contains(href, "action=ticket.cancel") {
		t.Fatalf("the export link %q drops the filter", href)
	}
}
