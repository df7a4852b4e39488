// Package accounts holds users, roles, passwords, sessions and API tokens.
package accounts

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"sprout/internal/vn"
)

// Role is what a user may do; a user holds any number of them.
type Role string

const (
	RoleAdmin     Role = "admin"
	RoleOrganizer Role = "organizer"
	RoleReviewer  Role = "reviewer"
	RoleMentor    Role = "mentor"
	RoleStaff     Role = "staff"
	RoleExhibitor Role = "exhibitor"
	RoleFounder   Role = "founder"
	// RoleOfficer acts for the department in its procedures, such as
	// certifying science-and-technology enterprises.
	RoleOfficer Role = "officer"
)

// Roles lists every role in the order pages show them.
var Roles = []Role{RoleAdmin, RoleOfficer, RoleOrganizer, RoleReviewer, RoleMentor, RoleStaff, RoleExhibitor, RoleFounder}

// ValidRole tells whether r is one of Roles.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Languages a user may prefer; the first is the default.
var Languages = []string{"vi", "en"}

// User is a person with an account.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Roles        []Role    `json:"roles"`
	Lang         string    `json:"lang"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// LastSignInAt is the last time the user signed in with their
	// password; zero before the first time.
	LastSignInAt time.Time `json:"last_sign_in_at,omitzero"`
	// DeactivatedAt is when an admin deactivated the user; zero while the
	// account is active.
	DeactivatedAt time.Time `json:"deactivated_at,omitzero"`
}

// Active tells whether the user may sign in and use their sessions.
func (u User) Active() bool { return u.DeactivatedAt.IsZero() }

// Invited tells whether the user has not chosen a password yet: an admin
// created them, and their invitation is still to be used.
func (u User) Invited() bool { return u.PasswordHash == "" }

// MarshalJSON adds "active", so API clients need not read the absence of
// deactivated_at.
func (u User) MarshalJSON() ([]byte, error) {
	type plain User
	return json.Marshal(struct {
		plain
		Active bool `json:"active"`
	}{plain(u), u.Active()})
}

// Has tells whether the user holds any of the roles.
func (u User) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(u.Roles, r) {
			return true
		}
	}
	return false
}

// SearchKey is what user search matches against: name and email folded.
func (u User) SearchKey() string { return vn.Fold(u.Name + " " + u.Email) }

// SortRoles puts roles in the canonical order without duplicates.
func SortRoles(rs []Role) []Role {
	out := make([]Role, 0, len(rs))
	for _, r := range Roles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// TokenKind separates what a stored token opens.
type TokenKind string

const (
	TokenSession TokenKind = "session" // browser cookie
	TokenAPI     TokenKind = "api"     // Authorization: Bearer
	TokenReset   TokenKind = "reset"   // password reset link, single use
)

// Token is a secret handed to a client; only its hash is stored.
type Token struct {
	Hash      string
	UserID    string
	Kind      TokenKind
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserQuery selects users for the admin list.
type UserQuery struct {
	// Text is matched, folded, anywhere in the name or email.
	Text   string
	Role   Role
	Offset int
	Limit  int
}

// Store is what accounts needs from storage. Errors are errs.NotFound and
// errs.Conflict (an email already taken, compared without regard to case).
type Store interface {
	CreateUser(ctx context.Context, u User) error
	UserByID(ctx context.Context, id string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// ListUsers returns one page, newest first, and the total matching.
	ListUsers(ctx context.Context, q UserQuery) ([]User, int, error)
	// UpdateUserProfile writes the name and language of u.
	UpdateUserProfile(ctx context.Context, u User) error
	SetUserPassword(ctx context.Context, id, hash string, at time.Time) error
	AddUserRole(ctx context.Context, id string, r Role) error
	RemoveUserRole(ctx context.Context, id string, r Role) error
	// RecordSignIn notes that the user signed in at at.
	RecordSignIn(ctx context.Context, id string, at time.Time) error
	// DeactivateUser marks the user deactivated at at, then ends every
	// session, API token and reset token of theirs. A process dying
	// between the two leaves tokens of a deactivated user, which the
	// service refuses.
	DeactivateUser(ctx context.Context, id string, at time.Time) error
	// ReactivateUser ends every session, API token and reset token of the
	// user, such as one made while they were being deactivated, then marks
	// them active again.
	ReactivateUser(ctx context.Context, id string, at time.Time) error

	CreateToken(ctx context.Context, t Token) error
	// TokenByHash finds a token that has not expired at now.
	TokenByHash(ctx context.Context, hash string, now time.Time) (Token, error)
	DeleteToken(ctx context.Context, hash string) error
	DeleteExpiredTokens(ctx context.Context, now time.Time) (int, error)

	// ResetPassword uses the reset token hash, live at now, once: it gives
	// its user the password hash passwordHash and ends every session, API
	// token and reset token of theirs, and returns the user's id. A token
	// used, expired or unknown is errs.NotFound. Once the token is taken
	// the reset happens whole, even when the process making it dies (see
	// RecoverAccounts), and no session made before it outlives it.
	ResetPassword(ctx context.Context, hash, passwordHash string, now time.Time) (string, error)
	// ChangePassword gives a user the password hash passwordHash and ends
	// every session, API token and reset token of theirs but the token
	// hash keep ("" for none). Sessions end before the new password works.
	ChangePassword(ctx context.Context, userID, passwordHash string, at time.Time, keep string) error
	// RecoverAccounts finishes the password resets a process died in
	// before olderThan and returns how many.
	RecoverAccounts(ctx context.Context, olderThan time.Time) (int, error)
}

func foldQuery(q string) string {
	if len(q) > 200 {
		q = strings.ToValidUTF8(q[:200], "")
	}
	return vn.Fold(q)
}
