// Package files keeps uploaded files (event banners, later attachments) in
// the store itself, so that instances behind a load balancer share them and
// a backup of the store holds everything.
package files

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"sprout/internal/errs"
)

// File is one stored file with its bytes.
type File struct {
	ID          string
	Name        string
	ContentType string
	Size        int64
	Data        []byte
	CreatedAt   time.Time
}

// Store keeps files by id. An unknown id is errs.NotFound; putting an id
// already taken is errs.Conflict.
type Store interface {
	PutFile(ctx context.Context, f File) error
	File(ctx context.Context, id string) (File, error)
	DeleteFile(ctx context.Context, id string) error
}

// imageTypes are the images every browser shows; SVG is left out because
// it can carry scripts.
var imageTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true}

// CheckImage accepts a JPEG, PNG or WebP image of at most max bytes and
// returns its content type. The type is judged by the bytes, never by a
// file name or a client's header, since both are the sender's to choose.
func CheckImage(data []byte, max int64) (contentType string, err error) {
	if int64(len(data)) > max {
		return "", &errs.Error{Kind: errs.TooLarge, MsgID: "error.file_too_large", Data: map[string]any{"Max": sizeText(max)}}
	}
	ct := http.DetectContentType(data)
	if !imageTypes[ct] {
		return "", errs.New(errs.Invalid, "error.image_type")
	}
	return ct, nil
}

// sizeText writes a byte count the way people read file sizes.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%g MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
