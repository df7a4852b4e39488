package web_test

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sprout/app"
	"sprout/internal/storetest"
)

// behindProxy is a configuration whose clients come through a proxy on
// 127.0.0.1 that names them in X-Forwarded-For, so tests can speak as many
// clients.
func behindProxy(cfg app.Config) app.Config {
	cfg.ProxyHeader = "X-Forwarded-For"
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	return cfg
}

// forEachStoreConfig is forEachStore for a configuration the test adjusts.
func forEachStoreConfig(t *testing.T, adjust func(app.Config) app.Config, fn func(t *testing.T, cfg app.Config)) {
	stores := map[string]func(testing.TB) string{
		"sqlite":       func(testing.TB) string { return "" },
		"mongodb-wire": storetest.FerretDBURI,
	}
	if os.Getenv("MONGODB_TEST_URI") != "" {
		stores["mongodb"] = storetest.MongoDBTestURI
	}
	for name, uri := range stores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := adjust(baseConfig(t))
			// The relay in front of FerretDB runs one operation at a time.
			cfg.MongoURI, cfg.FerretDBPool = uri(t), name == "mongodb-wire"
			fn(t, cfg)
		})
	}
}

// from is the header that makes a request come from client addr.
func from(addr string) []string { return []string{"X-Forwarded-For", addr} }

// retryAfter checks a 429 in the contract's shape that says when to try
// again, in its header and its message, and returns the seconds.
func (r *resp) retryAfter() int {
	r.t.Helper()
	msg := r.errorCode(429, "rate_limited")
	n, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || n < 1 {
		r.t.Fatalf("Retry-After %q on %s", r.header.Get("Retry-After"), r.body)
	}
	// Past two minutes the wait is told in minutes, rounded up.
	want := strconv.Itoa(n)
	if n >= 120 {
		want = strconv.Itoa((n + 59) / 60)
	}
	if !strings.Contains(msg, " "+want+" ") {
		r.t.Fatalf("message %q does not say when (%d s)", msg, n)
	}
	return n
}

func login(email, password string) map[string]any {
	return map[string]any{"email": email, "password": password}
}

func TestLoginFailuresFromOneClientNeverLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, behindProxy, func(t *testing.T, cfg app.Config) {
		e := newEnv(t, cfg)
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "chu@sprout.test", "password": "đúng mật khẩu", "name": "Chủ"}).status(201)
		attacker, owner := from("198.51.100.10"), from("203.0.113.20")
		slowed := 0
		for range 15 {
			r := e.call("POST", "/api/v1/auth/login", login("chu@sprout.test", "sai mật khẩu"), attacker...)
			if r.code == 429 {
				r.retryAfter()
				slowed++
			} else {
				r.errorCode(401, "unauthorized")
			}
		}
		if slowed == 0 {
			t.Fatal("15 wrong passwords from one client never slowed it")
		}
		// The client that failed is slowed, never told the right password is wrong.
		e.call("POST", "/api/v1/auth/login", login("chu@sprout.test", "đúng mật khẩu"), attacker...).retryAfter()
		e.call("POST", "/api/v1/auth/login", login("chu@sprout.test", "đúng mật khẩu"), owner...).status(200)
		// Signing in clears only the owner's own count: the attacker stays slowed.
		e.call("POST", "/api/v1/auth/login", login("chu@sprout.test", "sai mật khẩu"), attacker...).retryAfter()
	})
}

func TestGuessingAcrossAccountsSlowsTheClientDownWithoutLockingOthers(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, behindProxy, func(t *testing.T, cfg app.Config) {
		e := newEnv(t, cfg)
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "nv@sprout.test", "password": "đúng mật khẩu", "name": "Nhân viên"}).status(201)
		gate, other := from("198.51.100.30"), from("203.0.113.40")
		wait := 0
		for i := range 25 {
			r := e.call("POST", "/api/v1/auth/login", login(fmt.Sprintf("khach%d@example.vn", i), "sai mật khẩu"), gate...)
			if r.code == 429 {
				wait = r.retryAfter()
			} else {
				r.errorCode(401, "unauthorized")
			}
		}
		if wait == 0 {
			t.Fatal("25 failures on random emails never slowed the client")
		}
		wait = e.call("POST", "/api/v1/auth/login", login("nv@sprout.test", "đúng mật khẩu"), gate...).retryAfter()
		e.call("POST", "/api/v1/auth/login", login("nv@sprout.test", "đúng mật khẩu"), other...).status(200)
		// Slowed, not locked: after the wait it was told, the right password works.
		time.Sleep(time.Duration(wait) * time.Second)
		e.call("POST", "/api/v1/auth/login", login("nv@sprout.test", "đúng mật khẩu"), gate...).status(200)
	})
}

func TestEachLimitCountsItsOwnAction(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, e *env) {
		for i := range 30 {
			e.call("POST", "/api/v1/auth/signup", map[string]any{"email": fmt.Sprintf("s%d@sprout.test", i), "password": "mật khẩu dài", "name": "Sáng lập"}).status(201)
		}
		// Password resets and lost-ticket requests each have 20 in 15
		// minutes; signups spent none of them, nor does one spend the other's.
		for _, path := range []string{"/api/v1/auth/password-reset", "/api/v1/tickets/lost"} {
			for i := range 20 {
				e.call("POST", path, map[string]any{"email": fmt.Sprintf("s%d@sprout.test", i)}).status(202)
			}
			e.call("POST", path, map[string]any{"email": "s0@sprout.test"}).retryAfter()
		}
		// Nor did the mails spend the signups'.
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "s99@sprout.test", "password": "mật khẩu dài", "name": "Sáng lập"}).status(201)
	})
}

// Two instances on one store race for one client's password resets: the
// store's atomic counter lets exactly the limit through. On MongoDB's wire
// each instance has its own pool into the test relay in front of FerretDB.
func TestInstancesOnOneStoreHoldOneLimitTogether(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, same, func(t *testing.T, cfg app.Config) {
		instances := []*env{newEnv(t, cfg), newEnv(t, cfg)}
		const limit = 20 // password resets per client in 15 minutes
		var accepted, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 2 * limit {
			wg.Go(func() {
				r := instances[i%2].call("POST", "/api/v1/auth/password-reset", map[string]any{"email": fmt.Sprintf("ai%d@sprout.test", i)})
				switch r.code {
				case 202:
					accepted.Add(1)
				case 429:
					refused.Add(1)
				default:
					t.Errorf("status %d: %s", r.code, r.body)
				}
			})
		}
		wg.Wait()
		if accepted.Load() != limit || refused.Load() != limit {
			t.Fatalf("%d accepted and %d refused of %d, want exactly %d accepted", accepted.Load(), refused.Load(), 2*limit, limit)
		}
	})
}

// same leaves a configuration as it is.
func same(c app.Config) app.Config { return c }

func TestProxyHeaderIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	register := func(e *env, eventID, typeID string, i int, hdr ...string) *resp {
		return e.call("POST", "/api/v1/events/"+eventID+"/registrations", map[string]any{"ticket_type_id": typeID, "name": "Khách", "email": fmt.Sprintf("r%d@example.vn", i)}, hdr...)
	}
	t.Run("untrusted", func(t *testing.T) {
		t.Parallel()
		cfg := baseConfig(t)
		cfg.ProxyHeader, cfg.RegistrationLimit = "X-Forwarded-For", 3
		e := newEnv(t, cfg)
		eventID, typeID := e.techfest(e.organizer(), 100, false)
		for i := range 3 {
			register(e, eventID, typeID, i, from(fmt.Sprintf("198.51.100.%d", i))...).status(201)
		}
		register(e, eventID, typeID, 3, from("198.51.100.3")...).retryAfter()
		e.call("POST", "/api/v1/auth/signup", map[string]any{"email": "nannhan@sprout.test", "password": "đúng mật khẩu", "name": "Nạn nhân"}).status(201)
		slowed := false
		for i := range 12 {
			r := e.call("POST", "/api/v1/auth/login", login("nannhan@sprout.test", "sai mật khẩu"), from(fmt.Sprintf("192.0.2.%d", i))...)
			slowed = slowed || r.code == 429
		}
		if !slowed {
			t.Fatal("rotating X-Forwarded-For escaped the login limit")
		}
	})
	t.Run("trusted", func(t *testing.T) {
		t.Parallel()
		cfg := behindProxy(baseConfig(t))
		cfg.RegistrationLimit = 3
		e := newEnv(t, cfg)
		eventID, typeID := e.techfest(e.organizer(), 100, false)
		for i := range 3 {
			register(e, eventID, typeID, i, from("198.51.100.1")...).status(201)
		}
		register(e, eventID, typeID, 3, from("198.51.100.1")...).retryAfter()
		register(e, eventID, typeID, 4, from("198.51.100.2")...).status(201)
		// Only the hop the trusted proxy appended counts; what the client
		// put before it is its own say.
		for i := range 2 {
			register(e, eventID, typeID, 5+i, from(fmt.Sprintf("10.9.9.%d, 198.51.100.3", i))...).status(201)
		}
		register(e, eventID, typeID, 7, from("10.9.9.7, 198.51.100.3")...).status(201)
		register(e, eventID, typeID, 8, from("10.9.9.8, 198.51.100.3")...).retryAfter()
	})
}

// The registration allowance is counted by the store with each ticket, so
// two instances hold it together: a client alternating between them gets
// exactly the allowance through, and a registration refused for another
// reason costs nothing.
func TestInstancesOnOneStoreHoldTheRegistrationAllowanceTogether(t *testing.T) {
	t.Parallel()
	forEachStoreConfig(t, func(c app.Config) app.Config {
		c = behindProxy(c)
		c.RegistrationLimit = 3
		return c
	}, func(t *testing.T, cfg app.Config) {
		instances := []*env{newEnv(t, cfg), newEnv(t, cfg)}
		eventID, typeID := instances[0].techfest(instances[0].organizer(), 100, false)
		path := "/api/v1/events/" + eventID + "/registrations"
		register := func(i int, email string) *resp {
			return instances[i%2].call("POST", path, map[string]any{"ticket_type_id": typeID, "name": "Khách", "email": email})
		}
		register(0, "dau-tien@example.vn").status(201)
		for i := range 4 {
			register(i, "dau-tien@example.vn").errorCode(409, "already_registered")
		}
		var accepted, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				r := register(i, fmt.Sprintf("khach%d@example.vn", i))
				switch r.code {
				case 201:
					accepted.Add(1)
				case 429:
					r.retryAfter()
					refused.Add(1)
				default:
					t.Errorf("status %d: %s", r.code, r.body)
				}
			})
		}
		wg.Wait()
		if accepted.Load() != 2 || refused.Load() != 6 {
			t.Fatalf("%d accepted and %d refused after 1 registration and 4 refused as duplicates, want 2 and 6 on an allowance of 3",
				accepted.Load(), refused.Load())
		}
		// Another client is not held up by this one.
		instances[1].call("POST", path, map[string]any{"ticket_type_id": typeID, "name": "Khách", "email": "khac@example.vn"},
			from("198.51.100.20")...).status(201)
	})
}
