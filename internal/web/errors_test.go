package web_test

import (
	"testing"
)

// A store that cannot answer (here closed under the server, as when its
// connection is gone) is answered 503 `unavailable` by every page and API
// call, whichever store method failed, never 500.
func TestAStoreThatCannotAnswerIsUnavailableEverywhere(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		org := e.organizer()
		eventID, _ := e.techfest(org, 10, false)
		if err := e.app.Store.Close(); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v1/events", "/api/v1/events/" + eventID, "/api/v1/events/" + eventID + "/booths"} {
			e.call("GET", path, nil).errorCode(503, "unavailable")
		}
		if p := e.browser("").do("GET", "/events", nil); p.code != 503 {
			t.Fatalf("the events page with the store closed: %d", p.code)
		}
	})
}
