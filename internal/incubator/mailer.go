package incubator

import (
	"context"

	"sprout/internal/mail"
)

// Mailer queues mail.
type Mailer interface {
	Enqueue(ctx context.Context, to, template, lang string, data any, attachments ...mail.Attachment) (mail.Message, error)
}

// SetMailer makes decisions send their founder a mail.
func (s *Service) SetMailer(m Mailer) { s.mailer = m }

// mailDecision tells the founder of a decided application the decision,
// in the founder's language.
func (s *Service) mailDecision(ctx context.Context, a Application) error {
	if s.mailer == nil {
		return nil
	}
	p, err := s.store.Program(ctx, a.ProgramID)
	if err != nil {
		return err
	}
	// An internal programme's applications were filed on someone's
	// behalf, whose decision is told by the procedure they belong to.
	if p.Internal {
		return nil
	}
	u, err := s.users.User(ctx, a.FounderID)
	if err != nil {
		return err
	}
	title := p.Title
	if u.Lang == "en" && p.TitleEN != "" {
		title = p.TitleEN
	}
	_, err = s.mailer.Enqueue(ctx, u.Email, "decision", u.Lang, map[string]any{
		"Name": u.Name, "Program": title, "Startup": a.StartupName, "Decision": string(a.Status), "Note": a.DecisionNote,
	})
	return err
}
