package web

import (
	"net/netip"
	"testing"
)

func TestClientAddrIsTheRightMostUntrustedHop(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	for _, c := range []struct {
		name, peer string
		hops       []string
		trusted    []netip.Prefix
		want       string
	}{
		{"no proxy header", "203.0.113.9", nil, trusted, "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9", []string{"198.51.100.1"}, trusted, "203.0.113.9"},
		{"nobody trusted", "127.0.0.1", []string{"198.51.100.1"}, nil, "127.0.0.1"},
		{"one trusted proxy", "127.0.0.1", []string{"198.51.100.1"}, trusted, "198.51.100.1"},
		{"spoofed left-most hop", "127.0.0.1", []string{"6.6.6.6", " 198.51.100.1"}, trusted, "198.51.100.1"},
		{"a chain of trusted proxies", "127.0.0.1", []string{"6.6.6.6", "198.51.100.1", "10.1.2.3", "10.0.0.1"}, trusted, "198.51.100.1"},
		{"all hops trusted", "127.0.0.1", []string{"10.0.0.5", "10.0.0.1"}, trusted, "10.0.0.5"},
		{"garbage stops the walk", "127.0.0.1", []string{"198.51.100.1", "unknown", "10.0.0.1"}, trusted, "10.0.0.1"},
		{"IPv4 in IPv6", "::ffff:127.0.0.1", []string{"::ffff:198.51.100.1"}, trusted, "198.51.100.1"},
		{"IPv6 client", "127.0.0.1", []string{"2001:db8::1"}, trusted, "2001:db8::1"},
	} {
		if got := clientAddr(c.peer, c.hops, c.trusted); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
