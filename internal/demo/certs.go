package demo

import (
	"context"
	"fmt"

	"sprout/internal/certs"
)

// seedCertificates issues a training certificate, a science-and-technology
// enterprise's, and one more training certificate revoked with a reason.
// Each is issued once per source, so a later start finds them.
func (d *seeder) seedCertificates(ctx context.Context) error {
	list := []certs.Input{
		{Kind: certs.Training, Holder: "Hoàng Đức Anh", Title: "Khởi nghiệp tinh gọn (Lean Startup)", Source: "demo:training:lean",
			Details: map[string]string{certs.DetailHours: "24"}},
		{Kind: certs.STEnterprise, Holder: "Công ty CP Công nghệ Mầm Xanh", Title: "Doanh nghiệp khoa học và công nghệ",
			Source: "demo:st_enterprise:mam-xanh"},
		{Kind: certs.Training, Holder: "Vũ Thị Hồng Nhung", Title: "Khởi nghiệp tinh gọn (Lean Startup)", Source: "demo:training:lean-2",
			Details: map[string]string{certs.DetailHours: "24"}},
	}
	var made []certs.Certificate
	for _, in := range list {
		c, _, err := d.Certs.Issue(ctx, in)
		if err != nil {
			return fmt.Errorf("demo certificate %s: %w", in.Source, err)
		}
		made = append(made, c)
	}
	if revoked := made[2]; revoked.Status == certs.Valid {
		if _, err := d.Certs.Revoke(ctx, revoked.Code, "Không tham dự đủ số buổi học"); err != nil {
			return fmt.Errorf("demo certificate %s: %w", revoked.Code, err)
		}
	}
	d.notes = append(d.notes, fmt.Sprintf("Certificates: %s/verify/%s — %s/verify/%s — revoked: %s/verify/%s",
		d.baseURL, made[0].Code, d.baseURL, made[1].Code, d.baseURL, made[2].Code))
	return nil
}
