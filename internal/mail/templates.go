package mail

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	texttemplate "text/template"

	"sprout/internal/errs"
)

// Languages mails are written in; every template exists in each of them.
var Languages = []string{"vi", "en"}

// DefaultLang is used when a recipient's language is unknown or unsupported.
const DefaultLang = "vi"

//go:embed templates/*.tmpl
var embedded embed.FS

// Rendered is a mail ready to be stored.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Templates renders mails from files named <name>.<lang>.tmpl, each defining
// the blocks "subject" and "text" (text/template) and "html" (html/template).
// Files whose name starts with "_" are shared: they are parsed with every
// template, so a layout is written once.
type Templates struct {
	byName  map[string]map[string]parsed
	fillers map[string]Filler
}

// A Filler completes the data of a template's messages from what the data
// names, when a message is sent or shown. A message then keeps a reference
// (a ticket's id) rather than a copy of what it is about: a ticket mail
// holds tens of bytes, not the event, the person and the signed QR code
// again. Its attachments are added to the message's. A Filler whose
// reference is gone answers errs.ErrNotFound; any other error is the store
// failing, and the message is tried again later.
type Filler func(ctx context.Context, data map[string]any) (map[string]any, []Attachment, error)

// Fill makes f complete the data of template name. Fillers are set while
// the app is wired, before any message is rendered.
func (t *Templates) Fill(name string, f Filler) {
	if t.fillers == nil {
		t.fillers = map[string]Filler{}
	}
	t.fillers[name] = f
}

type parsed struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// LoadTemplates parses the templates built into the binary.
func LoadTemplates() (*Templates, error) {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		return nil, err
	}
	return ParseTemplates(sub)
}

// ParseTemplates parses every *.tmpl file at the root of fsys. It fails when
// a template is missing a language or a block, so a gap shows at start-up
// rather than when the first mail of that kind is sent.
func ParseTemplates(fsys fs.FS) (*Templates, error) {
	files, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return nil, err
	}
	var shared []string
	langsOf := map[string][]string{}
	for _, f := range files {
		if strings.HasPrefix(f, "_") {
			shared = append(shared, f)
			continue
		}
		name, lang, ok := strings.Cut(strings.TrimSuffix(f, ".tmpl"), ".")
		if !ok || name == "" || !slices.Contains(Languages, lang) {
			return nil, fmt.Errorf("mail template %s: want <name>.<lang>.tmpl with lang one of %v", f, Languages)
		}
		langsOf[name] = append(langsOf[name], lang)
	}
	t := &Templates{byName: map[string]map[string]parsed{}}
	for name, langs := range langsOf {
		for _, lang := range Languages {
			if !slices.Contains(langs, lang) {
				return nil, fmt.Errorf("mail template %s: no %s.%s.tmpl", name, name, lang)
			}
		}
		t.byName[name] = map[string]parsed{}
		for _, lang := range langs {
			p, err := parse(fsys, append(slices.Clone(shared), name+"."+lang+".tmpl"), lang)
			if err != nil {
				return nil, fmt.Errorf("mail template %s.%s: %w", name, lang, err)
			}
			t.byName[name][lang] = p
		}
	}
	return t, nil
}

type button struct{ Link, Label string }

func parse(fsys fs.FS, files []string, lang string) (parsed, error) {
	funcs := map[string]any{
		// The file is in one language, so layouts ask it rather than the data.
		"lang": func() string { return lang },
		// button packs the two arguments of the shared "button" block.
		"button": func(link, label string) button { return button{Link: link, Label: label} },
	}
	root := path.Base(files[len(files)-1])
	text, err := texttemplate.New(root).Funcs(funcs).Option("missingkey=error").ParseFS(fsys, files...)
	if err != nil {
		return parsed{}, err
	}
	html, err := htmltemplate.New(root).Funcs(funcs).Option("missingkey=error").ParseFS(fsys, files...)
	if err != nil {
		return parsed{}, err
	}
	for _, block := range []string{"subject", "text"} {
		if text.Lookup(block) == nil {
			return parsed{}, fmt.Errorf("no %q block", block)
		}
	}
	if html.Lookup("html") == nil {
		return parsed{}, fmt.Errorf(`no "html" block`)
	}
	return parsed{text: text, html: html}, nil
}

// Names lists the templates, sorted.
func (t *Templates) Names() []string {
	names := make([]string, 0, len(t.byName))
	for name := range t.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Lang maps a requested language ("en", "en-US", "") to one mails exist in.
func Lang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if slices.Contains(Languages, lang) {
		return lang
	}
	return DefaultLang
}

// Render fills template name in lang (see Lang) with data.
func (t *Templates) Render(name, lang string, data any) (Rendered, error) {
	langs, ok := t.byName[name]
	if !ok {
		return Rendered{}, fmt.Errorf("mail template %q does not exist", name)
	}
	lang = Lang(lang)
	p := langs[lang]
	var subject, text, html bytes.Buffer
	if err := p.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Rendered{}, fmt.Errorf("mail template %s.%s: %w", name, lang, err)
	}
	if err := p.text.ExecuteTemplate(&text, "text", data); err != nil {
		return Rendered{}, fmt.Errorf("mail template %s.%s: %w", name, lang, err)
	}
	if err := p.html.ExecuteTemplate(&html, "html", data); err != nil {
		return Rendered{}, fmt.Errorf("mail template %s.%s: %w", name, lang, err)
	}
	return Rendered{
		// A subject is one header line, whatever the template's layout.
		Subject: strings.Join(strings.Fields(subject.String()), " "),
		Text:    strings.TrimSpace(text.String()) + "\n",
		HTML:    strings.TrimSpace(html.String()) + "\n",
	}, nil
}

// Has tells whether a template exists.
func (t *Templates) Has(name string) bool {
	_, ok := t.byName[name]
	return ok
}

// RenderMessage fills m's Subject, Text and HTML from its template, language
// and JSON data, completed by the template's Filler if it has one; a
// message rendered already is returned as it is. A message that cannot be
// rendered, ever, is ErrPermanent.
func (t *Templates) RenderMessage(ctx context.Context, m Message) (Message, error) {
	if m.Subject != "" || m.Text != "" || m.HTML != "" {
		return m, nil
	}
	var data map[string]any
	if len(m.Data) > 0 {
		if err := json.Unmarshal(m.Data, &data); err != nil {
			return m, fmt.Errorf("%w: mail %s: data: %w", ErrPermanent, m.ID, err)
		}
	}
	if fill, ok := t.fillers[m.Template]; ok {
		filled, attachments, err := fill(ctx, data)
		if errors.Is(err, errs.ErrNotFound) {
			return m, fmt.Errorf("%w: mail %s: %w", ErrPermanent, m.ID, err)
		}
		if err != nil {
			return m, fmt.Errorf("mail %s: %w", m.ID, err)
		}
		data = filled
		m.Attachments = append(m.Attachments, attachments...)
	}
	r, err := t.Render(m.Template, m.Lang, data)
	if err != nil {
		return m, fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	m.Subject, m.Text, m.HTML = r.Subject, r.Text, r.HTML
	return m, nil
}
