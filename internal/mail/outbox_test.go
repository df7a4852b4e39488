package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/mail"
)

func TestEnqueueStoresPendingMail(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	out := newOutbox(t, store)
	qr := mail.Attachment{Name: "qr.png", ContentType: "image/png", ContentID: "qr", Data: []byte{1, 2, 3}}
	before := time.Now().UTC().Truncate(time.Millisecond)

	m, err := out.Enqueue(ctx, " An.Nguyen@Example.VN ", "password_reset", "EN", resetData("An"), qr)
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, store, m.ID)
	if got.To != "an.nguyen@example.vn" || got.Lang != "en" || got.Template != "password_reset" ||
		got.Status != mail.StatusPending || got.Attempts != 0 || got.Subject != "" {
		t.Errorf("stored %+v", got)
	}
	shown, err := out.Render(context.Background(), got)
	if err != nil || shown.Subject != "Reset your Sprout password" || !strings.Contains(shown.Text, "https://sprout.local/reset/tok123?a=1&b=2") ||
		!strings.Contains(shown.HTML, "60") {
		t.Errorf("rendered from the stored data: %+v, %v", shown, err)
	}
	if got.CreatedAt.Before(before) || !got.NextAttemptAt.Equal(got.CreatedAt) || !got.CreatedAt.Equal(m.CreatedAt) {
		t.Errorf("times: created %v, next %v, returned %v", got.CreatedAt, got.NextAttemptAt, m.CreatedAt)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].ContentID != "qr" || string(got.Attachments[0].Data) != "\x01\x02\x03" {
		t.Errorf("attachments %+v", got.Attachments)
	}
	select {
	case <-out.Notify():
	default:
		t.Error("enqueue does not notify")
	}
}

func TestEnqueueRejects(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	out := newOutbox(t, store)
	for _, to := range []string{"", "not an address", "a@"} {
		if _, err := out.Enqueue(ctx, to, "password_reset", "vi", resetData("An")); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%q: %v, want invalid", to, err)
		}
	}
	if _, err := out.Enqueue(ctx, "an@example.vn", "no_such_mail", "vi", nil); err == nil {
		t.Error("unknown template enqueued")
	}
	if _, total, err := store.ListMail(ctx, mail.Query{Limit: 10}); err != nil || total != 0 {
		t.Errorf("rejected mails stored: %d, %v", total, err)
	}
}

func TestEnqueueOnceQueuesOneMailUnderAnID(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	out := newOutbox(t, store)
	for i, want := range []bool{true, false} {
		queued, err := out.EnqueueOnce(ctx, "cert-HN-2026-000001", "an@example.vn", "password_reset", "vi", resetData("An"))
		if err != nil || queued != want {
			t.Fatalf("call %d: queued %v, %v; want %v", i+1, queued, err, want)
		}
	}
	if _, total, err := store.ListMail(ctx, mail.Query{Limit: 10}); err != nil || total != 1 {
		t.Fatalf("%d mails kept, %v; want 1", total, err)
	}
	if got := byID(t, store, "cert-HN-2026-000001"); got.To != "an@example.vn" || got.Status != mail.StatusPending {
		t.Fatalf("kept %+v", got)
	}
}
