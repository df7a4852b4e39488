package web

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/vn"
)

// enterpriseAPIRoutes are the enterprise's side of the certification
// procedure: its own dossiers, from the first draft to the yearly reports.
func (s *Server) enterpriseAPIRoutes(api fiber.Router) {
	signedIn := s.apiRequire()
	api.Post("/st/dossiers", signedIn, s.apiStartDossier)
	api.Get("/st/dossiers", signedIn, s.apiMyDossiers)
	api.Get("/st/dossiers/:id", signedIn, s.apiDossier)
	api.Put("/st/dossiers/:id", signedIn, s.apiSaveDossier)
	api.Post("/st/dossiers/:id/proofs/:index", signedIn, s.apiAttachProof)
	api.Post("/st/dossiers/:id/submit", signedIn, s.apiSubmitDossier)
	api.Post("/st/dossiers/:id/reports", signedIn, s.apiFileReport)
}

// enterpriseJSON is the enterprise as a client sends it: its founding day
// may be a bare date, as a date input gives it.
type enterpriseJSON struct {
	Name           string `json:"name"`
	NameEN         string `json:"name_en"`
	TaxCode        string `json:"tax_code"`
	Address        string `json:"address"`
	Representative string `json:"representative"`
	Founded        string `json:"founded"`
	Size           string `json:"size"`
	Sector         string `json:"sector"`
}

// dossierJSON is the body of a save, the page's autosave included.
type dossierJSON struct {
	Version    int                    `json:"version"`
	Enterprise enterpriseJSON         `json:"enterprise"`
	Finance    certification.Finance  `json:"finance"`
	Results    []certification.Result `json:"results"`
}

func (in dossierJSON) input() (certification.Input, error) {
	founded, err := parseFounded(in.Enterprise.Founded)
	e := in.Enterprise
	return certification.Input{
		Enterprise: certification.Enterprise{Name: e.Name, NameEN: e.NameEN, TaxCode: e.TaxCode, Address: e.Address,
			Representative: e.Representative, Founded: founded, Size: certification.Size(e.Size), Sector: e.Sector},
		Finance: in.Finance, Results: in.Results,
	}, err
}

// parseFounded reads a founding day: a date (2006-01-02), taken in
// Vietnam, or a full timestamp as the dossier's JSON gives it back.
func parseFounded(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, vn.Zone); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, errs.Field("founded", "error.date_invalid")
}

func (s *Server) apiStartDossier(c *fiber.Ctx) error {
	var in struct {
		Kind string `json:"kind"`
		Of   string `json:"of"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.Certification.Start(c.UserContext(), *currentUser(c), certification.Kind(in.Kind), in.Of)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"dossier": d})
}

func (s *Server) apiMyDossiers(c *fiber.Ctx) error {
	list, err := s.Certification.Mine(c.UserContext(), *currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"dossiers": list})
}

// apiDossier gives the dossier and, while the statutory clock runs, the
// working days left to decide it.
func (s *Server) apiDossier(c *fiber.Ctx) error {
	d, err := s.Certification.Dossier(c.UserContext(), *currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := fiber.Map{"dossier": d}
	if n, running, err := s.Certification.Remaining(c.UserContext(), d); err != nil {
		return err
	} else if running {
		out["working_days_left"] = n
	}
	return c.JSON(out)
}

func (s *Server) apiSaveDossier(c *fiber.Ctx) error {
	d, err := s.saveDossierJSON(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"dossier": d})
}

// saveDossierJSON saves the JSON body over the dossier named in the path.
func (s *Server) saveDossierJSON(c *fiber.Ctx) (certification.Dossier, error) {
	var in dossierJSON
	if err := decodeJSON(c, &in); err != nil {
		return certification.Dossier{}, err
	}
	input, err := in.input()
	if err != nil {
		return certification.Dossier{}, err
	}
	return s.Certification.Save(c.UserContext(), *currentUser(c), c.Params("id"), in.Version, input)
}

// apiAttachProof takes the PDF proving the index-th result (from 0, its
// place in results).
func (s *Server) apiAttachProof(c *fiber.Ctx) error {
	d, err := s.attachProof(c)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"dossier": d})
}

func (s *Server) attachProof(c *fiber.Ctx) (certification.Dossier, error) {
	i, err := strconv.Atoi(c.Params("index"))
	if err != nil {
		return certification.Dossier{}, errs.Field("results", "error.st_result_unknown")
	}
	name, data, err := proofUpload(c)
	if err != nil {
		return certification.Dossier{}, err
	}
	return s.Certification.AttachProof(c.UserContext(), *currentUser(c), c.Params("id"), i, name, data)
}

// proofUpload reads the form's file, at most one byte more than a proof
// may have: enough to refuse a larger one without copying it whole.
func proofUpload(c *fiber.Ctx) (name string, data []byte, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, errs.Field("file", "error.required")
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, certification.MaxProof+1))
	return fh.Filename, data, err
}

func (s *Server) apiSubmitDossier(c *fiber.Ctx) error {
	var in struct {
		Version int `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.Certification.Submit(c.UserContext(), *currentUser(c), c.Params("id"), in.Version)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"dossier": d})
}

func (s *Server) apiFileReport(c *fiber.Ctx) error {
	var f certification.Finance
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	d, err := s.Certification.FileReport(c.UserContext(), *currentUser(c), c.Params("id"), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"dossier": d})
}
