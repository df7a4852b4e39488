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

// Codes drawn for print read back to their texts, in order; an empty text
// gives no image.
func TestForPrintReadsBackInOrder(t *testing.T) {
	texts := []string{"https://sprout.vn/verify/HN-2026-000001", "", "https://sprout.vn/verify/HN-2026-000003"}
	images, err := qr.ForPrint(texts)
	if err != nil || len(images) != 3 || images[1] != nil {
		t.Fatalf("ForPrint = %d images, %v", len(images), err)
	}
	for _, i := range []int{0, 2} {
		if got, err := qrtest.DecodePNG(images[i]); err != nil || got != texts[i] {
			t.Fatalf("image %d reads %q, %v; want %q", i, got, err, texts[i])
		}
	}
}
