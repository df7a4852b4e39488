package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/ids"
)

// anonCookie holds a visitor's own random value, which a visitor's forms
// are bound to until they sign in.
const anonCookie = "sprout_csrf"

// anonKept is how long a visitor's value lives, as long as a form may
// stay open.
const anonKept = 12 * time.Hour

// csrf guards every form and every script call of the pages. A token is a
// hash of what only this browser holds, behind HttpOnly cookies: its
// session once signed in, else its own random value. Another site can
// neither read nor compute it; a token is worth nothing in another
// session; and nothing is written to the store for it, so visitors who
// post nothing cost nothing.
func (s *Server) csrf(c *fiber.Ctx) error {
	if isAPI(c) || isProbe(c) || isBanner(c) {
		return c.Next()
	}
	safe := c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead || c.Method() == fiber.MethodOptions
	binding := c.Cookies(sessionCookie)
	if binding == "" {
		binding = c.Cookies(anonCookie)
	}
	if binding == "" && safe {
		binding = ids.Secret()
		s.setCookie(c, anonCookie, binding, anonKept)
	}
	token := csrfToken(binding)
	c.Locals(localCSRF, token)
	if safe {
		return c.Next()
	}
	got, err := csrfFromFormOrHeader(c)
	if err != nil || binding == "" || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
		return s.csrfFailed(c, errors.Join(err, errors.New("csrf token does not match")))
	}
	return c.Next()
}

// csrfToken is the token of a browser holding binding; "" for none.
func csrfToken(binding string) string {
	if binding == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("sprout csrf\x00" + binding))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
