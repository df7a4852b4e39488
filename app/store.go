package app

import (
	"context"
	"fmt"
	"sprout/internal/certification"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/audit"
	"sprout/internal/certs"
	"sprout/internal/checkin"
	"sprout/internal/events"
	"sprout/internal/expo"
	"sprout/internal/files"
	"sprout/internal/impact"
	"sprout/internal/incubator"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/kv"
	"sprout/internal/mail"
	"sprout/internal/mongo"
	"sprout/internal/sqlite"
	"sprout/internal/staffing"
	"sprout/internal/tickets"
	"sprout/internal/training"
	"sprout/internal/workdays"
)

// Store is everything the app needs from storage; both adapters implement it.
type Store interface {
	accounts.Store
	kv.Store
	mail.Store
	events.Store
	files.Store
	tickets.Store
	keys.Store
	checkin.Store
	incubator.Store
	staffing.Store
	expo.Store
	integrity.Store
	audit.Store
	certs.Store
	training.Store
	workdays.Store
	certification.Store
	impact.Store
	Ping(ctx context.Context) error
	// Unavailable names an error the store failed with for lack of a
	// connection or of space, so it is answered as such.
	Unavailable(err error) error
	Close() error
}

// openStore picks MongoDB when MONGODB_URI is set, the embedded SQLite file
// under DATA_DIR otherwise; with MongoDB nothing is written to DATA_DIR.
func openStore(ctx context.Context, c Config, sqliteOptions ...sqlite.Option) (Store, string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if c.MongoURI != "" {
		var opts []mongo.Option
		if c.FerretDBPool {
			opts = append(opts, mongo.AcceptFerretDBPool())
		}
		s, err := mongo.Open(ctx, c.MongoURI, opts...)
		if err != nil {
			return nil, "", fmt.Errorf("open MongoDB: %w", err)
		}
		return s, "mongodb", nil
	}
	s, err := sqlite.Open(ctx, c.SQLitePath(), sqliteOptions...)
	if err != nil {
		return nil, "", fmt.Errorf("open SQLite at %s: %w", c.SQLitePath(), err)
	}
	return s, "sqlite", nil
}
