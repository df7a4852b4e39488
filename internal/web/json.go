package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
)

// maxJSON is the largest JSON body an endpoint reads.
const maxJSON = 1 << 20

// decodeJSON reads the body into dst strictly: valid UTF-8, one JSON value,
// no unknown fields, right types. Anything else is errs.Invalid.
func decodeJSON(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(body) > maxJSON {
		return errs.New(errs.TooLarge, "error.too_large")
	}
	if !utf8.Valid(body) {
		return errs.New(errs.Invalid, "error.json_utf8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &errs.Error{Kind: errs.Invalid, MsgID: "error.json_type", Field: te.Field, Data: map[string]any{"Field": te.Field}}
		}
		return &errs.Error{Kind: errs.Invalid, MsgID: "error.json_invalid", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return errs.New(errs.Invalid, "error.json_invalid")
	}
	return nil
}
