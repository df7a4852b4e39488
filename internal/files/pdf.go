package files

import (
	"bytes"
	"net/http"
	"strings"
	"unicode"

	"sprout/internal/errs"
)

// CheckPDF accepts a PDF of at most max bytes. Like CheckImage it judges
// the bytes: a PDF starts with "%PDF-", whatever its name says.
func CheckPDF(data []byte, max int64) (contentType string, err error) {
	if int64(len(data)) > max {
		return "", &errs.Error{Kind: errs.TooLarge, MsgID: "error.file_too_large", Data: map[string]any{"Max": sizeText(max)}}
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || http.DetectContentType(data) != "application/pdf" {
		return "", errs.New(errs.Invalid, "error.pdf_type")
	}
	return "application/pdf", nil
}

// CleanName keeps what is worth keeping of an uploaded file's name: some
// browsers send a whole path, and a name is no place for control
// characters or a novel.
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}
