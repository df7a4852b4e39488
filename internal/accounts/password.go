package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	argonThreads = 1
	argonKeyLen  = 32
)

// PasswordCost is how hard argon2id works on a password: memory in KiB and
// passes. A hash records the cost it was made with, so a password is
// checked at its own cost whatever the current one.
type PasswordCost struct {
	Memory, Time uint32
}

// DefaultPasswordCost is OWASP's minimum for argon2id: 19 MiB, 2 passes,
// 1 lane.
var DefaultPasswordCost = PasswordCost{Memory: 19 * 1024, Time: 2}

// hashSlots bounds concurrent hashing so a login burst cannot take
// 19 MiB per request without limit.
var hashSlots = make(chan struct{}, 4)

// HashPassword returns the PHC string of an argon2id hash at the default
// cost.
func HashPassword(pw string) string { return DefaultPasswordCost.Hash(pw) }

// Hash returns the PHC string of an argon2id hash at cost c.
func (c PasswordCost) Hash(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argonKey([]byte(pw), salt, c.Time, c.Memory, argonThreads)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, c.Memory, c.Time, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword tells whether pw matches the PHC string; a malformed hash
// never matches.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var mem, tm uint32
	var th uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &tm, &th); err != nil || mem == 0 || tm == 0 || th == 0 || mem > 1<<20 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) != argonKeyLen {
		return false
	}
	got := argonKey([]byte(pw), salt, tm, mem, th)
	return subtle.ConstantTimeCompare(got, want) == 1
}

func argonKey(pw, salt []byte, t, m uint32, p uint8) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(pw, salt, t, m, p, argonKeyLen)
}

// dummyHash is compared against when an email is unknown, so a failed
// login takes as long whether or not the account exists.
var dummyHash = HashPassword("sprout-dummy-password")
