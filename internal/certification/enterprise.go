package certification

import "time"

// Editable reports whether the enterprise may still change the dossier:
// a draft, or one sent back for additions.
func (d Dossier) Editable() bool { return editable(d) }

// RevenueTest is where a dossier stands against the revenue condition at
// at, as the form shows it.
type RevenueTest string

const (
	// Exempt: the enterprise is under five years old.
	Exempt RevenueTest = "exempt"
	// NoRevenue: no total revenue to divide yet.
	NoRevenue RevenueTest = "none"
	Meets     RevenueTest = "meets"
	Below     RevenueTest = "below"
)

// Test tells whether the figures meet the revenue condition for an
// enterprise founded on founded. An unknown founding day is held to the
// test, as the department would until it is told otherwise.
func (f Finance) Test(founded, at time.Time) RevenueTest {
	switch {
	case !founded.IsZero() && !RevenueTestApplies(founded, at):
		return Exempt
	case f.Share() < 0:
		return NoRevenue
	case f.Share() >= MinShare:
		return Meets
	}
	return Below
}
