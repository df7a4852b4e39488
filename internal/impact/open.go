package impact

import "time"

// YearValue is a count in one year as published: Value is nil and
// Suppressed true when the count is under MinShown.
type YearValue struct {
	Year       int  `json:"year"`
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

// Breakdown is a part of a figure as published, with the same rule.
type Breakdown struct {
	Total      *int        `json:"total"`
	Suppressed bool        `json:"suppressed"`
	ByYear     []YearValue `json:"by_year"`
}

// LicenceInfo names the open-data licence.
type LicenceInfo struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// OpenData is /impact.json. Figures hold the whole totals of the contract;
// every breakdown follows the small-count rule.
type OpenData struct {
	UpdatedAt          time.Time              `json:"updated_at"`
	Figures            map[Figure]int         `json:"figures"`
	ByYear             map[Figure][]YearValue `json:"by_year"`
	CertificatesByKind map[string]Breakdown   `json:"certificates_by_kind"`
	Definitions        map[Figure]Definition  `json:"definitions"`
	Licence            LicenceInfo            `json:"licence"`
	SmallCounts        string                 `json:"small_counts"`
	CacheSeconds       int                    `json:"cache_seconds"`
}

// SmallCountRule says in the JSON how small counts are published.
const SmallCountRule = "In by_year and certificates_by_kind, a count from 1 to 4 is published as null with suppressed: true; the page and the CSV write it \"< 5\"."

func yearValue(y, n int) YearValue {
	if Suppressed(n) {
		return YearValue{Year: y, Suppressed: true}
	}
	return YearValue{Year: y, Value: &n}
}

func (r Report) years(c Count) []YearValue {
	out := make([]YearValue, 0, len(r.Years))
	for _, y := range r.Years {
		out = append(out, yearValue(y, c.ByYear[y]))
	}
	return out
}

// Open is the report as open data.
func (r Report) Open() OpenData {
	d := OpenData{UpdatedAt: r.At.UTC(), Figures: map[Figure]int{}, ByYear: map[Figure][]YearValue{},
		CertificatesByKind: map[string]Breakdown{}, Definitions: Definitions,
		Licence: LicenceInfo{Name: Licence, URL: LicenceURL}, SmallCounts: SmallCountRule, CacheSeconds: int(CacheFor.Seconds())}
	for _, f := range Figures {
		c := r.Figures[f]
		d.Figures[f] = c.Total
		d.ByYear[f] = r.years(c)
	}
	for _, k := range Kinds {
		c := r.CertificatesByKind[k]
		t := yearValue(0, c.Total)
		d.CertificatesByKind[k] = Breakdown{Total: t.Value, Suppressed: t.Suppressed, ByYear: r.years(c)}
	}
	return d
}
