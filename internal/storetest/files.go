package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"

	"sprout/internal/errs"
	"sprout/internal/files"
)

// FilesStore is what an adapter implements for uploaded files.
type FilesStore interface {
	files.Store
}

// RunFiles runs the file store suite; open returns a new empty store.
func RunFiles(t *testing.T, open func(t *testing.T) FilesStore) {
	t.Run("RoundTrip", func(t *testing.T) { testFileRoundTrip(t, open(t)) })
	t.Run("Unknown", func(t *testing.T) { testFileUnknown(t, open(t)) })
	t.Run("Delete", func(t *testing.T) { testFileDelete(t, open(t)) })
}

func testFileRoundTrip(t *testing.T, s FilesStore) {
	ctx := context.Background()
	// Larger than a GridFS chunk and than most buffers on the way, and
	// random, so a chunk out of order or lost cannot go unnoticed.
	big := make([]byte, 3<<20)
	rand.Read(big)
	put := []files.File{
		{ID: "f-big", Name: "Sơ đồ gian hàng.png", ContentType: "image/png", Data: big, CreatedAt: t0},
		{ID: "f-small", Name: "logo.webp", ContentType: "image/webp", Data: []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), CreatedAt: t0},
		{ID: "f-empty", Name: "trống.txt", ContentType: "text/plain", CreatedAt: t0},
	}
	for _, f := range put {
		if err := s.PutFile(ctx, f); err != nil {
			t.Fatalf("PutFile(%s): %v", f.ID, err)
		}
	}
	for _, want := range put {
		got, err := s.File(ctx, want.ID)
		if err != nil || got.ID != want.ID || got.Name != want.Name || got.ContentType != want.ContentType ||
			got.Size != int64(len(want.Data)) || !bytes.Equal(got.Data, want.Data) || !got.CreatedAt.Equal(t0) {
			t.Fatalf("File(%s) = %s %q %s %d bytes (same: %v) %v, %v", want.ID, got.ID, got.Name, got.ContentType, got.Size,
				bytes.Equal(got.Data, want.Data), got.CreatedAt, err)
		}
	}
	wantKind(t, s.PutFile(ctx, files.File{ID: "f-small", Name: "other", ContentType: "image/png", Data: []byte("other"), CreatedAt: t0}),
		errs.Conflict, "PutFile with an id taken")
	if got, err := s.File(ctx, "f-small"); err != nil || got.Name != "logo.webp" || !bytes.Equal(got.Data, put[1].Data) {
		t.Fatalf("after a refused PutFile: %q %q, %v", got.Name, got.Data, err)
	}
}

func testFileUnknown(t *testing.T, s FilesStore) {
	_, err := s.File(context.Background(), "nope")
	wantKind(t, err, errs.NotFound, "File unknown")
	wantKind(t, s.DeleteFile(context.Background(), "nope"), errs.NotFound, "DeleteFile unknown")
}

func testFileDelete(t *testing.T, s FilesStore) {
	ctx := context.Background()
	for _, id := range []string{"keep", "drop"} {
		if err := s.PutFile(ctx, files.File{ID: id, Name: id + ".jpg", ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff" + id), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteFile(ctx, "drop"); err != nil {
		t.Fatalf("DeleteFile: %v", err)
	}
	_, err := s.File(ctx, "drop")
	wantKind(t, err, errs.NotFound, "File after delete")
	wantKind(t, s.DeleteFile(ctx, "drop"), errs.NotFound, "DeleteFile twice")
	if got, err := s.File(ctx, "keep"); err != nil || string(got.Data) != "\xff\xd8\xffkeep" {
		t.Fatalf("the other file after a delete: %q, %v", got.Data, err)
	}
}
