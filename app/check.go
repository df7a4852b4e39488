package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"sprout/internal/integrity"
)

// cmdCheck verifies the store's invariants, on either store, and with
// --repair mends what drifted. Drift makes it exit 1, after the list.
func cmdCheck(args []string, assets Assets, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	repair := fs.Bool("repair", false, "mend what drifted: set each counter to what it counts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("usage: sprout check [--repair]")
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	// Opening a missing file would make an empty store, which holds every
	// invariant: say instead that there is nothing to check.
	if cfg.MongoURI == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return fmt.Errorf("no store to check: %w", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return err
	}
	defer a.Close()
	checks := integrity.NewService(a.Store, a.Clock)
	if *repair {
		mended, err := checks.Repair(ctx)
		for _, d := range mended {
			fmt.Fprintln(stdout, "mended:", d)
		}
		if err != nil {
			return err
		}
	}
	drifts, err := checks.Check(ctx)
	if err != nil {
		return err
	}
	if len(drifts) == 0 {
		fmt.Fprintf(stdout, "%s store: every invariant holds\n", a.Kind)
		return nil
	}
	for _, d := range drifts {
		fmt.Fprintln(stdout, "drifted:", d)
	}
	if *repair {
		return fmt.Errorf("%s still drifted after repairing: writes changed them meanwhile; run sprout check --repair again", storedValues(len(drifts)))
	}
	return fmt.Errorf("%s drifted, listed above; sprout check --repair mends what drifted", storedValues(len(drifts)))
}

func storedValues(n int) string {
	if n == 1 {
		return "1 stored value"
	}
	return fmt.Sprintf("%d stored values", n)
}
