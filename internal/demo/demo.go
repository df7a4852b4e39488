// Package demo seeds a realistic demo through Sprout's services: accounts
// for every role, a Techfest, today's expo with its gates, floor plan and
// exhibitors, and an incubation programme with its cohort. Seeding again
// finds what an earlier start made and prints the same sign-ins.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
	"sprout/internal/services"
)

// seeder runs the demo's parts and collects what they print.
type seeder struct {
	services.Services
	baseURL string
	logins  []login
	notes   []string
}

type login struct {
	Role, Name, Email, Password string
}

// parts seed the demo in order; each area of Sprout adds its own part
// here. Every part is idempotent: it finds what an earlier start made.
var parts = []func(*seeder, context.Context) error{
	(*seeder).seedAccounts,
	(*seeder).seedTechfest,
	(*seeder).seedExpoDay,
	(*seeder).seedProgramme,
	(*seeder).seedCohort,
	(*seeder).seedExpoFloor,
	(*seeder).seedExhibitors,
	(*seeder).seedCourses,
	(*seeder).seedStaffBadges,
	(*seeder).seedEnterprises,
	(*seeder).seedHeldWorkshop,
}

// Accounts are the demo's people, one per role, with the names a Hanoi
// incubator's staff and founders have.
var Accounts = []struct {
	Role  accounts.Role
	Name  string
	Email string
}{
	{accounts.RoleAdmin, "Nguyễn Thị Thu Hà", "admin@demo.sprout.vn"},
	{accounts.RoleOfficer, "Phạm Minh Tuấn", "chuyenvien@demo.sprout.vn"},
	{accounts.RoleOrganizer, "Trần Quốc Bảo", "bantochuc@demo.sprout.vn"},
	{accounts.RoleReviewer, "PGS.TS. Lê Minh Đức", "giamkhao@demo.sprout.vn"},
	{accounts.RoleMentor, "Phạm Ngọc Ánh", "covan@demo.sprout.vn"},
	{accounts.RoleStaff, "Đỗ Văn Hùng", "cong@demo.sprout.vn"},
	{accounts.RoleExhibitor, "Vũ Thị Hồng Nhung", "trienlam@demo.sprout.vn"},
	{accounts.RoleFounder, "Hoàng Đức Anh", "sanglap@demo.sprout.vn"},
}

// Seed runs every demo part and prints the sign-ins and the pages to
// visit, linked from baseURL.
func Seed(ctx context.Context, s services.Services, baseURL string, out io.Writer) error {
	d := &seeder{Services: s, baseURL: baseURL}
	for _, part := range parts {
		if err := part(d, ctx); err != nil {
			return err
		}
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nSprout demo — %s\n\n", baseURL)
	fmt.Fprintln(w, "ROLE\tNAME\tEMAIL\tPASSWORD")
	for _, l := range d.logins {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", l.Role, l.Name, l.Email, l.Password)
	}
	fmt.Fprintln(w)
	for _, n := range d.notes {
		fmt.Fprintln(w, n)
	}
	return w.Flush()
}

// seedAccounts makes one account per role. Passwords are random on the
// first start and kept in the store, so later starts print the same ones.
func (d *seeder) seedAccounts(ctx context.Context) error {
	for _, da := range Accounts {
		pw, err := d.Accounts.KeptPassword(ctx, "demo:password:"+da.Email, "mam-"+ids.Secret()[:12])
		if err != nil {
			return err
		}
		_, err = d.Accounts.Create(ctx, accounts.NewUser{
			Email: da.Email, Name: da.Name, Password: pw, Lang: "vi", Roles: []accounts.Role{da.Role},
		})
		if err != nil && !errors.Is(err, errs.ErrConflict) {
			return fmt.Errorf("demo account %s: %w", da.Email, err)
		}
		d.logins = append(d.logins, login{Role: string(da.Role), Name: da.Name, Email: da.Email, Password: pw})
	}
	return nil
}
