// Package mailtest reads received mail the way a mail client shows it, for
// tests that hold a real SMTP conversation.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
)

// Part is one leaf of a MIME message, its body decoded.
type Part struct {
	Header textproto.MIMEHeader
	Body   []byte
}

// Message is a received message with its subject decoded and its leaves
// in order.
type Message struct {
	Header  netmail.Header
	Subject string
	Parts   []Part
}

// Find is the first leaf of media type mt.
func (m Message) Find(mt string) (Part, bool) {
	for _, p := range m.Parts {
		if got, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); got == mt {
			return p, true
		}
	}
	return Part{}, false
}

// Parse reads a message as it came over SMTP.
func Parse(data []byte) (Message, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("subject %q: %w", msg.Header.Get("Subject"), err)
	}
	m := Message{Header: msg.Header, Subject: subject}
	return m, walk(textproto.MIMEHeader(msg.Header), msg.Body, &m.Parts)
}

func walk(h textproto.MIMEHeader, body io.Reader, out *[]Part) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", h.Get("Content-Type"), err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header, p, out); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	*out = append(*out, Part{Header: h, Body: b})
	return nil
}
