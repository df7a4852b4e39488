// Command shots takes the screenshots in docs/img from a real server with
// the demo data, so the pictures in the docs show what the code renders
// today. Run it from the module root, with Debian's Chromium installed:
//
//	go run ./docs/shots
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"sprout/internal/vn"
)

func main() {
	out := flag.String("out", filepath.Join("docs", "img"), "folder for the PNG files")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the Chromium executable")
	flag.Parse()
	if err := run(*out, *chromium); err != nil {
		fmt.Fprintln(os.Stderr, "shots:", err)
		os.Exit(1)
	}
}

// shot is one picture: a page at a viewport, in a language, signed in as
// the demo admin or not, or as the demo account of the role in as. A shot
// with a dir is written there instead of the -out folder.
type shot struct {
	file, dir     string
	path, lang    string
	width, height int64
	phone, admin  bool
	as            string
	// at is the part of a long page the picture shows, scrolled near the
	// top with its heading below the sticky bar.
	at string
}

// expo is the demo's expo, which --demo dates by the day it runs.
var expo = "/events/trien-lam-doi-moi-sang-tao-" + time.Now().In(vn.Zone).Format("2006-01-02")

var shots = []shot{
	{file: "home-vi-desktop.png", path: "/", lang: "vi", width: 1280, height: 800},
	{file: "login-vi-phone.png", path: "/login", lang: "vi", width: 390, height: 844, phone: true},
	{file: "admin-users-en-desktop.png", path: "/admin/users", lang: "en", width: 1280, height: 800, admin: true},
	{file: "floor-vi-desktop.png", path: expo + "/floor", lang: "vi", width: 1280, height: 1000},
	{file: "exhibitors-vi-phone.png", path: expo + "/exhibitors", lang: "vi", width: 390, height: 844, phone: true},
}

// workShots are My work as each incubator role sees it, in both languages,
// on a laptop and on a phone.
func workShots() []shot {
	var out []shot
	for _, role := range []string{"founder", "reviewer", "organizer", "mentor"} {
		for _, lang := range []string{"vi", "en"} {
			out = append(out,
				shot{file: "work-" + role + "-" + lang + "-desktop.png", path: "/me", lang: lang, width: 1366, height: 900, as: role, dir: filepath.Join("docs", "shots")},
				shot{file: "work-" + role + "-" + lang + "-phone.png", path: "/me", lang: lang, width: 412, height: 915, phone: true, as: role, dir: filepath.Join("docs", "shots")})
		}
	}
	return out
}

// newProgrammeShots are the organizer's new programme form at its
// builder, in both languages, on a laptop and on a phone.
func newProgrammeShots() []shot {
	var out []shot
	for _, lang := range []string{"vi", "en"} {
		out = append(out,
			shot{file: "program-new-" + lang + "-1366x900.png", path: "/manage/programs/new", lang: lang, width: 1366, height: 900, as: "organizer",
				at: "#questions", dir: filepath.Join("docs", "shots")},
			shot{file: "program-new-" + lang + "-412x915.png", path: "/manage/programs/new", lang: lang, width: 412, height: 915, phone: true,
				as: "organizer", at: "#questions", dir: filepath.Join("docs", "shots")})
	}
	return out
}

// cohortPath stands for the demo cohort's board, whose id the demo prints.
const cohortPath = "{cohort}"

// mentoringShots are the mentor's session form, the founder's view of the
// sessions, the organizer's cohort activity and milestone form, in both
// languages at a laptop's and a phone's size.
func mentoringShots() []shot {
	var out []shot
	for _, lang := range []string{"vi", "en"} {
		for _, size := range []struct {
			name          string
			width, height int64
			phone         bool
		}{{"1366x900", 1366, 900, false}, {"412x915", 412, 915, true}} {
			for _, p := range []struct{ name, path, as, at string }{
				{"mentor-sessions", "/mentor", "mentor", ".session-form"},
				{"founder-sessions", "/cohort/reports", "cohort-founder", ".session-list"},
				{"organizer-cohort-activity", cohortPath, "organizer", "#mentoring"},
				{"organizer-cohort-milestones", cohortPath, "organizer", ".milestone-form"},
			} {
				out = append(out, shot{file: p.name + "-" + lang + "-" + size.name + ".png", dir: filepath.Join("docs", "shots"), path: p.path,
					lang: lang, width: size.width, height: size.height, phone: size.phone, as: p.as, at: p.at})
			}
		}
	}
	return out
}

func run(outDir, chromium string) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run this from the module root: go run ./docs/shots")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "sprout-shots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "sprout")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building sprout: %w", err)
	}
	base, logins, cohort, stop, err := serveDemo(bin, filepath.Join(tmp, "data"))
	if err != nil {
		return err
	}
	defer stop()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		return fmt.Errorf("starting Chromium: %w", err)
	}

	for _, s := range append(append(append(shots, workShots()...), mentoringShots()...), newProgrammeShots()...) {
		who := logins["admin"]
		if s.as != "" {
			who = logins[s.as]
			s.admin = true
		}
		if s.path == cohortPath {
			s.path = cohort
		}
		png, err := take(browser, base, who, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		dir := outDir
		if s.dir != "" {
			dir = s.dir
		}
		path := filepath.Join(dir, s.file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s  %dx%d CSS px  %d KB\n", path, s.width, s.height, len(png)/1024)
	}
	return nil
}

// take renders one shot in a tab of its own, so no cookie of an earlier
// shot changes its language or its session.
func take(browser context.Context, base string, admin login, s shot) ([]byte, error) {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		return nil, err
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	defer cancelTimeout()

	viewport := chromedp.EmulateViewport(s.width, s.height)
	if s.phone {
		// A phone's pixel density, so the picture is as sharp as on the
		// device.
		viewport = chromedp.EmulateViewport(s.width, s.height, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2))
	}
	if err := chromedp.Do(ctx, viewport); err != nil {
		return nil, err
	}
	if s.admin {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(chromedp.CSS("#email"), admin.email),
			chromedp.SendKeys(chromedp.CSS("#password"), admin.password),
		); err != nil {
			return nil, err
		}
		res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
		if err != nil {
			return nil, err
		}
		if res.Status != http.StatusOK {
			return nil, fmt.Errorf("signing in as %s led to %s (%d)", admin.email, res.URL, res.Status)
		}
	}
	// Choosing the language after signing in, because signing in brings
	// back the account's own language.
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+"/lang/"+s.lang+"?next="+s.path))
	if err != nil {
		return nil, err
	}
	if res.Status != http.StatusOK || res.URL != base+s.path {
		return nil, fmt.Errorf("opening %s led to %s (%d)", s.path, res.URL, res.Status)
	}
	if s.at != "" {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](
			`document.querySelector(`+strconv.Quote(s.at)+`).scrollIntoView(); scrollBy(0, -120)`)); err != nil {
			return nil, fmt.Errorf("scrolling to %s: %w", s.at, err)
		}
	}
	// A page wider than the window would be cut off in the picture.
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= innerWidth`))
	if err != nil {
		return nil, err
	}
	if !fits {
		return nil, fmt.Errorf("%s in %s is wider than %d px", s.path, s.lang, s.width)
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

type login struct{ email, password string }

// demoRow is a line of the sign-in table that `serve --demo` prints:
// columns are at least two spaces apart, names have single spaces.
var demoRow = regexp.MustCompile(`^(\S+)\s{2,}(.+?)\s{2,}(\S+@\S+)\s{2,}(\S+)\s*$`)

// cohortLine is the demo's note that links its cohort board.
var cohortLine = regexp.MustCompile(`^Cohort: \S+?(/manage/cohorts/\S+)`)

// serveDemo starts `sprout serve --demo` on a free port and returns its
// address, the demo's sign-ins by role, its cohort board's path and a func
// that stops it.
func serveDemo(bin, dataDir string) (base string, logins map[string]login, cohort string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, "", nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	base = "http://127.0.0.1:" + strconv.Itoa(port)

	cmd := exec.Command(bin, "serve", "--demo")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dataDir,
		"PORT=" + strconv.Itoa(port),
		"DATA_DIR=" + dataDir,
		"LOG_LEVEL=error",
		"BASE_URL=" + base,
	}
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, "", nil, err
	}
	exited := make(chan struct{})
	found := make(chan struct{})
	logins = map[string]login{}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := demoRow.FindStringSubmatch(sc.Text()); m != nil && cohort == "" {
				logins[m[1]] = login{email: m[3], password: m[4]}
			}
			// The cohort's note comes after every sign-in.
			if m := cohortLine.FindStringSubmatch(sc.Text()); m != nil && cohort == "" {
				cohort = m[1]
				close(found)
			}
		}
		io.Copy(io.Discard, stdout)
		cmd.Wait()
		close(exited)
	}()
	stop = func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}

	select {
	case <-found:
	case <-exited:
		return "", nil, "", nil, errors.New("sprout serve --demo exited before printing the demo sign-ins")
	case <-time.After(time.Minute):
		stop()
		return "", nil, "", nil, errors.New("sprout serve --demo printed no cohort within a minute")
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if res, err := client.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base, logins, cohort, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, "", nil, errors.New("/healthz did not answer 200 within 30 s")
		}
	}
}
