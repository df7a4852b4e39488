package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database at path to dst while
// other processes read and write it: VACUUM INTO reads one snapshot (WAL
// lets writers go on meanwhile). The copy is written beside dst, synced and
// only then linked in, so dst is either whole or absent; an existing dst is
// refused, never overwritten.
func Backup(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("%s exists already; back up to a new file", dst)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.partial")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	// VACUUM INTO wants a file that does not exist or is empty.
	defer os.Remove(tmpName)
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmpName); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	if err := syncFile(tmpName); err != nil {
		return err
	}
	if err := os.Link(tmpName, dst); err != nil {
		return err
	}
	return syncFile(filepath.Dir(dst))
}

// syncFile flushes a file, or a directory's entries, to the disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
