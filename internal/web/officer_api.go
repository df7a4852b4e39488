package web

import (
	"github.com/gofiber/fiber/v2"

	"sprout/internal/certification"
)

func (s *Server) officerAPIRoutes(api fiber.Router) {
	officer := s.apiRequire(officerRoles...)
	api.Get("/st/officer/dossiers", officer, s.apiOfficerDossiers)
	for _, action := range []string{actAdditions, actComplete, actGrant, actRefuse, actRevoke} {
		api.Post("/st/dossiers/:id/"+action, officer, s.apiOfficerAct(action))
	}
}

// officerDossierJSON is a dossier as officers read it, with the working
// days left to decide it while its clock runs (negative once overdue).
type officerDossierJSON struct {
	certification.Dossier
	WorkingDaysLeft *int   `json:"working_days_left,omitempty"`
	Flag            string `json:"deadline_flag,omitempty"`
}

func officerDossierOut(d certification.Dossier, cl dossierClock) officerDossierJSON {
	out := officerDossierJSON{Dossier: d, Flag: cl.Flag}
	if cl.Running {
		left := cl.Left
		out.WorkingDaysLeft = &left
	}
	return out
}

func (s *Server) apiOfficerDossiers(c *fiber.Ctx) error {
	rows, total, counts, err := s.officerList(c.UserContext(), officerQuery(c.Query("stage"), c.Query("q"), c.Query("sector"), pageNumber(c)))
	if err != nil {
		return err
	}
	out := make([]officerDossierJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, officerDossierOut(r.Dossier, r.Clock))
	}
	byStage := make(map[string]int, len(counts))
	for _, n := range counts {
		byStage[string(n.Stage)] = n.N
	}
	return c.JSON(fiber.Map{"dossiers": out, "total": total, "counts": byStage})
}

// apiOfficerAct runs an officer's action; the note (additions) or the
// reasons (refuse, revoke) come in the JSON body.
func (s *Server) apiOfficerAct(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Note    string `json:"note"`
			Reasons string `json:"reasons"`
		}
		if len(c.Body()) > 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		text := in.Reasons
		if action == actAdditions {
			text = in.Note
		}
		d, err := s.officerAction(c.UserContext(), *currentUser(c), c.Params("id"), action, text)
		if err != nil {
			return err
		}
		cl, err := s.dossierClock(c.UserContext(), d)
		if err != nil {
			return err
		}
		out := fiber.Map{"dossier": officerDossierOut(d, cl)}
		if action == actGrant {
			cert, err := s.Certs.ByCode(c.UserContext(), d.CertCode)
			if err != nil {
				return err
			}
			out["certificate"] = certOut(cert)
		}
		return c.JSON(out)
	}
}
