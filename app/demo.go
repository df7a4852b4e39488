package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/ids"
)

// Demo collects what the demo parts made, to print once at start.
type Demo struct {
	logins []demoLogin
	notes  []string
}

type demoLogin struct {
	Role, Name, Email, Password string
}

// demoParts seed the demo in order; each area of Sprout adds its own part
// here. Every part is idempotent: it finds what an earlier start made.
var demoParts = []func(ctx context.Context, a *App, d *Demo) error{
	seedDemoAccounts,
	seedDemoTechfest,
	seedDemoExpoDay,
	seedDemoProgramme,
	seedDemoCohort,
	seedDemoExpoFloor,
	seedDemoExhibitors,
}

// DemoAccounts are the demo's people, one per role, with the names a
// Hanoi incubator's staff and founders have.
var DemoAccounts = []struct {
	Role  accounts.Role
	Name  string
	Email string
}{
	{accounts.RoleAdmin, "Nguyễn Thị Thu Hà", "admin@demo.sprout.vn"},
	{accounts.RoleOrganizer, "Trần Quốc Bảo", "bantochuc@demo.sprout.vn"},
	{accounts.RoleReviewer, "PGS.TS. Lê Minh Đức", "giamkhao@demo.sprout.vn"},
	{accounts.RoleMentor, "Phạm Ngọc Ánh", "covan@demo.sprout.vn"},
	{accounts.RoleStaff, "Đỗ Văn Hùng", "cong@demo.sprout.vn"},
	{accounts.RoleExhibitor, "Vũ Thị Hồng Nhung", "trienlam@demo.sprout.vn"},
	{accounts.RoleFounder, "Hoàng Đức Anh", "sanglap@demo.sprout.vn"},
}

// SeedDemo runs every demo part and prints the sign-ins.
func (a *App) SeedDemo(ctx context.Context, out io.Writer) error {
	d := &Demo{}
	for _, part := range demoParts {
		if err := part(ctx, a, d); err != nil {
			return err
		}
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "\nSprout demo — %s\n\n", a.Config.BaseURL)
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

// seedDemoAccounts makes one account per role. Passwords are random on the
// first start and kept in the store, so later starts print the same ones.
func seedDemoAccounts(ctx context.Context, a *App, d *Demo) error {
	for _, da := range DemoAccounts {
		key := "demo:password:" + da.Email
		pw, err := a.Store.KVGet(ctx, key, a.Clock.Now())
		if errors.Is(err, errs.ErrNotFound) {
			pw = []byte("mam-" + ids.Secret()[:12])
			if err := a.Store.KVSet(ctx, key, pw, time.Time{}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		_, err = a.Accounts.Create(ctx, accounts.NewUser{
			Email: da.Email, Name: da.Name, Password: string(pw), Lang: "vi", Roles: []accounts.Role{da.Role},
		})
		if err != nil && !errors.Is(err, errs.ErrConflict) {
			return fmt.Errorf("demo account %s: %w", da.Email, err)
		}
		d.logins = append(d.logins, demoLogin{Role: string(da.Role), Name: da.Name, Email: da.Email, Password: string(pw)})
	}
	return nil
}
