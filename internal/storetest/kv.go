package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"sprout/internal/errs"
)

func testKV(t *testing.T, s Store) {
	ctx := context.Background()
	if err := s.KVSet(ctx, "csrf:a", []byte("one"), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.KVSet(ctx, "forever", []byte{0, 1, 2}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if v, err := s.KVGet(ctx, "csrf:a", t0); err != nil || string(v) != "one" {
		t.Fatalf("KVGet = %q, %v", v, err)
	}
	if v, err := s.KVGet(ctx, "forever", t0.Add(1000*time.Hour)); err != nil || !bytes.Equal(v, []byte{0, 1, 2}) {
		t.Fatalf("KVGet without expiry = %v, %v", v, err)
	}
	_, err := s.KVGet(ctx, "csrf:a", t0.Add(time.Minute))
	wantKind(t, err, errs.NotFound, "an expired key")
	_, err = s.KVGet(ctx, "missing", t0)
	wantKind(t, err, errs.NotFound, "a missing key")

	if err := s.KVSet(ctx, "csrf:a", []byte("two"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if v, err := s.KVGet(ctx, "csrf:a", t0.Add(30*time.Minute)); err != nil || string(v) != "two" {
		t.Fatalf("KVGet after overwrite = %q, %v", v, err)
	}
	if err := s.KVDelete(ctx, "csrf:a"); err != nil {
		t.Fatal(err)
	}
	_, err = s.KVGet(ctx, "csrf:a", t0)
	wantKind(t, err, errs.NotFound, "a deleted key")

	exp := t0.Add(time.Minute)
	for want := int64(1); want <= 3; want++ {
		if n, err := s.KVIncr(ctx, "hits", t0, exp); err != nil || n != want {
			t.Fatalf("KVIncr = %d, %v; want %d", n, err, want)
		}
	}
	if n, err := s.KVCount(ctx, "hits", t0); err != nil || n != 3 {
		t.Fatalf("KVCount = %d, %v", n, err)
	}
	if n, err := s.KVCount(ctx, "hits", exp); err != nil || n != 0 {
		t.Fatalf("KVCount of an expired counter = %d, %v", n, err)
	}
	if n, err := s.KVCount(ctx, "never", t0); err != nil || n != 0 {
		t.Fatalf("KVCount of a missing counter = %d, %v", n, err)
	}
	if n, err := s.KVIncr(ctx, "hits", exp, exp.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("KVIncr on an expired counter = %d, %v; want a fresh 1", n, err)
	}
	if n, err := s.KVCount(ctx, "hits", exp.Add(30*time.Second)); err != nil || n != 1 {
		t.Fatalf("the restarted counter keeps its new expiry: %d, %v", n, err)
	}

	if err := s.KVSet(ctx, "empty", []byte{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if v, err := s.KVGet(ctx, "empty", t0); err != nil || len(v) != 0 {
		t.Fatalf("an empty value reads as %v, %v; want it found and empty", v, err)
	}
	_, err = s.KVGet(ctx, "hits", exp.Add(30*time.Second))
	wantKind(t, err, errs.NotFound, "KVGet of a counter")
	if err := s.KVSet(ctx, "old", []byte("stale"), t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.KVIncr(ctx, "old", t0.Add(time.Minute), t0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("KVIncr over an expired value = %d, %v", n, err)
	}
	_, err = s.KVGet(ctx, "old", t0.Add(2*time.Minute))
	wantKind(t, err, errs.NotFound, "an expired value revived by KVIncr")
	if err := s.KVDelete(ctx, "empty"); err != nil {
		t.Fatal(err)
	}
	if err := s.KVDelete(ctx, "old"); err != nil {
		t.Fatal(err)
	}

	n, err := s.KVDeleteExpired(ctx, t0.Add(500*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("KVDeleteExpired = %d, %v; want 1 (the counter; the key without expiry stays)", n, err)
	}
	if _, err := s.KVGet(ctx, "forever", t0); err != nil {
		t.Fatalf("a key without expiry was swept: %v", err)
	}
}

func testKVIncrConcurrent(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 40
	var wg sync.WaitGroup
	seen := make([]int, n+1)
	var mu sync.Mutex
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := s.KVIncr(ctx, "login:1.2.3.4", t0, t0.Add(time.Hour))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			if v >= 1 && v <= n {
				seen[v]++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	for v := 1; v <= n; v++ {
		if seen[v] != 1 {
			t.Fatalf("%d concurrent increments: count %d returned %d times; every count from 1 to %d must come exactly once", n, v, seen[v], n)
		}
	}
	if c, _ := s.KVCount(ctx, "login:1.2.3.4", t0); c != n {
		t.Fatalf("final count %d, want %d", c, n)
	}
}
