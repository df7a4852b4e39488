package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"sprout/internal/clock"
	"sprout/internal/migrate"
	"sprout/internal/mongo"
	"sprout/internal/sqlite"
)

// cmdMigrate copies the embedded store in DATA_DIR into the empty MongoDB
// database --to names, verifies the copy, and leaves the target empty
// again when either fails.
func cmdMigrate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	to := fs.String("to", "", "the MongoDB URI of the empty database to copy into")
	dryRun := fs.Bool("dry-run", false, "count what would be copied and look whether the target is empty; write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() > 0 {
		return errors.New("usage: sprout migrate --to mongodb://host/database [--dry-run]")
	}
	cfg, err := LoadConfig(func(k string) string {
		// The source is the embedded store whatever the environment says.
		if k == "MONGODB_URI" {
			return ""
		}
		return os.Getenv(k)
	})
	if err != nil {
		return err
	}
	dst, err := newMongoDestination(*to)
	if err != nil {
		return err
	}
	// Opening a missing file would make an empty store and copy nothing.
	if _, err := os.Stat(cfg.SQLitePath()); err != nil {
		return fmt.Errorf("no embedded store to migrate: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	src, err := sqlite.Open(octx, cfg.SQLitePath())
	cancel()
	if err != nil {
		return fmt.Errorf("open SQLite at %s: %w", cfg.SQLitePath(), err)
	}
	defer src.Close()
	return migrate.Run(ctx, src, dst, migrate.Options{DryRun: *dryRun, Clock: clock.System{Offset: cfg.ClockOffset}, Out: stdout})
}

// mongoDestination is a MongoDB database named by URI.
type mongoDestination struct {
	uri, shown string
}

func newMongoDestination(uri string) (mongoDestination, error) {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "mongodb" && u.Scheme != "mongodb+srv") || u.Host == "" {
		return mongoDestination{}, errors.New("--to must be a MongoDB URI: mongodb:// or mongodb+srv://, a host, and the database as its path")
	}
	// Reports name the database without its credentials or options.
	u.User, u.RawQuery = nil, ""
	if u.Path == "" || u.Path == "/" {
		u.Path = "/" + mongo.DefaultDatabase
	}
	return mongoDestination{uri: uri, shown: u.String()}, nil
}

func (d mongoDestination) String() string { return d.shown }

func (d mongoDestination) Occupied(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return mongo.Occupied(ctx, d.uri)
}

func (d mongoDestination) Open(ctx context.Context) (migrate.Target, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The copy is the only writer and never reads a document to change
	// it, so FerretDB's lost updates cannot happen here; serving on the
	// copy is another matter, which serve decides.
	s, err := mongo.Open(ctx, d.uri, mongo.AcceptFerretDBPool())
	if err != nil {
		return nil, fmt.Errorf("open MongoDB: %w", err)
	}
	return s, nil
}
