package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// t0 is the suite's "now": 08:30 UTC today. Stores never read a clock, so
// every time they see is one of these; the half hour keeps arrivals' five
// minute slots aligned.
var t0 = time.Now().UTC().Truncate(24 * time.Hour).Add(8*time.Hour + 30*time.Minute)

func newUser(email, name string, roles ...accounts.Role) accounts.User {
	return accounts.User{
		ID: ids.New(), Email: email, Name: name, Roles: roles, Lang: "vi",
		PasswordHash: "$argon2id$test", CreatedAt: t0, UpdatedAt: t0,
	}
}

func mustCreate(t *testing.T, s Store, u accounts.User) accounts.User {
	t.Helper()
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%s): %v", u.Email, err)
	}
	return u
}

func wantKind(t *testing.T, err error, kind errs.Kind, what string) {
	t.Helper()
	if errs.KindOf(err) != kind {
		t.Fatalf("%s: got %v, want %s", what, err, kind)
	}
}

func testUsers(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustCreate(t, s, newUser("lan.nguyen@example.vn", "Nguyễn Thị Lan", accounts.RoleFounder))

	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != u.Email || got.Name != u.Name || got.Lang != "vi" || got.PasswordHash != u.PasswordHash ||
		!got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) || len(got.Roles) != 1 || got.Roles[0] != accounts.RoleFounder {
		t.Fatalf("UserByID = %+v, want %+v", got, u)
	}
	if got, err := s.UserByEmail(ctx, "lan.nguyen@example.vn"); err != nil || got.ID != u.ID {
		t.Fatalf("UserByEmail = %+v, %v", got, err)
	}
	_, err = s.UserByID(ctx, "nope")
	wantKind(t, err, errs.NotFound, "UserByID unknown")
	_, err = s.UserByEmail(ctx, "nobody@example.vn")
	wantKind(t, err, errs.NotFound, "UserByEmail unknown")

	err = s.CreateUser(ctx, newUser("lan.nguyen@example.vn", "Other"))
	wantKind(t, err, errs.Conflict, "CreateUser with a taken email")
	err = s.CreateUser(ctx, newUser("Lan.Nguyen@Example.VN", "Other"))
	wantKind(t, err, errs.Conflict, "CreateUser with a taken email in other case")
	if got, err := s.UserByEmail(ctx, "LAN.nguyen@example.vn"); err != nil || got.ID != u.ID {
		t.Fatalf("UserByEmail ignores case: %+v, %v", got, err)
	}
	if _, total, _ := s.ListUsers(ctx, accounts.UserQuery{Limit: 10}); total != 1 {
		t.Fatalf("a refused user was written: %d users", total)
	}

	u.Name, u.Lang, u.UpdatedAt = "Nguyễn Thị Lan Anh", "en", t0.Add(time.Hour)
	if err := s.UpdateUserProfile(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserPassword(ctx, u.ID, "$argon2id$new", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.UserByID(ctx, u.ID)
	if got.Name != "Nguyễn Thị Lan Anh" || got.Lang != "en" || got.PasswordHash != "$argon2id$new" || !got.UpdatedAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("after updates: %+v", got)
	}
	ghost := newUser("ghost@example.vn", "Ghost")
	wantKind(t, s.UpdateUserProfile(ctx, ghost), errs.NotFound, "UpdateUserProfile unknown")
	wantKind(t, s.SetUserPassword(ctx, "nope", "x", t0), errs.NotFound, "SetUserPassword unknown")
}

func testUserSearch(t *testing.T, s Store) {
	ctx := context.Background()
	names := []string{"Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Đức", "Lê 50% Hoa", "Phạm_Minh"}
	for i, n := range names {
		u := newUser(fmt.Sprintf("user%d@example.vn", i), n)
		u.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
		if i%2 == 0 {
			u.Roles = []accounts.Role{accounts.RoleStaff}
		}
		mustCreate(t, s, u)
	}
	find := func(q accounts.UserQuery) ([]string, int) {
		t.Helper()
		if q.Limit == 0 {
			q.Limit = 50
		}
		us, total, err := s.ListUsers(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Name)
		}
		return out, total
	}
	if got, total := find(accounts.UserQuery{}); total != 5 || len(got) != 5 || got[0] != "Phạm_Minh" || got[4] != "Nguyễn Văn An" {
		t.Fatalf("all users newest first: %v (%d)", got, total)
	}
	if got, _ := find(accounts.UserQuery{Text: "dang van duc"}); len(got) != 1 || got[0] != "Đặng Văn Đức" {
		t.Fatalf("folded search: %v", got)
	}
	if got, _ := find(accounts.UserQuery{Text: "van"}); len(got) != 2 {
		t.Fatalf("search 'van': %v", got)
	}
	if got, _ := find(accounts.UserQuery{Text: "user3@"}); len(got) != 1 || got[0] != "Lê 50% Hoa" {
		t.Fatalf("search by email: %v", got)
	}
	if got, _ := find(accounts.UserQuery{Text: "50%"}); len(got) != 1 {
		t.Fatalf("%% is literal: %v", got)
	}
	if got, _ := find(accounts.UserQuery{Text: "n_a"}); len(got) != 0 {
		t.Fatalf("_ is literal: %v", got)
	}
	if got, _ := find(accounts.UserQuery{Text: "(.*"}); len(got) != 0 {
		t.Fatalf("regexp characters are literal: %v", got)
	}
	if got, total := find(accounts.UserQuery{Role: accounts.RoleStaff}); total != 3 || len(got) != 3 {
		t.Fatalf("role filter: %v (%d)", got, total)
	}
	if got, total := find(accounts.UserQuery{Role: accounts.RoleStaff, Text: "van"}); total != 2 || len(got) != 2 {
		t.Fatalf("role and text: %v (%d)", got, total)
	}
	if got, total := find(accounts.UserQuery{Offset: 2, Limit: 2}); total != 5 || len(got) != 2 || got[0] != "Đặng Văn Đức" || got[1] != "Trần Thị Bình" {
		t.Fatalf("page 2: %v (%d)", got, total)
	}
}

func testRoles(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustCreate(t, s, newUser("minh@example.vn", "Hoàng Minh", accounts.RoleFounder))
	for _, r := range []accounts.Role{accounts.RoleReviewer, accounts.RoleAdmin, accounts.RoleReviewer} {
		if err := s.AddUserRole(ctx, u.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.UserByID(ctx, u.ID)
	if fmt.Sprint(got.Roles) != "[admin reviewer founder]" {
		t.Fatalf("roles after grants: %v", got.Roles)
	}
	if err := s.RemoveUserRole(ctx, u.ID, accounts.RoleFounder); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveUserRole(ctx, u.ID, accounts.RoleMentor); err != nil {
		t.Fatalf("removing a role not held: %v", err)
	}
	got, _ = s.UserByID(ctx, u.ID)
	if fmt.Sprint(got.Roles) != "[admin reviewer]" {
		t.Fatalf("roles after removal: %v", got.Roles)
	}
	wantKind(t, s.AddUserRole(ctx, "nope", accounts.RoleAdmin), errs.NotFound, "AddUserRole unknown user")
	wantKind(t, s.RemoveUserRole(ctx, "nope", accounts.RoleAdmin), errs.NotFound, "RemoveUserRole unknown user")

	// Concurrent grants of different roles all land.
	var wg sync.WaitGroup
	for _, r := range []accounts.Role{accounts.RoleMentor, accounts.RoleStaff, accounts.RoleExhibitor, accounts.RoleOrganizer} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.AddUserRole(ctx, u.ID, r); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, _ = s.UserByID(ctx, u.ID)
	if fmt.Sprint(got.Roles) != "[admin organizer reviewer mentor staff exhibitor]" {
		t.Fatalf("roles after concurrent grants: %v", got.Roles)
	}
}

func testTokens(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustCreate(t, s, newUser("tok@example.vn", "Vũ Thu"))
	other := mustCreate(t, s, newUser("other@example.vn", "Đỗ Hải"))
	mk := func(hash, user string, kind accounts.TokenKind, ttl time.Duration) accounts.Token {
		tok := accounts.Token{Hash: hash, UserID: user, Kind: kind, CreatedAt: t0, ExpiresAt: t0.Add(ttl)}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	mk("s1", u.ID, accounts.TokenSession, time.Hour)
	mk("a1", u.ID, accounts.TokenAPI, time.Hour)
	mk("r1", u.ID, accounts.TokenReset, time.Hour)
	mk("old", u.ID, accounts.TokenSession, time.Minute)
	mk("s2", other.ID, accounts.TokenSession, time.Hour)
	wantKind(t, s.CreateToken(ctx, accounts.Token{Hash: "s1", UserID: u.ID, Kind: accounts.TokenAPI, CreatedAt: t0, ExpiresAt: t0}), errs.Conflict, "CreateToken duplicate hash")
	wantKind(t, s.CreateToken(ctx, accounts.Token{Hash: "x1", UserID: "nope", Kind: accounts.TokenAPI, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}), errs.NotFound, "CreateToken for an unknown user")

	now := t0.Add(30 * time.Minute)
	got, err := s.TokenByHash(ctx, "s1", now)
	if err != nil || got.UserID != u.ID || got.Kind != accounts.TokenSession || !got.ExpiresAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("TokenByHash = %+v, %v", got, err)
	}
	_, err = s.TokenByHash(ctx, "old", now)
	wantKind(t, err, errs.NotFound, "an expired token")
	_, err = s.TokenByHash(ctx, "s1", t0.Add(time.Hour))
	wantKind(t, err, errs.NotFound, "a token at its expiry instant")

	if err := s.DeleteToken(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	_, err = s.TokenByHash(ctx, "s1", now)
	wantKind(t, err, errs.NotFound, "a deleted token")
	if err := s.DeleteToken(ctx, "s1"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}

	n, err := s.DeleteExpiredTokens(ctx, t0.Add(2*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredTokens = %d, %v; want 1", n, err)
	}

	if err := s.ChangePassword(ctx, u.ID, "$argon2id$changed", t0.Add(time.Hour), "a1"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByID(ctx, u.ID); err != nil || got.PasswordHash != "$argon2id$changed" || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after ChangePassword: %+v, %v", got, err)
	}
	_, err = s.TokenByHash(ctx, "r1", now)
	wantKind(t, err, errs.NotFound, "a reset token after ChangePassword")
	for _, h := range []string{"a1", "s2"} {
		if _, err := s.TokenByHash(ctx, h, now); err != nil {
			t.Fatalf("token %s after ChangePassword keeping a1: %v", h, err)
		}
	}
	wantKind(t, s.ChangePassword(ctx, "nope", "x", t0, ""), errs.NotFound, "ChangePassword unknown")
}

// testResetPasswordOnce uses one reset token from many requests at once:
// one sets its password and ends the user's sessions, the others find no
// token.
func testResetPasswordOnce(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustCreate(t, s, newUser("once@example.vn", "Bùi Mai"))
	other := mustCreate(t, s, newUser("khac@example.vn", "Hà Linh"))
	for _, tok := range []accounts.Token{
		{Hash: "reset-1", UserID: u.ID, Kind: accounts.TokenReset, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
		{Hash: "sess-1", UserID: u.ID, Kind: accounts.TokenSession, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
		{Hash: "sess-2", UserID: other.ID, Kind: accounts.TokenSession, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)},
	} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.ResetPassword(ctx, "sess-1", "$argon2id$x", t0)
	wantKind(t, err, errs.NotFound, "a session used as a reset token")
	_, err = s.ResetPassword(ctx, "reset-1", "$argon2id$x", t0.Add(2*time.Hour))
	wantKind(t, err, errs.NotFound, "an expired reset token")
	if got, _ := s.UserByID(ctx, u.ID); got.PasswordHash != u.PasswordHash {
		t.Fatalf("a refused reset set the password: %q", got.PasswordHash)
	}

	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	misses := 0
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hash := fmt.Sprintf("$argon2id$%d", i)
			id, err := s.ResetPassword(ctx, "reset-1", hash, t0.Add(time.Minute))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && id == u.ID:
				won = append(won, hash)
			case errors.Is(err, errs.ErrNotFound):
				misses++
			default:
				t.Errorf("ResetPassword: %q, %v", id, err)
			}
		}()
	}
	wg.Wait()
	if len(won) != 1 || misses != n-1 {
		t.Fatalf("%d concurrent resets: %d won, %d missed; want 1 and %d", n, len(won), misses, n-1)
	}
	if got, err := s.UserByID(ctx, u.ID); err != nil || got.PasswordHash != won[0] || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after the reset: %+v, %v; want password %q", got, err, won[0])
	}
	_, err = s.TokenByHash(ctx, "sess-1", t0.Add(time.Minute))
	wantKind(t, err, errs.NotFound, "a session made before the reset")
	if _, err := s.TokenByHash(ctx, "sess-2", t0.Add(time.Minute)); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	if n, err := s.RecoverAccounts(ctx, t0.Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("RecoverAccounts after finished resets = %d, %v; want 0", n, err)
	}
}

// testUsersDeactivate deactivates a user: their sessions, API tokens and
// reset links end with it, another user's stay; reactivating marks them
// active again and ends what was made meanwhile.
func testUsersDeactivate(t *testing.T, s Store) {
	ctx := context.Background()
	u := mustCreate(t, s, newUser("nghi@example.vn", "Trịnh Văn Nghị", accounts.RoleStaff))
	other := mustCreate(t, s, newUser("o@example.vn", "Lý Thu"))
	mk := func(hash, user string, kind accounts.TokenKind) {
		t.Helper()
		if err := s.CreateToken(ctx, accounts.Token{Hash: hash, UserID: user, Kind: kind, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	mk("s1", u.ID, accounts.TokenSession)
	mk("a1", u.ID, accounts.TokenAPI)
	mk("r1", u.ID, accounts.TokenReset)
	mk("s2", other.ID, accounts.TokenSession)
	now := t0.Add(time.Minute)
	live := func(hashes ...string) []string {
		t.Helper()
		var out []string
		for _, h := range hashes {
			if _, err := s.TokenByHash(ctx, h, now); err == nil {
				out = append(out, h)
			} else if !errors.Is(err, errs.ErrNotFound) {
				t.Fatal(err)
			}
		}
		return out
	}

	at := t0.Add(10 * time.Minute)
	if err := s.DeactivateUser(ctx, u.ID, at); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || got.Active() || !got.DeactivatedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
		t.Fatalf("after DeactivateUser: %+v, %v", got, err)
	}
	if l := live("s1", "a1", "r1"); len(l) != 0 {
		t.Fatalf("tokens of a deactivated user still open: %v", l)
	}
	if l := live("s2"); len(l) != 1 {
		t.Fatal("another user's session ended")
	}
	if got, _ := s.UserByID(ctx, other.ID); !got.Active() {
		t.Fatal("another user was deactivated")
	}
	if us, _, err := s.ListUsers(ctx, accounts.UserQuery{Limit: 10}); err != nil || len(us) != 2 || us[0].Active() == us[1].Active() {
		t.Fatalf("ListUsers tells the deactivated user apart: %+v, %v", us, err)
	}

	mk("s3", u.ID, accounts.TokenSession)
	if err := s.ReactivateUser(ctx, u.ID, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.UserByID(ctx, u.ID)
	if err != nil || !got.Active() || !got.DeactivatedAt.IsZero() || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("after ReactivateUser: %+v, %v", got, err)
	}
	if l := live("s3"); len(l) != 0 {
		t.Fatal("a session made while the user was deactivated outlives the reactivation")
	}
	if got.Name != u.Name || got.PasswordHash != u.PasswordHash || len(got.Roles) != 1 {
		t.Fatalf("reactivating changed the user: %+v", got)
	}
	wantKind(t, s.DeactivateUser(ctx, "nope", at), errs.NotFound, "DeactivateUser unknown")
	wantKind(t, s.ReactivateUser(ctx, "nope", at), errs.NotFound, "ReactivateUser unknown")
}

// testUsersSignIn records the last sign-in, and keeps a user created
// without a password (an invited one) without one.
func testUsersSignIn(t *testing.T, s Store) {
	ctx := context.Background()
	invited := newUser("moi@example.vn", "Đinh Thị Mới", accounts.RoleReviewer)
	invited.PasswordHash = ""
	u := mustCreate(t, s, invited)
	got, err := s.UserByID(ctx, u.ID)
	if err != nil || !got.Invited() || !got.LastSignInAt.IsZero() || !got.Active() {
		t.Fatalf("a new invited user: %+v, %v", got, err)
	}
	for _, at := range []time.Time{t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		if err := s.RecordSignIn(ctx, u.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	got, _ = s.UserByID(ctx, u.ID)
	if !got.LastSignInAt.Equal(t0.Add(2*time.Hour)) || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("after two sign-ins: last %v, updated %v", got.LastSignInAt, got.UpdatedAt)
	}
	wantKind(t, s.RecordSignIn(ctx, "nope", t0), errs.NotFound, "RecordSignIn unknown")
}
