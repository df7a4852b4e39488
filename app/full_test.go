package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/accounts"
	"sprout/internal/errs"
	"sprout/internal/sqlite"
)

// TestFullStore fills the embedded store (capped by a test-only option, as
// a full disk would stop it growing): /readyz answers 503 once a write no
// longer fits, a login that cannot record its session answers 503
// `unavailable` in the contract's shape instead of 500, and the refused
// login leaves no session behind.
func TestFullStore(t *testing.T) {
	ctx := context.Background()
	cfg := testConfig(t, map[string]string{"DATA_DIR": t.TempDir(), "LOG_LEVEL": "error"})
	a, err := app.New(ctx, cfg, testAssets(), app.WithSQLiteOptions(sqlite.MaxGrowth(64)),
		app.WithPasswordCost(accounts.PasswordCost{Memory: 64, Time: 1}))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	const email, password = "ha@so-khcn.vn", "mật khẩu đủ dài"
	if _, _, err := a.Accounts.EnsureAdmin(ctx, email, password, "Nguyễn Thu Hà"); err != nil {
		t.Fatal(err)
	}
	web, err := a.Web()
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body, lang string) (int, []byte) {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", lang)
		res, err := web.Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return res.StatusCode, raw
	}
	if code, raw := do("GET", "/readyz", "", "vi"); code != http.StatusOK {
		t.Fatalf("/readyz before filling: %d %s", code, raw)
	}

	// Fill with ever smaller values, so that no page keeps room.
	i := 0
	for size := 16 << 10; size >= 8; size /= 2 {
		for ; ; i++ {
			err := a.Store.KVSet(ctx, fmt.Sprintf("fill.%06d", i), make([]byte, size), time.Time{})
			if errors.Is(err, errs.ErrStoreFull) {
				break
			}
			if err != nil {
				t.Fatalf("filling: %v", err)
			}
		}
	}
	if code, raw := do("GET", "/readyz", "", "vi"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a full store: %d %s, want 503", code, raw)
	}

	// Each login records a session; the sessions' own page fills up too.
	login := fmt.Sprintf(`{"email":%q,"password":%q}`, email, password)
	sessions := 0
	for ; sessions < 1000; sessions++ {
		code, raw := do("POST", "/api/v1/auth/login", login, "en")
		if code == http.StatusOK {
			continue
		}
		var body struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if code != http.StatusServiceUnavailable || json.Unmarshal(raw, &body) != nil ||
			body.Error.Code != "unavailable" || !strings.Contains(body.Error.Message, "storage is full") {
			t.Fatalf("login with a full store: %d %s, want 503 unavailable saying the storage is full", code, raw)
		}
		break
	}
	if sessions == 1000 {
		t.Fatal("1000 logins fitted into a full store")
	}
	if code, raw := do("POST", "/api/v1/auth/login", login, "vi"); code != http.StatusServiceUnavailable || !strings.Contains(string(raw), "đầy") {
		t.Errorf("login in Vietnamese with a full store: %d %s, want 503 saying it is full", code, raw)
	}

	db, err := sql.Open("sqlite", "file:"+cfg.SQLitePath()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kept int
	if err := db.QueryRow(`SELECT count(*) FROM tokens`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != sessions {
		t.Errorf("%d sessions kept after %d logins answered 200: a refused login left one behind", kept, sessions)
	}
}
