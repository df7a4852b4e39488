package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"sprout/internal/bench"
	"sprout/internal/errs"
	"sprout/internal/i18n"
)

const usage = `Sprout — ươm tạo khởi nghiệp và sự kiện đổi mới sáng tạo

Usage:
  sprout serve [--demo]      run the web server (on $PORT, default 3000)
  sprout admin create --email E --name N [--password P]
                             create an admin, or reset an existing user's
                             password and make them admin (password from
                             --password or $ADMIN_PASSWORD)
  sprout keys list|rotate|retire KID
                             list the ticket signing keys, add a new one that
                             signs from now on, or retire one no live ticket needs
  sprout backup FILE         copy the embedded store in $DATA_DIR to FILE (a
                             new file), also while the server runs
  sprout check [--repair]    verify the store's invariants (seats against
                             tickets, who is inside against the scans, every
                             counter against what it counts): exit 0 when
                             they hold, 1 and a list when not; --repair
                             mends what drifted
  sprout migrate --to URI [--dry-run]
                             copy the embedded store in $DATA_DIR into the
                             empty MongoDB database URI names, recompute its
                             counters and verify the copy; a target that is
                             not empty is refused, a copy that fails is
                             removed again; --dry-run counts what would be
                             copied and writes nothing
  sprout bench register|checkin [--tickets N] [--clients N] [--requests N] [--rate N]
  sprout bench ranking [--applications N] [--reviews N]
  sprout bench floor [--booths N] [--runs N]
  sprout bench body [--clients N] [--size BYTES] [--server PATH]
  sprout bench search [--tickets N] [--runs N]
  sprout bench badges [--badges N] [--runs N]
  sprout bench certs [--certs N] [--runs N]
                             measure registration, gate check-in, the
                             programme ranking page, the floor plans or large
                             anonymous bodies against a server process on a
                             temporary embedded store and print the figures
                             (badges: time the bulk badge PDF of N badges;
                             certs: the ZIP and the PDF of N certificates)
  sprout version             print the version

Configuration comes from the environment; see README.md.
`

// Main runs one command-line verb and returns the process exit code.
func Main(args []string, assets Assets, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	// The heap of a serving Sprout is small (tens of MB); collecting half as
	// often trades a few MB for steadier latency under a rush.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(args[1:], assets, stdout)
	case "admin":
		err = cmdAdmin(args[1:], assets, stdout)
	case "keys":
		err = cmdKeys(args[1:], assets, stdout)
	case "backup":
		err = cmdBackup(args[1:], stdout)
	case "check":
		err = cmdCheck(args[1:], assets, stdout)
	case "migrate":
		err = cmdMigrate(args[1:], stdout)
	case "bench":
		err = cmdBench(args[1:], assets, stdout)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "sprout", Version)
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "sprout:", describe(err))
		return 1
	}
	return 0
}

// describe words an error for the terminal: a rule of the domain in plain
// English, anything else as it is.
func describe(err error) string {
	e, ok := errs.As(err)
	if !ok || e.MsgID == "" {
		return err.Error()
	}
	cat, cerr := i18n.Load()
	if cerr != nil {
		return err.Error()
	}
	return cat.For("en").T(e.MsgID, e.Args()...)
}

func cmdServe(args []string, assets Assets, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "seed a realistic demo (accounts for every role) and print its sign-ins")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		return err
	}
	if *demo {
		cfg = DemoConfig(cfg, os.Getenv)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return Serve(ctx, cfg, assets, *demo, stdout)
}

// Serve runs the server until ctx ends, then drains requests in flight for
// at most 10 seconds, stops the background work and closes the store.
func Serve(ctx context.Context, cfg Config, assets Assets, demo bool, stdout io.Writer) error {
	a, err := New(ctx, cfg, assets)
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.AdminEmail != "" {
		if _, created, err := a.Accounts.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword, cfg.AdminName); err != nil {
			return fmt.Errorf("ADMIN_EMAIL: %w", err)
		} else if created {
			a.Log.Info("admin created", "email", cfg.AdminEmail)
		}
	}
	if demo {
		if err := a.SeedDemo(ctx, stdout); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	web, err := a.Web()
	if err != nil {
		return err
	}
	bgCtx, stopBG := context.WithCancel(context.Background())
	waitBG, err := a.background(bgCtx)
	if err != nil {
		stopBG()
		return err
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.Port))
	if err != nil {
		stopBG()
		return err
	}
	a.Log.Info("sprout serving", "url", cfg.BaseURL, "port", cfg.Port, "store", a.Kind, "version", Version)
	served := make(chan error, 1)
	go func() { served <- web.Listener(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
		a.Log.Info("shutting down: draining requests in flight")
		err = web.ShutdownWithTimeout(10 * time.Second)
		if errors.Is(err, context.DeadlineExceeded) {
			a.Log.Warn("requests still running after 10 s were cut")
			err = nil
		}
	}
	// Only once the mail worker and the janitor have returned may the store
	// close under them; an SMTP conversation is bounded (SMTP timeout).
	stopBG()
	waitBG()
	a.Log.Info("stopped")
	return err
}

// cmdBench measures the hot paths; bench seeds through an app opened here
// and measures a server process of its own.
func cmdBench(args []string, assets Assets, stdout io.Writer) error {
	open := func(dir string) (*bench.App, error) {
		cfg, err := LoadConfig(func(k string) string {
			return map[string]string{"DATA_DIR": dir, "LOG_LEVEL": "error", "CLOCK_OFFSET": os.Getenv("CLOCK_OFFSET")}[k]
		})
		if err != nil {
			return nil, err
		}
		a, err := New(context.Background(), cfg, assets)
		if err != nil {
			return nil, err
		}
		return &bench.App{Services: a.Services, Store: a.Store, Close: a.Close}, nil
	}
	verb := ""
	if len(args) > 0 {
		verb = args[0]
	}
	switch verb {
	case "register", "checkin":
		return bench.Load(verb, args[1:], open, stdout)
	case "ranking":
		return bench.Ranking(args[1:], open, stdout)
	case "floor":
		return bench.Floor(args[1:], open, stdout)
	case "body":
		return bench.Body(args[1:], stdout)
	case "search":
		return bench.Search(args[1:], open, stdout)
	case "badges":
		return bench.Badges(args[1:], stdout)
	case "certs":
		return bench.Certs(args[1:], stdout)
	}
	return errors.New("usage: sprout bench register|checkin [--tickets N] [--clients N] [--requests N] [--rate N]\n" +
		"       sprout bench ranking [--applications N] [--reviews N] [--reviewers N] [--runs N]\n" +
		"       sprout bench floor [--booths N] [--runs N]\n" +
		"       sprout bench body [--clients N] [--size BYTES] [--server PATH]\n" +
		"       sprout bench search [--tickets N] [--runs N]\n" +
		"       sprout bench badges [--badges N] [--runs N]\n" +
		"       sprout bench certs [--certs N] [--runs N]")
}

func cmdAdmin(args []string, assets Assets, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: sprout admin create --email E --name N [--password P]")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	email := fs.String("email", "", "the admin's email")
	name := fs.String("name", "", "the admin's full name (for a new account)")
	password := fs.String("password", os.Getenv("ADMIN_PASSWORD"), "the password (at least 10 characters)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *password == "" {
		return errors.New("admin create needs --email and --password (or $ADMIN_PASSWORD)")
	}
	env := func(k string) string {
		if k == "ADMIN_EMAIL" || k == "ADMIN_PASSWORD" {
			return ""
		}
		return os.Getenv(k)
	}
	cfg, err := LoadConfig(env)
	if err != nil {
		return err
	}
	a, err := New(context.Background(), cfg, assets)
	if err != nil {
		return err
	}
	defer a.Close()
	u, created, err := a.Accounts.EnsureAdmin(context.Background(), *email, *password, *name)
	if err != nil {
		return err
	}
	verb := "updated"
	if created {
		verb = "created"
	}
	fmt.Fprintf(stdout, "admin %s: %s <%s>\n", verb, u.Name, u.Email)
	return nil
}
