package mongo

import (
	"bytes"
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
	driver "go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/errs"
	"sprout/internal/files"
)

var _ files.Store = (*Store)(nil)

// Files are kept in GridFS (the fs.files and fs.chunks collections) under
// their own id, with the name as GridFS's filename: a file may reach any
// size later (PDF attachments) while a document stops at 16 MB.
type fileMeta struct {
	ContentType string        `bson:"content_type"`
	CreatedAt   bson.DateTime `bson:"created_at"`
}

func (s *Store) PutFile(ctx context.Context, f files.File) error {
	// A bucket of its own: the driver's bucket notes without a lock whether
	// it has made its indexes yet, so concurrent uploads cannot share one.
	up, err := s.db.GridFSBucket().OpenUploadStreamWithID(ctx, f.ID, f.Name,
		options.GridFSUpload().SetMetadata(fileMeta{ContentType: f.ContentType, CreatedAt: date(f.CreatedAt)}))
	if err != nil {
		return err
	}
	_, err = up.Write(f.Data)
	if err == nil {
		err = up.Close()
	}
	switch {
	case err == nil:
		return nil
	case driver.IsDuplicateKeyError(err):
		// The id is taken, and the chunks under it are the other file's.
		return errs.Wrap(errs.Conflict, err)
	}
	// Abort would run on the upload's own context, which a failed Close
	// may have ended already, so the chunks written so far go with ours,
	// even when ours ended too. Chunks a dead process leaves are never
	// read: a file is found by its files document, written last.
	dctx, cancel := detached(ctx)
	defer cancel()
	_, derr := s.files.GetChunksCollection().DeleteMany(dctx, bson.D{{Key: "files_id", Value: f.ID}})
	return errors.Join(err, derr)
}

func (s *Store) File(ctx context.Context, id string) (files.File, error) {
	down, err := s.files.OpenDownloadStream(ctx, id)
	if err != nil {
		return files.File{}, fileError(err)
	}
	defer down.Close()
	gf := down.GetFile()
	var meta fileMeta
	if len(gf.Metadata) > 0 {
		if err := bson.Unmarshal(gf.Metadata, &meta); err != nil {
			return files.File{}, err
		}
	}
	data := bytes.NewBuffer(make([]byte, 0, gf.Length))
	if _, err := data.ReadFrom(down); err != nil {
		return files.File{}, err
	}
	return files.File{ID: id, Name: gf.Name, ContentType: meta.ContentType, Size: gf.Length, Data: data.Bytes(),
		CreatedAt: fromDate(meta.CreatedAt)}, nil
}

func (s *Store) DeleteFile(ctx context.Context, id string) error {
	return fileError(s.files.Delete(ctx, id))
}

func fileError(err error) error {
	if errors.Is(err, driver.ErrFileNotFound) {
		return errs.ErrNotFound
	}
	return translate(err)
}
