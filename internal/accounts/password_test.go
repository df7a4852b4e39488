package accounts

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("Mật khẩu rất dài 2026")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("not a PHC argon2id string: %s", h)
	}
	if h == HashPassword("Mật khẩu rất dài 2026") {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if !CheckPassword(h, "Mật khẩu rất dài 2026") {
		t.Fatal("the right password does not match")
	}
	for _, wrong := range []string{"mật khẩu rất dài 2026", "", "Mật khẩu rất dài 2026 "} {
		if CheckPassword(h, wrong) {
			t.Fatalf("%q matches", wrong)
		}
	}
	parts := strings.Split(h, "$")
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=0,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=9999999,t=2,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5][:10],
		"$argon2id$v=19$m=19456,t=2,p=1$!!$" + parts[5],
	} {
		if CheckPassword(bad, "Mật khẩu rất dài 2026") {
			t.Fatalf("malformed hash %q matches", bad)
		}
	}
}

// A hash records its cost: one made cheaper checks at that cost, and the
// default stays OWASP's minimum.
func TestPasswordCostIsKeptInTheHash(t *testing.T) {
	cheap := PasswordCost{Memory: 64, Time: 1}.Hash("mật khẩu thử")
	if !strings.Contains(cheap, "$m=64,t=1,p=1$") || !CheckPassword(cheap, "mật khẩu thử") || CheckPassword(cheap, "mat khau thu") {
		t.Fatalf("a cheap hash %q", cheap)
	}
	if h := HashPassword("mật khẩu thử"); !strings.Contains(h, "$m=19456,t=2,p=1$") || !CheckPassword(h, "mật khẩu thử") {
		t.Fatalf("the default hash %q is not OWASP's minimum", h)
	}
}
