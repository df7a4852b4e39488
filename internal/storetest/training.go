package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"sprout/internal/training"
)

// testAttendanceOnce: of 20 records of one ticket's attendance at one
// session at once, exactly one is stored and every call answers it; other
// sessions and tickets are their own, and the lists read them back.
func testAttendanceOnce(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("diem-danh", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Học viên", 10, false)
	tk := register(t, s, e.ID, tt.ID, "hv@example.vn")
	other := register(t, s, e.ID, tt.ID, "hv2@example.vn")

	var wg sync.WaitGroup
	var mu sync.Mutex
	stored, kept := 0, map[time.Time]int{}
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, ok, err := s.RecordAttendance(ctx, training.Attendance{EventID: e.ID, SessionID: "s1", TicketID: tk.ID,
				At: t0.Add(time.Duration(i) * time.Second), By: "u1", Source: training.Scan})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				stored++
			}
			kept[a.At]++
		}()
	}
	wg.Wait()
	if stored != 1 || len(kept) != 1 {
		t.Fatalf("20 records at once: %d stored, answered times %v", stored, kept)
	}
	if _, ok, err := s.RecordAttendance(ctx, training.Attendance{EventID: e.ID, SessionID: "s2", TicketID: tk.ID,
		At: t0.Add(time.Hour), By: "u2", Source: training.Hand}); err != nil || !ok {
		t.Fatalf("another session: %v, %v", ok, err)
	}
	if _, ok, err := s.RecordAttendance(ctx, training.Attendance{EventID: e.ID, SessionID: "s1", TicketID: other.ID,
		At: t0.Add(time.Minute), By: "u1", Source: training.Hand}); err != nil || !ok {
		t.Fatalf("another ticket: %v, %v", ok, err)
	}
	list, err := s.SessionAttendance(ctx, e.ID, "s1")
	if err != nil || len(list) != 2 || list[0].TicketID != tk.ID || list[1].TicketID != other.ID || list[1].Source != training.Hand ||
		list[1].By != "u1" || !list[1].At.Equal(t0.Add(time.Minute)) {
		t.Fatalf("session s1: %+v, %v", list, err)
	}
	all, err := s.EventAttendance(ctx, e.ID)
	if err != nil || len(all) != 3 || all[2].SessionID != "s2" {
		t.Fatalf("the event's attendance: %+v, %v", all, err)
	}
	if none, err := s.EventAttendance(ctx, "nope"); err != nil || len(none) != 0 {
		t.Fatalf("an unknown event's attendance: %+v, %v", none, err)
	}
}

// testAttendanceUndo: an undo removes the record and says so, once: of 10
// undos of one record at once exactly one removed it; an undo of nothing,
// or under another event, removes nothing; recording again after an undo
// stores a fresh record.
func testAttendanceUndo(t *testing.T, s EventsStore) {
	ctx := context.Background()
	e := mustEvent(t, s, newEvent("huy-diem-danh", t0.Add(48*time.Hour), true))
	tt := mustType(t, s, e.ID, "Học viên", 10, false)
	tk := register(t, s, e.ID, tt.ID, "hv@example.vn")
	other := register(t, s, e.ID, tt.ID, "hv2@example.vn")
	record := func(ticketID string, at time.Time) {
		t.Helper()
		if _, ok, err := s.RecordAttendance(ctx, training.Attendance{EventID: e.ID, SessionID: "s1", TicketID: ticketID,
			At: at, By: "u1", Source: training.Scan}); err != nil || !ok {
			t.Fatalf("recording %s: %v, %v", ticketID, ok, err)
		}
	}
	record(tk.ID, t0)
	record(other.ID, t0.Add(time.Second))

	if removed, err := s.UndoAttendance(ctx, "nope", "s1", tk.ID); err != nil || removed {
		t.Fatalf("an undo under another event: %v, %v", removed, err)
	}
	if removed, err := s.UndoAttendance(ctx, e.ID, "s2", tk.ID); err != nil || removed {
		t.Fatalf("an undo of nothing: %v, %v", removed, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	removed := 0
	for range 10 {
		wg.Go(func() {
			ok, err := s.UndoAttendance(ctx, e.ID, "s1", tk.ID)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
			}
			if ok {
				removed++
			}
		})
	}
	wg.Wait()
	if removed != 1 {
		t.Fatalf("10 undos of one record at once: %d removed it", removed)
	}
	list, err := s.SessionAttendance(ctx, e.ID, "s1")
	if err != nil || len(list) != 1 || list[0].TicketID != other.ID {
		t.Fatalf("after the undo: %+v, %v", list, err)
	}

	record(tk.ID, t0.Add(time.Hour))
	list, err = s.SessionAttendance(ctx, e.ID, "s1")
	if err != nil || len(list) != 2 || list[1].TicketID != tk.ID || !list[1].At.Equal(t0.Add(time.Hour)) {
		t.Fatalf("recorded again after the undo: %+v, %v", list, err)
	}
}
