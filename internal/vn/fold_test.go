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

func TestZoneIsUTCPlus7(t *testing.T) {
	_, off := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(Zone).Zone()
	if off != 7*3600 {
		t.Fatalf("offset %d, want 25200", off)
	}
}
