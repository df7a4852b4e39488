// Package sqlite is the embedded default store: one SQLite file under
// DATA_DIR (pure Go, no cgo), one writer connection beside a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"sprout/internal/errs"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store implements every domain store interface on SQLite.
type Store struct {
	path string
	w    *sql.DB // the single writer: SQLite allows one at a time anyway
	r    *sql.DB // readers, concurrent under WAL
	ws   stmts
	rs   stmts
	// jobs feeds the writer goroutine, which owns every write transaction.
	jobs       chan job
	writerDone chan struct{}
	// cp checkpoints the WAL (see checkpoints).
	cp              *sql.DB
	stopCheckpoints chan struct{}
	checkpointsDone chan struct{}
	// walLong is set once the WAL passes walTruncateAt, until restartWAL
	// starts it again.
	walLong   atomic.Bool
	closeOnce sync.Once
	// mu guards closed: a write handed to jobs after Close would panic on
	// the closed channel, so senders hold it for reading while they send.
	mu     sync.RWMutex
	closed bool
}

// Option adjusts a store at Open; none is reachable from configuration.
type Option func(*options)

type options struct {
	growth int
}

// MaxGrowth lets the database grow by n pages past its migrated size and no
// further, so that tests can make the store full without filling a disk.
func MaxGrowth(n int) Option { return func(o *options) { o.growth = n } }

// Open opens (creating when missing) the database file at path and brings
// its schema up to date.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	// In WAL mode synchronous(NORMAL) keeps every answered write through a
	// crash of the process (SIGKILL, panic, OOM); only a power cut may lose
	// the last commits. FULL would wait for the disk on each commit, which
	// triples the gates' p99 latency under a rush.
	dsn := func(extra string) string {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		return "file:" + path + "?" + q.Encode() + extra
	}
	// The writer never checkpoints: copying the WAL into the database inside
	// a commit stalls every request waiting on that commit. A connection of
	// its own checkpoints in the background instead.
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate&_pragma=wal_autocheckpoint(0)"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn("&mode=ro"))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	cp, err := sql.Open("sqlite", dsn(""))
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	cp.SetMaxOpenConns(1)
	s := &Store{path: path, w: w, r: r, cp: cp, ws: stmts{db: w}, rs: stmts{db: r}, jobs: make(chan job, maxBatch),
		writerDone: make(chan struct{}), stopCheckpoints: make(chan struct{}), checkpointsDone: make(chan struct{})}
	if err := s.migrate(ctx); err != nil {
		close(s.writerDone)
		close(s.checkpointsDone)
		s.closeDB()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	if o.growth > 0 {
		if err := s.capGrowth(ctx, o.growth); err != nil {
			close(s.writerDone)
			close(s.checkpointsDone)
			s.closeDB()
			return nil, err
		}
	}
	go s.writer()
	go s.checkpoints()
	return s, nil
}

// capGrowth sets max_page_count on the writer: its one connection lives as
// long as the store, so the cap, a setting of the connection, holds for
// every write.
func (s *Store) capGrowth(ctx context.Context, pages int) error {
	var n int
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&n); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", n+pages))
	return err
}

// walTruncateAt is the size of the WAL past which a checkpoint empties it.
// Under a steady rush readers never leave the WAL all at once, so it is
// never rewound from its start and grows without end (gigabytes in a
// minute) unless a checkpoint waits for them.
const walTruncateAt = 32 << 20

// restartWait bounds how long starting the log again waits for readers to
// leave it, holding writes back; when they have not, it is tried again.
const restartWait = 100 * time.Millisecond

// lookAtWAL flags the WAL once it passes walTruncateAt.
func (s *Store) lookAtWAL() {
	if fi, err := os.Stat(s.path + "-wal"); err == nil && fi.Size() > walTruncateAt {
		s.walLong.Store(true)
	}
}

// restartWAL copies the rest of the WAL into the database and has the next
// write start it from its beginning. It holds the writer's one connection,
// so no write runs meanwhile, and waits for readers at most restartWait;
// the flag stays when they have not left, for another try.
func (s *Store) restartWAL() {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", restartWait.Milliseconds())); err != nil {
		return
	}
	var busy, frames, copied int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &copied)
	if err == nil && busy == 0 {
		s.walLong.Store(false)
	}
	conn.ExecContext(ctx, "PRAGMA busy_timeout = 10000")
}

// checkpoints copies the WAL into the database every tenth of a second
// without holding up writers or readers. Once the WAL passes
// walTruncateAt it flags it for the writer to start again between two
// batches (restartWAL); when no batch comes by the next tick, it does so
// itself. It empties the WAL at Close.
func (s *Store) checkpoints() {
	defer close(s.checkpointsDone)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-s.stopCheckpoints:
			s.cp.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			return
		case <-t.C:
			if s.walLong.Load() {
				s.restartWAL()
				continue
			}
			s.cp.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			s.lookAtWAL()
		}
	}
}

// Close waits for queued writes, empties the WAL and closes every
// connection. A second Close does nothing.
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.jobs)
		s.mu.Unlock()
		<-s.writerDone
		close(s.stopCheckpoints)
		<-s.checkpointsDone
		err = s.closeDB()
	})
	return err
}

func (s *Store) closeDB() error {
	s.ws.close()
	s.rs.close()
	return errors.Join(s.r.Close(), s.w.Close(), s.cp.Close())
}

// Ping tells whether the database takes a write: a full disk still answers
// reads. The probe needs new pages (its value spills over two), is removed
// in the same transaction, and still reaches the disk at the commit.
func (s *Store) Ping(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO kv (key, value, expires_at) VALUES ('ready.probe', zeroblob(8192), 1)`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM kv WHERE key = 'ready.probe'`)
		return err
	})
}

// isClosed tells whether Close has begun.
func (s *Store) isClosed() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.closed
}

// unavailable words the failures of a store that cannot work now in the
// vocabulary: closed, or out of space or failing its disk (SQLITE_FULL and
// SQLITE_IOERR, extended codes included). Anything else stays as it is.
// Unavailable names an error of any call on the store as errs.ErrStoreClosed
// or errs.ErrStoreFull when it failed for that reason, and returns it as it
// is otherwise: a caller then answers "unavailable", not "internal".
func (s *Store) Unavailable(err error) error { return s.unavailable(err) }

func (s *Store) unavailable(err error) error {
	if err == nil {
		return nil
	}
	if s.isClosed() {
		return errs.ErrStoreClosed.Because(err)
	}
	if isFull(err) {
		return errs.ErrStoreFull.Because(err)
	}
	return err
}

func isFull(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
		return true
	}
	return false
}

// goSteps end the migrations that need what SQL cannot do, in their
// transaction.
var goSteps = map[string]func(context.Context, *sql.Tx) error{
	"0028_ticket_search": indexOldTickets,
}

// migrate applies the embedded migrations not yet applied, in name order,
// each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		version := strings.TrimSuffix(filepath.Base(name), ".sql")
		var seen int
		if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&seen); err != nil {
			return err
		}
		if seen > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.directTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", version, err)
			}
			if step := goSteps[version]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("%s: %w", version, err)
				}
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", version, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ms and fromMs keep times as Unix milliseconds; 0 is the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMs(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// translate maps SQLite errors into the domain's vocabulary.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return errs.Wrap(errs.Conflict, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return errs.Wrap(errs.NotFound, err)
		}
	}
	return err
}

// affected turns "no row changed" into errs.NotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errs.ErrNotFound
	}
	return nil
}

// likePattern makes a LIKE pattern that finds text anywhere, literally.
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}
