package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"sprout/app"
)

// Two instances on one store serve as one: a session made on one is good
// on the other, check-ins made through one show in the other's live
// counts, and a key rotated on one signs tickets the other lets in and
// publishes.
func TestInstancesOnOneStoreServeAsOne(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, same, func(t *testing.T, cfg app.Config) {
		a, b := newEnv(t, cfg), newEnv(t, cfg)

		org := a.organizer()
		if r := b.authed(org, "GET", "/api/v1/me", nil).status(200); r.str("user.email") != "btc@sprout.test" {
			t.Fatalf("a token from one instance on the other: %s", r.body)
		}
		browser := a.signIn("btc@sprout.test", "organizer-pass")
		browser.e = b
		if p := browser.do("GET", "/manage/events", nil); p.code != 200 {
			t.Fatalf("a session from one instance on the other's page: %d, to %q", p.code, p.location)
		}

		eventID, typeID := a.techfest(org, 100, false)
		staff := b.staff()
		b.onStaff(org, eventID, "cong@sprout.test")
		for i := range 3 {
			_, token := a.holder(eventID, typeID, fmt.Sprintf("khach%d@example.vn", i))
			if r := b.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token}).status(200); r.str("result") != "ok" {
				t.Fatalf("check-in through the other instance: %s", r.body)
			}
		}
		st := a.authed(org, "GET", "/api/v1/events/"+eventID+"/stats", nil).status(200)
		if st.get("checked_in") != float64(3) || st.get("inside") != float64(3) || st.get("registered") != float64(3) {
			t.Fatalf("the live counts on one instance after 3 check-ins through the other: %s", st.body)
		}

		rotated, err := a.app.Keys.Rotate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		_, token := a.holder(eventID, typeID, "sau-khi-doi-khoa@example.vn")
		if kid := tokenKID(t, token); kid != rotated.ID {
			t.Fatalf("a ticket after the rotation is signed with %q, want %q", kid, rotated.ID)
		}
		if r := b.authed(staff, "POST", "/api/v1/events/"+eventID+"/checkins", map[string]any{"token": token}).status(200); r.str("result") != "ok" {
			t.Fatalf("a ticket signed with a key rotated on the other instance: %s", r.body)
		}
		var kids []string
		for _, k := range b.call("GET", "/.well-known/jwks.json", nil).status(200).get("keys").([]any) {
			kids = append(kids, k.(map[string]any)["kid"].(string))
		}
		if !slices.Contains(kids, rotated.ID) {
			t.Fatalf("the other instance publishes %v, without the key rotated to, %s", kids, rotated.ID)
		}
	})
}

// tokenKID is the key id in a compact JWS's header.
func tokenKID(t *testing.T, token string) string {
	t.Helper()
	head, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		KID string `json:"kid"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	return h.KID
}
