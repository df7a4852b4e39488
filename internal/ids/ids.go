// Package ids makes opaque identifiers and secret tokens.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

var enc = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// New returns a 26-character id that sorts by creation time (milliseconds)
// and carries 80 random bits, so ids made on several instances never clash.
func New() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	rand.Read(b[6:])
	return enc.EncodeToString(b[:])
}

// Secret returns a random token of 256 bits, safe to put in a URL.
func Secret() string {
	var b [32]byte
	rand.Read(b[:])
	return strings.ToLower(enc.EncodeToString(b[:]))
}

// Hash is how secrets are kept in the store: a stolen database holds no
// usable token.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
