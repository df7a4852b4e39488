package expo

import (
	"slices"
	"testing"

	"sprout/internal/errs"
)

func TestAllowanceGrowsWithTheBooth(t *testing.T) {
	for _, c := range []struct {
		b    Booth
		want int
	}{
		{Booth{SizeClass: "S", W: 3, H: 3}, 2},
		{Booth{SizeClass: "m", W: 4, H: 3}, 3},
		{Booth{SizeClass: "L", W: 6, H: 3}, 5},
		{Booth{SizeClass: "XL", W: 6, H: 6}, 8},
		{Booth{SizeClass: "3x3", W: 3, H: 3}, 2},
		{Booth{W: 6, H: 6}, 6},
		{Booth{W: 1, H: 1}, 2},
	} {
		if got := Allowance(c.b); got != c.want {
			t.Errorf("Allowance(%s %dx%d) = %d, want %d", c.b.SizeClass, c.b.W, c.b.H, got, c.want)
		}
	}
}

func TestProfileLinksAreWebAddresses(t *testing.T) {
	base := Profile{Company: "Mầm Xanh", ContactEmail: "LienHe@MamXanh.vn", Description: "Nông nghiệp số"}
	in := base
	in.Website, in.Links = " mamxanh.vn ", []string{"https://facebook.com/mamxanh", "", "https://facebook.com/mamxanh"}
	got, err := in.check()
	if err != nil || got.Website != "https://mamxanh.vn" || len(got.Links) != 1 || got.ContactEmail != "lienhe@mamxanh.vn" {
		t.Fatalf("check = %+v, %v", got, err)
	}
	for _, bad := range []string{"javascript:alert(1)", "file:///etc/passwd", "https://", "ftp://mamxanh.vn", "localhost"} {
		in := base
		in.Links = []string{bad}
		if _, err := in.check(); err == nil {
			t.Errorf("the link %q was accepted", bad)
		} else if e, _ := errs.As(err); e.Field != "links" || e.MsgID != "error.url_invalid" {
			t.Errorf("the link %q: %v", bad, err)
		}
	}
	in = base
	in.Links = []string{"a.vn", "b.vn", "c.vn", "d.vn", "e.vn", "f.vn"}
	if _, err := in.check(); err == nil {
		t.Error("six links were accepted")
	}
	in = base
	in.Phone = "12"
	if _, err := in.check(); err == nil {
		t.Error("a bad phone was accepted")
	}
}

func TestChangesSinceApprovalNameEachField(t *testing.T) {
	x := Exhibitor{Status: Approved, Company: "Mầm Xanh", Description: "Cảm biến đất", Links: []string{"https://a.vn"}, LogoID: "logo1"}
	snap := x.Profile()
	x.Approved = &snap
	if got := x.ChangedSinceApproval(); got != nil {
		t.Fatalf("no change: %+v", got)
	}
	x.Description, x.Links, x.LogoID = "Cảm biến đất thế hệ mới", []string{"https://a.vn", "https://b.vn"}, "logo2"
	got := x.ChangedSinceApproval()
	want := []FieldChange{{"description", "Cảm biến đất", "Cảm biến đất thế hệ mới"}, {"links", "https://a.vn", "https://a.vn\nhttps://b.vn"}, {"logo", "", ""}}
	if !slices.Equal(got, want) {
		t.Fatalf("ChangedSinceApproval = %+v, want %+v", got, want)
	}
	x.Status = Rejected
	if x.ChangedSinceApproval() != nil {
		t.Fatal("a rejected exhibitor shows changes since an approval it lost")
	}
}
