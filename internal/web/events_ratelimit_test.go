package web_test

import (
	"fmt"
	"testing"
)

func TestRegistrationRateLimitedPerClient(t *testing.T) {
	t.Parallel()
	cfg := baseConfig(t)
	cfg.RegistrationLimit = 3
	e := newEnv(t, cfg)
	eventID, typeID := e.techfest(e.organizer(), 100, false)
	for i := range 3 {
		e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Khách", "email": fmt.Sprintf("r%d@example.vn", i)}).status(201)
	}
	e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Khách", "email": "r9@example.vn"}).errorCode(429, "rate_limited")
	types, _ := e.call("GET", "/api/v1/events/"+eventID, nil).json["ticket_types"].([]any)
	if sold := types[0].(map[string]any)["sold"]; sold != float64(3) {
		t.Fatalf("a refused registration took a seat: sold %v", sold)
	}
}
