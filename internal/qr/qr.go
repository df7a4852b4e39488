// Package qr draws QR codes as PNG images.
package qr

import "github.com/skip2/go-qrcode"

// Size is the side of an image in pixels: large enough to scan from a phone
// held at arm's length, and to print.
const Size = 512

// PNG draws text as a QR code with medium error correction. It takes
// milliseconds, so hot paths keep the text and draw it when it is shown.
func PNG(text string) ([]byte, error) {
	return qrcode.Encode(text, qrcode.Medium, Size)
}
