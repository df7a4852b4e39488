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
