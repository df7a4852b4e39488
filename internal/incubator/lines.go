package incubator

import (
	"strconv"
	"strings"
)

// Organizers write a programme's form and criteria as text, one item a
// line, its parts separated by "|"; blank lines are skipped.
//
// A question: id | label | kind | required | options | help, where kind is
// text, long_text, number, url, choice or file, "required" makes it
// required (anything else or nothing: optional) and options, for a choice,
// are separated by ";". Only id, label and kind must be there.
//
// A criterion: id | label | weight | what a 1 means | a 3 | a 5. Only id,
// label and weight must be there.

func splitLine(line string) []string {
	parts := strings.Split(line, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func part(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// ParseQuestions reads questions written one a line.
func ParseQuestions(text string) ([]Question, error) {
	var out []Question
	for n, l := range lines(text) {
		p := splitLine(l)
		if len(p) < 3 || len(p) > 6 {
			return nil, field("questions", "error.line_format", "Line", n+1)
		}
		q := Question{ID: p[0], Label: p[1], Kind: Kind(p[2]), Required: strings.EqualFold(part(p, 3), "required"), Help: part(p, 5)}
		for _, o := range strings.Split(part(p, 4), ";") {
			if o = strings.TrimSpace(o); o != "" {
				q.Options = append(q.Options, o)
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// ParseCriteria reads criteria written one a line.
func ParseCriteria(text string) ([]Criterion, error) {
	var out []Criterion
	for n, l := range lines(text) {
		p := splitLine(l)
		if len(p) < 3 || len(p) > 6 {
			return nil, field("criteria", "error.line_format", "Line", n+1)
		}
		w, err := strconv.ParseFloat(strings.ReplaceAll(p[2], ",", "."), 64)
		if err != nil {
			return nil, field("criteria", "error.criterion_weight")
		}
		c := Criterion{ID: p[0], Label: p[1], Weight: w}
		for i, score := range []string{"1", "3", "5"} {
			if a := part(p, 3+i); a != "" {
				if c.Anchors == nil {
					c.Anchors = map[string]string{}
				}
				c.Anchors[score] = a
			}
		}
		out = append(out, c)
	}
	return out, nil
}
