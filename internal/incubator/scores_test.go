package incubator_test

import (
	"fmt"
	"testing"

	"sprout/internal/incubator"
)

var criteria = []incubator.Criterion{{ID: "team", Label: "Đội ngũ", Weight: 2}, {ID: "market", Label: "Thị trường", Weight: 1}}

func rv(app, reviewer string, team, market int) incubator.Review {
	return incubator.Review{ApplicationID: app, ReviewerID: reviewer, Scores: map[string]int{"team": team, "market": market}}
}

func apps(ids ...string) []incubator.Application {
	var out []incubator.Application
	for _, id := range ids {
		out = append(out, incubator.Application{ID: id, StartupName: "Startup " + id})
	}
	return out
}

func show(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// A harsh reviewer (h) and a lenient one (l) score the same applications;
// weighted means are (2·team + market) / 3.
//
//	h: a 3, b 1           mean 2, sd 1            z: a +1, b -1
//	l: a 5, b 2, c 4      mean 11/3, sd 1.2472    z: a +1.0690, b -1.3363, c +0.2673
//
// x declares a conflict on c: that review counts nowhere.
func TestScoreAgainstHandComputedValues(t *testing.T) {
	reviews := []incubator.Review{
		rv("a", "h", 3, 3), rv("b", "h", 1, 1),
		rv("a", "l", 5, 5), rv("b", "l", 2, 2), rv("c", "l", 5, 2),
		{ApplicationID: "c", ReviewerID: "x", Scores: map[string]int{"team": 1, "market": 1}, Conflict: true},
	}
	list := incubator.Score(criteria, apps("a", "b", "c", "e"), reviews)
	got := ""
	for _, s := range list {
		got += fmt.Sprintf("%s mean=%s norm=%s spread=%s disagree=%v reviews=%d conflicts=%d\n",
			s.Application.ID, show(s.Mean), show(s.Normalised), show(s.Spread), s.Disagree, s.Reviews, s.Conflicts)
	}
	want := "a mean=4 norm=1.035 spread=2 disagree=true reviews=2 conflicts=0\n" +
		"b mean=1.5 norm=-1.168 spread=1 disagree=false reviews=2 conflicts=0\n" +
		"c mean=4 norm=0.267 spread=- disagree=false reviews=1 conflicts=1\n" +
		"e mean=- norm=- spread=- disagree=false reviews=0 conflicts=0\n"
	if got != want {
		t.Fatalf("got\n%swant\n%s", got, want)
	}

	order := func(by string) string {
		l := append([]incubator.Scored(nil), list...)
		incubator.SortScored(l, by)
		s := ""
		for _, x := range l {
			s += x.Application.ID
		}
		return s
	}
	if o := order(incubator.ByMean); o != "acbe" {
		t.Errorf("by mean: %s", o)
	}
	if o := order(incubator.ByNormalised); o != "acbe" {
		t.Errorf("by normalised: %s", o)
	}
}

// Normalising turns the order around when a lenient reviewer's middling
// score is above a harsh reviewer's best.
func TestNormalisedEvensOutHarshAndLenient(t *testing.T) {
	reviews := []incubator.Review{
		// h gives p their best (2) and q their worst (1); l gives q their
		// worst (4) and r their best (5).
		rv("p", "h", 2, 2), rv("q", "h", 1, 1),
		rv("q", "l", 4, 4), rv("r", "l", 5, 5),
	}
	list := incubator.Score(criteria, apps("p", "q", "r"), reviews)
	incubator.SortScored(list, incubator.ByMean)
	if list[0].Application.ID != "r" || list[2].Application.ID != "p" {
		t.Fatalf("by mean p, a harsh reviewer's best, should be last: %v", list)
	}
	incubator.SortScored(list, incubator.ByNormalised)
	// z: p +1, q (-1 + -1)/2 = -1, r +1.
	if show(list[0].Normalised) != "1" || show(list[2].Normalised) != "-1" || list[2].Application.ID != "q" {
		t.Fatalf("by normalised q, worst for both, should be last: %s %s %s", list[0].Application.ID, list[1].Application.ID, list[2].Application.ID)
	}
}

func TestDisagreementStartsAtOneAndAHalfPoints(t *testing.T) {
	even := []incubator.Criterion{{ID: "team", Weight: 1}, {ID: "market", Weight: 1}}
	list := incubator.Score(even, apps("f", "g"), []incubator.Review{
		rv("f", "p", 5, 5), rv("f", "q", 4, 3), // 5 and 3.5
		rv("g", "p", 5, 5), rv("g", "q", 4, 4), // 5 and 4
	})
	if !list[0].Disagree || show(list[0].Spread) != "1.5" {
		t.Errorf("a spread of 1.5 is a disagreement: %+v", list[0])
	}
	if list[1].Disagree {
		t.Errorf("a spread of 1 is not: %+v", list[1])
	}
}
