package certs

import (
	"context"
	"errors"
	"maps"
	"strings"
	"unicode/utf8"

	"sprout/internal/clock"
	"sprout/internal/errs"
	"sprout/internal/keys"
)

// ReasonReissued is the revoke reason of a certificate re-issued with
// corrections; pages name the one that replaces it.
const ReasonReissued = "reissued"

// Limits on what a certificate says.
const (
	MaxHolder = 200
	MaxTitle  = 300
	MaxReason = 500
)

// Signer signs certificate claims with the ticket keys; *keys.Ring is one.
type Signer interface {
	Current(ctx context.Context) (keys.Key, error)
	SignCertWith(ctx context.Context, kid string, c keys.CertClaims) (string, error)
	VerifyCert(ctx context.Context, token string) (keys.CertClaims, error)
}

// Service issues and revokes certificates.
type Service struct {
	store  Store
	signer Signer
	clk    clock.Clock
	prefix string
	issuer string
}

// NewService makes a Service whose codes start with prefix (such as "HN")
// and whose certificates name issuer.
func NewService(store Store, signer Signer, clk clock.Clock, prefix, issuer string) *Service {
	return &Service{store: store, signer: signer, clk: clk, prefix: prefix, issuer: issuer}
}

// Input is what a caller certifies.
type Input struct {
	Kind    Kind
	Holder  string
	Title   string
	Source  string
	Details map[string]string
}

func text(field, s string, max int, problems *[]error) string {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		*problems = append(*problems, errs.Field(field, "error.required"))
	case utf8.RuneCountInString(s) > max:
		*problems = append(*problems, &errs.Error{Kind: errs.Invalid, MsgID: "error.text_long", Field: field, Data: map[string]any{"Max": max}})
	}
	return s
}

func (in Input) check() (Input, error) {
	var problems []error
	if !in.Kind.Valid() {
		problems = append(problems, errs.Field("kind", "error.cert_kind"))
	}
	in.Holder = text("holder", in.Holder, MaxHolder, &problems)
	in.Title = text("title", in.Title, MaxTitle, &problems)
	if strings.TrimSpace(in.Source) == "" {
		problems = append(problems, errs.Field("source", "error.required"))
	}
	return in, errors.Join(problems...)
}

// Issue certifies in.Source once: issuing again for the same kind and
// source, even at the same moment, gives back the certificate issued
// first, or the one that replaced it. It reports whether this call issued
// it, so that only one caller announces it.
func (s *Service) Issue(ctx context.Context, in Input) (Certificate, bool, error) {
	in, err := in.check()
	if err != nil {
		return Certificate{}, false, err
	}
	c, fresh, err := s.issue(ctx, in, "")
	if err != nil {
		return Certificate{}, false, err
	}
	c, err = s.latest(ctx, c)
	return c, fresh, err
}

// BySource finds what certifies a kind and source now: the certificate
// issued for it, or the one that replaced it; none is errs.NotFound.
func (s *Service) BySource(ctx context.Context, kind Kind, source string) (Certificate, error) {
	c, err := s.store.CertBySource(ctx, kind, source)
	if err != nil {
		return Certificate{}, err
	}
	return s.latest(ctx, c)
}

func (s *Service) issue(ctx context.Context, in Input, replaces string) (Certificate, bool, error) {
	k, err := s.signer.Current(ctx)
	if err != nil {
		return Certificate{}, false, err
	}
	c := Certificate{
		Kind: in.Kind, Holder: in.Holder, Title: in.Title, Issuer: s.issuer, Source: in.Source,
		Details: maps.Clone(in.Details), IssuedAt: s.clk.Now().UTC().Truncate(1e9), Status: Valid,
		Replaces: replaces, KeyID: k.ID,
	}
	return s.store.IssueCert(ctx, c, func(year int, n int64) string { return FormatCode(s.prefix, year, n) })
}

// maxReissues bounds how far latest follows re-issues, so that a chain a
// bug made circular cannot hold a request forever.
const maxReissues = 100

// latest follows re-issues from c to the certificate that holds now.
func (s *Service) latest(ctx context.Context, c Certificate) (Certificate, error) {
	for range maxReissues {
		if c.ReplacedBy == "" {
			return c, nil
		}
		next, err := s.store.CertByCode(ctx, c.ReplacedBy)
		if err != nil {
			return Certificate{}, err
		}
		c = next
	}
	return c, nil
}

// ByCode finds a certificate; an unknown or malformed code is errs.NotFound.
func (s *Service) ByCode(ctx context.Context, code string) (Certificate, error) {
	if !WellFormed(code) {
		return Certificate{}, errs.New(errs.NotFound, "error.cert_not_found")
	}
	c, err := s.store.CertByCode(ctx, code)
	if errors.Is(err, errs.ErrNotFound) {
		return Certificate{}, errs.New(errs.NotFound, "error.cert_not_found")
	}
	return c, err
}

// Current is the certificate that holds in place of code: itself, or the
// last of those that corrected it.
func (s *Service) Current(ctx context.Context, code string) (Certificate, error) {
	c, err := s.ByCode(ctx, code)
	if err != nil {
		return Certificate{}, err
	}
	return s.latest(ctx, c)
}

// List returns the certificates of a kind, newest first.
func (s *Service) List(ctx context.Context, kind Kind) ([]Certificate, error) {
	if !kind.Valid() {
		return nil, errs.Field("kind", "error.cert_kind")
	}
	return s.store.ListCerts(ctx, kind)
}

// Token is the certificate's compact JWS, the same every time.
func (s *Service) Token(ctx context.Context, c Certificate) (string, error) {
	return s.signer.SignCertWith(ctx, c.KeyID, c.Claims())
}

// Verify checks a token against the published keys and returns its claims;
// a token altered in any letter is keys.ErrCertInvalid.
func (s *Service) Verify(ctx context.Context, token string) (keys.CertClaims, error) {
	return s.signer.VerifyCert(ctx, token)
}

// Revoke revokes a valid certificate, saying why.
func (s *Service) Revoke(ctx context.Context, code, reason string) (Certificate, error) {
	var problems []error
	reason = text("reason", reason, MaxReason, &problems)
	if err := errors.Join(problems...); err != nil {
		return Certificate{}, err
	}
	if _, err := s.ByCode(ctx, code); err != nil {
		return Certificate{}, err
	}
	return s.revoke(ctx, code, reason, "")
}

func (s *Service) revoke(ctx context.Context, code, reason, by string) (Certificate, error) {
	c, err := s.store.RevokeCert(ctx, code, s.clk.Now().UTC().Truncate(1e6), reason, by)
	if errs.KindOf(err) == errs.Conflict {
		return Certificate{}, errs.New(errs.Conflict, "error.cert_revoked")
	}
	return c, err
}

// Reissue corrects a valid certificate's holder or title: it issues a new
// certificate that replaces it, and revokes it naming the new one. It
// returns the new certificate.
func (s *Service) Reissue(ctx context.Context, code, holder, title string) (Certificate, error) {
	old, err := s.ByCode(ctx, code)
	if err != nil {
		return Certificate{}, err
	}
	if old.Status == Revoked && old.ReplacedBy == "" {
		return Certificate{}, errs.New(errs.Conflict, "error.cert_revoked")
	}
	in, err := Input{Kind: old.Kind, Holder: holder, Title: title, Source: "reissue:" + old.Code, Details: old.Details}.check()
	if err != nil {
		return Certificate{}, err
	}
	// The source makes a second re-issue of the same certificate, even a
	// concurrent one, give back the first.
	c, _, err := s.issue(ctx, in, old.Code)
	if err != nil {
		return Certificate{}, err
	}
	if old.Status == Valid {
		if _, err := s.revoke(ctx, old.Code, ReasonReissued, c.Code); err != nil && errs.KindOf(err) != errs.Conflict {
			return Certificate{}, err
		}
	}
	return c, nil
}
