package web_test

import (
	"context"
	"errors"
	"testing"

	"sprout/internal/errs"
)

// Emails compare after NFC and lower case: "café" typed with a composed
// "é" or with "e" and an accent is one account.
func TestSignupEmailsCompareAfterNFCAndCase(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		nfc, nfd := "caf\u00e9@example.vn", "cafe\u0301@example.vn"
		signup := func(email string) *resp {
			return e.call("POST", "/api/v1/auth/signup", map[string]any{"email": email, "password": "mật khẩu quán cà phê", "name": "Quán Cà Phê"})
		}
		if got := signup(nfc).status(201).str("user.email"); got != nfc {
			t.Fatalf("stored email %q, want NFC", got)
		}
		for _, email := range []string{nfd, "CAFE\u0301@EXAMPLE.VN", "CAF\u00c9@example.vn"} {
			signup(email).errorCode(409, "conflict")
		}
		e.call("POST", "/api/v1/auth/login", map[string]any{"email": nfd, "password": "mật khẩu quán cà phê"}).status(200)
	})
}

// Addresses holding characters that show as nothing or turn the text
// around are refused beside the email field, in either language, and no
// account is made.
func TestSignupRefusesHiddenCharactersInEmails(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		for name, email := range map[string]string{
			"zero-width space":       "an\u200bna@example.vn",
			"right-to-left override": "anna\u202e@example.vn",
			"left-to-right mark":     "anna@exa\u200emple.vn",
			"cyrillic lookalike":     "\u0430nna@example.vn",
		} {
			msgs := map[string]bool{}
			for _, lang := range []string{"vi", "en"} {
				r := e.call("POST", "/api/v1/auth/signup", map[string]any{"email": email, "password": "mật khẩu đủ dài", "name": "Anna"},
					"Accept-Language", lang)
				msgs[r.errorCode(400, "invalid")] = true
				if r.get("error.field") != "email" {
					t.Fatalf("%s: %s", name, r.body)
				}
			}
			if len(msgs) != 2 {
				t.Fatalf("%s: one message for both languages: %v", name, msgs)
			}
			if _, err := e.app.Accounts.UserByEmail(context.Background(), email); !errors.Is(err, errs.ErrNotFound) {
				t.Fatalf("%s: an account was made: %v", name, err)
			}
		}
		if _, err := e.app.Accounts.UserByEmail(context.Background(), "anna@example.vn"); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("an account was made without the hidden character: %v", err)
		}
	})
}
