package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/errs"
)

// maxJSON is the largest JSON body an endpoint reads. limitBody refuses a
// larger one before it is read, and anonymous routes' bodies over 64 KB.
const maxJSON = 1 << 20

// decodeJSON reads the body into dst strictly: valid UTF-8, one JSON value,
// no unknown fields, right types. Anything else is errs.Invalid.
func decodeJSON(c *fiber.Ctx, dst any) error {
	body, err := jsonBody(c)
	if err != nil {
		return err
	}
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

// jsonBody is the body as sent or, gzipped, inflated to at most one byte
// past maxJSON: c.Body() would inflate it whole, and a few KB of gzip can
// hold gigabytes. Other encodings are not JSON the API reads.
func jsonBody(c *fiber.Ctx) ([]byte, error) {
	raw := c.Request().Body()
	switch strings.ToLower(c.Get(fiber.HeaderContentEncoding)) {
	case "", "identity":
		return raw, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, &errs.Error{Kind: errs.Invalid, MsgID: "error.json_invalid", Err: err}
		}
		body, err := io.ReadAll(io.LimitReader(zr, maxJSON+1))
		if err != nil {
			return nil, &errs.Error{Kind: errs.Invalid, MsgID: "error.json_invalid", Err: err}
		}
		return body, nil
	}
	return nil, errs.New(errs.Invalid, "error.json_invalid")
}
