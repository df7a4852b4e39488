// Package certs issues, verifies and revokes certificates: of a training
// followed, or of a science-and-technology enterprise. A certificate keeps
// its claims and the id of the key that signed them, not its token: Ed25519
// is deterministic, so the token is signed again byte for byte when asked.
package certs

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"sprout/internal/keys"
)

// Kind is what a certificate certifies.
type Kind string

const (
	Training     Kind = "training"
	STEnterprise Kind = "st_enterprise"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Training || k == STEnterprise }

// Status is whether a certificate still holds.
type Status string

const (
	Valid   Status = "valid"
	Revoked Status = "revoked"
)

// Keys of a certificate's Details, the facts its PDF and verify page show
// beside the signed claims.
const (
	// DetailFrom and DetailTo are the first and last day certified, as
	// 2006-01-02.
	DetailFrom = "from"
	DetailTo   = "to"
	// DetailHours is how many hours the training lasted, such as "7.5".
	DetailHours = "hours"
	// DetailTitleEn is the title in English, for English readers.
	DetailTitleEn = "title_en"
	// DetailSigner and DetailSignerTitle name who signs it and their post.
	DetailSigner      = "signer"
	DetailSignerTitle = "signer_title"
	// DetailCourse is the id of the course (an event) a training
	// certificate is of; its corrections keep it.
	DetailCourse = "course"
	// DetailTaxCode is a certified enterprise's tax code.
	DetailTaxCode = "tax_code"
)

// Certificate is one certificate issued.
type Certificate struct {
	// Code is human-readable and unique, such as HN-2026-000123: the
	// prefix, the year of issue and a per-year counter.
	Code   string
	Kind   Kind
	Holder string
	Title  string
	Issuer string
	// Source names what is certified, such as "course:<eventID>:<ticketID>";
	// one certificate per kind and source.
	Source string
	// Details are optional facts shown with it: dates, hours, the signer.
	Details   map[string]string
	IssuedAt  time.Time
	Status    Status
	RevokedAt time.Time
	// RevokeReason says why it was revoked.
	RevokeReason string
	// Replaces is the code of the certificate this one corrects, and
	// ReplacedBy the code of the one that corrects it.
	Replaces   string
	ReplacedBy string
	// KeyID names the key that signs its token.
	KeyID string
}

// Claims are what its token says.
func (c Certificate) Claims() keys.CertClaims {
	return keys.CertClaims{Code: c.Code, Kind: string(c.Kind), Holder: c.Holder, Title: c.Title, Issued: c.IssuedAt}
}

// Store keeps certificates and the per-year counters of their codes.
type Store interface {
	// IssueCert stores c under the next code of its year, made by code from
	// the counter's new value, unless a certificate of the same kind and
	// source exists: then it returns that one and false. Concurrent calls
	// for one source store one certificate.
	IssueCert(ctx context.Context, c Certificate, code func(year int, n int64) string) (Certificate, bool, error)
	CertByCode(ctx context.Context, code string) (Certificate, error)
	// CertBySource finds the certificate issued for a kind and source;
	// none is errs.NotFound.
	CertBySource(ctx context.Context, kind Kind, source string) (Certificate, error)
	// ListCerts returns the certificates of a kind, newest first.
	ListCerts(ctx context.Context, kind Kind) ([]Certificate, error)
	// RevokeCert marks a valid certificate revoked; replacedBy may be empty.
	// Revoking a revoked one is errs.Conflict.
	RevokeCert(ctx context.Context, code string, at time.Time, reason, replacedBy string) (Certificate, error)
}

// FormatCode makes the code of the n-th certificate of year.
func FormatCode(prefix string, year int, n int64) string {
	return fmt.Sprintf("%s-%04d-%06d", prefix, year, n)
}

var codePattern = regexp.MustCompile(`^[A-Z0-9]{1,8}-[0-9]{4}-[0-9]{6,}$`)

// WellFormed reports whether code looks like a certificate code, so that
// pages need not ask the store about anything else.
func WellFormed(code string) bool { return codePattern.MatchString(code) }
