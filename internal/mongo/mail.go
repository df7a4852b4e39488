package mongo

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/mail"
)

var _ mail.Store = (*Store)(nil)

type mailDoc struct {
	ID            string            `bson:"_id"`
	To            string            `bson:"to"`
	Subject       string            `bson:"subject"`
	Text          string            `bson:"text"`
	HTML          string            `bson:"html"`
	Template      string            `bson:"template"`
	Lang          string            `bson:"lang"`
	Data          []byte            `bson:"data,omitempty"`
	Attachments   []mail.Attachment `bson:"attachments,omitempty"`
	Status        string            `bson:"status"`
	Attempts      int               `bson:"attempts"`
	LastError     string            `bson:"last_error"`
	Claim         string            `bson:"claim"`
	CreatedAt     bson.DateTime     `bson:"created_at"`
	NextAttemptAt bson.DateTime     `bson:"next_attempt_at"`
	SentAt        bson.DateTime     `bson:"sent_at"`
}

func (d mailDoc) message() mail.Message {
	return mail.Message{
		ID:            d.ID,
		To:            d.To,
		Subject:       d.Subject,
		Text:          d.Text,
		HTML:          d.HTML,
		Template:      d.Template,
		Data:          d.Data,
		Lang:          d.Lang,
		Attachments:   d.Attachments,
		Status:        mail.Status(d.Status),
		Attempts:      d.Attempts,
		LastError:     d.LastError,
		Claim:         d.Claim,
		CreatedAt:     fromDate(d.CreatedAt),
		NextAttemptAt: fromDate(d.NextAttemptAt),
		SentAt:        fromDate(d.SentAt),
	}
}

func (s *Store) PruneMail(ctx context.Context, before time.Time, kept bool) (int, error) {
	done := bson.A{bson.D{{Key: "status", Value: string(mail.StatusSent)}, {Key: "sent_at", Value: bson.D{{Key: "$lt", Value: date(before)}}}}}
	if kept {
		done = append(done, bson.D{{Key: "status", Value: string(mail.StatusPending)}, {Key: "created_at", Value: bson.D{{Key: "$lt", Value: date(before)}}}})
	}
	res, err := s.outbox.DeleteMany(ctx, bson.D{{Key: "$or", Value: done}})
	if err != nil {
		return 0, err
	}
	return int(res.DeletedCount), nil
}

func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	_, err := s.outbox.InsertOne(ctx, newMailDoc(m))
	return translate(err)
}

func newMailDoc(m mail.Message) mailDoc {
	return mailDoc{
		ID:            m.ID,
		To:            m.To,
		Subject:       m.Subject,
		Text:          m.Text,
		HTML:          m.HTML,
		Template:      m.Template,
		Data:          m.Data,
		Lang:          m.Lang,
		Attachments:   m.Attachments,
		Status:        string(m.Status),
		Attempts:      m.Attempts,
		LastError:     m.LastError,
		Claim:         m.Claim,
		CreatedAt:     date(m.CreatedAt),
		NextAttemptAt: date(m.NextAttemptAt),
		SentAt:        date(m.SentAt),
	}
}

func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, claim string) (mail.Message, error) {
	return decodeOne(s.outbox.FindOneAndUpdate(ctx,
		bson.D{
			{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{string(mail.StatusPending), string(mail.StatusSending)}}}},
			{Key: "next_attempt_at", Value: bson.D{{Key: "$lte", Value: date(now)}}},
		},
		bson.D{
			{Key: "$set", Value: bson.D{
				{Key: "status", Value: string(mail.StatusSending)},
				{Key: "claim", Value: claim},
				{Key: "next_attempt_at", Value: date(now.Add(lease))},
			}},
			{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
		},
		options.FindOneAndUpdate().
			SetSort(bson.D{{Key: "next_attempt_at", Value: 1}, {Key: "_id", Value: 1}}).
			SetReturnDocument(options.After),
	), mailDoc.message)
}

// markMail applies set only while id is sending under claim.
func (s *Store) markMail(ctx context.Context, id, claim string, set bson.D) error {
	res, err := s.outbox.UpdateOne(ctx,
		bson.D{
			{Key: "_id", Value: id},
			{Key: "claim", Value: claim},
			{Key: "status", Value: string(mail.StatusSending)},
		},
		bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return translate(err)
	}
	if res.MatchedCount == 0 {
		return errs.Wrapf(errs.Conflict, "mail %s is not held under this claim", id)
	}
	return nil
}

func (s *Store) MarkMailSent(ctx context.Context, id, claim string, at time.Time) error {
	return s.markMail(ctx, id, claim, bson.D{
		{Key: "status", Value: string(mail.StatusSent)},
		{Key: "sent_at", Value: date(at)},
		{Key: "last_error", Value: ""},
	})
}

func (s *Store) MarkMailRetry(ctx context.Context, id, claim string, next time.Time, lastErr string) error {
	return s.markMail(ctx, id, claim, bson.D{
		{Key: "status", Value: string(mail.StatusPending)},
		{Key: "next_attempt_at", Value: date(next)},
		{Key: "last_error", Value: lastErr},
	})
}

func (s *Store) MarkMailFailed(ctx context.Context, id, claim string, lastErr string) error {
	return s.markMail(ctx, id, claim, bson.D{
		{Key: "status", Value: string(mail.StatusFailed)},
		{Key: "last_error", Value: lastErr},
	})
}

func (s *Store) MailByID(ctx context.Context, id string) (mail.Message, error) {
	return decodeOne(s.outbox.FindOne(ctx, bson.D{{Key: "_id", Value: id}}), mailDoc.message)
}

func (s *Store) ListMail(ctx context.Context, q mail.Query) ([]mail.Message, int, error) {
	filter := bson.D{}
	if q.To != "" {
		filter = append(filter, bson.E{Key: "to", Value: strings.ToLower(q.To)})
	}
	docs, total, err := page[mailDoc](ctx, s.outbox, filter, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, mailDoc.message), total, nil
}
