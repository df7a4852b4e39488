package vn

import (
	"errors"
	"strings"
)

// ErrPhone is returned for a number that is not a Vietnamese phone number.
var ErrPhone = errors.New("not a Vietnamese phone number")

// NormalizePhone reads a Vietnamese number the way people write it
// ("0912 345 678", "+84 912345678", "(024) 3825 1234", "84-912-345-678")
// and returns it in E.164 form, "+84912345678".
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", ErrPhone
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "84") && (len(d) == 11 || len(d) == 12):
		d = d[2:]
	case strings.HasPrefix(d, "0") && (len(d) == 10 || len(d) == 11):
		d = d[1:]
	default:
		return "", ErrPhone
	}
	// Mobile numbers have 9 digits after the country code and start with
	// 3, 5, 7, 8 or 9; landlines have 10 and start with 2.
	switch {
	case len(d) == 9 && strings.ContainsRune("35789", rune(d[0])):
	case len(d) == 10 && d[0] == '2':
	default:
		return "", ErrPhone
	}
	return "+84" + d, nil
}

// FormatPhone writes an E.164 Vietnamese number the way it is read at home:
// "+84912345678" as "0912 345 678".
func FormatPhone(e164 string) string {
	if !strings.HasPrefix(e164, "+84") {
		return e164
	}
	d := "0" + e164[3:]
	if len(d) == 10 {
		return d[:4] + " " + d[4:7] + " " + d[7:]
	}
	if len(d) == 11 {
		return d[:3] + " " + d[3:7] + " " + d[7:]
	}
	return d
}
