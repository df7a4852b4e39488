package accounts

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/kv"
	"sprout/internal/throttle"
)

// Lifetimes of the tokens handed out.
const (
	SessionTTL  = 14 * 24 * time.Hour
	APITokenTTL = 30 * 24 * time.Hour
	ResetTTL    = time.Hour
	// InviteTTL is longer than ResetTTL: an invited person may not read
	// their mail the same hour.
	InviteTTL = 7 * 24 * time.Hour
)

// Limits of user input.
const (
	MinPassword = 10
	MaxPassword = 256
	MaxName     = 120
	MaxEmail    = 254
)

// LinkMailer sends u a link holding token that lets them choose a password.
type LinkMailer func(ctx context.Context, u User, token string) error

// Mailers send the links that let a user choose a password: Reset when
// they forgot theirs, Invite when an admin created their account.
type Mailers struct {
	Reset  LinkMailer
	Invite LinkMailer
}

// authCacheTTL is how long a signed-in token is believed without asking
// the store: every request of a gate or an API client carries one. A
// token revoked, or a user changed, on another instance is seen within it.
const authCacheTTL = 5 * time.Second

type authEntry struct {
	user  User
	kind  TokenKind
	until time.Time
}

// Service holds the rules of accounts.
type Service struct {
	auth    sync.Map // token hash → authEntry
	store   Store
	clients throttle.Backoff
	tries   throttle.Limiter
	mailers Mailers
	// shared keeps what must outlive a process, such as seeded passwords.
	shared kv.Store
	now    func() time.Time
	cost   PasswordCost
}

// NewService wires accounts to its store, the shared counters and the mailers.
func NewService(s Store, counters kv.Store, mailers Mailers, clk clock.Clock) *Service {
	return &Service{
		store: s,
		// Guessing across many accounts from one address is slowed down,
		// never shut out: a venue puts its gate staff behind one address,
		// and a wait of a minute at most is all one guesser costs them.
		clients: throttle.Backoff{Store: counters, Prefix: "login-client", Max: 20, First: 2 * time.Second, Longest: time.Minute, Window: 15 * time.Minute, Clock: clk},
		// Guessing one account's password is counted per client too, so
		// that nobody elsewhere can lock its owner out.
		tries:   throttle.Limiter{Store: counters, Prefix: "login-tries", Max: 10, Window: 15 * time.Minute, Clock: clk},
		mailers: mailers,
		shared:  counters,
		now:     clk.Now,
		cost:    DefaultPasswordCost,
	}
}

// SetPasswordCost makes new password hashes at cost c; tests that sign
// many people up lower it, the app keeps the default.
func (s *Service) SetPasswordCost(c PasswordCost) { s.cost = c }

// NormalizeEmail is how emails are compared and stored: trimmed, in NFC so
// that "é" typed as one character or as "e" and an accent is one address,
// then lower case. Lower case rather than full case folding: folding turns
// "ß" into "ss", which names another mailbox and another domain under
// IDNA2008, and emails stored before NFC was applied keep their key unless
// they were decomposed.
func NormalizeEmail(s string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
}

// CheckEmail tells whether a normalized email is one Sprout accepts.
func CheckEmail(email string) error {
	if email == "" {
		return errs.Field("email", "error.email_required")
	}
	if len(email) > MaxEmail || !utf8.ValidString(email) {
		return errs.Field("email", "error.email_invalid")
	}
	if strings.IndexFunc(email, hidden) >= 0 {
		return errs.Field("email", "error.email_hidden_chars")
	}
	// Fullwidth, mathematical and other compatibility letters only imitate
	// plain ones.
	if !norm.NFKC.IsNormalString(email) || mixesScripts(email) {
		return errs.Field("email", "error.email_lookalike")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return errs.Field("email", "error.email_invalid")
	}
	return nil
}

// hidden tells a character that shows as nothing, or changes how what
// follows shows: controls, format characters (zero-width, bidirectional
// overrides), spaces other than the plain one (which shows, and is simply
// invalid), variation selectors and fillers.
func hidden(r rune) bool {
	return r != ' ' && (!unicode.IsGraphic(r) || unicode.IsSpace(r) ||
		unicode.In(r, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point))
}

// confusable are the scripts whose letters pass for each other: "pаypal"
// with a Cyrillic "а" looks like the Latin name.
var confusable = []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek}

// mixesScripts tells whether a part of the address between dots and "@"
// holds letters of more than one confusable script.
func mixesScripts(email string) bool {
	for part := range strings.FieldsFuncSeq(email, func(r rune) bool { return r == '.' || r == '@' }) {
		seen := -1
		for _, r := range part {
			for i, script := range confusable {
				if unicode.Is(script, r) {
					if seen >= 0 && seen != i {
						return true
					}
					seen = i
				}
			}
		}
	}
	return false
}

func checkPassword(pw string) error {
	if !utf8.ValidString(pw) {
		return errs.Field("password", "error.password_invalid")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPassword {
		return &errs.Error{Kind: errs.Invalid, MsgID: "error.password_short", Field: "password", Data: map[string]any{"Min": MinPassword}}
	}
	if n > MaxPassword {
		return errs.Field("password", "error.password_long")
	}
	return nil
}

// CleanName trims a person's name and checks it.
func CleanName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	if !utf8.ValidString(name) {
		return "", errs.Field("name", "error.name_invalid")
	}
	if name == "" {
		return "", errs.Field("name", "error.name_required")
	}
	if utf8.RuneCountInString(name) > MaxName {
		return "", errs.Field("name", "error.name_long")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "", errs.Field("name", "error.name_invalid")
		}
	}
	return name, nil
}

// CleanLang keeps a supported language, falling back to the default.
func CleanLang(lang string) string {
	if slices.Contains(Languages, lang) {
		return lang
	}
	return Languages[0]
}

// NewUser is what signing up or creating a user takes.
type NewUser struct {
	Email    string
	Password string
	Name     string
	Lang     string
	Roles    []Role
}

// Create makes a user after checking every field; an email taken is
// errs.Conflict.
func (s *Service) Create(ctx context.Context, in NewUser) (User, error) {
	u, err := s.newUser(in, checkPassword(in.Password))
	if err != nil {
		return User{}, err
	}
	u.PasswordHash = s.cost.Hash(in.Password)
	return u, s.insert(ctx, u)
}

// Invite makes a user without a password, holding at least one role, and
// mails them a link to choose one, good for InviteTTL.
func (s *Service) Invite(ctx context.Context, in NewUser) (User, error) {
	var noRole error
	if len(in.Roles) == 0 {
		noRole = errs.Field("roles", "error.roles_required")
	}
	u, err := s.newUser(in, noRole)
	if err != nil {
		return User{}, err
	}
	if err := s.insert(ctx, u); err != nil {
		return User{}, err
	}
	secret, _, err := s.issue(ctx, u.ID, TokenReset, InviteTTL)
	if err != nil {
		return User{}, err
	}
	return u, s.mailers.Invite(ctx, u, secret)
}

// newUser checks every field of in and reports all its mistakes at once,
// more (what the caller checked besides) among them.
func (s *Service) newUser(in NewUser, more error) (User, error) {
	email := NormalizeEmail(in.Email)
	problems := []error{CheckEmail(email)}
	name, err := CleanName(in.Name)
	problems = append(problems, err)
	for _, r := range in.Roles {
		if !ValidRole(r) {
			problems = append(problems, errs.Field("roles", "error.role_invalid"))
			break
		}
	}
	if err := errors.Join(append(problems, more)...); err != nil {
		return User{}, err
	}
	roles := SortRoles(in.Roles)
	if len(roles) == 0 {
		roles = []Role{RoleFounder}
	}
	now := s.now().UTC()
	return User{ID: ids.New(), Email: email, Name: name, Roles: roles, Lang: CleanLang(in.Lang), CreatedAt: now, UpdatedAt: now}, nil
}

func (s *Service) insert(ctx context.Context, u User) error {
	err := s.store.CreateUser(ctx, u)
	if errors.Is(err, errs.ErrConflict) {
		return &errs.Error{Kind: errs.Conflict, MsgID: "error.email_taken", Field: "email"}
	}
	return err
}

// Signup makes a founder account.
func (s *Service) Signup(ctx context.Context, in NewUser) (User, error) {
	in.Roles = []Role{RoleFounder}
	return s.Create(ctx, in)
}

// EnsureAdmin makes sure an admin with these credentials exists: it creates
// the user, or gives an existing one the admin role and this password, and
// reactivates them if deactivated: it is the way back in.
func (s *Service) EnsureAdmin(ctx context.Context, email, password, name string) (User, bool, error) {
	u, err := s.store.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, errs.ErrNotFound) {
		if name == "" {
			name = "Quản trị viên"
		}
		u, err = s.Create(ctx, NewUser{Email: email, Password: password, Name: name, Roles: []Role{RoleAdmin}})
		return u, true, err
	}
	if err != nil {
		return User{}, false, err
	}
	if err := checkPassword(password); err != nil {
		return User{}, false, err
	}
	if !CheckPassword(u.PasswordHash, password) {
		if err := s.store.SetUserPassword(ctx, u.ID, s.cost.Hash(password), s.now().UTC()); err != nil {
			return User{}, false, err
		}
	}
	if !u.Has(RoleAdmin) {
		if err := s.store.AddUserRole(ctx, u.ID, RoleAdmin); err != nil {
			return User{}, false, err
		}
	}
	if !u.Active() {
		if err := s.store.ReactivateUser(ctx, u.ID, s.now().UTC()); err != nil {
			return User{}, false, err
		}
	}
	u, err = s.store.UserByID(ctx, u.ID)
	return u, false, err
}

// Login checks credentials. client identifies the caller (its address) for
// rate limiting: failures are counted per account and client, so failures
// elsewhere never make the right password fail here, and per client, which
// slows guessing across accounts down. A caller over either limit gets
// errs.RateLimited saying when to try again, before its password is checked.
func (s *Service) Login(ctx context.Context, email, password, client string) (User, error) {
	email = NormalizeEmail(email)
	if email == "" || password == "" || len(email) > MaxEmail || len(password) > 4*MaxPassword {
		return User{}, errs.New(errs.Invalid, "error.credentials_required")
	}
	// An address never holds "|", so the key names one client and one email.
	tries := client + "|" + email
	d, err := s.clients.Wait(ctx, client)
	if err == nil && d == 0 {
		d, err = s.tries.Wait(ctx, tries)
	}
	if err != nil {
		return User{}, err
	}
	if d > 0 {
		return User{}, throttle.Slowed("error.login_wait", d)
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return User{}, err
	}
	hash := u.PasswordHash
	// An invited user has no password yet; comparing against the dummy
	// takes as long as a real one, so timing tells no account apart.
	if err != nil || hash == "" {
		hash = dummyHash
	}
	if !CheckPassword(hash, password) || u.ID == "" || u.Invited() {
		if err := s.clients.Fail(ctx, client); err != nil {
			return User{}, err
		}
		if _, err := s.tries.Fail(ctx, tries); err != nil {
			return User{}, err
		}
		return User{}, errs.New(errs.Unauthorized, "error.login_failed")
	}
	if err := s.tries.Reset(ctx, tries); err != nil {
		return User{}, err
	}
	// Only the right password learns that the account is deactivated.
	if !u.Active() {
		return User{}, errs.New(errs.Forbidden, "error.account_deactivated")
	}
	u.LastSignInAt = s.now().UTC()
	if err := s.store.RecordSignIn(ctx, u.ID, u.LastSignInAt); err != nil {
		return User{}, err
	}
	return u, nil
}

// IssueToken hands out a new secret of a kind for u; only its hash is kept.
func (s *Service) IssueToken(ctx context.Context, userID string, kind TokenKind) (string, time.Time, error) {
	ttl := map[TokenKind]time.Duration{TokenSession: SessionTTL, TokenAPI: APITokenTTL, TokenReset: ResetTTL}[kind]
	return s.issue(ctx, userID, kind, ttl)
}

func (s *Service) issue(ctx context.Context, userID string, kind TokenKind, ttl time.Duration) (string, time.Time, error) {
	now := s.now().UTC()
	secret := ids.Secret()
	t := Token{Hash: ids.Hash(secret), UserID: userID, Kind: kind, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", time.Time{}, err
	}
	return secret, t.ExpiresAt, nil
}

// Authenticate finds the active user a secret of a kind belongs to;
// anything else is errs.Unauthorized.
func (s *Service) Authenticate(ctx context.Context, secret string, kind TokenKind) (User, error) {
	if secret == "" || len(secret) > 200 {
		return User{}, errs.ErrUnauthorized
	}
	hash, now := ids.Hash(secret), s.now().UTC()
	if v, ok := s.auth.Load(hash); ok {
		if e := v.(authEntry); e.kind == kind && now.Before(e.until) {
			u := e.user
			u.Roles = slices.Clone(e.user.Roles)
			return u, nil
		}
	}
	t, err := s.store.TokenByHash(ctx, hash, now)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && t.Kind != kind) {
		return User{}, errs.ErrUnauthorized
	}
	if err != nil {
		return User{}, err
	}
	u, err := s.store.UserByID(ctx, t.UserID)
	// A token made while its user was being deactivated outlives the
	// deactivation's sweep; the user's state refuses it.
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !u.Active()) {
		return User{}, errs.ErrUnauthorized
	}
	if err != nil {
		return User{}, err
	}
	until := now.Add(authCacheTTL)
	if t.ExpiresAt.Before(until) {
		until = t.ExpiresAt
	}
	s.auth.Store(hash, authEntry{user: u, kind: kind, until: until})
	return u, nil
}

// forget drops what the cache believes about a user's tokens, after a
// change to the user on this instance.
func (s *Service) forget(userID string) {
	s.auth.Range(func(k, v any) bool {
		if v.(authEntry).user.ID == userID {
			s.auth.Delete(k)
		}
		return true
	})
}

// Revoke ends a session or API token.
func (s *Service) Revoke(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	s.auth.Delete(ids.Hash(secret))
	return s.store.DeleteToken(ctx, ids.Hash(secret))
}

// RequestReset mails a single-use reset link when the email belongs to an
// active user, and says nothing either way. An invited user may ask too:
// it is how they get a fresh link once their invitation has expired.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email = NormalizeEmail(email)
	if CheckEmail(email) != nil {
		return nil
	}
	u, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && !u.Active()) {
		return nil
	}
	if err != nil {
		return err
	}
	secret, _, err := s.IssueToken(ctx, u.ID, TokenReset)
	if err != nil {
		return err
	}
	return s.mailers.Reset(ctx, u, secret)
}

// CheckReset tells whether a reset link is still good, without using it,
// and whose it is.
func (s *Service) CheckReset(ctx context.Context, secret string) (User, error) {
	u, err := s.Authenticate(ctx, secret, TokenReset)
	if errors.Is(err, errs.ErrUnauthorized) {
		return User{}, errs.New(errs.NotFound, "error.reset_link_invalid")
	}
	return u, err
}

// ResetPassword uses a reset link once: it sets the new password and ends
// every session and API token of the user.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) (User, error) {
	if err := checkPassword(password); err != nil {
		return User{}, err
	}
	id, err := s.store.ResetPassword(ctx, ids.Hash(secret), s.cost.Hash(password), s.now().UTC())
	if errors.Is(err, errs.ErrNotFound) {
		return User{}, errs.New(errs.NotFound, "error.reset_link_invalid")
	}
	if err != nil {
		return User{}, err
	}
	s.forget(id)
	return s.store.UserByID(ctx, id)
}

// Recover finishes the password resets a crash left half done, a minute on.
func (s *Service) Recover(ctx context.Context) (int, error) {
	return s.store.RecoverAccounts(ctx, s.now().Add(-time.Minute))
}

// UpdateProfile changes a user's name and language.
func (s *Service) UpdateProfile(ctx context.Context, id, name, lang string) (User, error) {
	name, err := CleanName(name)
	if err != nil {
		return User{}, err
	}
	if !slices.Contains(Languages, lang) {
		return User{}, errs.Field("lang", "error.lang_invalid")
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	u.Name, u.Lang, u.UpdatedAt = name, lang, s.now().UTC()
	if err := s.store.UpdateUserProfile(ctx, u); err != nil {
		return User{}, err
	}
	s.forget(id)
	return u, nil
}

// ChangePassword sets a new password after checking the current one, and
// ends the user's other sessions and tokens (keep is the one in use).
func (s *Service) ChangePassword(ctx context.Context, id, current, next, keep string) error {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return errs.Field("current_password", "error.password_wrong")
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	var kept string
	if keep != "" {
		kept = ids.Hash(keep)
	}
	if err := s.store.ChangePassword(ctx, id, s.cost.Hash(next), s.now().UTC(), kept); err != nil {
		return err
	}
	s.forget(id)
	return nil
}

// SetRole grants or removes a role. An admin cannot remove their own admin
// role, so the last way back into the admin pages is never cut by mistake.
func (s *Service) SetRole(ctx context.Context, actor User, id string, r Role, grant bool) (User, error) {
	if !ValidRole(r) {
		return User{}, errs.Field("role", "error.role_invalid")
	}
	if !grant && r == RoleAdmin && actor.ID == id {
		return User{}, errs.New(errs.Conflict, "error.own_admin_role")
	}
	var err error
	if grant {
		err = s.store.AddUserRole(ctx, id, r)
	} else {
		err = s.store.RemoveUserRole(ctx, id, r)
	}
	if err != nil {
		return User{}, err
	}
	s.forget(id)
	return s.store.UserByID(ctx, id)
}

// Deactivate stops a user from signing in and ends their sessions and API
// tokens at once. An admin cannot deactivate themself, so the admin pages
// always keep someone who can undo it.
func (s *Service) Deactivate(ctx context.Context, actor User, id string) (User, error) {
	if actor.ID == id {
		return User{}, errs.New(errs.Conflict, "error.own_deactivation")
	}
	return s.setActive(ctx, id, s.store.DeactivateUser)
}

// Reactivate lets a deactivated user sign in again; their old sessions
// stay ended.
func (s *Service) Reactivate(ctx context.Context, id string) (User, error) {
	return s.setActive(ctx, id, s.store.ReactivateUser)
}

func (s *Service) setActive(ctx context.Context, id string, write func(context.Context, string, time.Time) error) (User, error) {
	if err := write(ctx, id, s.now().UTC()); err != nil {
		return User{}, err
	}
	s.forget(id)
	return s.store.UserByID(ctx, id)
}

// User finds one user.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	return s.store.UserByID(ctx, id)
}

// UserByEmail finds a user by email, written in any case.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	return s.store.UserByEmail(ctx, NormalizeEmail(email))
}

// KeptPassword is the password kept in the shared store under key, fresh
// the first time: accounts seeded on every start (the demo's) print the
// same password after a restart.
func (s *Service) KeptPassword(ctx context.Context, key, fresh string) (string, error) {
	pw, err := s.shared.KVGet(ctx, key, s.now())
	if err == nil {
		return string(pw), nil
	}
	if !errors.Is(err, errs.ErrNotFound) {
		return "", err
	}
	return fresh, s.shared.KVSet(ctx, key, []byte(fresh), time.Time{})
}

// List finds users; the text is folded so diacritics do not matter.
func (s *Service) List(ctx context.Context, q UserQuery) ([]User, int, error) {
	q.Text = foldQuery(q.Text)
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	if q.Role != "" && !ValidRole(q.Role) {
		q.Role = ""
	}
	return s.store.ListUsers(ctx, q)
}

// Sweep deletes expired tokens, and forgets them; run now and then.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now().UTC()
	s.auth.Range(func(k, v any) bool {
		if !now.Before(v.(authEntry).until) {
			s.auth.Delete(k)
		}
		return true
	})
	return s.store.DeleteExpiredTokens(ctx, now)
}

// MaskEmail shows enough of an address for its owner to recognise it and
// too little for anyone else to use: its first character and its domain,
// as in "l***@example.vn". Pages that open without signing in show this.
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return "***"
	}
	first, _ := utf8.DecodeRuneInString(email)
	return string(first) + "***" + email[at:]
}
