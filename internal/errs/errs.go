// Package errs is the single error vocabulary of Sprout: domain packages and
// store adapters return these kinds, and the web layer maps them to HTTP.
package errs

import (
	"errors"
	"fmt"
)

// Kind is the contract's error code.
type Kind string

const (
	Invalid           Kind = "invalid"
	Unauthorized      Kind = "unauthorized"
	Forbidden         Kind = "forbidden"
	NotFound          Kind = "not_found"
	Conflict          Kind = "conflict"
	SoldOut           Kind = "sold_out"
	AlreadyRegistered Kind = "already_registered"
	Closed            Kind = "closed"
	Stale             Kind = "stale"
	TooLarge          Kind = "too_large"
	RateLimited       Kind = "rate_limited"
	// Unavailable is a store that cannot take the request now (disk full,
	// shutting down): the client may try again later, nothing was written.
	Unavailable Kind = "unavailable"
	Internal    Kind = "internal"
)

// Error carries a kind, a message id for translation and optional details.
type Error struct {
	Kind Kind
	// MsgID names the translated message; empty means the kind's generic one.
	MsgID string
	// Field names the input the error is about, when there is one.
	Field string
	// Item is the 1-based place, in the list Field names, of the element
	// the error is about (a programme's second question), and Part that
	// element's own field ("label"), so that a form can mark the very
	// input; 0 and "" when the error is about Field as a whole.
	Item int
	Part string
	// Data fills placeholders of the translated message.
	Data map[string]any
	Err  error
}

func (e *Error) Error() string {
	s := string(e.Kind)
	if e.MsgID != "" {
		s += ": " + e.MsgID
	}
	if e.Field != "" {
		s += " (" + e.Field
		if e.Item > 0 {
			s += fmt.Sprintf("[%d].%s", e.Item, e.Part)
		}
		s += ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Args lists Data as name and value pairs, the way translators take them.
func (e *Error) Args() []any {
	out := make([]any, 0, 2*len(e.Data))
	for k, v := range e.Data {
		out = append(out, k, v)
	}
	return out
}

// Is makes errors.Is(err, errs.ErrNotFound) match any error of that kind,
// and a sentinel with a message id match any error with that id.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Field == "" && t.Err == nil && t.Kind == e.Kind && (t.MsgID == "" || t.MsgID == e.MsgID)
}

// Because is e with err as its cause, so that logs keep the cause and
// errors.Is(result, e) still holds.
func (e *Error) Because(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// Sentinels, one per kind, for errors.Is.
var (
	ErrInvalid      = &Error{Kind: Invalid}
	ErrUnauthorized = &Error{Kind: Unauthorized}
	ErrForbidden    = &Error{Kind: Forbidden}
	ErrNotFound     = &Error{Kind: NotFound}
	ErrConflict     = &Error{Kind: Conflict}
	ErrRateLimited  = &Error{Kind: RateLimited}
	ErrUnavailable  = &Error{Kind: Unavailable}
)

// Store errors that adapters answer instead of failing obscurely; both are
// Unavailable, so errors.Is(err, ErrUnavailable) matches them too.
var (
	// ErrStoreClosed is any call on a store after Close.
	ErrStoreClosed = &Error{Kind: Unavailable, MsgID: "error.store_closed"}
	// ErrStoreFull is a write the store could not make for lack of space.
	ErrStoreFull = &Error{Kind: Unavailable, MsgID: "error.store_full"}
)

// MessageID names the message that explains e: its own, or its kind's.
func (e *Error) MessageID() string {
	if e.MsgID != "" {
		return e.MsgID
	}
	return "error." + string(e.Kind)
}

// New makes an error of a kind with a message id.
func New(kind Kind, msgID string) *Error { return &Error{Kind: kind, MsgID: msgID} }

// Field makes an invalid-input error about one field.
func Field(field, msgID string) *Error {
	return &Error{Kind: Invalid, MsgID: msgID, Field: field}
}

// At is e about one part of the item-th element (1-based) of its field's
// list.
func (e *Error) At(item int, part string) *Error {
	c := *e
	c.Item, c.Part = item, part
	return &c
}

// Wrap attaches a kind to an underlying error.
func Wrap(kind Kind, err error) *Error { return &Error{Kind: kind, Err: err} }

// Wrapf attaches a kind and a formatted cause.
func Wrapf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Err: fmt.Errorf(format, args...)}
}

// KindOf is the kind of err; anything outside the vocabulary is internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the vocabulary error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// FieldErrors lists every vocabulary error inside err, in order, following
// errors.Join and wrapping, so that a form can show all its mistakes at
// once. A vocabulary error's own cause is not searched: it is one mistake.
func FieldErrors(err error) []*Error {
	switch x := err.(type) {
	case nil:
		return nil
	case *Error:
		return []*Error{x}
	case interface{ Unwrap() []error }:
		var out []*Error
		for _, e := range x.Unwrap() {
			out = append(out, FieldErrors(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return FieldErrors(x.Unwrap())
	}
	return nil
}
