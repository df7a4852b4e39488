package migrate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"

	"sprout/internal/clock"
	"sprout/internal/integrity"
	"sprout/internal/keys"
	"sprout/internal/tickets"
)

// verifier compares the target with what the source handed over.
type verifier struct {
	src Source
	tgt Target
	clk clock.Clock
	t   *tally
	out io.Writer
}

// verify runs every comparison, reports each and returns the differences.
func (v verifier) verify(ctx context.Context) []string {
	var problems []string
	for _, check := range []func(context.Context) (string, []string){v.keys, v.tokens, v.files, v.integrity} {
		line, found := check(ctx)
		fmt.Fprintln(v.out, "  "+line)
		problems = append(problems, found...)
	}
	return problems
}

// keys compares the signing keys: ids, private keys and times, so the
// target signs, verifies and publishes (JWKS) alike.
func (v verifier) keys(ctx context.Context) (string, []string) {
	copied, err := v.tgt.ListKeys(ctx)
	if err != nil {
		return "signing keys: unreadable", []string{"signing keys: " + err.Error()}
	}
	var problems []string
	for _, k := range v.t.keys {
		i := slices.IndexFunc(copied, func(c keys.Key) bool { return c.ID == k.ID })
		switch {
		case i < 0:
			problems = append(problems, "signing key "+k.ID+": missing")
		case !bytes.Equal(copied[i].Private, k.Private):
			problems = append(problems, "signing key "+k.ID+": another private key")
		case !copied[i].CreatedAt.Equal(k.CreatedAt) || !copied[i].RetiredAt.Equal(k.RetiredAt):
			problems = append(problems, "signing key "+k.ID+": other times")
		}
	}
	if len(copied) != len(v.t.keys) {
		problems = append(problems, fmt.Sprintf("signing keys: %d copied, %d in the target", len(v.t.keys), len(copied)))
	}
	return fmt.Sprintf("signing keys: %d compared (ids, private keys, times)", len(v.t.keys)), problems
}

// tokens reads the sampled tickets back from the target, where each must
// equal what the source handed over, signs their tokens again on both
// stores, as their ticket pages do, and verifies them with each store's
// keys: the same token, and the same verdict (valid, expired, not yet
// valid, or refused for a retired key) with the target's keys as with the
// source's.
func (v verifier) tokens(ctx context.Context) (string, []string) {
	srcRing, tgtRing := keys.NewRing(v.src, v.clk), keys.NewRing(v.tgt, v.clk)
	sample := slices.Clone(v.t.sample)
	for _, tk := range v.t.legacy {
		if !slices.ContainsFunc(sample, func(s tickets.Ticket) bool { return s.ID == tk.ID }) {
			sample = append(sample, tk)
		}
	}
	var problems []string
	verdicts := map[string]int{}
	for _, want := range sample {
		fail := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("ticket %s: ", want.ID)+fmt.Sprintf(format, args...))
		}
		wantToken, err := token(ctx, srcRing, want)
		if err != nil {
			fail("no token on the embedded store: %v", err)
			continue
		}
		got, err := v.tgt.TicketByID(ctx, want.ID)
		if err != nil {
			fail("%v", err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			fail("reads back otherwise from the target: %+v, was %+v", got, want)
			continue
		}
		gotToken, err := token(ctx, tgtRing, got)
		switch {
		case err != nil:
			fail("no token on the target: %v", err)
			continue
		case gotToken != wantToken:
			fail("another token")
			continue
		}
		wantVerdict, gotVerdict := verdict(ctx, srcRing, want), verdict(ctx, tgtRing, got)
		if gotVerdict != wantVerdict {
			fail("%s with the copied keys, %s with the embedded store's", gotVerdict, wantVerdict)
			continue
		}
		verdicts[gotVerdict]++
	}
	line := fmt.Sprintf("ticket tokens: %d sampled, signed again alike", len(sample))
	for _, vd := range []string{"valid", "not valid yet", "expired", "refused"} {
		if verdicts[vd] > 0 {
			line += fmt.Sprintf(", %d %s", verdicts[vd], vd)
		}
	}
	return line + " with the copied keys", problems
}

// token is the ticket's token as its page shows it: the one it was issued
// with when it still holds it, otherwise its claims signed again.
func token(ctx context.Context, r *keys.Ring, t tickets.Ticket) (string, error) {
	if t.Token != "" {
		return t.Token, nil
	}
	return r.SignWith(ctx, t.KeyID, t.Claims())
}

// verdict is what a gate verifying the token with r's keys would say.
func verdict(ctx context.Context, r *keys.Ring, t tickets.Ticket) string {
	tok, err := token(ctx, r, t)
	if err != nil {
		return "unsigned"
	}
	claims, err := r.Verify(ctx, tok)
	switch {
	case errors.Is(err, keys.ErrExpired):
		return "expired"
	case errors.Is(err, keys.ErrNotYetValid):
		return "not valid yet"
	case err != nil:
		return "refused"
	case claims.TicketID != t.ID:
		return "another ticket's"
	}
	return "valid"
}

// files reads every file back from the target and compares it.
func (v verifier) files(ctx context.Context) (string, []string) {
	var problems []string
	for id, want := range v.t.files {
		f, err := v.tgt.File(ctx, id)
		if err != nil {
			problems = append(problems, fmt.Sprintf("file %s: %v", id, err))
			continue
		}
		got := fileSum{name: f.Name, contentType: f.ContentType, size: int64(len(f.Data)), sha256: sha256.Sum256(f.Data)}
		if got != want {
			problems = append(problems, fmt.Sprintf("file %s: %s %s %d bytes sha256 %x, was %s %s %d bytes sha256 %x", id,
				got.name, got.contentType, got.size, got.sha256, want.name, want.contentType, want.size, want.sha256))
		}
	}
	return fmt.Sprintf("files: %d read back (names, types, SHA-256 of the bytes)", len(v.t.files)), problems
}

// integrity runs the store's invariants on the target, counters included.
func (v verifier) integrity(ctx context.Context) (string, []string) {
	drifts, err := v.tgt.Check(ctx, v.clk.Now().Add(-integrity.Abandoned))
	if err != nil {
		return "integrity: the check failed", []string{"integrity: " + err.Error()}
	}
	if len(drifts) == 0 {
		return "integrity: every invariant holds on the target", nil
	}
	var problems []string
	for _, d := range drifts {
		problems = append(problems, "drifted: "+d.String())
	}
	return fmt.Sprintf("integrity: %d stored values drifted on the target", len(drifts)), problems
}
