package web

import (
	"html/template"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"

	"sprout/internal/accounts"
	"sprout/internal/i18n"
	"sprout/internal/vn"
)

// Page is what every template receives.
type Page struct {
	L     i18n.Lang
	User  *accounts.User
	CSRF  string
	Flash *Flash
	Path  string
	// Here is the path with its query, to come back to the same view.
	Here    string
	Title   string
	Version string
	Data    any
	// Form keeps what the user typed when a form comes back with errors.
	Form map[string]string
	// Errors holds one translated message per field, "" for the form itself.
	Errors map[string]string
}

// Flash is a one-time message shown after a redirect.
type Flash struct {
	Kind string // ok or error
	Text string
}

// IsAdmin tells templates whether to show the admin menu.
func (p Page) IsAdmin() bool { return p.User != nil && p.User.Has(accounts.RoleAdmin) }

// InAdmin tells whether the page is one of the admin pages, which the
// header's one admin link stands for.
func (p Page) InAdmin() bool { return strings.HasPrefix(p.Path, "/admin/") }

func (p Page) render(c *fiber.Ctx, view string) error {
	return c.Render(view, p, "layouts/main")
}

func (s *Server) page(c *fiber.Ctx, titleID string, data any) Page {
	l := s.lang(c)
	csrfToken, _ := c.Locals(localCSRF).(string)
	p := Page{L: l, User: currentUser(c), CSRF: csrfToken, Path: c.Path(), Here: c.OriginalURL(), Version: s.Version, Data: data}
	if titleID != "" {
		p.Title = l.T(titleID)
	}
	if f := c.Cookies(flashCookie); f != "" {
		kind, rest, _ := strings.Cut(f, ":")
		id, query, _ := strings.Cut(rest, "?")
		var args []any
		if v, err := url.ParseQuery(query); err == nil {
			for k := range v {
				args = append(args, k, v.Get(k))
			}
		}
		if s.Catalog.Has(id) && (kind == "ok" || kind == "error") {
			p.Flash = &Flash{Kind: kind, Text: l.T(id, args...)}
		}
		s.clearCookie(c, flashCookie)
	}
	return p
}

func (s *Server) render(c *fiber.Ctx, view, titleID string, data any) error {
	c.Type("html", "utf-8")
	return s.page(c, titleID, data).render(c, view)
}

// redirectFlash sends the browser on with a message for the next page;
// args fill the message's placeholders.
func (s *Server) redirectFlash(c *fiber.Ctx, to, kind, msgID string, args ...url.Values) error {
	v := kind + ":" + msgID
	if len(args) > 0 {
		v += "?" + args[0].Encode()
	}
	s.setCookie(c, flashCookie, v, time.Minute)
	return c.Redirect(to, fiber.StatusSeeOther)
}

// safeNext keeps a redirect target on this site.
func safeNext(next, fallback string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return fallback
	}
	return next
}

func addFuncs(e *html.Engine) {
	e.AddFuncMap(template.FuncMap{
		"day":       func(t time.Time) string { return t.In(vn.Zone).Format("02") },
		"clock":     func(t time.Time) string { return t.In(vn.Zone).Format("15:04") },
		"dateIn":    dateIn,
		"dayIn":     dayIn,
		"monthIn":   shortMonth,
		"monthYear": monthYear,
		"monthKey":  monthKey,
		"rowOf":     row,
		"join":      joinLines,
		// paragraphs turns plain text into escaped paragraphs.
		"paragraphs": func(s string) template.HTML {
			var b strings.Builder
			for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					b.WriteString("<p>" + strings.ReplaceAll(template.HTMLEscapeString(p), "\n", "<br>") + "</p>")
				}
			}
			return template.HTML(b.String())
		},
		"initials": func(name string) string {
			f := strings.Fields(name)
			if len(f) == 0 {
				return "?"
			}
			r := []rune(f[len(f)-1])
			return strings.ToUpper(string(r[0]))
		},
		"roles":        func() []accounts.Role { return accounts.Roles },
		"has":          func(u accounts.User, r accounts.Role) bool { return u.Has(r) },
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"invalid":      invalid,
		"fieldErr":     fieldErr,
		"cell":         cell,
		"errorSummary": errorSummary,
	})
}

// invalid marks an input whose field came back wrong; its id (the field's
// name unless given) names the message beside it.
func invalid(errors map[string]string, name string, id ...string) template.HTMLAttr {
	if errors[name] == "" {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-errormessage="` + template.HTMLEscapeString(fieldID(name, id)) + `-error"`)
}

// builderCell is one input of a form builder's row as a mistake shows on
// it: the input's id and mark, and the message beside it.
type builderCell struct {
	Attr template.HTMLAttr
	Err  template.HTML
}

// cell shows one part of the n-th row of list. Its id is its form name
// behind "f-", the prefix the programme pages give their inputs, so the
// error summary links to it; a row added in the page (n = 0) gets no id,
// as it has no mistake yet.
func cell(errors map[string]string, list string, n int, part string) builderCell {
	if n == 0 {
		return builderCell{}
	}
	name := itemField(list, n, part)
	id := "f-" + name
	return builderCell{Attr: template.HTMLAttr(`id="`+id+`" `) + invalid(errors, name, id), Err: fieldErr(errors, name, id)}
}

func fieldID(name string, id []string) string {
	if len(id) > 0 && id[0] != "" {
		return id[0]
	}
	return name
}

// fieldErr is the message beside a field that came back wrong; static/js/
// errors.js finds it by its id to remove it once the field is corrected.
func fieldErr(errors map[string]string, name string, id ...string) template.HTML {
	msg := errors[name]
	if msg == "" {
		return ""
	}
	return template.HTML(`<p class="field-error" role="alert" id="` + template.HTMLEscapeString(fieldID(name, id)) + `-error">` + template.HTMLEscapeString(msg) + `</p>`)
}

// summaryItem is one line of a form's error summary: its message, and the
// id of the input it links to ("" for the form as a whole).
type summaryItem struct {
	Target string
	Msg    string
}

// errorSummary lists a form's mistakes for partials/error_summary, each
// linking to the input with id prefix+name, or the id given after its name
// in ids (name, id, name, id...); the form's own mistake comes first.
func errorSummary(l i18n.Lang, errors map[string]string, prefix string, ids ...string) map[string]any {
	own := make(map[string]string, len(ids)/2)
	for i := 0; i+1 < len(ids); i += 2 {
		own[ids[i]] = ids[i+1]
	}
	names := make([]string, 0, len(errors))
	for name := range errors {
		names = append(names, name)
	}
	sort.Strings(names)
	items := make([]summaryItem, 0, len(names))
	for _, name := range names {
		it := summaryItem{Msg: errors[name]}
		if id, ok := own[name]; ok {
			it.Target = id
		} else if name != "" {
			it.Target = prefix + name
		}
		items = append(items, it)
	}
	return map[string]any{"L": l, "Items": items}
}
