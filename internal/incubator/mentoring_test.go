package incubator

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sprout/internal/errs"
	"sprout/internal/vn"
)

func TestSessionInputReportsEveryMistakeAtOnce(t *testing.T) {
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, vn.Zone)
	_, err := SessionInput{Date: "2026-12-07", Topics: " ", NextSteps: strings.Repeat("x", maxSessionText+1)}.check(now)
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		x, _ := errs.As(e)
		got = append(got, x.Field+":"+x.MsgID)
	}
	if want := "date:error.session_future topics:error.required next_steps:error.text_long"; strings.Join(got, " ") != want {
		t.Fatalf("mistakes %v, want %s", got, want)
	}
	if !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("%v is not invalid input", err)
	}

	s, err := SessionInput{Date: "2026-12-06", Topics: " Gọi vốn ", PrivateNote: "riêng"}.check(now)
	if err != nil || !s.Date.Equal(time.Date(2026, 12, 6, 0, 0, 0, 0, vn.Zone)) || s.Topics != "Gọi vốn" || s.PrivateNote != "riêng" {
		t.Fatalf("a session of today: %+v, %v", s, err)
	}
	if _, err := (SessionInput{Date: "06/12/2026", Topics: "x"}).check(now); errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "error.session_date") {
		t.Fatalf("a day not written as a date: %v", err)
	}
}
