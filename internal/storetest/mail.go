package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/mail"
)

func newMail(to string, created time.Time) mail.Message {
	return mail.Message{
		ID: ids.New(), To: to, Subject: "Đặt lại mật khẩu", Text: "Xin chào", HTML: "<p>Xin chào</p>",
		Template: "password_reset", Lang: "vi", Data: []byte(`{"Name":"Lan"}`), Status: mail.StatusPending, CreatedAt: created, NextAttemptAt: created,
	}
}

func testOutbox(t *testing.T, s Store) {
	ctx := context.Background()
	a := newMail("a@example.vn", t0)
	a.Attachments = []mail.Attachment{{Name: "qr.png", ContentType: "image/png", ContentID: "qr", Data: []byte{0x89, 'P', 'N', 'G'}}}
	b := newMail("b@example.vn", t0.Add(time.Second))
	later := newMail("a@example.vn", t0.Add(2*time.Second))
	later.NextAttemptAt = t0.Add(time.Hour)
	for _, m := range []mail.Message{a, b, later} {
		if err := s.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.MailByID(ctx, a.ID)
	if err != nil || got.Subject != a.Subject || got.HTML != a.HTML || got.Text != a.Text || got.Lang != "vi" ||
		got.Template != "password_reset" || string(got.Data) != `{"Name":"Lan"}` || got.Status != mail.StatusPending || !got.CreatedAt.Equal(t0) ||
		len(got.Attachments) != 1 || got.Attachments[0].ContentID != "qr" || string(got.Attachments[0].Data) != "\x89PNG" {
		t.Fatalf("MailByID = %+v, %v", got, err)
	}
	_, err = s.MailByID(ctx, "nope")
	wantKind(t, err, errs.NotFound, "MailByID unknown")

	lease := 2 * time.Minute
	c1, err := s.ClaimMail(ctx, t0.Add(5*time.Second), lease, "w1")
	if err != nil || c1.ID != a.ID || c1.Status != mail.StatusSending || c1.Attempts != 1 || c1.Claim != "w1" {
		t.Fatalf("first claim = %+v, %v; want the oldest due message", c1, err)
	}
	c2, err := s.ClaimMail(ctx, t0.Add(5*time.Second), lease, "w2")
	if err != nil || c2.ID != b.ID {
		t.Fatalf("second claim = %+v, %v", c2, err)
	}
	_, err = s.ClaimMail(ctx, t0.Add(5*time.Second), lease, "w3")
	wantKind(t, err, errs.NotFound, "claim with nothing due")

	wantKind(t, s.MarkMailSent(ctx, a.ID, "w2", t0), errs.Conflict, "marking under another claim")
	if err := s.MarkMailSent(ctx, a.ID, "w1", t0.Add(6*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MailByID(ctx, a.ID); got.Status != mail.StatusSent || !got.SentAt.Equal(t0.Add(6*time.Second)) {
		t.Fatalf("after sent: %+v", got)
	}
	wantKind(t, s.MarkMailRetry(ctx, a.ID, "w1", t0, "x"), errs.Conflict, "retrying a sent message")

	next := t0.Add(time.Minute)
	if err := s.MarkMailRetry(ctx, b.ID, "w2", next, "421 try later"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MailByID(ctx, b.ID); got.Status != mail.StatusPending || got.LastError != "421 try later" || !got.NextAttemptAt.Equal(next) {
		t.Fatalf("after retry: %+v", got)
	}
	_, err = s.ClaimMail(ctx, next.Add(-time.Second), lease, "w4")
	wantKind(t, err, errs.NotFound, "claim before the retry is due")
	c3, err := s.ClaimMail(ctx, next, lease, "w4")
	if err != nil || c3.ID != b.ID || c3.Attempts != 2 {
		t.Fatalf("claim of the retried message = %+v, %v", c3, err)
	}
	// A worker that died: its lease runs out and another worker takes over.
	c4, err := s.ClaimMail(ctx, next.Add(lease), lease, "w5")
	if err != nil || c4.ID != b.ID || c4.Attempts != 3 || c4.Claim != "w5" {
		t.Fatalf("claim after the lease ran out = %+v, %v", c4, err)
	}
	wantKind(t, s.MarkMailSent(ctx, b.ID, "w4", next), errs.Conflict, "the late worker marking")
	if err := s.MarkMailFailed(ctx, b.ID, "w5", "550 no such user"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MailByID(ctx, b.ID); got.Status != mail.StatusFailed || got.LastError != "550 no such user" {
		t.Fatalf("after failed: %+v", got)
	}
	_, err = s.ClaimMail(ctx, t0.Add(10*time.Hour), lease, "w6")
	if err != nil {
		t.Fatalf("the later message becomes due: %v", err)
	}

	list, total, err := s.ListMail(ctx, mail.Query{Limit: 10})
	if err != nil || total != 3 || len(list) != 3 || list[0].ID != later.ID || list[2].ID != a.ID {
		t.Fatalf("ListMail newest first = %d %v", total, err)
	}
	list, total, err = s.ListMail(ctx, mail.Query{To: "a@example.vn", Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("ListMail by recipient, page 2 = %d %v", total, err)
	}
}

func testOutboxClaimOnce(t *testing.T, s Store) {
	ctx := context.Background()
	const msgs, workers = 10, 8
	for i := range msgs {
		if err := s.EnqueueMail(ctx, newMail(fmt.Sprintf("u%d@example.vn", i), t0.Add(time.Duration(i)*time.Millisecond))); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	claimed := map[string]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				m, err := s.ClaimMail(ctx, t0.Add(time.Minute), time.Hour, fmt.Sprint("w", w))
				if errs.KindOf(err) == errs.NotFound {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				claimed[m.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claimed) != msgs {
		t.Fatalf("%d of %d messages claimed", len(claimed), msgs)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Fatalf("message %s claimed %d times by %d concurrent workers", id, n, workers)
		}
	}
}

// testPruneMail: mail done with before a time goes; mail still to send,
// or sent later, stays. Without SMTP, mail kept for the Mailbox goes too.
func testPruneMail(t *testing.T, s Store) {
	ctx := context.Background()
	sentOld, sentNew := newMail("cu@example.vn", t0), newMail("moi@example.vn", t0)
	sentOld.Status, sentOld.SentAt = mail.StatusSent, t0.Add(time.Hour)
	sentNew.Status, sentNew.SentAt = mail.StatusSent, t0.Add(72*time.Hour)
	waiting := newMail("cho@example.vn", t0)
	for _, m := range []mail.Message{sentOld, sentNew, waiting} {
		if err := s.EnqueueMail(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	cut := t0.Add(48 * time.Hour)
	if n, err := s.PruneMail(ctx, cut, false); err != nil || n != 1 {
		t.Fatalf("PruneMail with SMTP = %d, %v; want the one sent before the cut", n, err)
	}
	if _, err := s.MailByID(ctx, sentOld.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("mail sent before the cut is still kept: %v", err)
	}
	for _, id := range []string{sentNew.ID, waiting.ID} {
		if _, err := s.MailByID(ctx, id); err != nil {
			t.Fatalf("mail %s went: %v", id, err)
		}
	}
	if n, err := s.PruneMail(ctx, cut, true); err != nil || n != 1 {
		t.Fatalf("PruneMail without SMTP = %d, %v; want the one queued before the cut", n, err)
	}
	if _, err := s.MailByID(ctx, sentNew.ID); err != nil {
		t.Fatalf("mail sent after the cut went: %v", err)
	}
}
