package qr_test

import (
	"crypto/rand"
	"encoding/base64"
	"testing"

	"sprout/internal/qr"
	"sprout/internal/qr/qrtest"
)

// Every ticket's QR code reads back to its token: tokens of a ticket's
// length, random, 100 of them.
func TestTicketSizedCodesReadBack(t *testing.T) {
	for range 100 {
		b := make([]byte, 258)
		rand.Read(b)
		text := base64.RawURLEncoding.EncodeToString(b)[:344]
		data, err := qr.PNG(text)
		if err != nil {
			t.Fatal(err)
		}
		got, err := qrtest.DecodePNG(data)
		if err != nil || got != text {
			t.Fatalf("%q read back as %q, %v", text, got, err)
		}
	}
}
