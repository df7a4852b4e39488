package errs

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

func TestFieldErrorsListsEveryFieldOfAJoin(t *testing.T) {
	name := Field("name", "error.name_required")
	email := Field("email", "error.email_invalid")
	phone := Field("phone", "error.phone_invalid")
	err := fmt.Errorf("register: %w", errors.Join(name, errors.Join(email, phone)))
	got := FieldErrors(err)
	if want := []*Error{name, email, phone}; !reflect.DeepEqual(got, want) {
		t.Fatalf("FieldErrors = %v, want %v", got, want)
	}
}

func TestFieldErrorsOfOneErrorAndOfNone(t *testing.T) {
	one := Field("name", "error.name_required").Because(errors.New("cause"))
	if got := FieldErrors(one); len(got) != 1 || got[0] != one {
		t.Fatalf("FieldErrors(one) = %v", got)
	}
	if got := FieldErrors(errors.New("plain")); got != nil {
		t.Fatalf("FieldErrors(plain) = %v, want nil", got)
	}
	if got := FieldErrors(nil); got != nil {
		t.Fatalf("FieldErrors(nil) = %v, want nil", got)
	}
}

// An error placed on a list's element keeps its field, so an API still
// names the list, while a form can mark the element's own input.
func TestAtPlacesAnErrorOnAnElement(t *testing.T) {
	whole := Field("criteria", "error.criterion_weight")
	at := whole.At(2, "weight")
	if at.Field != "criteria" || at.Item != 2 || at.Part != "weight" || whole.Item != 0 {
		t.Fatalf("At gave %+v and left %+v", at, whole)
	}
	if got := at.Error(); got != "invalid: error.criterion_weight (criteria[2].weight)" {
		t.Fatalf("Error() = %q", got)
	}
	if !errors.Is(at, ErrInvalid) {
		t.Fatal("an element's error is still invalid input")
	}
}
