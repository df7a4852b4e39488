package mongo

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

var _ accounts.Store = (*Store)(nil)

type userDoc struct {
	ID    string `bson:"_id"`
	Email string `bson:"email"`
	// EmailKey carries the unique index: emails compare without regard to
	// ASCII case, as SQLite's NOCASE does, while Email keeps what was given.
	EmailKey     string        `bson:"email_key"`
	Name         string        `bson:"name"`
	Lang         string        `bson:"lang"`
	PasswordHash string        `bson:"password_hash"`
	Search       string        `bson:"search"`
	Roles        []string      `bson:"roles"`
	CreatedAt    bson.DateTime `bson:"created_at"`
	UpdatedAt    bson.DateTime `bson:"updated_at"`
	// LastSignInAt is absent before the first sign-in, DeactivatedAt
	// while the user is active.
	LastSignInAt  bson.DateTime `bson:"last_sign_in_at,omitempty"`
	DeactivatedAt bson.DateTime `bson:"deactivated_at,omitempty"`
}

func (d userDoc) user() accounts.User {
	rs := make([]accounts.Role, len(d.Roles))
	for i, r := range d.Roles {
		rs[i] = accounts.Role(r)
	}
	return accounts.User{
		ID:            d.ID,
		Email:         d.Email,
		Name:          d.Name,
		Roles:         accounts.SortRoles(rs),
		Lang:          d.Lang,
		PasswordHash:  d.PasswordHash,
		CreatedAt:     fromDate(d.CreatedAt),
		UpdatedAt:     fromDate(d.UpdatedAt),
		LastSignInAt:  fromDate(d.LastSignInAt),
		DeactivatedAt: fromDate(d.DeactivatedAt),
	}
}

func emailKey(email string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, email)
}

func (s *Store) CreateUser(ctx context.Context, u accounts.User) error {
	// Always an array, never null, so $addToSet and $pull apply to it.
	roles := []string{}
	for _, r := range u.Roles {
		if !slices.Contains(roles, string(r)) {
			roles = append(roles, string(r))
		}
	}
	_, err := s.users.InsertOne(ctx, userDoc{
		ID:            u.ID,
		Email:         u.Email,
		EmailKey:      emailKey(u.Email),
		Name:          u.Name,
		Lang:          u.Lang,
		PasswordHash:  u.PasswordHash,
		Search:        u.SearchKey(),
		Roles:         roles,
		CreatedAt:     date(u.CreatedAt),
		UpdatedAt:     date(u.UpdatedAt),
		LastSignInAt:  date(u.LastSignInAt),
		DeactivatedAt: date(u.DeactivatedAt),
	})
	return translate(err)
}

func (s *Store) findUser(ctx context.Context, filter bson.D) (accounts.User, error) {
	return decodeOne(s.users.FindOne(ctx, filter), userDoc.user)
}

func (s *Store) UserByID(ctx context.Context, id string) (accounts.User, error) {
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) UserByEmail(ctx context.Context, email string) (accounts.User, error) {
	return s.findUser(ctx, bson.D{{Key: "email_key", Value: emailKey(email)}})
}

func (s *Store) ListUsers(ctx context.Context, q accounts.UserQuery) ([]accounts.User, int, error) {
	filter := bson.D{}
	if q.Text != "" {
		// "i" because SQLite's LIKE ignores ASCII case.
		filter = append(filter, bson.E{Key: "search", Value: bson.Regex{Pattern: regexp.QuoteMeta(q.Text), Options: "i"}})
	}
	if q.Role != "" {
		filter = append(filter, bson.E{Key: "roles", Value: string(q.Role)})
	}
	docs, total, err := page[userDoc](ctx, s.users, filter, q.Offset, q.Limit)
	if err != nil {
		return nil, 0, err
	}
	return convert(docs, userDoc.user), total, nil
}

func (s *Store) UpdateUserProfile(ctx context.Context, u accounts.User) error {
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: u.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: u.Name},
		{Key: "lang", Value: u.Lang},
		{Key: "search", Value: u.SearchKey()},
		{Key: "updated_at", Value: date(u.UpdatedAt)},
	}}}))
}

func (s *Store) SetUserPassword(ctx context.Context, id, hash string, at time.Time) error {
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "password_hash", Value: hash},
		{Key: "updated_at", Value: date(at)},
	}}}))
}

func (s *Store) AddUserRole(ctx context.Context, id string, r accounts.Role) error {
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "roles", Value: string(r)}}}}))
}

func (s *Store) RemoveUserRole(ctx context.Context, id string, r accounts.Role) error {
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: "roles", Value: string(r)}}}}))
}

func (s *Store) RecordSignIn(ctx context.Context, id string, at time.Time) error {
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "last_sign_in_at", Value: date(at)}}}}))
}

// DeactivateUser marks the user first, so that from then on the service
// refuses their tokens, then ends them; after the first write the rest
// runs to its end even if the client goes away.
func (s *Store) DeactivateUser(ctx context.Context, id string, at time.Time) error {
	if err := matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "deactivated_at", Value: date(at)},
		{Key: "updated_at", Value: date(at)},
	}}})); err != nil {
		return err
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	return s.endTokens(ctx, id, "")
}

// ReactivateUser ends the user's tokens before marking them active, so
// that none left by a deactivation a process died in comes back to life.
func (s *Store) ReactivateUser(ctx context.Context, id string, at time.Time) error {
	if err := s.endTokens(ctx, id, ""); err != nil {
		return err
	}
	return matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$unset", Value: bson.D{{Key: "deactivated_at", Value: ""}}},
		{Key: "$set", Value: bson.D{{Key: "updated_at", Value: date(at)}}},
	}))
}

type tokenDoc struct {
	Hash      string        `bson:"_id"`
	UserID    string        `bson:"user_id"`
	Kind      string        `bson:"kind"`
	CreatedAt bson.DateTime `bson:"created_at"`
	ExpiresAt bson.DateTime `bson:"expires_at"`
	// UsedAt and Password mark a reset token taken: it opens nothing more
	// and carries its reset, which RecoverAccounts finishes when the
	// process making it died.
	UsedAt   bson.DateTime `bson:"used_at,omitempty"`
	Password string        `bson:"password,omitempty"`
}

// unused matches the tokens no reset has taken.
var unused = bson.E{Key: "used_at", Value: bson.D{{Key: "$exists", Value: false}}}

func (d tokenDoc) token() accounts.Token {
	return accounts.Token{
		Hash:      d.Hash,
		UserID:    d.UserID,
		Kind:      accounts.TokenKind(d.Kind),
		CreatedAt: fromDate(d.CreatedAt),
		ExpiresAt: fromDate(d.ExpiresAt),
	}
}

// CreateToken refuses a token of an unknown user with errs.NotFound, as the
// SQLite store's foreign key does. No store method deletes a user, so
// checking first leaves no window for an orphan.
func (s *Store) CreateToken(ctx context.Context, t accounts.Token) error {
	n, err := s.users.CountDocuments(ctx, bson.D{{Key: "_id", Value: t.UserID}}, options.Count().SetLimit(1))
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return errs.Wrapf(errs.NotFound, "user %s does not exist", t.UserID)
	}
	_, err = s.tokens.InsertOne(ctx, tokenDoc{
		Hash:      t.Hash,
		UserID:    t.UserID,
		Kind:      string(t.Kind),
		CreatedAt: date(t.CreatedAt),
		ExpiresAt: date(t.ExpiresAt),
	})
	return translate(err)
}

func (s *Store) TokenByHash(ctx context.Context, hash string, now time.Time) (accounts.Token, error) {
	return decodeOne(s.tokens.FindOne(ctx, bson.D{
		{Key: "_id", Value: hash},
		{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: date(now)}}},
		unused,
	}), tokenDoc.token)
}

func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	_, err := s.tokens.DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	return err
}

// DeleteExpiredTokens keeps a taken reset token, expired or not, until its
// reset is finished.
func (s *Store) DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error) {
	res, err := s.tokens.DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: date(now)}}}, unused})
	if err != nil {
		return 0, err
	}
	return int(res.DeletedCount), nil
}

// ResetPassword takes the token, writing the reset into it, then finishes
// the reset; a process that dies after taking it leaves the reset in the
// token for RecoverAccounts. Once taken, the rest runs to its end even if
// the client goes away.
func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (string, error) {
	var t tokenDoc
	err := s.tokens.FindOneAndUpdate(ctx,
		bson.D{
			{Key: "_id", Value: hash},
			{Key: "kind", Value: string(accounts.TokenReset)},
			{Key: "expires_at", Value: bson.D{{Key: "$gt", Value: date(now)}}},
			unused,
		},
		bson.D{{Key: "$set", Value: bson.D{{Key: "used_at", Value: date(now)}, {Key: "password", Value: passwordHash}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&t)
	if err != nil {
		return "", translate(err)
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	return t.UserID, s.finishReset(ctx, t)
}

// finishReset writes what a taken reset token carries. The user's tokens
// end before the new password works, so no session made before the reset
// outlives it, and once more after, for one opened with the old password
// meanwhile; the token goes last, as it holds the reset until then. Each
// step may run again.
func (s *Store) finishReset(ctx context.Context, t tokenDoc) error {
	if err := s.endTokens(ctx, t.UserID, t.Hash); err != nil {
		return err
	}
	if _, err := s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: t.UserID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "password_hash", Value: t.Password},
		{Key: "updated_at", Value: t.UsedAt},
	}}}); err != nil {
		return err
	}
	if err := s.endTokens(ctx, t.UserID, t.Hash); err != nil {
		return err
	}
	_, err := s.tokens.DeleteOne(ctx, bson.D{{Key: "_id", Value: t.Hash}})
	return err
}

// endTokens deletes the user's sessions, API tokens and reset tokens but
// keep ("" for none). A reset token already taken stays: its own reset
// deletes it once finished.
func (s *Store) endTokens(ctx context.Context, userID, keep string) error {
	_, err := s.tokens.DeleteMany(ctx, bson.D{
		{Key: "user_id", Value: userID},
		{Key: "kind", Value: bson.D{{Key: "$in", Value: bson.A{
			string(accounts.TokenSession), string(accounts.TokenAPI), string(accounts.TokenReset),
		}}}},
		{Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}},
		unused,
	})
	return err
}

// ChangePassword ends the user's other tokens before the new password
// works and once more after, as finishReset does; whatever step a process
// dies after, no other session outlives the new password. After the first
// write the rest runs to its end even if the client goes away.
func (s *Store) ChangePassword(ctx context.Context, userID, passwordHash string, at time.Time, keep string) error {
	if err := s.endTokens(ctx, userID, keep); err != nil {
		return err
	}
	ctx, cancel := detached(ctx)
	defer cancel()
	if err := matched(s.users.UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "password_hash", Value: passwordHash},
		{Key: "updated_at", Value: date(at)},
	}}})); err != nil {
		return err
	}
	return s.endTokens(ctx, userID, keep)
}

// RecoverAccounts finishes the resets whose tokens were taken before
// olderThan and are still there.
func (s *Store) RecoverAccounts(ctx context.Context, olderThan time.Time) (int, error) {
	cur, err := s.tokens.Find(ctx, bson.D{{Key: "used_at", Value: bson.D{{Key: "$lt", Value: date(olderThan)}}}})
	if err != nil {
		return 0, err
	}
	var taken []tokenDoc
	if err := cur.All(ctx, &taken); err != nil {
		return 0, err
	}
	for i, t := range taken {
		if err := s.finishReset(ctx, t); err != nil {
			return i, err
		}
	}
	return len(taken), nil
}
