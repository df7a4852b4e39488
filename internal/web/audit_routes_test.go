package web

import (
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"

	"sprout/internal/i18n"
)

// TestEveryChangeIsAuditedOrExcused walks the app's routes: each that
// changes data is either in the audit log's table or named as no
// organizer's or admin's action, so a new route cannot slip past the log.
// Neither table names a route the app does not have, and every action,
// area and kind the log shows reads in every language.
func TestEveryChangeIsAuditedOrExcused(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	app, err := New(Deps{Views: os.DirFS("../../views"), Static: os.DirFS("../../static"), Catalog: cat,
		BaseURL: "http://localhost:3000", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		switch r.Method {
		case "POST", "PUT", "PATCH", "DELETE":
		default:
			continue
		}
		key := r.Method + " " + r.Path
		seen[key] = true
		_, audited := auditedRoutes[key]
		switch {
		case audited && unaudited[key]:
			t.Errorf("%s is both audited and excused", key)
		case !audited && !unaudited[key]:
			t.Errorf("%s changes data but has no audit action: add it to auditedRoutes, or to unaudited when it is no organizer's or admin's action", key)
		}
	}
	for key := range auditedRoutes {
		if !seen[key] {
			t.Errorf("auditedRoutes names %s, which the app does not serve", key)
		}
	}
	for key := range unaudited {
		if !seen[key] {
			t.Errorf("unaudited names %s, which the app does not serve", key)
		}
	}
	actions := map[string]bool{}
	for _, r := range auditedRoutes {
		actions[r.action] = true
	}
	for action, fields := range auditDetails {
		if !actions[action] || slices.Contains(fields, "password") {
			t.Errorf("auditDetails keeps %v of %s, which is no audited action or holds a password", fields, action)
		}
	}
	for _, r := range auditedRoutes {
		area, _, _ := strings.Cut(r.action, ".")
		for _, id := range []string{"audit.action." + r.action, "audit.area." + area, "audit.kind." + r.kind} {
			if !cat.Has(id) {
				t.Errorf("%s has no message in every language", id)
			}
		}
	}
}
