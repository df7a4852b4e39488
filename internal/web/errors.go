package web

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
	"sprout/internal/i18n"
)

var kindStatus = map[errs.Kind]int{
	errs.Invalid:           fiber.StatusBadRequest,
	errs.Unauthorized:      fiber.StatusUnauthorized,
	errs.Forbidden:         fiber.StatusForbidden,
	errs.NotFound:          fiber.StatusNotFound,
	errs.Conflict:          fiber.StatusConflict,
	errs.SoldOut:           fiber.StatusConflict,
	errs.AlreadyRegistered: fiber.StatusConflict,
	errs.Closed:            fiber.StatusConflict,
	errs.Stale:             fiber.StatusConflict,
	errs.TooLarge:          fiber.StatusRequestEntityTooLarge,
	errs.RateLimited:       fiber.StatusTooManyRequests,
	errs.Unavailable:       fiber.StatusServiceUnavailable,
	errs.Internal:          fiber.StatusInternalServerError,
}

// fromFiber turns Fiber's own errors (routing, body limit) into the
// vocabulary.
func fromFiber(fe *fiber.Error) *errs.Error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return errs.New(errs.NotFound, "")
	case fiber.StatusMethodNotAllowed:
		return errs.New(errs.NotFound, "")
	case fiber.StatusRequestEntityTooLarge:
		return errs.New(errs.TooLarge, "")
	case fiber.StatusTooManyRequests:
		return errs.New(errs.RateLimited, "")
	case fiber.StatusUnauthorized:
		return errs.New(errs.Unauthorized, "")
	case fiber.StatusForbidden:
		return errs.New(errs.Forbidden, "")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return errs.New(errs.Invalid, "")
	}
	return errs.New(errs.Internal, "")
}

// vocabulary finds the vocabulary error err is, Fiber's own errors
// translated; false for anything else, which is internal.
func vocabulary(err error) (*errs.Error, bool) {
	if e, ok := errs.As(err); ok {
		return e, true
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fromFiber(fe), true
	}
	return nil, false
}

func statusOf(e *errs.Error) int {
	if status := kindStatus[e.Kind]; status != 0 {
		return status
	}
	return fiber.StatusInternalServerError
}

// jsonError answers e in the contract's shape: {"error": {code, message,
// field}}, the message in the request's language. When more fields than
// one are wrong, "fields" names each with its message, so a client can
// mark them all at once; code, message and field stay the first one's.
func (s *Server) jsonError(c *fiber.Ctx, e *errs.Error, all ...*errs.Error) error {
	l := s.lang(c)
	body := fiber.Map{"code": string(e.Kind), "message": l.T(e.MessageID(), e.Args()...)}
	if e.Field != "" {
		body["field"] = e.Field
	}
	if fields := fieldMessages(l, all, func(e *errs.Error) string { return e.Field }); len(fields) > 1 {
		body["fields"] = fields
	}
	return c.Status(statusOf(e)).JSON(fiber.Map{"error": body})
}

// fieldMessages is each field's message in l, keyed by where names it, the
// first one kept when a field is wrong twice.
func fieldMessages(l i18n.Lang, list []*errs.Error, where func(*errs.Error) string) map[string]string {
	out := make(map[string]string, len(list))
	for _, e := range list {
		if _, seen := out[where(e)]; !seen {
			out[where(e)] = l.T(e.MessageID(), e.Args()...)
		}
	}
	return out
}

// formField names the input of a form that an error is about: its field,
// or for a row of a list (a programme's questions) that row's own input,
// as itemField names it.
func formField(e *errs.Error) string {
	if e.Item == 0 {
		return e.Field
	}
	return itemField(e.Field, e.Item, e.Part)
}

// itemField is the form's name for one part of a list's n-th row; a row's
// id is kept hidden, so a wrong one is told at its label.
func itemField(list string, n int, part string) string {
	if part == "id" {
		part = "label"
	}
	return fmt.Sprintf("%s-%d-%s", list, n, part)
}

// handleError is the one place errors leave the app: the contract's JSON
// under /api/, a friendly page elsewhere. Causes of internal errors are
// logged, never shown.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if s.Unavailable != nil {
		err = s.Unavailable(err)
	}
	e, ok := vocabulary(err)
	if !ok {
		e = errs.New(errs.Internal, "")
	}
	status := statusOf(e)
	if status >= 500 {
		s.log(c).ErrorContext(c.UserContext(), "request failed", "err", err, "path", c.Path())
	}
	if isAPI(c) || c.Locals(localLang) == nil {
		return s.jsonError(c, e, formMistakes(err)...)
	}
	c.Status(status)
	msg := s.lang(c).T(e.MessageID(), e.Args()...)
	return s.render(c, "errors/error", "error."+string(e.Kind)+".title", fiber.Map{"Status": status, "Message": msg, "Kind": string(e.Kind)})
}

// fieldError is every mistake in err as the message beside the field it is
// about, in the request's language, with the first one's status set, for a
// form shown again; false for an error outside the vocabulary or internal,
// which goes on to the error page.
func (s *Server) fieldError(c *fiber.Ctx, err error) (map[string]string, bool) {
	list := formMistakes(err)
	if len(list) == 0 {
		return nil, false
	}
	c.Status(statusOf(list[0]))
	return fieldMessages(s.lang(c), list, formField), true
}

// formMistakes lists the vocabulary errors in err a user can correct; none
// when any part of err is internal or outside the vocabulary, since then
// the form is not what went wrong.
func formMistakes(err error) []*errs.Error {
	list := errs.FieldErrors(err)
	for _, e := range list {
		if e.Kind == errs.Internal {
			return nil
		}
	}
	if len(list) == 0 {
		if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
			return []*errs.Error{e}
		}
	}
	return list
}

// goBack returns to the page an action came from with its outcome as a
// flash; an error no message explains goes on to the error page.
func (s *Server) goBack(c *fiber.Ctx, back, okID string, err error) error {
	if err == nil {
		return s.redirectFlash(c, back, "ok", okID)
	}
	msg, ok := asVocabulary(err)
	if !ok {
		return err
	}
	return s.redirectFlash(c, back, "error", msg)
}

// asVocabulary gives the message id of a vocabulary error a user can act
// on, for a flash after a redirect.
func asVocabulary(err error) (string, bool) {
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.Internal {
		return "", false
	}
	return e.MessageID(), true
}
