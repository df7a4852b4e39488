package app

import "sprout/internal/sqlite"

// WithSQLiteOptions opens the embedded store with opts; tests only.
func WithSQLiteOptions(opts ...sqlite.Option) Option {
	return func(a *App) { a.sqliteOptions = opts }
}
