package mongo

import (
	"testing"

	"sprout/internal/storetest"
)

func TestHolidaysFerretDB(t *testing.T) {
	storetest.RunHolidays(t, func(t *testing.T) storetest.HolidaysStore {
		return openAt(t, storetest.FerretDBURI(t))
	})
}
