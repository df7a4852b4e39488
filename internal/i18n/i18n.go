// Package i18n holds Sprout's messages in Vietnamese and English and picks
// the language a request is served in.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

//go:embed locales/*.json
var locales embed.FS

// Langs are the languages served, the default first.
var Langs = []string{"vi", "en"}

// Catalog translates message ids.
type Catalog struct {
	bundle  *goi18n.Bundle
	locs    map[string]*goi18n.Localizer
	nums    map[string]*message.Printer
	ids     map[string]map[string]bool
	matcher language.Matcher
}

// Load reads the embedded message files.
func Load() (*Catalog, error) {
	b := goi18n.NewBundle(language.Vietnamese)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	c := &Catalog{bundle: b, locs: map[string]*goi18n.Localizer{}, nums: map[string]*message.Printer{}, ids: map[string]map[string]bool{}}
	tags := make([]language.Tag, 0, len(Langs))
	for _, l := range Langs {
		// Each area of the product may keep its messages in a file of its
		// own, named <area>.<lang>.json, next to the main <lang>.json.
		names, err := fs.Glob(locales, "locales/*."+l+".json")
		if err != nil {
			return nil, err
		}
		c.ids[l] = map[string]bool{}
		for _, name := range append([]string{"locales/" + l + ".json"}, names...) {
			data, err := locales.ReadFile(name)
			if err != nil {
				return nil, err
			}
			mf, err := b.ParseMessageFileBytes(data, path.Base(name))
			if err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", name, err)
			}
			for _, m := range mf.Messages {
				if c.ids[l][m.ID] {
					return nil, fmt.Errorf("i18n: %s: %q is defined twice", name, m.ID)
				}
				c.ids[l][m.ID] = true
			}
		}
		c.locs[l] = goi18n.NewLocalizer(b, l)
		tags = append(tags, language.MustParse(l))
		c.nums[l] = message.NewPrinter(tags[len(tags)-1])
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// IDs lists the message ids of a language, sorted.
func (c *Catalog) IDs(lang string) []string {
	out := make([]string, 0, len(c.ids[lang]))
	for id := range c.ids[lang] {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Has tells whether id exists in every language.
func (c *Catalog) Has(id string) bool {
	for _, l := range Langs {
		if !c.ids[l][id] {
			return false
		}
	}
	return true
}

// T translates id into lang, filling placeholders from data; an unknown id
// comes back as itself so a missing message is visible, not blank.
func (c *Catalog) T(lang, id string, data map[string]any) string {
	loc, ok := c.locs[lang]
	if !ok {
		loc = c.locs[Langs[0]]
	}
	s, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	return s
}

// Match picks the served language for an Accept-Language header; no header
// or no match gives the default.
func (c *Catalog) Match(acceptLanguage string) string {
	if acceptLanguage == "" {
		return Langs[0]
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Langs[0]
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return Langs[0]
	}
	return Langs[idx]
}

// Valid tells whether lang is served.
func Valid(lang string) bool {
	for _, l := range Langs {
		if l == lang {
			return true
		}
	}
	return false
}

// Lang is a catalog bound to one language, handed to templates as .L.
type Lang struct {
	Code string
	cat  *Catalog
}

// For binds the catalog to a language.
func (c *Catalog) For(lang string) Lang {
	if !Valid(lang) {
		lang = Langs[0]
	}
	return Lang{Code: lang, cat: c}
}

// T translates id; args are placeholder name and value pairs. Whole
// numbers among the values are written as Num writes them, so that every
// count a message shows has the language's thousands separator.
func (l Lang) T(id string, args ...any) string {
	var data map[string]any
	if len(args) > 1 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			v := args[i+1]
			if isWhole(v) {
				v = l.Num(v)
			}
			data[fmt.Sprint(args[i])] = v
		}
	}
	return l.cat.T(l.Code, id, data)
}

// Dec writes a decimal such as hours, up to two places, as the language
// does: 7,5 in Vietnamese, 7.5 in English.
func (l Lang) Dec(f float64) string {
	p, ok := l.cat.nums[l.Code]
	if !ok {
		p = l.cat.nums[Langs[0]]
	}
	return p.Sprint(number.Decimal(f, number.MaxFractionDigits(2)))
}

// Num writes a whole number with the language's thousands separator:
// "1.500" in Vietnamese, "1,500" in English. Anything else is written as
// fmt writes it.
func (l Lang) Num(n any) string {
	if !isWhole(n) {
		return fmt.Sprint(n)
	}
	p, ok := l.cat.nums[l.Code]
	if !ok {
		p = l.cat.nums[Langs[0]]
	}
	return p.Sprintf("%d", n)
}

func isWhole(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}
