// Package ids makes opaque identifiers and secret tokens.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

var enc = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// last is the previous id made by this process, so ids made within one
// millisecond still sort in the order they were made.
var last struct {
	sync.Mutex
	ms  uint64
	rnd [10]byte
}

// Like tells whether s has the shape of an id, so that names people choose
// (slugs) can be kept from ever reading as one.
func Like(s string) bool {
	if len(s) != 26 {
		return false
	}
	_, err := enc.DecodeString(s)
	return err == nil
}

// New returns a 26-character id that sorts by creation time (milliseconds,
// then order within the process) and carries 80 random bits, so ids made
// on several instances never clash.
func New() string {
	ms := uint64(time.Now().UnixMilli())
	last.Lock()
	if ms <= last.ms {
		ms = last.ms
		for i := len(last.rnd) - 1; i >= 0; i-- {
			last.rnd[i]++
			if last.rnd[i] != 0 {
				break
			}
		}
	} else {
		last.ms = ms
		rand.Read(last.rnd[:])
		// A fresh millisecond starts low enough that its ids can count up
		// without carrying into the time.
		last.rnd[0] &= 0x7f
	}
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	copy(b[6:], last.rnd[:])
	last.Unlock()
	return enc.EncodeToString(b[:])
}

// Secret returns a random token of 160 bits, safe to put in a URL: past
// the 128 a capability link needs, in 32 characters, longer than an id so
// the two are never mistaken. It is stored with every ticket, so it is no
// longer than that.
func Secret() string {
	var b [20]byte
	rand.Read(b[:])
	return strings.ToLower(enc.EncodeToString(b[:]))
}

// Hash is how secrets are kept in the store: a stolen database holds no
// usable token.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}
