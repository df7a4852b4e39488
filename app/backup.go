package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"sprout/internal/sqlite"
)

// cmdBackup copies the embedded store in DATA_DIR to a new file, also while
// a server runs on it.
func cmdBackup(args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "" || args[0][0] == '-' {
		return errors.New("usage: sprout backup FILE   (FILE must not exist yet)")
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return errors.New("MONGODB_URI is set: sprout backup copies the embedded store only; back MongoDB up with mongodump (or your provider's snapshots)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := sqlite.Backup(ctx, cfg.SQLitePath(), args[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.SQLitePath(), args[0])
	return nil
}
