package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"sprout/internal/keys"
	"sprout/internal/vn"
)

const keysUsage = "usage: sprout keys list | sprout keys rotate | sprout keys retire KID"

// cmdKeys lists, rotates and retires the keys that sign tickets.
func cmdKeys(args []string, assets Assets, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	switch {
	case (args[0] == "list" || args[0] == "rotate") && len(args) == 1:
	case args[0] == "retire" && len(args) == 2:
	default:
		return errors.New(keysUsage)
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "list":
		return listKeys(ctx, a.Store, stdout)
	case "rotate":
		k, err := a.Keys.Rotate(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %s now signs new tickets; running servers switch to it within %s, and older keys keep verifying\n",
			k.ID, keys.CacheTTL)
		return nil
	default:
		if err := a.Keys.Retire(ctx, args[1], a.LiveTickets); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %s retired: tickets it signed no longer verify\n", args[1])
		return nil
	}
}

func listKeys(ctx context.Context, store keys.Store, stdout io.Writer) error {
	ks, err := store.ListKeys(ctx)
	if err != nil {
		return err
	}
	if len(ks) == 0 {
		fmt.Fprintln(stdout, "no signing keys yet: the first is made when the first ticket is signed")
		return nil
	}
	current, _ := keys.Signing(ks)
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "KID\tCREATED\tRETIRED\tCURRENT")
	for _, k := range ks {
		retired, cur := "-", ""
		if !k.RetiredAt.IsZero() {
			retired = keyTime(k.RetiredAt)
		}
		if k.ID == current.ID {
			cur = "yes"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", k.ID, keyTime(k.CreatedAt), retired, cur)
	}
	return w.Flush()
}

// keyTime shows a time as the department reads it, in Vietnam's time zone.
func keyTime(t time.Time) string { return t.In(vn.Zone).Format("2006-01-02 15:04:05 -07:00") }
