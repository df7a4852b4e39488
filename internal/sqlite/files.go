package sqlite

import (
	"context"

	"sprout/internal/files"
)

var _ files.Store = (*Store)(nil)

func (s *Store) PutFile(ctx context.Context, f files.File) error {
	if f.Data == nil {
		f.Data = []byte{} // an empty file, not a missing one
	}
	_, err := s.exec(ctx, `INSERT INTO files (id, name, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		f.ID, f.Name, f.ContentType, int64(len(f.Data)), f.Data, ms(f.CreatedAt))
	return translate(err)
}

func (s *Store) File(ctx context.Context, id string) (files.File, error) {
	f := files.File{ID: id}
	var created int64
	err := s.row(ctx, `SELECT name, content_type, size, data, created_at FROM files WHERE id = ?`, id).
		Scan(&f.Name, &f.ContentType, &f.Size, &f.Data, &created)
	if err != nil {
		return files.File{}, translate(err)
	}
	f.CreatedAt = fromMs(created)
	return f, nil
}

func (s *Store) DeleteFile(ctx context.Context, id string) error {
	return affected(s.exec(ctx, `DELETE FROM files WHERE id = ?`, id))
}
