package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"sprout/internal/errs"
	"sprout/internal/files"
	"sprout/internal/ids"
)

// fileState is the file an operation stores or deletes.
type fileState struct {
	file files.File
}

// RunFileCrashPoints stops an upload and a deletion after each of their
// writes in turn and checks that a file reads back whole or not at all,
// and that uploading works again. open returns a new empty store and its
// faults.
func RunFileCrashPoints(t *testing.T, open func(t *testing.T) (FilesStore, Faults)) {
	runCrashOps(t, open, []crashOp[FilesStore, fileState]{
		{name: "PutFile", setup: func(t *testing.T, s FilesStore) fileState {
			return fileState{file: newFile(t)}
		}, run: func(s FilesStore, st fileState) error {
			return s.PutFile(context.Background(), st.file)
		}, done: func(t *testing.T, s FilesStore, st fileState) {
			if !fileWhole(t, s, st.file, "stored") {
				t.Fatal("a file stored cannot be read")
			}
		}, harmless: readWhole, recover: noRecovery, check: readWhole, again: uploadAgain},
		{name: "DeleteFile", setup: func(t *testing.T, s FilesStore) fileState {
			st := fileState{file: newFile(t)}
			if err := s.PutFile(context.Background(), st.file); err != nil {
				t.Fatal(err)
			}
			return st
		}, run: func(s FilesStore, st fileState) error {
			return s.DeleteFile(context.Background(), st.file.ID)
		}, done: func(t *testing.T, s FilesStore, st fileState) {
			if fileWhole(t, s, st.file, "deleted") {
				t.Fatal("a file deleted can still be read")
			}
		}, harmless: readWhole, recover: noRecovery, check: readWhole, again: uploadAgain},
	})
}

// newFile is larger than a GridFS chunk, so that it is stored in several.
func newFile(t *testing.T) files.File {
	data := make([]byte, 600<<10)
	rand.Read(data)
	return files.File{ID: ids.New(), Name: "Sơ đồ gian hàng.png", ContentType: "image/png", Data: data, CreatedAt: t0}
}

func readWhole(t *testing.T, s FilesStore, st fileState, when string) { fileWhole(t, s, st.file, when) }

// noRecovery: files need none, as a file is found by its description,
// written after its chunks and deleted before them.
func noRecovery(FilesStore, fileState) error { return nil }

// fileWhole tells whether f reads back, failing unless it reads back whole
// or is not found.
func fileWhole(t *testing.T, s FilesStore, f files.File, when string) bool {
	t.Helper()
	got, err := s.File(context.Background(), f.ID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return false
	case err != nil:
		t.Fatalf("%s: %v", when, err)
	case got.Name != f.Name || got.Size != int64(len(f.Data)) || !bytes.Equal(got.Data, f.Data):
		t.Fatalf("%s: the file reads back as %q, %d bytes, same %v", when, got.Name, got.Size, bytes.Equal(got.Data, f.Data))
	}
	return true
}

// uploadAgain uploads the file under a new id, as every upload has one.
func uploadAgain(t *testing.T, s FilesStore, st fileState) {
	f := st.file
	f.ID = ids.New()
	if err := s.PutFile(context.Background(), f); err != nil {
		t.Fatalf("uploading again: %v", err)
	}
	if !fileWhole(t, s, f, "uploaded again") {
		t.Fatal("a file uploaded again cannot be read")
	}
}
