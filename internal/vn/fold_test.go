package vn

import (
	"strings"
	"testing"
	"time"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Nguyễn Văn A":                    "nguyen van a",
		"  ĐẶNG   thị   Đào ":             "dang thi dao",
		"Trường Đại học Bách khoa Hà Nội": "truong dai hoc bach khoa ha noi",
		"Phạm Ngọc Ánh":                   "pham ngoc anh",
		"plain@example.com":               "plain@example.com",
		"Huỳnh Đức":                       "huynh duc",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.Contains(Fold("Bà Nguyễn Văn Ánh"), Fold("nguyen van a")) {
		t.Error("a folded query must be found inside a folded name")
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(Words("Đặng Văn-Đức  an.nguyen12345@Example.vn +84912345678 k61a"), " ")
	if want := "dang van duc an nguyen 12345 example vn 84912345678 k 61 a"; got != want {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if len(Words(" %_(.*) ")) != 0 {
		t.Error("signs make no word")
	}
}

// Vietnam keeps UTC+7 all year: no summer time in any month.
func TestZoneIsUTCPlus7(t *testing.T) {
	now := time.Now()
	for m := range 12 {
		at := now.AddDate(0, m, 0)
		if _, off := at.In(Zone).Zone(); off != 7*3600 {
			t.Fatalf("offset %d on %v, want 25200", off, at)
		}
	}
}
