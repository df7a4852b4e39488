package e2e_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSignUpFromTheCallAndFindItOnMyWork is a founder who reads the
// site in English, signs up from a programme's apply page, is brought back
// to it, starts an application, signs out, and after signing in again finds
// English and the application on My work, on a page no wider than a phone.
func TestBrowserSignUpFromTheCallAndFindItOnMyWork(t *testing.T) {
	t.Parallel()
	started := time.Now()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	const slug, startup = "uom-tao-2027", "Green Sprout Analytics"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": slug, "title": "Ươm tạo Công nghệ 2027", "opens_at": s.now().Add(-time.Hour), "closes_at": s.now().Add(10 * 24 * time.Hour),
		"questions": []map[string]any{{"id": "problem", "label": "Vấn đề bạn giải quyết", "kind": "long_text", "required": true}},
		"criteria":  []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, nil)
	apply := "/programs/" + slug + "/apply"

	b := newTab(t, browser, s.base)
	b.do("holding the phone", chromedp.EmulateViewport(412, 915, chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.load("opening the apply page in English", 200, apply, chromedp.Navigate(s.base+"/lang/en?next="+url.QueryEscape(apply)))
	if got := b.eval(`document.querySelector('main a[href^="/signup"]').getAttribute("href")`); !strings.HasPrefix(got, "/signup?next=") {
		t.Fatalf("sign-up link on the apply page: %q", got)
	}
	if _, err := chromedp.RunResponse(b.ctx, click(`main a[href^="/signup"]`)); err != nil {
		t.Fatalf("opening the sign-up page: %v", err)
	}
	b.typeInto("#name", "Lê Hoàng Nam")
	b.typeInto("#email", "nam.le@example.vn")
	b.typeInto("#password", "green sprout 2027")
	b.load("signing up", 200, apply, click(`main form button[type="submit"]`))
	if got := b.eval(`document.documentElement.lang`); got != "en" {
		t.Errorf("<html lang> back on the apply page: %q, want en", got)
	}
	b.load("starting the application", 200, apply, click(`form[action="`+apply+`"] button[type="submit"]`))
	b.typeInto("#startup_name", startup)
	b.waitFor(`document.getElementById("apply-status").dataset.kind === "ok"`)
	time.Sleep(time.Second)
	b.waitFor(`document.getElementById("apply-status").dataset.kind === "ok"`)

	// On a phone the navigation opens from its menu button.
	b.do("opening the menu", click(`label.nav-burger`))
	b.load("signing out", 200, "/", click(`header form[action="/logout"] button`))
	b.do("opening the menu", click(`label.nav-burger`))
	b.load("opening the login page", 200, "/login", click(`header a[href="/login"]`))
	b.typeInto("#email", "nam.le@example.vn")
	b.typeInto("#password", "green sprout 2027")
	b.load("signing in again", 200, "/me", click(`main form button[type="submit"]`))
	if got := b.eval(`document.documentElement.lang`); got != "en" {
		t.Errorf("<html lang> after signing in again: %q, want en", got)
	}
	if got := b.text("main h1"); got != "My work" {
		t.Errorf("heading after signing in: %q, want My work", got)
	}
	if got := b.text(`[data-block="founder"] li[data-status="draft"]`); !strings.Contains(got, startup) || !strings.Contains(got, "Ươm tạo Công nghệ 2027") ||
		!strings.Contains(got, "Deadline:") {
		t.Errorf("My work lists %q, want the draft of %s with its deadline", got, startup)
	}
	if got := b.eval(`document.querySelector('header a[href="/me"]').textContent`); got != "My work" {
		t.Errorf("navigation link: %q", got)
	}
	if wide := b.eval(`document.documentElement.scrollWidth + " " + innerWidth`); wide != "412 412" {
		t.Errorf("My work on a phone: scrollWidth and innerWidth %s, want no wider than the window", wide)
	}
	t.Logf("the journey took %s in the browser", time.Since(started).Round(time.Millisecond))
}

// TestBrowserMyWorkAndExportFitTheWindow opens the pages My work and the
// export touch, as someone holding every incubator role and as a visitor,
// and the users page as an admin holding every role, in both languages on
// a laptop and on a phone: none is wider than the window; the applications
// export downloads to the end with its progress.
func TestBrowserMyWorkAndExportFitTheWindow(t *testing.T) {
	t.Parallel()
	browser := newBrowser(t)
	s := startServer(t, t.TempDir(), adminEnv()...)
	org := s.organizer(t)
	admin := s.login(t, adminEmail, adminPassword)
	const email, password = "moi.vai.tro@sprout.test", "đủ mọi vai trò"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": email, "password": password,
		"name": "Nguyễn Thị Phương Thảo Quỳnh", "roles": []string{"founder", "reviewer", "organizer", "mentor", "staff"}}, nil)
	const adminAll = "quan.tri.moi.vai.tro@sprout.test"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{"email": adminAll, "password": password,
		"name": "Tôn Nữ Thị Phương Thảo", "roles": []string{"admin", "organizer", "reviewer", "mentor", "staff", "exhibitor", "founder"}}, nil)
	var call struct {
		Program struct {
			ID string `json:"id"`
		} `json:"program"`
	}
	const slug = "chuong-trinh-tang-toc-khoi-nghiep-doi-moi-sang-tao-2027"
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs", org, map[string]any{
		"slug": slug, "title": "Chương trình Tăng tốc Khởi nghiệp Đổi mới Sáng tạo Quốc gia 2027", "opens_at": s.now().Add(-time.Hour),
		"closes_at": s.now().Add(3 * 24 * time.Hour),
		"questions": []map[string]any{{"id": "problem", "label": "Vấn đề bạn giải quyết", "kind": "long_text"}},
		"criteria":  []map[string]any{{"id": "team", "label": "Đội ngũ", "weight": 1}},
	}, &call)
	var app struct {
		Application struct {
			ID string `json:"id"`
		} `json:"application"`
	}
	founder := s.login(t, email, password)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/programs/"+call.Program.ID+"/applications", founder,
		map[string]any{"startup_name": "Công ty Cổ phần Công nghệ Nông nghiệp Thông minh Việt Nam", "answers": map[string]any{}}, &app)
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/applications/"+app.Application.ID+"/submit", founder, nil, nil)

	apply := "/programs/" + slug + "/apply"
	for _, size := range []struct {
		name          string
		width, height int64
		phone         bool
	}{{"laptop", 1366, 900, false}, {"phone", 412, 915, true}} {
		for _, lang := range []string{"vi", "en"} {
			viewport := chromedp.EmulateViewport(size.width, size.height)
			if size.phone {
				viewport = chromedp.EmulateViewport(size.width, size.height, chromedp.EmulateMobile, chromedp.EmulateTouch)
			}
			visitor := newTab(t, browser, s.base)
			visitor.do("sizing the window", viewport)
			member := newTab(t, browser, s.base)
			member.do("sizing the window", viewport)
			member.signIn(email, password, "/me")
			everyRole := newTab(t, browser, s.base)
			everyRole.do("sizing the window", viewport)
			everyRole.signIn(adminAll, password, "/me")
			for _, p := range []struct {
				b    *tab
				path string
			}{{visitor, apply}, {visitor, "/signup?next=" + url.QueryEscape(apply)}, {member, "/me"}, {member, "/manage/programs/" + call.Program.ID},
				{everyRole, "/admin/users"}, {everyRole, "/admin/audit"}} {
				p.b.load("opening "+p.path, 200, p.path, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(p.path)))
				if over := p.b.eval(`String(document.documentElement.scrollWidth - innerWidth)`); over != "0" && !strings.HasPrefix(over, "-") {
					t.Errorf("%s in %s on a %s is %s px wider than the window", p.path, lang, size.name, over)
				}
			}
			// On a laptop the header is one row, with every link of a
			// member of every role, in both languages.
			if !size.phone {
				if h := member.eval(`String(document.querySelector(".topbar-inner").getBoundingClientRect().height)`); h != "60" {
					t.Errorf("the header in %s is %s px high on a laptop: its links wrap to a second row", lang, h)
				}
				// So is an admin's, who has the most links: every link, the
				// account and the sign-out button sit on the bar's middle
				// line, none pushed out or onto a second row squeezed into
				// the same height.
				if h := everyRole.eval(`String(document.querySelector(".topbar-inner").getBoundingClientRect().height)`); h != "60" {
					t.Errorf("the header of an admin of every role in %s is %s px high on a laptop", lang, h)
				}
				if off := everyRole.eval(`(() => {
					const bar = document.querySelector(".topbar-inner").getBoundingClientRect();
					const middle = (bar.top + bar.bottom) / 2;
					return [...document.querySelectorAll(".topbar-inner a, .topbar-inner button")].filter(el => {
						const r = el.getBoundingClientRect();
						return r.width > 0 && (r.left < bar.left || r.right > bar.right || Math.abs((r.top + r.bottom) / 2 - middle) > 6);
					}).map(el => el.textContent.trim()).join(", ");
				})()`); off != "" {
					t.Errorf("in %s on a laptop the admin's header is not one row: %s off it", lang, off)
				}
			}
			// The export downloads with its progress shown to the end.
			programme := "/manage/programs/" + call.Program.ID
			member.load("opening the programme", 200, programme, chromedp.Navigate(s.base+"/lang/"+lang+"?next="+url.QueryEscape(programme)))
			member.do("exporting the applications", click(`a[data-export][href$="/applications.csv"]`))
			member.waitFor(`document.querySelector(".export-progress [role=status]").textContent === document.querySelector("[data-export-box]").dataset.done`)
			if got := member.text(".export-progress [role=status]"); got != map[string]string{"vi": "Đã tải xong.", "en": "Download complete."}[lang] {
				t.Errorf("after exporting in %s: %q", lang, got)
			}
		}
	}
}
