package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// stmts keeps prepared statements by query text: parsing SQL again for
// every call costs more than running it on the hot paths.
type stmts struct {
	db *sql.DB
	m  sync.Map
	// wanted holds queries first met inside a transaction: preparing them
	// there would wait for the connection the transaction holds, so they
	// are prepared once it ends.
	wanted sync.Map
}

func (c *stmts) lookup(q string) (*sql.Stmt, bool) {
	st, ok := c.m.Load(q)
	if !ok {
		c.wanted.Store(q, true)
		return nil, false
	}
	return st.(*sql.Stmt), true
}

func (c *stmts) prepareWanted(ctx context.Context) {
	c.wanted.Range(func(q, _ any) bool {
		c.wanted.Delete(q)
		c.get(ctx, q.(string))
		return true
	})
}

func (c *stmts) get(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.m.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := c.m.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

func (c *stmts) close() {
	c.m.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}

// exec runs a write on the writer connection.
func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := s.ws.get(ctx, q)
	if err != nil {
		return nil, s.unavailable(err)
	}
	res, err := st.ExecContext(ctx, args...)
	return res, s.unavailable(err)
}

// row is one row of an answer whose Scan words a closed or full store in
// the vocabulary.
type row struct {
	*sql.Row
	s *Store
}

func (r row) Scan(dest ...any) error { return r.s.unavailable(r.Row.Scan(dest...)) }

// wrow runs a write that returns a row (RETURNING) on the writer.
func (s *Store) wrow(ctx context.Context, q string, args ...any) row {
	st, err := s.ws.get(ctx, q)
	if err != nil {
		return row{s.w.QueryRowContext(ctx, q, args...), s}
	}
	return row{st.QueryRowContext(ctx, args...), s}
}

// row reads one row from the reader pool.
func (s *Store) row(ctx context.Context, q string, args ...any) row {
	st, err := s.rs.get(ctx, q)
	if err != nil {
		return row{s.r.QueryRowContext(ctx, q, args...), s}
	}
	return row{st.QueryRowContext(ctx, args...), s}
}

// rows reads rows from the reader pool.
func (s *Store) rows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.rs.get(ctx, q)
	if err != nil {
		return nil, s.unavailable(err)
	}
	rs, err := st.QueryContext(ctx, args...)
	return rs, s.unavailable(err)
}

// txExec and txRow run a cached statement inside a transaction.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st, ok := s.ws.lookup(q); ok {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

func (s *Store) txRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st, ok := s.ws.lookup(q); ok {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}
