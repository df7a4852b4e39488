package migrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"sprout/internal/clock"
	"sprout/internal/integrity"
)

// ErrNotEmpty is a target that holds data already; nothing was written to it.
var ErrNotEmpty = errors.New("the target is not empty")

// ErrVerification is a copy whose verification found differences.
var ErrVerification = errors.New("the copy did not verify")

// Options are a run's settings.
type Options struct {
	// DryRun reads the source and counts what would be copied, and looks
	// whether the target is empty, writing nothing.
	DryRun bool
	// Clock is the app's: it says which sessions and counters expired and
	// which scans are settled, as on the server.
	Clock clock.Clock
	// Out receives the report.
	Out io.Writer
}

// Run copies src into the empty target at dst, recomputes the derived
// values there and verifies the copy, reporting to o.Out. A target that is
// not empty is refused before anything is written (ErrNotEmpty); a copy
// that fails or does not verify (ErrVerification) is dropped again, so the
// target ends either holding a verified copy or empty.
func Run(ctx context.Context, src Source, dst Destination, o Options) error {
	began := time.Now()
	out := o.Out
	now := o.Clock.Now()
	if o.DryRun {
		fmt.Fprintf(out, "dry run: what migrating the embedded store to %s would copy; nothing is written\n", dst)
	} else {
		fmt.Fprintf(out, "migrating the embedded store to %s\n", dst)
	}
	drifted, err := src.Check(ctx, now.Add(-integrity.Abandoned))
	if err != nil {
		return fmt.Errorf("checking the embedded store: %w", err)
	}
	if len(drifted) > 0 {
		fmt.Fprintf(out, "note: %d stored values of the embedded store drifted from their records (sprout check lists them); the copy recomputes them from the records\n", len(drifted))
	}
	if o.DryRun {
		t := newTally(nil)
		if err := src.Export(ctx, now, t); err != nil {
			return fmt.Errorf("reading the embedded store: %w", err)
		}
		printCounts(out, t, nil)
		fmt.Fprintf(out, "files hold %s\n", byteSize(t.bytes))
		if err := mustBeEmpty(ctx, dst); err != nil {
			return err
		}
		fmt.Fprintln(out, "the target is empty: the migration can run")
		return nil
	}
	if err := mustBeEmpty(ctx, dst); err != nil {
		return err
	}
	tgt, err := dst.Open(ctx)
	if err != nil {
		return err
	}
	defer tgt.Close()
	if err := copyAndVerify(ctx, src, tgt, now, o.Clock, out); err != nil {
		// The target was empty, so emptying it again loses nothing; it
		// must happen even when ctx ended (an interrupt).
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if derr := tgt.Drop(dctx); derr != nil {
			return fmt.Errorf("%w\nemptying the target again failed too (%v): drop its database before trying again", err, derr)
		}
		return fmt.Errorf("%w\nthe target was emptied again", err)
	}
	fmt.Fprintf(out, "migrated in %.1f s\n", time.Since(began).Seconds())
	return nil
}

func mustBeEmpty(ctx context.Context, dst Destination) error {
	occupied, err := dst.Occupied(ctx)
	if err != nil {
		return fmt.Errorf("reading the target: %w", err)
	}
	if len(occupied) > 0 {
		named := occupied
		if len(named) > 5 {
			named = append(named[:5:5], fmt.Sprintf("and %d more", len(occupied)-5))
		}
		return fmt.Errorf("%w: %s holds documents in %s; migrate copies into an empty database only, and wrote nothing",
			ErrNotEmpty, dst, strings.Join(named, ", "))
	}
	return nil
}

func copyAndVerify(ctx context.Context, src Source, tgt Target, now time.Time, clk clock.Clock, out io.Writer) error {
	imp := tgt.Importer()
	t := newTally(imp)
	if err := src.Export(ctx, now, t); err != nil {
		return fmt.Errorf("copying: %w", err)
	}
	if err := imp.Flush(ctx); err != nil {
		return fmt.Errorf("copying: %w", err)
	}
	// Counted before the recomputation, which may add presence records a
	// drifted source lacked.
	have, err := tgt.Counts(ctx)
	if err != nil {
		return fmt.Errorf("counting the copy: %w", err)
	}
	printCounts(out, t, have)
	var problems []string
	for _, k := range Kinds {
		if t.counts[k] != have[k] {
			problems = append(problems, fmt.Sprintf("%s: %d copied, %d in the target", k, t.counts[k], have[k]))
		}
	}
	settled := now.Add(-integrity.Abandoned)
	derived, err := tgt.Check(ctx, settled)
	if err != nil {
		return fmt.Errorf("recomputing: %w", err)
	}
	set, err := tgt.Repair(ctx, settled, derived)
	if err != nil {
		return fmt.Errorf("recomputing: %w", err)
	}
	fmt.Fprintf(out, "recomputed from the records: %s\n", summarize(set))
	v := verifier{src: src, tgt: tgt, clk: clk, t: t, out: out}
	problems = append(problems, v.verify(ctx)...)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(out, "  differs:", p)
		}
		return fmt.Errorf("%w: %d differences, listed above", ErrVerification, len(problems))
	}
	fmt.Fprintln(out, "verified: the copy holds what the embedded store holds")
	return nil
}

// printCounts lists the records of each kind copied and, when have is not
// nil, those the target holds.
func printCounts(out io.Writer, t *tally, have map[Kind]int) {
	if have == nil {
		fmt.Fprintf(out, "  %-24s %9s\n", "KIND", "RECORDS")
	} else {
		fmt.Fprintf(out, "  %-24s %9s %9s\n", "KIND", "COPIED", "IN TARGET")
	}
	for _, k := range Kinds {
		if have == nil {
			fmt.Fprintf(out, "  %-24s %9d\n", k, t.counts[k])
		} else {
			fmt.Fprintf(out, "  %-24s %9d %9d\n", k, t.counts[k], have[k])
		}
	}
}

// summarize counts the values set by what they are.
func summarize(set []integrity.Drift) string {
	if len(set) == 0 {
		return "nothing to set"
	}
	n := map[integrity.What]int{}
	var order []integrity.What
	for _, d := range set {
		if n[d.What] == 0 {
			order = append(order, d.What)
		}
		n[d.What]++
	}
	parts := make([]string, 0, len(order))
	for _, w := range order {
		parts = append(parts, fmt.Sprintf("%d %s", n[w], w))
	}
	return strings.Join(parts, ", ")
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
