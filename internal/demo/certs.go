package demo

import (
	"context"
	"fmt"

	"sprout/internal/certs"
)

// seedCertificates issues a science-and-technology enterprise's
// certificate, once per source, so a later start finds it; the training
// certificates are the course's (seedCourses).
func (d *seeder) seedCertificates(ctx context.Context) error {
	in := certs.Input{Kind: certs.STEnterprise, Holder: "Công ty CP Công nghệ Mầm Xanh", Title: "Doanh nghiệp khoa học và công nghệ",
		Source: "demo:st_enterprise:mam-xanh"}
	c, _, err := d.Certs.Issue(ctx, in)
	if err != nil {
		return fmt.Errorf("demo certificate %s: %w", in.Source, err)
	}
	d.notes = append(d.notes, fmt.Sprintf("Science-and-technology enterprise: %s/verify/%s", d.baseURL, c.Code))
	return nil
}
