package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
)

// accountState is a user with sessions, an API token and reset links,
// and another user with a session of their own.
type accountState struct {
	user, other accounts.User
	// tokens are the user's, made before the operation; keep is the one
	// it keeps, if any.
	tokens []string
	keep   string
}

const (
	oldPassword = "$argon2id$old"
	newPassword = "$argon2id$new"
)

// RunAccountCrashPoints stops a password reset, a password change, a
// deactivation and a reactivation after each of their writes in turn,
// recovers, and checks that a reset is whole or not begun, that no session
// made before the new password works with it, that the session a change
// keeps still works, and that no user is active with a token their
// deactivation was to end. open returns a new empty store and its faults.
func RunAccountCrashPoints(t *testing.T, open func(t *testing.T) (Store, Faults)) {
	runCrashOps(t, open, []crashOp[Store, accountState]{
		{name: "ResetPassword", setup: func(t *testing.T, s Store) accountState {
			return accountSetup(t, s, "")
		}, run: func(s Store, st accountState) error {
			_, err := s.ResetPassword(context.Background(), "reset-1", newPassword, t0.Add(time.Minute))
			return err
		}, done: wantNewPassword, harmless: noTokenOutlives, recover: recoverAccounts, check: func(t *testing.T, s Store, st accountState, when string) {
			live := liveTokens(t, s, st)
			switch password(t, s, st) {
			case newPassword:
				if len(live) != 0 {
					t.Errorf("%s: tokens made before the reset outlive it: %v", when, live)
				}
			case oldPassword:
				if len(live) != len(st.tokens) {
					t.Errorf("%s: a reset not made ended tokens: %v left of %v", when, live, st.tokens)
				}
			default:
				t.Errorf("%s: password %q", when, password(t, s, st))
			}
		}, again: func(t *testing.T, s Store, st accountState) {
			reset := password(t, s, st) == newPassword
			_, err := s.ResetPassword(context.Background(), "reset-1", newPassword, t0.Add(3*time.Minute))
			if reset {
				wantKind(t, err, errs.NotFound, "a reset link used")
			} else if err != nil {
				t.Fatalf("using a reset link not used: %v", err)
			}
			wantNewPassword(t, s, st)
		}},
		{name: "ChangePassword", setup: func(t *testing.T, s Store) accountState {
			return accountSetup(t, s, "sess-1")
		}, run: func(s Store, st accountState) error {
			return s.ChangePassword(context.Background(), st.user.ID, newPassword, t0.Add(time.Minute), st.keep)
		}, done: wantNewPassword, harmless: noTokenOutlives, recover: recoverAccounts, check: noTokenOutlives, again: func(t *testing.T, s Store, st accountState) {
			if err := s.ChangePassword(context.Background(), st.user.ID, newPassword, t0.Add(3*time.Minute), st.keep); err != nil {
				t.Fatalf("changing again: %v", err)
			}
			wantNewPassword(t, s, st)
		}},
		{name: "DeactivateUser", setup: func(t *testing.T, s Store) accountState {
			return accountSetup(t, s, "")
		}, run: func(s Store, st accountState) error {
			return s.DeactivateUser(context.Background(), st.user.ID, t0.Add(time.Minute))
		}, done: wantActive(false), recover: recoverAccounts, check: activeKeepsTokens, again: func(t *testing.T, s Store, st accountState) {
			if err := s.DeactivateUser(context.Background(), st.user.ID, t0.Add(3*time.Minute)); err != nil {
				t.Fatalf("deactivating again: %v", err)
			}
			wantActive(false)(t, s, st)
		}},
		{name: "ReactivateUser", setup: func(t *testing.T, s Store) accountState {
			st := accountSetup(t, s, "")
			if err := s.DeactivateUser(context.Background(), st.user.ID, t0); err != nil {
				t.Fatal(err)
			}
			// A session a sign-in made while the deactivation ran.
			late := accounts.Token{Hash: "late-1", UserID: st.user.ID, Kind: accounts.TokenSession, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if err := s.CreateToken(context.Background(), late); err != nil {
				t.Fatal(err)
			}
			st.tokens = []string{late.Hash}
			return st
		}, run: func(s Store, st accountState) error {
			return s.ReactivateUser(context.Background(), st.user.ID, t0.Add(time.Minute))
		}, done: wantActive(true), recover: recoverAccounts, check: func(t *testing.T, s Store, st accountState, when string) {
			if active(t, s, st) && len(liveTokens(t, s, st)) != 0 {
				t.Errorf("%s: the user is active again with a session made while deactivated", when)
			}
		}, again: func(t *testing.T, s Store, st accountState) {
			if err := s.ReactivateUser(context.Background(), st.user.ID, t0.Add(3*time.Minute)); err != nil {
				t.Fatalf("reactivating again: %v", err)
			}
			wantActive(true)(t, s, st)
		}},
	})
}

func active(t *testing.T, s Store, st accountState) bool {
	t.Helper()
	u, err := s.UserByID(context.Background(), st.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Active()
}

// activeKeepsTokens: a deactivation marks the user before ending their
// tokens, so a user still active has lost none.
func activeKeepsTokens(t *testing.T, s Store, st accountState, when string) {
	t.Helper()
	if live := liveTokens(t, s, st); active(t, s, st) && len(live) != len(st.tokens) {
		t.Errorf("%s: an active user lost tokens: %v left of %v", when, live, st.tokens)
	}
}

// wantActive checks a deactivation's or reactivation's whole effect: the
// user in that state, with no token made before it.
func wantActive(want bool) func(t *testing.T, s Store, st accountState) {
	return func(t *testing.T, s Store, st accountState) {
		t.Helper()
		if got, live := active(t, s, st), liveTokens(t, s, st); got != want || len(live) != 0 {
			t.Fatalf("active %v, live tokens %v; want %v and none", got, live, want)
		}
	}
}

// accountSetup makes the users and their tokens; keep names the session a
// change keeps.
func accountSetup(t *testing.T, s Store, keep string) accountState {
	u := newUser("quen@example.vn", "Trịnh Quên")
	u.PasswordHash = oldPassword
	st := accountState{user: mustCreate(t, s, u), other: mustCreate(t, s, newUser("khac@example.vn", "Hồ Khác")), keep: keep}
	for _, tok := range []accounts.Token{
		{Hash: "sess-1", UserID: st.user.ID, Kind: accounts.TokenSession},
		{Hash: "sess-2", UserID: st.user.ID, Kind: accounts.TokenSession},
		{Hash: "api-1", UserID: st.user.ID, Kind: accounts.TokenAPI},
		{Hash: "reset-1", UserID: st.user.ID, Kind: accounts.TokenReset},
		{Hash: "reset-2", UserID: st.user.ID, Kind: accounts.TokenReset},
		{Hash: "sess-other", UserID: st.other.ID, Kind: accounts.TokenSession},
	} {
		tok.CreatedAt, tok.ExpiresAt = t0, t0.Add(time.Hour)
		if err := s.CreateToken(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		if tok.UserID == st.user.ID {
			st.tokens = append(st.tokens, tok.Hash)
		}
	}
	return st
}

// noTokenOutlives: the token kept, if any, still works, and once the new
// password works no other token made before it does.
func noTokenOutlives(t *testing.T, s Store, st accountState, when string) {
	t.Helper()
	live := liveTokens(t, s, st)
	if st.keep != "" && !slices.Contains(live, st.keep) {
		t.Errorf("%s: the session in use ended", when)
	}
	if password(t, s, st) == newPassword && slices.ContainsFunc(live, func(h string) bool { return h != st.keep }) {
		t.Errorf("%s: tokens made before the new password outlive it: %v", when, live)
	}
}

func recoverAccounts(s Store, _ accountState) error {
	_, err := s.RecoverAccounts(context.Background(), t0.Add(time.Hour))
	return err
}

func password(t *testing.T, s Store, st accountState) string {
	t.Helper()
	u, err := s.UserByID(context.Background(), st.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u.PasswordHash
}

// liveTokens lists the user's tokens made before the operation that still
// open something, failing if the other user's session ended.
func liveTokens(t *testing.T, s Store, st accountState) []string {
	t.Helper()
	ctx, now := context.Background(), t0.Add(5*time.Minute)
	if _, err := s.TokenByHash(ctx, "sess-other", now); err != nil {
		t.Fatalf("another user's session: %v", err)
	}
	var live []string
	for _, h := range st.tokens {
		_, err := s.TokenByHash(ctx, h, now)
		switch {
		case err == nil:
			live = append(live, h)
		case !errors.Is(err, errs.ErrNotFound):
			t.Fatal(err)
		}
	}
	return live
}

// wantNewPassword checks the operation's whole effect: the new password,
// and no token of the user but the one kept.
func wantNewPassword(t *testing.T, s Store, st accountState) {
	t.Helper()
	var want []string
	if st.keep != "" {
		want = []string{st.keep}
	}
	if got, live := password(t, s, st), liveTokens(t, s, st); got != newPassword || !slices.Equal(live, want) {
		t.Fatalf("password %q, live tokens %v; want %q and %v", got, live, newPassword, want)
	}
}
