package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"sprout/internal/audit"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// AuditStore is what an adapter implements for the audit log.
type AuditStore interface {
	audit.Store
}

// RunAudit runs the audit log suite; open returns a new empty store.
func RunAudit(t *testing.T, open func(t *testing.T) AuditStore) {
	t.Run("AuditRoundTrip", func(t *testing.T) { testAuditRoundTrip(t, open(t)) })
	t.Run("AuditFilters", func(t *testing.T) { testAuditFilters(t, open(t)) })
}

func testAuditRoundTrip(t *testing.T, s AuditStore) {
	ctx := context.Background()
	e := audit.Entry{ID: ids.New(), At: t0, ActorID: "u1", ActorName: "Nguyễn Thị Hoa", ActorEmail: "hoa@so.vn",
		ActorRoles: []string{"organizer", "admin"}, Action: "ticket_type.update", Method: "POST",
		Path: "/manage/events/e1/types/tt1", TargetKind: "ticket_type", TargetID: "tt1", EventID: "e1", Detail: "name=Khách mời, capacity=150", Status: 303, IP: "10.0.0.7"}
	if err := s.AppendAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.AppendAudit(ctx, e), errs.Conflict, "the same entry twice")
	got, total, err := s.Audit(ctx, audit.Query{Limit: 10})
	if err != nil || total != 1 || len(got) != 1 {
		t.Fatalf("Audit = %+v, %d, %v", got, total, err)
	}
	if !reflect.DeepEqual(got[0], e) {
		t.Fatalf("Audit()[0] = %+v\nwant %+v", got[0], e)
	}
	bare := audit.Entry{ID: ids.New(), At: t0.Add(time.Second), ActorID: "u2", Action: "user.roles"}
	if err := s.AppendAudit(ctx, bare); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Audit(ctx, audit.Query{ActorID: "u2", Limit: 1}); err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], bare) {
		t.Fatalf("an entry without roles reads back as %+v, %v; want %+v", got, err, bare)
	}
	if got, total, err := s.Audit(ctx, audit.Query{ActorID: "nobody", Limit: 10}); err != nil || total != 0 || len(got) != 0 {
		t.Fatalf("Audit(nobody) = %+v, %d, %v", got, total, err)
	}
}

// testAuditFilters writes twelve entries, one a minute, by two actors, over
// two events and three areas, and reads them back through every filter.
func testAuditFilters(t *testing.T, s AuditStore) {
	ctx := context.Background()
	actions := []string{"booth.assign", "booth.release", "ticket.cancel", "ticket_type.update"}
	var all []audit.Entry
	for i := range 12 {
		e := audit.Entry{ID: ids.New(), At: t0.Add(time.Duration(i) * time.Minute), ActorID: []string{"org", "adm"}[i%2],
			Action: actions[i%4], EventID: []string{"e1", "e2", ""}[i%3], Method: "POST", Status: 200}
		all = append(all, e)
	}
	// Written out of order: the log reads by time, not by arrival.
	for _, i := range []int{3, 0, 11, 7, 1, 2, 10, 4, 6, 5, 9, 8} {
		if err := s.AppendAudit(ctx, all[i]); err != nil {
			t.Fatal(err)
		}
	}
	want := func(q audit.Query, keep func(i int, e audit.Entry) bool) {
		t.Helper()
		var ids []string
		for i := len(all) - 1; i >= 0; i-- {
			if keep(i, all[i]) {
				ids = append(ids, all[i].ID)
			}
		}
		total := len(ids)
		if q.Offset < len(ids) {
			ids = ids[q.Offset:]
		} else {
			ids = nil
		}
		if q.Limit < len(ids) {
			ids = ids[:q.Limit]
		}
		got, n, err := s.Audit(ctx, q)
		if err != nil {
			t.Fatalf("Audit(%+v): %v", q, err)
		}
		var gotIDs []string
		for _, e := range got {
			gotIDs = append(gotIDs, e.ID)
		}
		if n != total || fmt.Sprint(gotIDs) != fmt.Sprint(ids) {
			t.Fatalf("Audit(%+v) = %v (total %d), want %v (total %d)", q, gotIDs, n, ids, total)
		}
	}
	every := func(int, audit.Entry) bool { return true }
	want(audit.Query{Limit: 50}, every)
	want(audit.Query{Limit: 5}, every)
	want(audit.Query{Offset: 10, Limit: 5}, every)
	want(audit.Query{Offset: 20, Limit: 5}, every)
	want(audit.Query{ActorID: "org", Limit: 50}, func(_ int, e audit.Entry) bool { return e.ActorID == "org" })
	want(audit.Query{Action: "booth.release", Limit: 50}, func(_ int, e audit.Entry) bool { return e.Action == "booth.release" })
	// An area takes in its actions and no other area sharing its start.
	want(audit.Query{Action: "ticket", Limit: 50}, func(_ int, e audit.Entry) bool { return strings.HasPrefix(e.Action, "ticket.") })
	want(audit.Query{Action: "booth", Limit: 50}, func(_ int, e audit.Entry) bool { return strings.HasPrefix(e.Action, "booth.") })
	want(audit.Query{EventID: "e2", Limit: 50}, func(_ int, e audit.Entry) bool { return e.EventID == "e2" })
	from, to := t0.Add(3*time.Minute), t0.Add(9*time.Minute)
	want(audit.Query{From: from, To: to, Limit: 50}, func(i int, _ audit.Entry) bool { return i >= 3 && i < 9 })
	want(audit.Query{From: from, Limit: 50}, func(i int, _ audit.Entry) bool { return i >= 3 })
	want(audit.Query{To: to, Limit: 50}, func(i int, _ audit.Entry) bool { return i < 9 })
	want(audit.Query{ActorID: "adm", Action: "booth", EventID: "e1", From: from, Limit: 50}, func(i int, e audit.Entry) bool {
		return e.ActorID == "adm" && strings.HasPrefix(e.Action, "booth.") && e.EventID == "e1" && i >= 3
	})
	want(audit.Query{Action: "event", Limit: 50}, func(int, audit.Entry) bool { return false })
}
