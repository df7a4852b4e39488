package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/certification"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// enterprise is one of the demo's science-and-technology enterprises and
// where its dossier stands.
type enterprise struct {
	name, nameEN, tax, sector, result string
	kind                              certification.ResultKind
	founded                           int
	stage                             certification.Stage
}

// enterprises are a registry of a dozen certified enterprises, one of
// them revoked since, and dossiers at every other stage of the procedure.
var enterprises = []enterprise{
	{"Công ty Cổ phần Công nghệ Nông nghiệp Mầm Xanh", "Mam Xanh AgriTech JSC", "0109234561", "agritech", "Hệ thống cảm biến độ ẩm đất không dây", certification.UtilitySolution, 2019, certification.Granted},
	{"Công ty TNHH Phần mềm Sông Hồng", "Song Hong Software Co., Ltd", "0106789012", "software", "Nền tảng quản lý văn bản điện tử SongHong eDoc", certification.Software, 2015, certification.Granted},
	{"Công ty Cổ phần Dược liệu Tây Bắc", "Tay Bac Herbal Pharma JSC", "0105123987", "health", "Quy trình chiết xuất cao đặc giảo cổ lam", certification.Patent, 2012, certification.Granted},
	{"Công ty Cổ phần Vật liệu mới Thăng Long", "Thang Long Advanced Materials JSC", "0104567321", "materials", "Vật liệu composite gia cường sợi bazan", certification.Patent, 2016, certification.Granted},
	{"Công ty TNHH Giống cây trồng Hồng Hà", "Hong Ha Seeds Co., Ltd", "0103456789", "agritech", "Giống lúa thuần HH-26 chịu mặn", certification.PlantVariety, 2010, certification.Granted},
	{"Công ty Cổ phần Tự động hóa Hà Nội", "Hanoi Automation JSC", "0102345678", "manufacturing", "Bộ điều khiển PLC cho dây chuyền đóng gói", certification.ResearchResult, 2014, certification.Granted},
	{"Công ty TNHH Năng lượng Mặt trời Ba Vì", "Ba Vi Solar Co., Ltd", "0108765432", "energy", "Bộ biến tần hòa lưới 10 kW", certification.TechnologyTransfer, 2018, certification.Granted},
	{"Công ty Cổ phần Công nghệ Giáo dục Trạng Nguyên", "Trang Nguyen EdTech JSC", "0107891234", "education", "Phần mềm luyện thi thích ứng TrangNguyen AI", certification.Software, 2020, certification.Granted},
	{"Công ty TNHH Môi trường Xanh Thủ Đô", "Capital Green Environment Co., Ltd", "0106543219", "environment", "Chế phẩm vi sinh xử lý nước thải làng nghề", certification.Patent, 2013, certification.Granted},
	{"Công ty Cổ phần Y sinh Hòa Bình", "Hoa Binh Biomedical JSC", "0105432198", "health", "Bộ kít chẩn đoán nhanh sốt xuất huyết", certification.ResearchResult, 2017, certification.Granted},
	{"Công ty TNHH Robot Đông Anh", "Dong Anh Robotics Co., Ltd", "0104321987", "manufacturing", "Cánh tay robot hàn 6 bậc tự do", certification.UtilitySolution, 2021, certification.Granted},
	{"Công ty Cổ phần Dữ liệu Lớn Việt", "Viet Big Data JSC", "0103219876", "software", "Nền tảng phân tích dữ liệu giao thông đô thị", certification.Software, 2016, certification.Revoked},
	{"Công ty TNHH Thiết bị Y tế Long Biên", "Long Bien Medical Devices Co., Ltd", "0102198765", "health", "Máy đo SpO2 không dây", certification.UtilitySolution, 2019, certification.Appraisal},
	{"Công ty Cổ phần Nông sản Số", "Digital Farm Produce JSC", "0101987654", "agritech", "Ứng dụng truy xuất nguồn gốc nông sản", certification.Software, 2022, certification.Incomplete},
	{"Công ty TNHH Pin Lưu trữ Gia Lâm", "Gia Lam Battery Storage Co., Ltd", "0109876123", "energy", "Hệ thống quản lý pin lưu trữ BMS", certification.ResearchResult, 2020, certification.Submitted},
	{"Công ty Cổ phần Thương mại Hoàn Kiếm", "Hoan Kiem Trading JSC", "0108761234", "other", "Phần mềm bán hàng đa kênh", certification.Software, 2011, certification.Refused},
	{"Công ty TNHH Khởi nghiệp Cầu Giấy", "Cau Giay Startup Co., Ltd", "0107651234", "software", "Trợ lý ảo chăm sóc khách hàng", certification.Software, 2024, certification.Draft},
}

// seedEnterprises takes the demo's enterprises through the procedure as
// far as each has come, the first one filed by the demo's enterprise
// account, the others by owners of their own.
func (d *seeder) seedEnterprises(ctx context.Context) error {
	officer, err := d.Accounts.UserByEmail(ctx, "chuyenvien@demo.sprout.vn")
	if err != nil {
		return err
	}
	owner, err := d.enterpriseOwner(ctx)
	if err != nil {
		return err
	}
	council, err := d.councilMember(ctx)
	if err != nil {
		return err
	}
	if mine, err := d.Certification.Mine(ctx, owner); err != nil || len(mine) > 0 {
		d.noteEnterprises()
		return err
	}
	for i, e := range enterprises {
		who := owner
		if i > 0 {
			if who, err = d.Accounts.Create(ctx, accounts.NewUser{Email: fmt.Sprintf("doanhnghiep%02d@example.vn", i), Name: "Đại diện " + e.name,
				Password: ids.Secret(), Lang: "vi", Roles: []accounts.Role{accounts.RoleFounder}}); err != nil {
				return fmt.Errorf("demo enterprise owner %d: %w", i, err)
			}
		}
		if err := d.file(ctx, who, officer, council, e); err != nil {
			return fmt.Errorf("demo dossier of %s: %w", e.name, err)
		}
	}
	d.noteEnterprises()
	return nil
}

func (d *seeder) noteEnterprises() {
	d.notes = append(d.notes, fmt.Sprintf("S&T enterprise registry: %s/registry — dossiers (sign in as the officer): %s/officer/dossiers — the enterprise's: %s/enterprise",
		d.baseURL, d.baseURL, d.baseURL))
}

// enterpriseOwner is the demo's enterprise account, printed with the
// sign-ins.
func (d *seeder) enterpriseOwner(ctx context.Context) (accounts.User, error) {
	const email = "doanhnghiep@demo.sprout.vn"
	pw, err := d.Accounts.KeptPassword(ctx, "demo:password:"+email, "mam-"+ids.Secret()[:12])
	if err != nil {
		return accounts.User{}, err
	}
	u, err := d.Accounts.Create(ctx, accounts.NewUser{Email: email, Name: "Lê Thu Hà", Password: pw, Lang: "vi", Roles: []accounts.Role{accounts.RoleFounder}})
	if errors.Is(err, errs.ErrConflict) {
		u, err = d.Accounts.UserByEmail(ctx, email)
	}
	if err != nil {
		return accounts.User{}, err
	}
	d.logins = append(d.logins, login{Role: "enterprise", Name: u.Name, Email: email, Password: pw})
	return u, nil
}

// councilMember is the demo's member of the appraisal council, printed
// with the sign-ins; the dossier under appraisal waits in their queue.
func (d *seeder) councilMember(ctx context.Context) (accounts.User, error) {
	const email = "hoidong@demo.sprout.vn"
	pw, err := d.Accounts.KeptPassword(ctx, "demo:password:"+email, "mam-"+ids.Secret()[:12])
	if err != nil {
		return accounts.User{}, err
	}
	u, err := d.Accounts.Create(ctx, accounts.NewUser{Email: email, Name: "GS.TS. Trần Văn Hội", Password: pw, Lang: "vi",
		Roles: []accounts.Role{accounts.RoleReviewer}})
	if errors.Is(err, errs.ErrConflict) {
		u, err = d.Accounts.UserByEmail(ctx, email)
	}
	if err != nil {
		return accounts.User{}, err
	}
	d.logins = append(d.logins, login{Role: "council", Name: u.Name, Email: email, Password: pw})
	return u, nil
}

// file takes one enterprise's dossier to its stage.
func (d *seeder) file(ctx context.Context, owner, officer, council accounts.User, e enterprise) error {
	svc := d.Certification
	dos, err := svc.Start(ctx, owner, certification.New, "")
	if err != nil {
		return err
	}
	year := d.Clock.Now().Year() - 1
	revenue := int64(6_000_000_000 + len(e.name)*97_000_000)
	in := certification.Input{
		Enterprise: certification.Enterprise{Name: e.name, NameEN: e.nameEN, TaxCode: e.tax, Address: "Hà Nội",
			Representative: "Nguyễn Văn Thành", Founded: time.Date(e.founded, 3, 15, 0, 0, 0, 0, time.UTC), Size: certification.Small, Sector: e.sector},
		Finance: certification.Finance{Year: year, Revenue: revenue, ResultRevenue: revenue * 42 / 100, RDSpending: revenue / 20, RDStaff: 6, Staff: 35},
		Results: []certification.Result{{Kind: e.kind, Title: e.result, Number: fmt.Sprintf("%d/%d/GCN", 1000+len(e.tax)*7, e.founded+2)}},
	}
	if e.stage == certification.Refused {
		in.Finance.ResultRevenue = revenue / 10
	}
	if dos, err = svc.Save(ctx, owner, dos.ID, dos.Version, in); err != nil || e.stage == certification.Draft {
		return err
	}
	if dos, err = svc.AttachProof(ctx, owner, dos.ID, 0, "chung-nhan-ket-qua.pdf", DeckPDF(e.result, []string{e.name, "Bản sao văn bằng bảo hộ / giấy chứng nhận"})); err != nil {
		return err
	}
	if dos, err = svc.Submit(ctx, owner, dos.ID, dos.Version); err != nil || e.stage == certification.Submitted {
		return err
	}
	if e.stage == certification.Incomplete {
		_, err = svc.AskAdditions(ctx, officer, dos.ID, "Đề nghị bổ sung báo cáo tài chính năm "+fmt.Sprint(year)+" đã được kiểm toán và hợp đồng chuyển giao công nghệ kèm theo.")
		return err
	}
	if dos, err = svc.MarkComplete(ctx, officer, dos.ID); err != nil {
		return err
	}
	if e.stage == certification.Appraisal {
		return d.Incubator.AssignReviewer(ctx, dos.ApplicationID, council.ID)
	}
	if e.stage == certification.Refused {
		_, err = svc.Refuse(ctx, officer, dos.ID, "Doanh thu từ sản phẩm hình thành từ kết quả khoa học và công nghệ chỉ đạt 10% tổng doanh thu, thấp hơn mức 30% theo quy định.")
		return err
	}
	if dos, _, err = svc.Grant(ctx, officer, dos.ID); err != nil || e.stage == certification.Granted {
		return err
	}
	_, err = svc.Revoke(ctx, officer, dos.ID, "Doanh nghiệp không nộp báo cáo hằng năm hai năm liên tiếp và không còn đáp ứng điều kiện về doanh thu.")
	return err
}
