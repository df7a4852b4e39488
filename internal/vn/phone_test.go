package vn

import "testing"

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"0912 345 678":    "+84912345678",
		"+84 912345678":   "+84912345678",
		"+84912345678":    "+84912345678",
		"84-912-345-678":  "+84912345678",
		"0912.345.678":    "+84912345678",
		" 0388 123 456 ":  "+84388123456",
		"(024) 3825 1234": "+842438251234",
		"028 3829 5555":   "+842838295555",
	} {
		got, err := NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12345", "0112 345 678", "+1 415 555 0100", "0912 345 67", "0912345678901", "09a2345678", "++84912345678", "0912 345 678 ext 2"} {
		if got, err := NormalizePhone(bad); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", bad, got)
		}
	}
	if got := FormatPhone("+84912345678"); got != "0912 345 678" {
		t.Errorf("FormatPhone mobile = %q", got)
	}
	if got := FormatPhone("+842438251234"); got != "024 3825 1234" {
		t.Errorf("FormatPhone landline = %q", got)
	}
}
