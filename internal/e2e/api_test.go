package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sprout/internal/qr/qrtest"
)

// The admin that ADMIN_EMAIL and ADMIN_PASSWORD create when sprout starts.
const (
	adminEmail    = "quan.tri@sprout.test"
	adminPassword = "quản trị viên hạt mầm"
)

func adminEnv() []string {
	return []string{"ADMIN_EMAIL=" + adminEmail, "ADMIN_PASSWORD=" + adminPassword}
}

var apiClient = &http.Client{Timeout: 10 * time.Second}

// api sends body (when not nil) to the JSON API on behalf of the holder of
// token (anyone when empty), decodes the answer into out (when not nil) and
// returns the status.
func (s *server) api(t *testing.T, method, path, token string, body, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := apiClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s answered %d with %q: %v", method, path, res.StatusCode, strings.TrimSpace(string(raw)), err)
		}
	}
	return res.StatusCode
}

// mustAPI is api for a call the scenario needs to go on: any other status
// than want ends the test.
func (s *server) mustAPI(t *testing.T, want int, method, path, token string, body, out any) {
	t.Helper()
	var raw json.RawMessage
	if code := s.api(t, method, path, token, body, &raw); code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, code, raw, want)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

func (s *server) login(t *testing.T, email, password string) string {
	t.Helper()
	var got struct {
		Token string `json:"token"`
	}
	s.mustAPI(t, http.StatusOK, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &got)
	return got.Token
}

// The organizer that organizer creates.
const (
	organizerEmail    = "ban.to.chuc@sprout.test"
	organizerPassword = "tổ chức sự kiện"
)

// organizer has the admin create an organizer, signs them in and returns
// their API token.
func (s *server) organizer(t *testing.T) string {
	t.Helper()
	admin := s.login(t, adminEmail, adminPassword)
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/users", admin, map[string]any{
		"email": organizerEmail, "password": organizerPassword, "name": "Trần Quốc Bảo", "roles": []string{"organizer"},
	}, nil)
	return s.login(t, organizerEmail, organizerPassword)
}

// An event with a Vietnamese and an English title, so that mails and pages
// show which language they were written in.
const (
	eventTitle   = "Ngày hội Khởi nghiệp Đà Nẵng 2026"
	eventTitleEN = "Da Nang Startup Day 2026"
)

// publishEvent creates a published event starting tomorrow with one ticket
// type of capacity seats.
func (s *server) publishEvent(t *testing.T, org string, capacity int) (eventID, typeID string) {
	t.Helper()
	start := s.now().Add(24 * time.Hour).Truncate(time.Minute)
	var ev struct {
		Event struct {
			ID string `json:"id"`
		} `json:"event"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events", org, map[string]any{
		"slug": fmt.Sprintf("khoi-nghiep-da-nang-%d", time.Now().UnixNano()), "title": eventTitle, "title_en": eventTitleEN,
		"venue": "Cung Hội nghị Ariyana, Đà Nẵng", "starts_at": start, "ends_at": start.Add(8 * time.Hour), "published": true,
	}, &ev)
	var tt struct {
		TicketType struct {
			ID string `json:"id"`
		} `json:"ticket_type"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+ev.Event.ID+"/ticket-types", org,
		map[string]any{"name": "Khách tham quan", "capacity": capacity}, &tt)
	return ev.Event.ID, tt.TicketType.ID
}

type ticket struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Status string `json:"status"`
	Token  string `json:"token"`
	URL    string `json:"url"`
}

func (s *server) register(t *testing.T, eventID, typeID, name, email, lang string) ticket {
	t.Helper()
	var got struct {
		Ticket ticket `json:"ticket"`
	}
	s.mustAPI(t, http.StatusCreated, "POST", "/api/v1/events/"+eventID+"/registrations", "",
		map[string]any{"ticket_type_id": typeID, "name": name, "email": email, "lang": lang}, &got)
	return got.Ticket
}

// decodeQR reads the QR code in a PNG as a gate's scanner would.
func decodeQR(t *testing.T, data []byte) string {
	t.Helper()
	text, err := qrtest.DecodePNG(data)
	if err != nil {
		t.Fatalf("no readable QR code in the image: %v", err)
	}
	return text
}
