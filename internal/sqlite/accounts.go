package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

var _ accounts.Store = (*Store)(nil)

const userCols = `id, email, name, lang, password_hash, created_at, updated_at, last_sign_in_at, deactivated_at,
	(SELECT group_concat(role, ' ') FROM user_roles WHERE user_id = users.id)`

func scanUser(row interface{ Scan(...any) error }) (accounts.User, error) {
	var u accounts.User
	var created, updated, signedIn, deactivated int64
	var roles sql.NullString
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.PasswordHash, &created, &updated, &signedIn, &deactivated, &roles); err != nil {
		return u, translate(err)
	}
	u.CreatedAt, u.UpdatedAt = fromMs(created), fromMs(updated)
	u.LastSignInAt, u.DeactivatedAt = fromMs(signedIn), fromMs(deactivated)
	var rs []accounts.Role
	for _, r := range strings.Fields(roles.String) {
		rs = append(rs, accounts.Role(r))
	}
	u.Roles = accounts.SortRoles(rs)
	return u, nil
}

func (s *Store) CreateUser(ctx context.Context, u accounts.User) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, `INSERT INTO users (id, email, name, lang, password_hash, search, created_at, updated_at, last_sign_in_at, deactivated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Email, u.Name, u.Lang, u.PasswordHash, u.SearchKey(), ms(u.CreatedAt), ms(u.UpdatedAt), ms(u.LastSignInAt), ms(u.DeactivatedAt))
		if err != nil {
			return translate(err)
		}
		for _, r := range u.Roles {
			if _, err := s.txExec(ctx, tx, `INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

func (s *Store) UserByID(ctx context.Context, id string) (accounts.User, error) {
	return scanUser(s.row(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

func (s *Store) UserByEmail(ctx context.Context, email string) (accounts.User, error) {
	return scanUser(s.row(ctx, `SELECT `+userCols+` FROM users WHERE email = ?`, email))
}

func (s *Store) ListUsers(ctx context.Context, q accounts.UserQuery) ([]accounts.User, int, error) {
	where, args := []string{"1=1"}, []any{}
	if q.Text != "" {
		where = append(where, `search LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(q.Text))
	}
	if q.Role != "" {
		where = append(where, `EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)`)
		args = append(args, string(q.Role))
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.row(ctx, `SELECT count(*) FROM users WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.rows(ctx, `SELECT `+userCols+` FROM users WHERE `+cond+
		` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []accounts.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

func (s *Store) UpdateUserProfile(ctx context.Context, u accounts.User) error {
	return affected(s.exec(ctx, `UPDATE users SET name = ?, lang = ?, search = ?, updated_at = ? WHERE id = ?`,
		u.Name, u.Lang, u.SearchKey(), ms(u.UpdatedAt), u.ID))
}

func (s *Store) SetUserPassword(ctx context.Context, id, hash string, at time.Time) error {
	return affected(s.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, ms(at), id))
}

func (s *Store) AddUserRole(ctx context.Context, id string, r accounts.Role) error {
	_, err := s.exec(ctx, `INSERT OR IGNORE INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r))
	return translate(err)
}

func (s *Store) RemoveUserRole(ctx context.Context, id string, r accounts.Role) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := s.txRow(ctx, tx, `SELECT count(*) FROM users WHERE id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.ErrNotFound
		}
		_, err := s.txExec(ctx, tx, `DELETE FROM user_roles WHERE user_id = ? AND role = ?`, id, string(r))
		return err
	})
}

func (s *Store) RecordSignIn(ctx context.Context, id string, at time.Time) error {
	return affected(s.exec(ctx, `UPDATE users SET last_sign_in_at = ? WHERE id = ?`, ms(at), id))
}

// DeactivateUser marks the user and ends their tokens in one transaction.
func (s *Store) DeactivateUser(ctx context.Context, id string, at time.Time) error {
	return s.setActive(ctx, id, at, ms(at))
}

// ReactivateUser ends the user's tokens and marks them active in one
// transaction.
func (s *Store) ReactivateUser(ctx context.Context, id string, at time.Time) error {
	return s.setActive(ctx, id, at, 0)
}

func (s *Store) setActive(ctx context.Context, id string, at time.Time, deactivatedAt int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := affected(s.txExec(ctx, tx, `UPDATE users SET deactivated_at = ?, updated_at = ? WHERE id = ?`,
			deactivatedAt, ms(at), id)); err != nil {
			return err
		}
		_, err := s.txExec(ctx, tx, `DELETE FROM tokens WHERE user_id = ? AND kind IN (?, ?, ?)`,
			id, string(accounts.TokenSession), string(accounts.TokenAPI), string(accounts.TokenReset))
		return err
	})
}

func (s *Store) CreateToken(ctx context.Context, t accounts.Token) error {
	_, err := s.exec(ctx, `INSERT INTO tokens (hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.UserID, string(t.Kind), ms(t.CreatedAt), ms(t.ExpiresAt))
	return translate(err)
}

func scanToken(row interface{ Scan(...any) error }) (accounts.Token, error) {
	var t accounts.Token
	var kind string
	var created, expires int64
	if err := row.Scan(&t.Hash, &t.UserID, &kind, &created, &expires); err != nil {
		return t, translate(err)
	}
	t.Kind, t.CreatedAt, t.ExpiresAt = accounts.TokenKind(kind), fromMs(created), fromMs(expires)
	return t, nil
}

func (s *Store) TokenByHash(ctx context.Context, hash string, now time.Time) (accounts.Token, error) {
	return scanToken(s.row(ctx, `SELECT hash, user_id, kind, created_at, expires_at FROM tokens
		WHERE hash = ? AND expires_at > ?`, hash, ms(now)))
}

func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, `DELETE FROM tokens WHERE hash = ?`, hash)
	return err
}

// ResetPassword takes the token, sets the password and ends the user's
// tokens in one transaction.
func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (string, error) {
	var userID string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		err := s.txRow(ctx, tx, `DELETE FROM tokens WHERE hash = ? AND kind = ? AND expires_at > ? RETURNING user_id`,
			hash, string(accounts.TokenReset), ms(now)).Scan(&userID)
		if err != nil {
			return translate(err)
		}
		if err := affected(s.txExec(ctx, tx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
			passwordHash, ms(now), userID)); err != nil {
			return err
		}
		_, err = s.txExec(ctx, tx, `DELETE FROM tokens WHERE user_id = ? AND kind IN (?, ?, ?)`,
			userID, string(accounts.TokenSession), string(accounts.TokenAPI), string(accounts.TokenReset))
		return err
	})
	return userID, err
}

// ChangePassword sets the password and ends the user's other tokens in one
// transaction.
func (s *Store) ChangePassword(ctx context.Context, userID, passwordHash string, at time.Time, keep string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := affected(s.txExec(ctx, tx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`,
			passwordHash, ms(at), userID)); err != nil {
			return err
		}
		_, err := s.txExec(ctx, tx, `DELETE FROM tokens WHERE user_id = ? AND kind IN (?, ?, ?) AND hash <> ?`,
			userID, string(accounts.TokenSession), string(accounts.TokenAPI), string(accounts.TokenReset), keep)
		return err
	})
}

// RecoverAccounts finds nothing to finish: a reset is one transaction.
func (s *Store) RecoverAccounts(context.Context, time.Time) (int, error) { return 0, nil }

func (s *Store) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM tokens WHERE expires_at <= ?`, ms(now))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
