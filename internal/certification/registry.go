package certification

import (
	"context"
	"errors"

	"sprout/internal/certs"
	"sprout/internal/errs"
)

// Entry is a certified enterprise as the public registry shows it: the
// dossier that first certified it and the certificate that holds now,
// which names it as amended since.
type Entry struct {
	Dossier Dossier
	Cert    certs.Certificate
}

// RegistryPage is how many enterprises a page of the registry lists.
const RegistryPage = 50

// Registry lists the enterprises ever certified, revoked ones too with
// their status, found by words of their name or tax code without
// diacritics, by sector and by the year they were certified; newest
// change first, with how many match.
func (s *Service) Registry(ctx context.Context, text, sector string, year, offset int) ([]Entry, int, error) {
	list, total, err := s.store.Dossiers(ctx, Query{Kind: New, Stages: []Stage{Granted, Revoked}, Text: text, Sector: sector, Year: year,
		Offset: offset, Limit: RegistryPage})
	if err != nil {
		return nil, 0, err
	}
	out := make([]Entry, 0, len(list))
	for _, d := range list {
		c, err := s.certs.BySource(ctx, certs.STEnterprise, "st:"+d.ID)
		if errors.Is(err, errs.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, Entry{Dossier: d, Cert: c})
	}
	return out, total, nil
}
